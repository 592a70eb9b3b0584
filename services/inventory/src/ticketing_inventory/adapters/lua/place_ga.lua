-- Hold general-admission units: all lines or none. ARGV: hold_id, session, ttl_ms, lines JSON
-- [[tier_id, quantity], ...] (quantities >= 1, one line per tier, checked by the caller).
local lines = cjson.decode(ARGV[6])
local stopped = placement_stopped()
if stopped then return stopped end
for _, line in ipairs(lines) do
  local wrong = wrong_tier(line[1], false)
  if wrong then return wrong end
end
return hold_if_room(lines, 'ga', '')
