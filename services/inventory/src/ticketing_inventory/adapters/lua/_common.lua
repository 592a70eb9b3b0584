-- Prepended to every hold-store script. Calling convention of every script:
--   KEYS[1] = 'inv:{P}:' (every key the script touches starts with it: one Cluster slot)
--   ARGV[1] = now in ms (from the caller, so tests can move time), ARGV[2] = grace in ms,
--   ARGV[3..] = the script's own arguments.
-- Replies: {'ok', <hold fields...>} | {'refused', reason, detail, available, taken_json
--          [, retry_after_ms [, hold_status]]} | {'data', json} for reads.
local PREFIX = KEYS[1]
local NOW = tonumber(ARGV[1])
local GRACE_MS = tonumber(ARGV[2])
local PURGE_LIMIT = 200 -- bounds script time; the sweeper purges the rest

local SEATS = PREFIX .. 'seats'
local SEAT_TIERS = PREFIX .. 'seat-tier'
local EXPIRIES = PREFIX .. 'exp'
local EXPIRED = PREFIX .. 'expired'
local SEAT_ROWS = PREFIX .. 'seat-row'
local ROW_FREE = PREFIX .. 'row-free'

-- Place scripts end their ARGV with the caller's copy of the performance's sale terms (the
-- JSON at PREFIX..'terms'): a different or missing value means the caller decided on stale
-- terms (a cancellation, a new sales window) and must read them again. '' skips the check.
local function terms_changed()
  local expected = ARGV[#ARGV]
  return expected ~= '' and redis.call('GET', PREFIX .. 'terms') ~= expected
end

local function hold_key(hold_id) return PREFIX .. 'hold:' .. hold_id end
local function tier_key(tier_id) return PREFIX .. 'tier:' .. tier_id end

local function refused(reason, detail, available, taken)
  local taken_json = ''
  if taken and #taken > 0 then taken_json = cjson.encode(taken) end
  return {'refused', reason, detail, available and tostring(available) or '', taken_json}
end

-- Units of the tier nobody holds or bought; nil for an unknown tier.
local function tier_left(tier_id)
  local t = redis.call('HMGET', tier_key(tier_id), 'capacity', 'sold', 'held')
  if not t[1] then return nil end
  return tonumber(t[1]) - tonumber(t[2] or 0) - tonumber(t[3] or 0)
end

-- Units left of every tier (never below 0).
local function tiers_left()
  local tiers = {}
  for _, tier_id in ipairs(redis.call('SMEMBERS', PREFIX .. 'tiers')) do
    tiers[tier_id] = math.max(tier_left(tier_id), 0)
  end
  return tiers
end

local function hold_reply(hold_id)
  local r = redis.call('HMGET', hold_key(hold_id), 'session', 'status', 'lines', 'expires_at',
    'extended', 'order_id', 'contiguous')
  return {'ok', hold_id, r[1], r[2], r[3], r[4], r[5], r[6] or '', r[7] or ''}
end

-- Free seats per row let best-available skip full rows; kept in step with every seat change.
local function seat_taken(seat)
  local row = redis.call('HGET', SEAT_ROWS, seat)
  if row then redis.call('HINCRBY', ROW_FREE, row, -1) end
end

local function seat_freed(seat)
  local row = redis.call('HGET', SEAT_ROWS, seat)
  if row then redis.call('HINCRBY', ROW_FREE, row, 1) end
end

-- Lines are stored as JSON: [[tier_id, quantity, [seat_id...]?], ...]
local function give_back(hold_id, lines)
  for _, line in ipairs(lines) do
    redis.call('HINCRBY', tier_key(line[1]), 'held', -line[2])
    if line[3] then
      for _, seat in ipairs(line[3]) do
        if redis.call('HGET', SEATS, seat) == hold_id then
          redis.call('HDEL', SEATS, seat)
          seat_freed(seat)
        end
      end
    end
  end
end

-- The record stays readable for the grace period, so a reader learns why it is gone.
local function finish(hold_id, status)
  redis.call('HSET', hold_key(hold_id), 'status', status)
  redis.call('ZREM', EXPIRIES, hold_id)
  redis.call('PEXPIRE', hold_key(hold_id), GRACE_MS)
end

local function is_active(status) return status == 'held' or status == 'pinned' end

local function purge()
  local due = redis.call('ZRANGEBYSCORE', EXPIRIES, '-inf', NOW, 'LIMIT', 0, PURGE_LIMIT)
  for _, hold_id in ipairs(due) do
    local rec = redis.call('HMGET', hold_key(hold_id), 'status', 'lines')
    if is_active(rec[1]) then
      give_back(hold_id, cjson.decode(rec[2]))
      finish(hold_id, 'expired')
    else
      redis.call('ZREM', EXPIRIES, hold_id)
    end
    redis.call('RPUSH', EXPIRED, hold_id)
  end
  return due
end

-- A hold past its time that purge() did not reach yet (it takes PURGE_LIMIT a call) expires
-- now, before it is pinned or extended.
local function expire_if_due(hold_id)
  local rec = redis.call('HMGET', hold_key(hold_id), 'status', 'lines', 'expires_at')
  local expires_at = tonumber(rec[3] or '')
  if is_active(rec[1]) and expires_at and expires_at <= NOW then
    give_back(hold_id, cjson.decode(rec[2]))
    finish(hold_id, 'expired')
    redis.call('RPUSH', EXPIRED, hold_id)
  end
end

local function create_hold(hold_id, session, lines, expires_at, kind, contiguous)
  redis.call('HSET', hold_key(hold_id), 'session', session, 'status', 'held',
    'lines', cjson.encode(lines), 'expires_at', expires_at, 'extended', '0', 'kind', kind,
    'contiguous', contiguous)
  redis.call('ZADD', EXPIRIES, expires_at, hold_id)
  for _, line in ipairs(lines) do
    redis.call('HINCRBY', tier_key(line[1]), 'held', line[2])
    if line[3] then
      for _, seat in ipairs(line[3]) do
        redis.call('HSET', SEATS, seat, hold_id)
        seat_taken(seat)
      end
    end
  end
end

-- Groups seats per tier, in order of first appearance: the lines of a seated hold.
local function seat_lines(seat_ids, tier_of)
  local lines, by_tier = {}, {}
  for _, seat in ipairs(seat_ids) do
    local tier = tier_of[seat]
    local line = by_tier[tier]
    if not line then
      line = {tier, 0, {}}
      by_tier[tier] = line
      lines[#lines + 1] = line
    end
    line[2] = line[2] + 1
    line[3][#line[3] + 1] = seat
  end
  return lines
end

-- The first tier of `lines` without room for its quantity: tier_id, left. nil if all fit.
local function first_short_tier(lines)
  for _, line in ipairs(lines) do
    local left = tier_left(line[1])
    if left < line[2] then return line[1], math.max(left, 0) end
  end
  return nil
end

local function not_enough(tier_id, left)
  return refused('not-enough-left', 'only ' .. left .. ' left in tier ' .. tier_id, left)
end

-- At most LIMIT placements per minute by one session on this performance (0: no limit), so one
-- bot with one session cannot sweep a show from many addresses. A GCRA over a sliding minute:
-- LIMIT at once, then one every 60/LIMIT s. Place scripts pass LIMIT just before the terms.
-- The refusal's sixth field is the wait in ms.
local function placements_exceeded(session)
  local limit = tonumber(ARGV[#ARGV - 1])
  if not limit or limit <= 0 then return nil end
  local key = PREFIX .. 'placements:' .. session
  local interval = 60000 / limit
  local next_tat = math.max(tonumber(redis.call('GET', key) or 0), NOW) + interval
  local wait = next_tat - NOW - 60000
  if wait > 0 then
    local reply = refused('too-many-holds', 'at most ' .. limit ..
      ' hold placements per minute by one session on a performance; retry in ' ..
      math.ceil(wait / 1000) .. ' s')
    reply[6] = tostring(math.ceil(wait))
    return reply
  end
  redis.call('SET', key, tostring(next_tat), 'PX', math.ceil(next_tat - NOW))
  return nil
end

-- A session's holds of this performance, to count the ones still held (not ordered, released
-- or expired): a set pruned as it is read. ARGV[#ARGV - 2] = how many one session may have at
-- once (0: any number, nothing kept).
local function live_holds_key(session) return PREFIX .. 'live:' .. session end
local function live_holds_most() return tonumber(ARGV[#ARGV - 2]) or 0 end

local function live_holds_exceeded(session)
  local most = live_holds_most()
  if most <= 0 then return nil end
  local key, live = live_holds_key(session), 0
  for _, id in ipairs(redis.call('SMEMBERS', key)) do
    local hold = redis.call('HMGET', hold_key(id), 'status', 'expires_at')
    if hold[1] == 'held' and tonumber(hold[2]) > NOW then
      live = live + 1
    else
      redis.call('SREM', key, id)
    end
  end
  if live < most then return nil end
  return refused('too-many-live-holds', 'this session already holds ' .. live ..
    ' reservations of this performance, the most it may: order or release one first')
end

-- A hold lives at most twice its time (one extension); the set outlives its newest member.
local function remember_live_hold(session, hold_id, ttl_ms)
  if live_holds_most() <= 0 then return end
  local key = live_holds_key(session)
  redis.call('SADD', key, hold_id)
  redis.call('PEXPIRE', key, 2 * ttl_ms + GRACE_MS)
end

-- Existing hold of the same id (a retried request): the hold, or a refusal for another session.
local function existing_hold(hold_id, session)
  local owner = redis.call('HGET', hold_key(hold_id), 'session')
  if not owner then return nil end
  if owner ~= session then return refused('hold-not-found', 'no hold ' .. hold_id) end
  return hold_reply(hold_id)
end

-- The hold of `hold_id` as `session` may see it (session '' = internal caller): status or nil.
local function visible_status(hold_id, session)
  local r = redis.call('HMGET', hold_key(hold_id), 'session', 'status')
  if not r[1] or (session ~= '' and r[1] ~= session) then return nil end
  return r[2]
end

local function not_found(hold_id) return refused('hold-not-found', 'no hold ' .. hold_id) end

-- A hold an order is paying for ('pinned') or that is sold ('committed'): the refusal names
-- which, so a customer hears "pay for your order" or "already sold", not "expired".
local function not_active(hold_id, status, detail)
  local reply = refused('hold-not-active', 'hold ' .. hold_id .. ' ' .. detail)
  reply[6], reply[7] = '', status
  return reply
end

-- Seats of `seat_ids` that are not free, in the order given.
local function taken_seats(seat_ids)
  local owners = redis.call('HMGET', SEATS, unpack(seat_ids))
  local taken = {}
  for i, seat in ipairs(seat_ids) do
    if owners[i] then taken[#taken + 1] = seat end
  end
  return taken
end

-- Put back a pinned hold Redis lost, as it was (a load with its pins); its reply: the hold
-- (present already: as it is) or the refusal.
local function restore_pin(hold_id, session, lines, expires_at, extended, order_id, contiguous)
  if redis.call('EXISTS', hold_key(hold_id)) == 1 then return hold_reply(hold_id) end
  if expires_at <= NOW then return refused('hold-expired', 'hold ' .. hold_id .. ' has expired') end
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
end
