-- Give a hold back. ARGV: hold_id, session ('' = internal: may release a pinned hold too).
-- A customer's release waits in `released` until it is announced (`hold.released`): a crash
-- between this script and the announcement's commit leaves it to the sweeper, not lost. An
-- order's release is announced by the consumer that asked for it (redelivered if it crashed).
local hold_id, session = ARGV[3], ARGV[4]
purge()
local status = visible_status(hold_id, session)
if not status then return not_found(hold_id) end
if status == 'released' then return hold_reply(hold_id) end
if status == 'expired' then return refused('hold-expired', 'hold ' .. hold_id .. ' has expired') end
-- a customer cannot pull a hold from under an order that is being paid
if status == 'committed' or (status == 'pinned' and session ~= '') then
  return not_active(hold_id, status, 'is ' .. status)
end
give_back(hold_id, cjson.decode(redis.call('HGET', hold_key(hold_id), 'lines')))
finish(hold_id, 'released')
if session ~= '' then redis.call('RPUSH', PREFIX .. 'released', hold_id) end
return hold_reply(hold_id)
