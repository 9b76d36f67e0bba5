-- The claim step: every rule checked and the claim written in one atomic call.
--
-- KEYS[1] lead hash           KEYS[2] rep's open set
-- KEYS[3] rep's claim log     KEYS[4] rep's state hash
-- KEYS[5] outbox stream
-- ARGV[1] lead id ('' = the best available lead of ARGV[2])
-- ARGV[2] pool to take the best lead from when ARGV[1] is ''
-- ARGV[3] rep id   ARGV[4] now (epoch ms)   ARGV[5] config version
-- ARGV[6] policy JSON, built from configuration for this rep and moment:
--   prefix        key prefix, for per-pool and per-quality keys
--   pools         {pool = quality} the rep may claim from right now
--   denied        {pool = {rule, reset_ms}} why other pools are closed
--   widen         {pool = quality} pools closed by tier alone: open while
--                 the pool's mode is 'expand_access' (overflow option 2)
--   territory     {pool = quality} territory pools closed to this rep of
--                 another territory by the grant alone: open until the
--                 pool's territory_until_ms (volume rebalancing)
--   release       {pool = ms} release pools: only leads stocked before it
--   blind         {pool = true} blind-pull pools: no choosing a lead
--   auto          true when this is an auto-assignment
--   reason        why it was auto-assigned
--   count_auto    whether auto-assignments use the daily quota
--   daily_limit, day_start_ms, day_end_ms
--   max_open      open leads at which claiming stops
--   pool_open     {pool = cap} open leads at which that pool closes
--   pool_daily    {pool = cap} claims a day per pool
--   per_hour      claims per rolling hour
--   run_length, run_gap_ms, cooldown_ms   the cooldown after a claim run
--   ratios        {{quality, per, requires, period_ms}}
--   cross         {{quality, min_claims, period_ms}}
--   keep_ms       how long claim history is needed
--   scan          leads looked at when choosing the best one
--   ledger, ledger_step   round-robin ledger key and this rep's increment
--   dry_run       check every rule, write nothing ("why not me")
--
-- Returns a JSON object: {outcome = 'claimed', lead_id, pool, stream_id, lead}
-- or {outcome = 'refused', rule, count, limit, reset_ms}; with dry_run,
-- {outcome = 'checked', rules = [{rule, count, limit, reset_ms, passed}]}.

local policy = cjson.decode(ARGV[6])
local rep, now = ARGV[3], tonumber(ARGV[4])
local prefix = policy.prefix
local dry = policy.dry_run
local checked = {}

local function refuse(rule, count, limit, reset_ms)
  return cjson.encode({outcome = 'refused', rule = rule, count = count,
                       limit = limit, reset_ms = reset_ms})
end

-- Records a rule's figures; returns the refusal unless this is a dry run.
local function check(passed, rule, count, limit, reset_ms)
  if dry then
    table.insert(checked, {rule = rule, count = count, limit = limit,
                           reset_ms = reset_ms or cjson.null, passed = passed})
    return nil
  end
  if not passed then
    return refuse(rule, count, limit, reset_ms or cjson.null)
  end
  return nil
end

local function count_since(key, since)
  return redis.call('ZCOUNT', key, '(' .. since, '+inf')
end

local function oldest_since(key, since)
  local first = redis.call('ZRANGEBYSCORE', key, '(' .. since, '+inf',
                           'WITHSCORES', 'LIMIT', 0, 1)
  return tonumber(first[2] or now)
end

local function cooling_for_me(fields)
  return fields[3] == rep and tonumber(fields[4] or 0) > now
end

local function released(pool, stocked_ms)
  local cutoff = policy.release[pool]
  return (not cutoff) or tonumber(stocked_ms or 0) <= cutoff
end

local LEAD_FIELDS = {'state', 'pool', 'returned_by', 'returned_until_ms',
                     'stocked_ms'}

