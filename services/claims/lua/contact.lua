-- Log first contact with a claimed lead (claim-to-contact tracking).
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id, rep_id,
--         channel
--
-- Returns {outcome = 'contacted', stream_id, first = true} or, when it was
-- logged before, {outcome = 'contacted', first = false}; refused when the
-- rep does not hold the lead.

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local lead = redis.call('HMGET', KEYS[1], 'state', 'rep', 'pool',
                        'contacted_ms')
if (lead[1] ~= 'claimed' and lead[1] ~= 'contacted') or lead[2] ~= ARGV[6] then
  return answer('refused', {rule = 'not_holder'})
end
if lead[4] then
  return answer('contacted', {first = false, contacted_ms = tonumber(lead[4])})
end

redis.call('HSET', KEYS[1], 'state', 'contacted', 'contacted_ms', now)
local channel = ARGV[7] ~= '' and ARGV[7] or cjson.null
local stream_id = emit(prefix, 'contacted', ARGV[5], lead[3], now, version,
                       {rep_id = ARGV[6], channel = channel})
return answer('contacted', {first = true, stream_id = stream_id})
