-- Return a claimed lead to its pool: by its rep, by SLA or deactivation.
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id,
--         rep_id ('' = whoever holds it), reason, note, cooldown_ms
--
-- Returns {outcome = 'returned', rep_id, stream_id} or
-- {outcome = 'refused', rule} (not_claimed, not_holder, applied_before).

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if not first_time(prefix, ARGV[4], now) then
  return answer('refused', {rule = 'applied_before'})
end

local lead = redis.call('HMGET', KEYS[1], 'state', 'rep')
if lead[1] ~= 'claimed' and lead[1] ~= 'contacted' then
  return answer('refused', {rule = 'not_claimed'})
end
if ARGV[6] ~= '' and lead[2] ~= ARGV[6] then
  return answer('refused', {rule = 'not_holder'})
end

local note = ARGV[8] ~= '' and ARGV[8] or nil
local stream_id = release_lead(prefix, ARGV[5], now, version, ARGV[7], note,
                               tonumber(ARGV[9]))
return answer('returned', {rep_id = lead[2], stream_id = stream_id})
