-- Fold a duplicate into an existing lead, if nobody changed it meanwhile.
--
-- KEYS[1] intake position (hash)   KEYS[2] the existing lead (hash)
-- KEYS[3..] the duplicate's identities (string: lead id)
-- ARGV    window_ms, replay_ms, lead_id, expected_placement,
--         new_placement, merged_event_json, lead_key_prefix, now_ms
--
-- Returns {'replay', kind, lead_id, placement, event} for a redelivery,
-- {'conflict', current} when the lead changed since it was read (the
-- caller merges again against `current`), else {'merged'}.

local seen = redis.call('HMGET', KEYS[1], 'kind', 'lead', 'event')
if seen[1] then
  local current = redis.call('HGET', ARGV[7] .. seen[2], 'placement')
  return {'replay', seen[1], seen[2], current, seen[3]}
end

local current = redis.call('HGET', KEYS[2], 'placement')
if current ~= ARGV[4] then
  return {'conflict', current}
end

redis.call('HSET', KEYS[2], 'placement', ARGV[5], 'seen', ARGV[8])
redis.call('HINCRBY', KEYS[2], 'merges', 1)
redis.call('PEXPIRE', KEYS[2], ARGV[1])
for i = 3, #KEYS do
  local owner = redis.call('GET', KEYS[i])
  if not owner then
    redis.call('SET', KEYS[i], ARGV[3], 'PX', ARGV[1])
  elseif owner == ARGV[3] then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
redis.call('HSET', KEYS[1], 'kind', 'merged', 'lead', ARGV[3], 'event', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'merged'}
