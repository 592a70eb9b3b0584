-- Hold the best `quantity` free seats (rule: domain/seat_selection.py). ARGV: hold_id, session,
-- ttl_ms, quantity, tier_id ('' = any tier).
local quantity, wanted_tier = tonumber(ARGV[6]), ARGV[7]
local stopped = placement_stopped()
if stopped then return stopped end
if wanted_tier ~= '' then
  local wrong = wrong_tier(wanted_tier, true)
  if wrong then return wrong end
end
-- A row is read only if its free-seat counter says it may help: a hold reads the first row with
-- room for the group, not the whole map.
local row_count = tonumber(redis.call('GET', PREFIX .. 'rows') or 0)
if row_count == 0 then return refused('no-seats-available', 'this performance has no seat map') end

local function not_enough_seats(left)
  local detail = 'only ' .. left .. ' seats left'
  if wanted_tier ~= '' then detail = detail .. ' in tier ' .. wanted_tier end
  return refused('not-enough-left', detail, left)
end

-- What the counters say is free: O(tiers), and exact as long as they match the seats.
local function free_by_counters()
  if wanted_tier ~= '' then return math.max(tier_left(wanted_tier), 0) end
  local total = 0
  for _, tier_id in ipairs(redis.call('SMEMBERS', PREFIX .. 'tiers')) do
    if redis.call('HGET', tier_key(tier_id), 'seated') == '1' then
      total = total + math.max(tier_left(tier_id), 0)
    end
  end
  return total
end

local seat_ids, eligible, counts = {}, {}, {}
local function read_row(r)
  if seat_ids[r] then return end
  local ids = redis.call('LRANGE', PREFIX .. 'row:' .. r, 0, -1)
  local flags, count = {}, 0
  if #ids > 0 then
    local owners = redis.call('HMGET', SEATS, unpack(ids))
    local tiers = owners
    if wanted_tier ~= '' then tiers = redis.call('HMGET', SEAT_TIERS, unpack(ids)) end
    for i = 1, #ids do
      local free = not owners[i] and (wanted_tier == '' or tiers[i] == wanted_tier)
      flags[i] = free
      if free then count = count + 1 end
    end
  end
  seat_ids[r], eligible[r], counts[r] = ids, flags, count
end

local counted = free_by_counters()
if counted < quantity then return not_enough_seats(counted) end
local row_free = {}
local free_list = redis.call('HGETALL', ROW_FREE)
for i = 1, #free_list, 2 do row_free[tonumber(free_list[i])] = tonumber(free_list[i + 1]) end

local function first_window(flags, n)
  local run = 0
  for i = 1, #flags do
    if flags[i] then run = run + 1 else run = 0 end
    if run == n then return i - n + 1 end
  end
  return nil
end

local function runs_longest_first(flags)
  local runs, start = {}, nil
  for i = 1, #flags + 1 do
    if flags[i] and not start then
      start = i
    elseif not flags[i] and start then
      runs[#runs + 1] = {start, i - start}
      start = nil
    end
  end
  table.sort(runs, function(a, b)
    if a[2] ~= b[2] then return a[2] > b[2] end
    return a[1] < b[1]
  end)
  return runs
end

local chosen, contiguous = {}, '1'
for r = 1, row_count do
  if (row_free[r] or 0) >= quantity then
    read_row(r)
    local start = first_window(eligible[r], quantity)
    if start then
      for i = start, start + quantity - 1 do chosen[#chosen + 1] = seat_ids[r][i] end
      break
    end
  end
end
if #chosen == 0 then
  contiguous = '0'
  local total, first = 0, 1
  for r = 1, row_count do
    if (row_free[r] or 0) > 0 then read_row(r) else counts[r], eligible[r] = 0, {} end
    total = total + counts[r]
    if counts[r] > counts[first] then first = r end
  end
  if total < quantity then return not_enough_seats(total) end
  local order = {}
  for r = first, row_count do order[#order + 1] = r end
  for r = 1, first - 1 do order[#order + 1] = r end
  for _, r in ipairs(order) do
    for _, run in ipairs(runs_longest_first(eligible[r])) do
      local needed = quantity - #chosen
      if needed == 0 then break end
      for i = run[1], run[1] + math.min(run[2], needed) - 1 do
        chosen[#chosen + 1] = seat_ids[r][i]
      end
    end
    if #chosen == quantity then break end
  end
end

local tier_of = {}
local chosen_tiers = redis.call('HMGET', SEAT_TIERS, unpack(chosen))
for i, seat in ipairs(chosen) do tier_of[seat] = chosen_tiers[i] end
return hold_if_room(seat_lines(chosen, tier_of), 'best-available', contiguous)
