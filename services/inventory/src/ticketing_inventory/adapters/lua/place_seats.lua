-- Hold the named seats: all or none. ARGV: hold_id, session, ttl_ms, seat ids JSON (distinct).
local hold_id, session, ttl_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])
local seat_ids = cjson.decode(ARGV[6])
purge()
if terms_changed() then return refused('stale-terms', 'the sale terms changed; read them again') end
local again = existing_hold(hold_id, session)
if again then return again end
local too_many = placements_exceeded(session)
if too_many then return too_many end
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
local lines = seat_lines(seat_ids, tier_of)
local short_tier, left = first_short_tier(lines)
if short_tier then return not_enough(short_tier, left) end
create_hold(hold_id, session, lines, NOW + ttl_ms, 'seats', '')
return hold_reply(hold_id)
