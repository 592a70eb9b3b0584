-- (Re)build the static stock from the truth in Postgres, keeping the live holds: tiers
-- (capacity, sold), rows, seat tiers, sold seats; `held` is recounted from the live holds; the
-- pinned holds Postgres keeps are put back where Redis lost them, in this same script (put back
-- one by one after it, a placement in between could take a paid-for seat). Idempotent but for
-- `loads`, the count of loads. ARGV: tiers JSON [[tier_id, capacity, sold, seated 0|1], ...],
-- rows JSON ('' = no seat map), sold seats JSON [[seat_id, order_id], ...], pins JSON
-- [[hold_id, session, lines, expires_at, extended, order_id, contiguous], ...].
-- Returns the pins that could not be put back: [[hold_id, reason, detail], ...].
local tiers, rows_json, sold_seats = cjson.decode(ARGV[3]), ARGV[4], cjson.decode(ARGV[5])
local pins = cjson.decode(ARGV[6] or '[]')
local TIERS = PREFIX .. 'tiers'
local BATCH = 500
purge()

local function hset_batched(key, pairs_list)
  for first = 1, #pairs_list, BATCH do
    local args = {}
    for i = first, math.min(first + BATCH - 1, #pairs_list) do
      args[#args + 1] = pairs_list[i][1]
      args[#args + 1] = pairs_list[i][2]
    end
    redis.call('HSET', key, unpack(args))
  end
end

local kept = {}
for _, tier in ipairs(tiers) do
  kept[tier[1]] = true
  redis.call('HSET', tier_key(tier[1]), 'capacity', tier[2], 'sold', tier[3], 'seated', tier[4],
    'held', 0)
end
for _, old in ipairs(redis.call('SMEMBERS', TIERS)) do
  if not kept[old] then redis.call('DEL', tier_key(old)) end
end
redis.call('DEL', TIERS)
for _, tier in ipairs(tiers) do redis.call('SADD', TIERS, tier[1]) end

local seat_tiers, seat_rows, in_map, row_seats = {}, {}, {}, {}
for _, name in ipairs({SEAT_TIERS, SEAT_ROWS, ROW_FREE}) do redis.call('DEL', name) end
for r = 1, tonumber(redis.call('GET', PREFIX .. 'rows') or 0) do
  redis.call('DEL', PREFIX .. 'row:' .. r)
end
local rows = {}
if rows_json ~= '' then rows = cjson.decode(rows_json) end
for r, row in ipairs(rows) do
  local ids = {}
  for i, place in ipairs(row) do
    ids[i] = place[1]
    seat_tiers[#seat_tiers + 1] = place
    seat_rows[#seat_rows + 1] = {place[1], r}
    in_map[place[1]] = r
  end
  row_seats[r] = ids
  for first = 1, #ids, BATCH do
    redis.call('RPUSH', PREFIX .. 'row:' .. r, unpack(ids, first, math.min(first + BATCH - 1, #ids)))
  end
end
redis.call('SET', PREFIX .. 'rows', #rows)
hset_batched(SEAT_TIERS, seat_tiers)
hset_batched(SEAT_ROWS, seat_rows)

-- sales come from the truth only; seats of live holds stay theirs
local occupancy = redis.call('HGETALL', SEATS)
for i = 1, #occupancy, 2 do
  local seat, owner = occupancy[i], occupancy[i + 1]
  if string.sub(owner, 1, 6) == '!sold:' or not in_map[seat] then redis.call('HDEL', SEATS, seat) end
end
local marks = {}
for _, sale in ipairs(sold_seats) do marks[#marks + 1] = {sale[1], '!sold:' .. sale[2]} end
hset_batched(SEATS, marks)
for r, ids in ipairs(row_seats) do
  local free = #ids
  if free > 0 then
    for _, owner in ipairs(redis.call('HMGET', SEATS, unpack(ids))) do
      if owner then free = free - 1 end
    end
  end
  redis.call('HSET', ROW_FREE, r, free)
end

local held = {}
for _, hold_id in ipairs(redis.call('ZRANGE', EXPIRIES, 0, -1)) do
  local lines = redis.call('HGET', hold_key(hold_id), 'lines')
  if lines then
    for _, line in ipairs(cjson.decode(lines)) do held[line[1]] = (held[line[1]] or 0) + line[2] end
  end
end
for tier_id, units in pairs(held) do
  if kept[tier_id] then redis.call('HSET', tier_key(tier_id), 'held', units) end
end
local not_restored = {}
for _, pin in ipairs(pins) do
  local reply = restore_pin(pin[1], pin[2], pin[3], pin[4], pin[5], pin[6], pin[7])
  if reply[1] == 'refused' then not_restored[#not_restored + 1] = {pin[1], reply[2], reply[3]} end
end
-- a sale counted before this load but not in Postgres yet is counted again when it is retried
redis.call('INCR', PREFIX .. 'loads')
if #not_restored == 0 then return {'data', '[]'} end
return {'data', cjson.encode(not_restored)}
