-- Take a routed lead into the pool inventory, once.
--
-- KEYS[1] lead hash      KEYS[2] pool's available set   KEYS[3] outbox
-- ARGV    lead_id, pool, priority, now_ms, routed_ms, score, source,
--         config_version, lead_json, prefix, emit ('1' or '0': replays
--         while rebuilding publish nothing)
--
-- Returns 1 when stocked, 2 when an available lead moved to the pool it
-- was routed to again (a merged duplicate whose score rose), 0 when the
-- lead was already known there: replaying a pool topic changes nothing.

local lead_id, pool, priority = ARGV[1], ARGV[2], ARGV[3]
local now_ms, prefix, publish = ARGV[4], ARGV[10], ARGV[11] ~= '0'

if redis.call('EXISTS', KEYS[1]) == 1 then
  local known = redis.call('HMGET', KEYS[1], 'state', 'pool', 'priority')
  if known[1] ~= 'available' or known[2] == pool then
    return 0
  end
  -- Keep any escalation hygiene gave it, take the higher score's rank.
  local rank = math.max(tonumber(known[3]), tonumber(priority))
  redis.call('HSET', KEYS[1], 'priority', rank, 'score', ARGV[6],
             'lead', ARGV[9])
  local fields = {policy = 'rerouted', transfer_id = cjson.null}
  if publish then
    move_lead(prefix, lead_id, pool, now_ms, ARGV[8], fields)
  else
    redis.call('ZREM', available_key(prefix, known[2]), lead_id)
    redis.call('ZADD', KEYS[2], rank, lead_id)
    redis.call('HSET', KEYS[1], 'pool', pool)
  end
  return 2
end

redis.call('HSET', KEYS[1],
  'lead_id', lead_id, 'pool', pool, 'state', 'available',
  'priority', priority, 'score', ARGV[6], 'source', ARGV[7],
  'stocked_ms', now_ms, 'routed_ms', ARGV[5], 'returns', 0, 'claims', 0,
  'config_version', ARGV[8], 'lead', ARGV[9])
redis.call('ZADD', KEYS[2], priority, lead_id)
if publish then
  emit(prefix, 'stocked', lead_id, pool, now_ms, ARGV[8],
       {score = tonumber(ARGV[6]), priority = tonumber(priority),
        routed_ms = tonumber(ARGV[5]), source = ARGV[7]})
end
return 1
