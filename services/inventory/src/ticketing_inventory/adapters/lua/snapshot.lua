-- The counters and sold seats as Redis has them, for reconciliation with Postgres.
purge()
local capacity, sold, held = {}, {}, {}
for _, tier_id in ipairs(redis.call('SMEMBERS', PREFIX .. 'tiers')) do
  local t = redis.call('HMGET', tier_key(tier_id), 'capacity', 'sold', 'held')
  capacity[tier_id], sold[tier_id], held[tier_id] = tonumber(t[1]), tonumber(t[2]), tonumber(t[3])
end
local sold_seats = {}
local occupancy = redis.call('HGETALL', SEATS)
for i = 1, #occupancy, 2 do
  if string.sub(occupancy[i + 1], 1, 6) == '!sold:' then sold_seats[#sold_seats + 1] = occupancy[i] end
end
local active = redis.call('ZRANGE', EXPIRIES, 0, -1)
return {'data', cjson.encode({capacity = capacity, sold = sold, held = held,
  sold_seats = sold_seats, active_holds = active})}
