-- Extend a held hold once, by ttl from its expiry: pressing early wastes nothing and a lower TTL
-- set meanwhile never shortens it. ARGV: hold_id, session ('' = internal), ttl_ms.
local hold_id, session, ttl_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])
purge()
expire_if_due(hold_id)
local status = visible_status(hold_id, session)
if not status then return not_found(hold_id) end
if status == 'expired' then return refused('hold-expired', 'hold ' .. hold_id .. ' has expired') end
if status ~= 'held' then
  return not_active(hold_id, status, 'is ' .. status)
end
if redis.call('HGET', hold_key(hold_id), 'extended') == '1' then
  return refused('hold-already-extended', 'hold ' .. hold_id .. ' was already extended once')
end
local current = tonumber(redis.call('HGET', hold_key(hold_id), 'expires_at')) or NOW
local expires_at = math.max(current, NOW) + ttl_ms
redis.call('HSET', hold_key(hold_id), 'expires_at', expires_at, 'extended', '1')
redis.call('ZADD', EXPIRIES, expires_at, hold_id)
return hold_reply(hold_id)
