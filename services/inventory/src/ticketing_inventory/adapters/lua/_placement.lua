-- Prepended after _common to the three place scripts (place_ga, place_seats,
-- place_best_available): what every placement checks first and does last.
-- ARGV[3..5] = hold_id, session, ttl_ms; ARGV[6..] the script's own, then the most live holds
-- per session, the placements per minute and the terms, last.
local hold_id, session, ttl_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])

-- What was asked (the script's own arguments): a retry of the same Idempotency-Key names the
-- same hold id, and must ask the same, or it is refused rather than answered the first hold
local function request_of()
  local parts = {}
  for i = 6, #ARGV - 3 do parts[#parts + 1] = ARGV[i] end
  return table.concat(parts, '\31')
end

-- Purge what is due, then why this placement stops here: the terms it was decided on are
-- stale, the same hold id was placed already (its reply, so a retry answers alike), the
-- session holds as many as it may at once, or placed too many this minute. nil: go on.
local function placement_stopped()
  purge()
  if terms_changed() then
    return refused('stale-terms', 'the sale terms changed; read them again')
  end
  local again = existing_hold(hold_id, session)
  if again then
    local asked = redis.call('HGET', hold_key(hold_id), 'request')
    if again[1] == 'ok' and asked and asked ~= request_of() then
      return refused('idempotency-key-reused',
        'this Idempotency-Key was used for another hold; use a new key for another choice')
    end
    return again
  end
  return live_holds_exceeded(session) or placements_exceeded(session)
end

-- The refusal of a tier that is unknown, or seated when `seated` is false (general admission)
-- or not seated when it is true (best available); nil for a tier of the wanted kind.
local function wrong_tier(tier_id, seated)
  local tier = redis.call('HMGET', tier_key(tier_id), 'capacity', 'seated')
  if not tier[1] then return refused('unknown-tier', 'no tier ' .. tier_id) end
  if (tier[2] == '1') ~= seated then
    local why = seated and ' has no seats to choose' or ' is seated: choose seats'
    return refused('unknown-tier', 'tier ' .. tier_id .. why)
  end
  return nil
end

-- Hold `lines` if every tier they name has room for them (all or nothing).
local function hold_if_room(lines, kind, contiguous)
  local short_tier, left = first_short_tier(lines)
  if short_tier then return not_enough(short_tier, left) end
  create_hold(hold_id, session, lines, NOW + ttl_ms, kind, contiguous)
  redis.call('HSET', hold_key(hold_id), 'request', request_of())
  remember_live_hold(session, hold_id, ttl_ms)
  return hold_reply(hold_id)
end
