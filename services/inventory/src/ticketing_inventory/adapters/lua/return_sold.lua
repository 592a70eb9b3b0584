-- Give sold capacity back after a refund, once per `return_id` and load: a return whose
-- Postgres half was lost is applied again only if the stock was loaded since (that load counted
-- the tickets as still sold). Seats are freed only if they are still sold to this order.
-- ARGV: order_id, return_id, lines JSON, marker_ttl_ms.
local order_id, return_id, lines = ARGV[3], ARGV[4], cjson.decode(ARGV[5])
local marker_ttl_ms = tonumber(ARGV[6])
purge()
local load = redis.call('GET', PREFIX .. 'loads') or '0'
local returned = PREFIX .. 'returned:' .. order_id
if redis.call('HGET', returned, return_id) == load then return {'data', '0'} end
-- markers written before they carried the load (a set, kept for their 7 days)
if redis.call('SISMEMBER', PREFIX .. 'returns:' .. order_id, return_id) == 1 then
  return {'data', '0'}
end
redis.call('HSET', returned, return_id, load)
redis.call('PEXPIRE', returned, marker_ttl_ms)
local sold_mark = '!sold:' .. order_id
for _, line in ipairs(lines) do
  local quantity = line[2]
  if line[3] then
    quantity = 0
    for _, seat in ipairs(line[3]) do
      if redis.call('HGET', SEATS, seat) == sold_mark then
        redis.call('HDEL', SEATS, seat)
        seat_freed(seat)
        quantity = quantity + 1
      end
    end
  end
  local sold = tonumber(redis.call('HGET', tier_key(line[1]), 'sold') or 0)
  if sold > 0 then
    redis.call('HSET', tier_key(line[1]), 'sold', math.max(sold - quantity, 0))
  end
end
return {'data', '1'}
