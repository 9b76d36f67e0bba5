-- Take an unclaimed lead out of the active pool (nurture, archive, ...),
-- or settle a lead waiting in review where ops decided it goes.
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id,
--         destination, policy, reason, decides_review ('1': ops' decision)
--
-- Only ops' decision takes a lead out of review: a rebalance or aging
-- removal decided before the lead went there, and read late, would
-- otherwise overrule the queue. It is refused, its id kept as applied.

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if not first_time(prefix, ARGV[4], now) then
  return answer('refused', {rule = 'applied_before'})
end
local lead = redis.call('HMGET', KEYS[1], 'state', 'pool', 'destination')
local in_review = lead[1] == 'removed' and lead[3] == 'review'
if in_review and ARGV[9] ~= '1' then
  return answer('refused', {rule = 'in_review'})
end
if lead[1] ~= 'available' and not in_review then
  return answer('refused', {rule = 'not_available'})
end

redis.call('HSET', KEYS[1], 'state', 'removed', 'destination', ARGV[6])
redis.call('ZREM', available_key(prefix, lead[2]), ARGV[5])
local stream_id = emit(prefix, 'removed', ARGV[5], lead[2], now, version,
                       {destination = ARGV[6], policy = ARGV[7],
                        reason = ARGV[8]})
return answer('removed', {stream_id = stream_id})
