-- Take a routed lead into the pool inventory, once.
--
-- KEYS[1] lead hash      KEYS[2] pool's available set   KEYS[3] outbox
-- ARGV    lead_id, pool, priority, now_ms, routed_ms, score, source,
--         config_version, lead_json
--
-- Returns 1 when stocked, 0 when the lead was already known: replaying a
-- pool topic changes nothing.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end

local lead_id, pool, priority = ARGV[1], ARGV[2], ARGV[3]
local now_ms = ARGV[4]

redis.call('HSET', KEYS[1],
  'lead_id', lead_id, 'pool', pool, 'state', 'available',
  'priority', priority, 'score', ARGV[6], 'source', ARGV[7],
  'stocked_ms', now_ms, 'routed_ms', ARGV[5], 'returns', 0,
  'config_version', ARGV[8], 'lead', ARGV[9])
redis.call('ZADD', KEYS[2], priority, lead_id)
redis.call('XADD', KEYS[3], '*',
  'type', 'stocked', 'lead_id', lead_id, 'pool', pool, 'at_ms', now_ms,
  'config_version', ARGV[8],
  'body', cjson.encode({score = tonumber(ARGV[6]), priority = tonumber(priority),
                        routed_ms = tonumber(ARGV[5]), source = ARGV[7]}))
return 1
