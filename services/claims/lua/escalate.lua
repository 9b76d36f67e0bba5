-- Raise an available lead into the top share of its pool's priority order.
--
-- KEYS[1] lead hash   KEYS[2] applied-command log   KEYS[3] outbox
-- ARGV    lead_id, top_pct, now_ms, config_version, policy, command_id,
--         prefix
--
-- Returns the new priority, or false when nothing changed: the command was
-- applied before, the lead is no longer available, or it already ranks
-- inside that share.

local prefix = ARGV[7]
if not first_time(prefix, ARGV[6], ARGV[3]) then
  return false
end

local state = redis.call('HMGET', KEYS[1], 'state', 'pool', 'priority')
if state[1] ~= 'available' then
  return false
end

local available = available_key(prefix, state[2])
local size = redis.call('ZCARD', available)
local rank = math.max(math.ceil(size * tonumber(ARGV[2]) / 100) - 1, 0)
local mine = redis.call('ZREVRANK', available, ARGV[1])
if mine and mine <= rank then
  return false
end

local at_rank = redis.call('ZREVRANGE', available, rank, rank, 'WITHSCORES')
local priority = tonumber(at_rank[2]) + 0.001
redis.call('HSET', KEYS[1], 'priority', priority)
redis.call('ZADD', available, priority, ARGV[1])
emit(prefix, 'escalated', ARGV[1], state[2], ARGV[3], ARGV[4],
     {priority = priority, policy = ARGV[5]})
return tostring(priority)
