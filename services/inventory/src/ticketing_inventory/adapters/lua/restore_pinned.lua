-- Put back a pinned hold as it was (rebuild after Redis lost it); no-op when present.
-- ARGV: hold_id, session, lines JSON, expires_at, extended ('0'|'1'), order_id, contiguous.
local hold_id, session, lines_json = ARGV[3], ARGV[4], ARGV[5]
local expires_at, extended, order_id, contiguous = tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9]
purge()
if redis.call('EXISTS', hold_key(hold_id)) == 1 then return hold_reply(hold_id) end
if expires_at <= NOW then return refused('hold-expired', 'hold ' .. hold_id .. ' has expired') end
local lines = cjson.decode(lines_json)
for _, line in ipairs(lines) do
  if not redis.call('HGET', tier_key(line[1]), 'capacity') then
    return refused('unknown-tier', 'no tier ' .. line[1])
  end
  if line[3] then
    local taken = taken_seats(line[3])
    if #taken > 0 then
      return refused('seat-taken', 'already taken: ' .. table.concat(taken, ', '), nil, taken)
    end
  end
end
local short_tier, left = first_short_tier(lines)
if short_tier then return not_enough(short_tier, left) end
local kind = 'ga'
if lines[1] and lines[1][3] then kind = 'seats' end
create_hold(hold_id, session, lines, expires_at, kind, contiguous)
redis.call('HSET', hold_key(hold_id), 'status', 'pinned', 'order_id', order_id,
  'extended', extended)
return hold_reply(hold_id)
