-- What is left now: units per tier, and the state of every seat of the seat map.
purge()
local tiers = tiers_left()
local seats = {}
local seat_tiers = redis.call('HKEYS', SEAT_TIERS)
for _, seat in ipairs(seat_tiers) do seats[seat] = 'available' end
local occupancy = redis.call('HGETALL', SEATS)
for i = 1, #occupancy, 2 do
  if seats[occupancy[i]] then
    if string.sub(occupancy[i + 1], 1, 6) == '!sold:' then
      seats[occupancy[i]] = 'sold'
    else
      seats[occupancy[i]] = 'held'
    end
  end
end
return {'data', cjson.encode({tiers = tiers, seats = seats})}