-- Which lead: the one asked for, or the best one this rep may take.
local lkey, lead_id, state = KEYS[1], ARGV[1], nil
if lead_id == '' then
  local pool = ARGV[2]
  local best = redis.call('ZREVRANGE', available_key(prefix, pool), 0,
                          policy.scan - 1)
  if #best == 0 then
    return refuse('pool_empty', 0, 0, cjson.null)
  end
  for _, candidate in ipairs(best) do
    local key = lead_key(prefix, candidate)
    local fields = redis.call('HMGET', key, unpack(LEAD_FIELDS))
    if not cooling_for_me(fields) and released(pool, fields[5]) then
      lead_id, lkey, state = candidate, key, fields
      break
    end
  end
  if lead_id == '' then
    lead_id = best[1]
    lkey = lead_key(prefix, lead_id)
  end
elseif policy.blind[redis.call('HGET', lkey, 'pool') or ''] and
       not policy.auto then
  return refuse('blind_pull', 0, 0, cjson.null)
end
state = state or redis.call('HMGET', lkey, unpack(LEAD_FIELDS))

-- 1. Still available?
if not state[1] then
  return refuse('unknown_lead', 0, 0, cjson.null)
end
local pool = state[2]
local refusal = check(state[1] == 'available', 'not_available', 0, 0)
if refusal then return refusal end

-- 2. Presence and pool mode, then permission, tier and access window.
local rep_state = redis.call('HMGET', KEYS[4], 'away', 'run', 'last_ms',
                             'cooldown_until_ms', 'penalty_quota',
                             'penalty_until_ms', 'suspended_until_ms')
