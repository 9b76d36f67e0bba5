-- Admit a routed lead into the dedupe window, unless it is known.
--
-- KEYS[1] intake position (hash)   KEYS[2] candidate lead (hash)
-- KEYS[3..] the lead's identities (string: lead id), in match order
-- ARGV    window_ms, replay_ms, lead_id, placement_json, lead_key_prefix
--
-- Returns {'replay', kind, lead_id, placement, event} when this intake
-- position was handled before (a redelivery repeats its first outcome),
-- {'existing', identity_index, lead_id, placement} when an identity belongs
-- to a lead in the window, else {'new'} after recording the lead.

local seen = redis.call('HMGET', KEYS[1], 'kind', 'lead', 'event')
if seen[1] then
  local current = redis.call('HGET', ARGV[5] .. seen[2], 'placement')
  return {'replay', seen[1], seen[2], current, seen[3]}
end

for i = 3, #KEYS do
  local owner = redis.call('GET', KEYS[i])
  if owner then
    local placement = redis.call('HGET', ARGV[5] .. owner, 'placement')
    if placement then
      return {'existing', tostring(i - 2), owner, placement}
    end
  end
end

for i = 3, #KEYS do
  redis.call('SET', KEYS[i], ARGV[3], 'PX', ARGV[1])
end
redis.call('HSET', KEYS[2], 'placement', ARGV[4], 'merges', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'kind', 'pooled', 'lead', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'new'}
