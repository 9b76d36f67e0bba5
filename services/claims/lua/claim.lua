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
--   denied        {pool = {rule, limit, reset_ms}} why other pools are closed
--   auto          true when this is an auto-assignment
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
--
-- Returns a JSON object: {outcome = 'claimed', lead_id, pool, stream_id}
-- or {outcome = 'refused', rule, count, limit, reset_ms}.

local policy = cjson.decode(ARGV[6])
local rep, now = ARGV[3], tonumber(ARGV[4])
local prefix = policy.prefix

local function refuse(rule, count, limit, reset_ms)
  return cjson.encode({outcome = 'refused', rule = rule, count = count,
                       limit = limit, reset_ms = reset_ms})
end

local function count_since(key, since)
  return redis.call('ZCOUNT', key, '(' .. since, '+inf')
end

local function oldest_since(key, since)
  local first = redis.call('ZRANGEBYSCORE', key, '(' .. since, '+inf',
                           'WITHSCORES', 'LIMIT', 0, 1)
  return tonumber(first[2] or now)
end

-- Which lead: the one asked for, or the best one left in the pool.
local lead_key, lead_id = KEYS[1], ARGV[1]
if lead_id == '' then
  local best = redis.call('ZREVRANGE', prefix .. ':pool:' .. ARGV[2] ..
                          ':available', 0, 0)
  if #best == 0 then
    return refuse('pool_empty', 0, 0, cjson.null)
  end
  lead_id = best[1]
  lead_key = prefix .. ':lead:' .. lead_id
end

-- 1. Still available?
local state = redis.call('HMGET', lead_key, 'state', 'pool', 'returned_by',
                         'returned_until_ms')
if not state[1] then
  return refuse('unknown_lead', 0, 0, cjson.null)
end
if state[1] ~= 'available' then
  return refuse('not_available', 0, 0, cjson.null)
end
local pool = state[2]

-- 2. Permission, tier and access window, decided from configuration.
local quality = policy.pools[pool]
if not quality then
  local why = policy.denied[pool] or {rule = 'no_access', limit = 0}
  return refuse(why.rule, 0, why.limit or 0, why.reset_ms or cjson.null)
end
if state[3] == rep and tonumber(state[4] or 0) > now then
  return refuse('return_cooldown', 1, 0, tonumber(state[4]))
end

-- 3. Open-lead caps: overall, then this pool's.
local open = redis.call('SCARD', KEYS[2])
if not policy.auto and open >= policy.max_open then
  return refuse('max_open_leads', open, policy.max_open, cjson.null)
end
local pool_open = policy.pool_open[pool]
if not policy.auto and pool_open and open >= pool_open then
  return refuse('pool_max_open_leads', open, pool_open, cjson.null)
end

-- 4. Quotas over time windows, from the claim logs.
local log_key = KEYS[3]
local pool_log = log_key .. ':' .. pool
local quality_log = log_key .. ':q:' .. quality
redis.call('ZREMRANGEBYSCORE', log_key, '-inf', now - policy.keep_ms)
local counted = (not policy.auto) or policy.count_auto
if counted then
  local today = count_since(log_key, policy.day_start_ms)
  if today >= policy.daily_limit then
    return refuse('daily_quota', today, policy.daily_limit, policy.day_end_ms)
  end
end
if not policy.auto then
  local cap = policy.pool_daily[pool]
  if cap then
    local here = count_since(pool_log, policy.day_start_ms)
    if here >= cap then
      return refuse('pool_daily_cap', here, cap, policy.day_end_ms)
    end
  end

  local hour_ago = now - 3600000
  local last_hour = count_since(log_key, hour_ago)
  if last_hour >= policy.per_hour then
    return refuse('hourly_velocity', last_hour, policy.per_hour,
                  oldest_since(log_key, hour_ago) + 3600000)
  end

  local run = redis.call('HMGET', KEYS[4], 'run', 'last_ms', 'cooldown_until_ms')
  local cooldown_until = tonumber(run[3] or 0)
  if cooldown_until > now then
    return refuse('cooldown', tonumber(run[1] or 0), policy.run_length,
                  cooldown_until)
  end

  for _, ratio in ipairs(policy.ratios) do
    if ratio.quality == quality then
      local since = now - ratio.period_ms
      local mine = count_since(log_key .. ':q:' .. quality, since)
      -- Each earlier claim here must be balanced before the next one: the
      -- first is free, the second needs `requires` claims from `per`.
      local needed = mine * ratio.requires
      local have = count_since(log_key .. ':q:' .. ratio.per, since)
      if have < needed then
        return refuse('claim_ratio:' .. ratio.per, have, needed, cjson.null)
      end
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
      if have < rule.min_claims and now - first_claim >= rule.period_ms then
        return refuse('cross_pool:' .. rule.quality, have, rule.min_claims,
                      cjson.null)
      end
    end
  end
end

-- Every rule passed: write the claim.
local member = lead_id .. '@' .. now
redis.call('HSET', lead_key, 'state', 'claimed', 'rep', rep, 'claimed_ms', now,
           'auto', policy.auto and 1 or 0)
redis.call('ZREM', prefix .. ':pool:' .. pool .. ':available', lead_id)
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
  local run = redis.call('HMGET', KEYS[4], 'run', 'last_ms')
  local length = tonumber(run[1] or 0)
  if now - tonumber(run[2] or 0) > policy.run_gap_ms then
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

local stream_id = redis.call('XADD', KEYS[5], '*',
  'type', 'claimed', 'lead_id', lead_id, 'pool', pool, 'at_ms', now,
  'config_version', ARGV[5],
  'body', cjson.encode({rep_id = rep, auto_assigned = policy.auto and true or false,
                        assignment_reason = policy.reason or cjson.null}))
return cjson.encode({outcome = 'claimed', lead_id = lead_id, pool = pool,
                     stream_id = stream_id})
