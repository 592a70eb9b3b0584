-- Keep a held hold for an order until `until_ms`. ARGV: hold_id, order_id, until_ms.
local hold_id, order_id, until_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])
purge()
expire_if_due(hold_id)
local r = redis.call('HMGET', hold_key(hold_id), 'status', 'order_id')
local status, pinned_for = r[1], r[2]
if not status then return not_found(hold_id) end
if status == 'pinned' and pinned_for == order_id then
  -- pinned again by a retry that took the placement over: its deadline may be later (the
  -- order's and Postgres's pin say so), and Redis must not let the seats go before it
  local kept = tonumber(redis.call('HGET', hold_key(hold_id), 'expires_at'))
  if until_ms > kept then
    redis.call('HSET', hold_key(hold_id), 'expires_at', until_ms)
    redis.call('ZADD', EXPIRIES, until_ms, hold_id)
  end
  return hold_reply(hold_id)
end
if status == 'expired' then return refused('hold-expired', 'hold ' .. hold_id .. ' has expired') end
if status ~= 'held' then
  return not_active(hold_id, status, 'is ' .. status)
end
redis.call('HSET', hold_key(hold_id), 'status', 'pinned', 'expires_at', until_ms,
  'order_id', order_id)
redis.call('ZADD', EXPIRIES, until_ms, hold_id)
return hold_reply(hold_id)
