-- Hold the named seats: all or none. ARGV: hold_id, session, ttl_ms, seat ids JSON (distinct).
local seat_ids = cjson.decode(ARGV[6])
local stopped = placement_stopped()
if stopped then return stopped end
local tiers = redis.call('HMGET', SEAT_TIERS, unpack(seat_ids))
local tier_of, unknown = {}, {}
for i, seat in ipairs(seat_ids) do
  if tiers[i] then tier_of[seat] = tiers[i] else unknown[#unknown + 1] = seat end
end
if #unknown > 0 then
  return refused('unknown-seat', 'no seat ' .. table.concat(unknown, ', '))
end
local taken = taken_seats(seat_ids)
if #taken > 0 then
  return refused('seat-taken', 'already taken: ' .. table.concat(taken, ', '), nil, taken)
end
return hold_if_room(seat_lines(seat_ids, tier_of), 'seats', '')