refusal = check(rep_state[1] ~= '1', 'availability:away', 0, 0)
if refusal then return refusal end
-- Missed contact deadlines (hygiene's penalty): access suspended for a while
-- and a smaller daily quota. Assignments are what a suspension leaves.
local suspended_until = tonumber(rep_state[7] or 0)
if not policy.auto then
  refusal = check(suspended_until <= now, 'sla_penalty:suspended', 0, 0,
                  suspended_until > now and suspended_until or nil)
  if refusal then return refusal end
end
local daily_limit = policy.daily_limit
if tonumber(rep_state[6] or 0) > now then
  daily_limit = math.max(0, daily_limit - tonumber(rep_state[5] or 0))
end
local pool_mode = redis.call('HMGET', prefix .. ':pool:' .. pool .. ':mode',
                            'mode', 'territory_until_ms')
local mode = pool_mode[1]
if mode == 'auto_assign' and not policy.auto then
  refusal = check(false, 'pool_mode:auto_assign', 0, 0)
  if refusal then return refusal end
end
local quality = policy.pools[pool]
if not quality and mode == 'expand_access' then
  quality = policy.widen[pool]
end
if not quality and tonumber(pool_mode[2] or 0) > now then
  quality = policy.territory[pool]
end
if quality then
  -- Recorded for "why not me": permission, tier, function and window passed.
  check(true, 'pool_access', 0, 0)
else
  local why = policy.denied[pool] or {rule = 'no_access'}
  refusal = check(false, why.rule, 0, 0, why.reset_ms)
  if refusal then return refusal end
  quality = 'none'
end
refusal = check(released(pool, state[5]), 'window:release:not_released', 0, 0)
       or check(not cooling_for_me(state), 'return_cooldown', 0, 0,
                tonumber(state[4]))
if refusal then return refusal end

-- 3. Open-lead caps: overall, then this pool's.
-- An assignment needs capacity too; only the per-pool caps are for claims.
local open = redis.call('SCARD', KEYS[2])
refusal = check(open < policy.max_open, 'max_open_leads', open,
                policy.max_open)
if refusal then return refusal end
if not policy.auto then
  local pool_open = policy.pool_open[pool]
  if pool_open then
    refusal = check(open < pool_open, 'pool_max_open_leads', open, pool_open)
    if refusal then return refusal end
  end
end

-- 4. Quotas over time windows, from the claim logs.
local log_key = KEYS[3]
local pool_log = log_key .. ':' .. pool
local quality_log = log_key .. ':q:' .. quality
if not dry then
  redis.call('ZREMRANGEBYSCORE', log_key, '-inf', now - policy.keep_ms)
end
local counted = (not policy.auto) or policy.count_auto
if counted then
  local today = count_since(log_key, policy.day_start_ms)
  refusal = check(today < daily_limit, 'daily_quota', today,
                  daily_limit, policy.day_end_ms)
  if refusal then return refusal end
end
if not policy.auto then
  local cap = policy.pool_daily[pool]
  if cap then
    local here = count_since(pool_log, policy.day_start_ms)
    refusal = check(here < cap, 'pool_daily_cap', here, cap, policy.day_end_ms)
    if refusal then return refusal end
  end

  local hour_ago = now - 3600000
  local last_hour = count_since(log_key, hour_ago)
  refusal = check(last_hour < policy.per_hour, 'hourly_velocity', last_hour,
                  policy.per_hour, oldest_since(log_key, hour_ago) + 3600000)
  if refusal then return refusal end

  local cooldown_until = tonumber(rep_state[4] or 0)
  refusal = check(cooldown_until <= now, 'cooldown',
                  cooldown_until > now and policy.run_length
                    or tonumber(rep_state[2] or 0), policy.run_length,
                  cooldown_until > now and cooldown_until or nil)
  if refusal then return refusal end

  for _, ratio in ipairs(policy.ratios) do
    if ratio.quality == quality then
      local since = now - ratio.period_ms
      local mine = count_since(quality_log, since)
      -- Each earlier claim here must be balanced before the next one: the
      -- first is free, the second needs `requires` claims from `per`.
      local needed = mine * ratio.requires
      local have = count_since(log_key .. ':q:' .. ratio.per, since)
      refusal = check(have >= needed, 'claim_ratio:' .. ratio.per, have, needed)
      if refusal then return refusal end
    end
  end

  for _, rule in ipairs(policy.cross) do
    if rule.quality ~= quality then
      local since = now - rule.period_ms
      local have = count_since(log_key .. ':q:' .. rule.quality, since)
      local history = redis.call('ZRANGEBYSCORE', log_key, '-inf', '+inf',
                                 'WITHSCORES', 'LIMIT', 0, 1)
      local first_claim = tonumber(history[2] or now)
      -- A rep gets one full period before the requirement applies.
      local due = now - first_claim >= rule.period_ms
      refusal = check(have >= rule.min_claims or not due,
                      'cross_pool:' .. rule.quality, have, rule.min_claims)
      if refusal then return refusal end
    end
  end
end

if dry then
  return cjson.encode({outcome = 'checked', lead_id = lead_id, pool = pool,
                       rules = checked})
end

-- Every rule passed: write the claim.
local member = lead_id .. '@' .. now
redis.call('HSET', lkey, 'state', 'claimed', 'rep', rep, 'claimed_ms', now,
           'auto', policy.auto and 1 or 0)
redis.call('HINCRBY', lkey, 'claims', 1)
redis.call('ZREM', available_key(prefix, pool), lead_id)
redis.call('SADD', KEYS[2], lead_id)
if counted then
  redis.call('ZADD', log_key, now, member)
end
redis.call('ZADD', pool_log, now, member)
redis.call('ZADD', quality_log, now, member)
for _, key in ipairs({pool_log, quality_log}) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - policy.keep_ms)
end

if not policy.auto then
  local length = tonumber(rep_state[2] or 0)
  if now - tonumber(rep_state[3] or 0) > policy.run_gap_ms then
    length = 0
  end
  length = length + 1
  if length >= policy.run_length then
    redis.call('HSET', KEYS[4], 'run', 0, 'last_ms', now,
               'cooldown_until_ms', now + policy.cooldown_ms)
  else
    redis.call('HSET', KEYS[4], 'run', length, 'last_ms', now)
  end
end
redis.call('HINCRBY', KEYS[4], 'claims_total', 1)  -- conversion, for tiers
if policy.ledger then
  redis.call('HINCRBYFLOAT', policy.ledger, rep, policy.ledger_step)
end

local stream_id = emit(prefix, 'claimed', lead_id, pool, now, ARGV[5],
  {rep_id = rep, auto_assigned = policy.auto and true or false,
   assignment_reason = policy.reason or cjson.null})
-- The lead's full body goes back with the win: no second round trip.
return cjson.encode({outcome = 'claimed', lead_id = lead_id, pool = pool,
                     stream_id = stream_id,
                     lead = redis.call('HGET', lkey, 'lead') or cjson.null})
