-- Expire what is due now (at most PURGE_LIMIT holds); replies with their ids.
return {'data', cjson.encode(purge())}
