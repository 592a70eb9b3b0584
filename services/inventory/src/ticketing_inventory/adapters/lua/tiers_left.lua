-- What is left now per tier, and only that (a performance's page asks every few seconds; the
-- state of every seat is the seat map's, `availability`).
purge()
return {'data', cjson.encode(tiers_left())}
