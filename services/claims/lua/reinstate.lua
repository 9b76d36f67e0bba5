-- Send a lead waiting in review back to a pool, unclaimed: ops fixed it.
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id, to_pool,
--         policy, fixes_json, lead_json (the corrected lead, or '')
--
-- Its return count starts again: ops judged it worth another round.

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if not first_time(prefix, ARGV[4], now) then
  return answer('refused', {rule = 'applied_before'})
end
local lead = redis.call('HMGET', KEYS[1], 'state', 'destination', 'pool',
                        'priority')
if lead[1] ~= 'removed' or lead[2] ~= 'review' then
  return answer('refused', {rule = 'not_in_review'})
end

local lead_id, to_pool = ARGV[5], ARGV[6]
redis.call('HSET', KEYS[1], 'state', 'available', 'pool', to_pool,
           'returns', 0, 'stocked_ms', now)
redis.call('HDEL', KEYS[1], 'destination', 'returned_by', 'returned_until_ms')
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'lead', ARGV[9])
end
redis.call('ZADD', available_key(prefix, to_pool), lead[4] or 0, lead_id)
local stream_id = emit(prefix, 'reinstated', lead_id, to_pool, now, version,
                       {from_pool = lead[3], policy = ARGV[7],
                        fixes = cjson.decode(ARGV[8])})
return answer('reinstated', {stream_id = stream_id})
