-- Raise an available lead into the top share of its pool's priority order.
--
-- KEYS[1] lead hash   KEYS[2] applied-command log   KEYS[3] outbox
-- ARGV    lead_id, top_pct, now_ms, config_version, policy, command_id
--
-- Returns the new priority, or false when nothing changed: the command was
-- applied before, the lead is no longer available, or it already ranks
-- inside that share.

if redis.call('ZSCORE', KEYS[2], ARGV[6]) then
  return false
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[6])

local state = redis.call('HMGET', KEYS[1], 'state', 'pool', 'priority')
if state[1] ~= 'available' then
  return false
end

local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[1] - #':lead:')
local available = prefix .. ':pool:' .. state[2] .. ':available'
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
redis.call('XADD', KEYS[3], '*',
  'type', 'escalated', 'lead_id', ARGV[1], 'pool', state[2], 'at_ms', ARGV[3],
  'config_version', ARGV[4],
  'body', cjson.encode({priority = priority, policy = ARGV[5]}))
return tostring(priority)
