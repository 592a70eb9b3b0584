-- Turn a hold into a sale for `order_id`. A live hold converts; a hold that expired or was
-- released (a late payment) is sold again only if its units or seats are still free.
-- ARGV: hold_id, order_id.
local hold_id, order_id = ARGV[3], ARGV[4]
purge()
local key = hold_key(hold_id)
local r = redis.call('HMGET', key, 'status', 'order_id', 'lines')
local status, owner_order = r[1], r[2]
if not status then return not_found(hold_id) end
if status == 'committed' then
  if owner_order == order_id then return hold_reply(hold_id) end
  return not_active(hold_id, status, 'was sold to another order')
end
if status == 'pinned' and owner_order ~= order_id then
  return not_active(hold_id, status, 'is pinned by another order')
end
local lines = cjson.decode(r[3])
local sold_mark = '!sold:' .. order_id
if is_active(status) then
  for _, line in ipairs(lines) do redis.call('HINCRBY', tier_key(line[1]), 'held', -line[2]) end
else
  for _, line in ipairs(lines) do
    if line[3] then
      local taken = taken_seats(line[3])
      if #taken > 0 then
        return refused('seat-taken', 'the hold expired and its seats were taken: '
          .. table.concat(taken, ', '), nil, taken)
      end
    end
  end
  local short_tier, left = first_short_tier(lines)
  if short_tier then return not_enough(short_tier, left) end
end
for _, line in ipairs(lines) do
  redis.call('HINCRBY', tier_key(line[1]), 'sold', line[2])
  if line[3] then
    for _, seat in ipairs(line[3]) do
      if not is_active(status) then seat_taken(seat) end
      redis.call('HSET', SEATS, seat, sold_mark)
    end
  end
end
redis.call('HSET', key, 'order_id', order_id)
finish(hold_id, 'committed')
return hold_reply(hold_id)
