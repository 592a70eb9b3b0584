-- Hold general-admission units: all lines or none. ARGV: hold_id, session, ttl_ms, lines JSON
-- [[tier_id, quantity], ...] (quantities >= 1, one line per tier, checked by the caller).
local hold_id, session, ttl_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])
local lines = cjson.decode(ARGV[6])
purge()
if terms_changed() then return refused('stale-terms', 'the sale terms changed; read them again') end
local again = existing_hold(hold_id, session)
if again then return again end
local too_many = placements_exceeded(session)
if too_many then return too_many end
for _, line in ipairs(lines) do
  local seated = redis.call('HMGET', tier_key(line[1]), 'capacity', 'seated')
  if not seated[1] then return refused('unknown-tier', 'no tier ' .. line[1]) end
  if seated[2] == '1' then
    return refused('unknown-tier', 'tier ' .. line[1] .. ' is seated: choose seats')
  end
end
local short_tier, left = first_short_tier(lines)
if short_tier then return not_enough(short_tier, left) end
create_hold(hold_id, session, lines, NOW + ttl_ms, 'ga', '')
return hold_reply(hold_id)
