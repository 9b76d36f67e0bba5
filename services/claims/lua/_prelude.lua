-- Shared helpers, prepended to every lifecycle script by scripts.py.
--
-- Every state change appends its event to the outbox stream in the same
-- call that makes it; hygiene commands are applied at most once by id.

local function lead_key(prefix, lead_id)
  return prefix .. ':lead:' .. lead_id
end

local function available_key(prefix, pool)
  return prefix .. ':pool:' .. pool .. ':available'
end

local function open_key(prefix, rep)
  return prefix .. ':rep:' .. rep .. ':open'
end

local function emit(prefix, kind, lead_id, pool, now, version, body)
  return redis.call('XADD', prefix .. ':outbox', '*',
    'type', kind, 'lead_id', lead_id, 'pool', pool, 'at_ms', now,
    'config_version', version, 'body', cjson.encode(body))
end

-- False when this command id was applied before: a replay is a no-op.
local function first_time(prefix, command_id, now)
  if command_id == nil or command_id == '' then
    return true
  end
  local applied = prefix .. ':commands:applied'
  if redis.call('ZSCORE', applied, command_id) then
    return false
  end
  redis.call('ZADD', applied, now, command_id)
  return true
end

local function answer(outcome, fields)
  fields = fields or {}
  fields.outcome = outcome
  return cjson.encode(fields)
end

-- Take a claimed lead back from its rep into its pool, with a cooldown
-- that keeps it from bouncing straight back to that rep.
local function release_lead(prefix, lead_id, now, version, reason, note,
                            cooldown_ms)
  local key = lead_key(prefix, lead_id)
  local lead = redis.call('HMGET', key, 'rep', 'pool', 'priority')
  local rep, pool = lead[1], lead[2]
  redis.call('HSET', key, 'state', 'available', 'rep', '',
             'returned_by', rep, 'returned_until_ms', now + cooldown_ms)
  redis.call('HINCRBY', key, 'returns', 1)
  redis.call('HDEL', key, 'contacted_ms')
  redis.call('SREM', open_key(prefix, rep), lead_id)
  redis.call('ZADD', available_key(prefix, pool), lead[3], lead_id)
  return emit(prefix, 'returned', lead_id, pool, now, version,
              {rep_id = rep, reason = reason, note = note or cjson.null})
end

-- Move an available lead to another pool; it stays unclaimed there.
local function move_lead(prefix, lead_id, to_pool, now, version, fields)
  local key = lead_key(prefix, lead_id)
  local lead = redis.call('HMGET', key, 'pool', 'priority')
  local from_pool = lead[1]
  redis.call('ZREM', available_key(prefix, from_pool), lead_id)
  redis.call('ZADD', available_key(prefix, to_pool), lead[2], lead_id)
  redis.call('HSET', key, 'pool', to_pool)
  fields.from_pool = from_pool
  return emit(prefix, 'transferred', lead_id, to_pool, now, version, fields)
end
