-- Move an unclaimed lead to another pool (hygiene's rebalancing).
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id, to_pool,
--         policy

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if not first_time(prefix, ARGV[4], now) then
  return answer('refused', {rule = 'applied_before'})
end
local lead = redis.call('HMGET', KEYS[1], 'state', 'pool')
if lead[1] ~= 'available' then
  return answer('refused', {rule = 'not_available'})
end
if lead[2] == ARGV[6] then
  return answer('refused', {rule = 'same_pool'})
end

local stream_id = move_lead(prefix, ARGV[5], ARGV[6], now, version,
                            {policy = ARGV[7], transfer_id = cjson.null})
return answer('moved', {stream_id = stream_id})
