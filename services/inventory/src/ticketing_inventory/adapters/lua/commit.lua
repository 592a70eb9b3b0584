-- Turn a hold into a sale for `order_id`. A live hold converts; a hold that expired or was
-- released (a late payment) is sold again only if its units or seats are still free. So is a
-- sale counted here whose Postgres half was lost before a load counted the sales again (the
-- record's `load` is older than the stock's), and a hold whose record is gone, from the copy of
-- its durable pin that the caller then passes.
-- ARGV: hold_id, order_id [, the pin's session, lines JSON, expires_at, kind, contiguous].
local hold_id, order_id, pin_session = ARGV[3], ARGV[4], ARGV[5]
purge()
local key = hold_key(hold_id)
local load = redis.call('GET', PREFIX .. 'loads') or '0'
local r = redis.call('HMGET', key, 'status', 'order_id', 'lines', 'load')
local status, owner_order, lines_json = r[1], r[2], r[3]
if not status then
  if not pin_session then return not_found(hold_id) end
  status, owner_order, lines_json = 'gone', order_id, ARGV[6]
end
if status == 'committed' then
  if owner_order ~= order_id then return not_active(hold_id, status, 'was sold to another order') end
  if (r[4] or '0') == load then return hold_reply(hold_id) end
end
if status == 'pinned' and owner_order ~= order_id then
  return not_active(hold_id, status, 'is pinned by another order')
end
local lines = cjson.decode(lines_json)
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
if status == 'gone' then
  redis.call('HSET', key, 'session', pin_session, 'lines', lines_json, 'expires_at', ARGV[7],
    'extended', '0', 'kind', ARGV[8], 'contiguous', ARGV[9])
end
redis.call('HSET', key, 'order_id', order_id, 'load', load)
finish(hold_id, 'committed')
return hold_reply(hold_id)
