-- Admit a batch of routed leads into the dedupe window, in order, unless
-- known: a later lead of the batch sees what an earlier one recorded.
--
-- KEYS    per lead: intake position (hash), candidate lead (hash), then
--         the lead's identities (string: lead id), in match order
-- ARGV    window_ms, now_ms, lead_key_prefix, then per lead:
--         identity_count, lead_id, placement_json
--
-- Returns one reply per lead: {'replay', kind, lead_id, placement, event}
-- when its intake position was handled before (a redelivery repeats its
-- first outcome: a merge is known by its position hash, a new lead by the
-- `first` position it stores), {'existing', identity_index, lead_id, placement} when an
-- identity belongs to a lead in the window, else {'new'} after recording.

local window_ms, now_ms, lead_prefix = ARGV[1], tonumber(ARGV[2]), ARGV[3]

-- The window runs on the router's clock (seen: its time of the lead's last
-- intake); the key TTLs only collect what has surely left it.
local function in_window(seen)
  return seen == false or tonumber(seen) + tonumber(window_ms) > now_ms
end

local function admit(msg_key, lead_key, first_id, last_id, lead_id, placement)
  local seen = redis.call('HMGET', msg_key, 'kind', 'lead', 'event')
  if seen[1] then
    local current = redis.call('HGET', lead_prefix .. seen[2], 'placement')
    return {'replay', seen[1], seen[2], current, seen[3]}
  end

  for i = first_id, last_id do
    local owner = redis.call('GET', KEYS[i])
    if owner then
      local stored = redis.call(
        'HMGET', lead_prefix .. owner, 'placement', 'first', 'seen'
      )
      if stored[1] and in_window(stored[3]) then
        if stored[2] == msg_key then
          -- The message that created this lead, delivered again.
          return {'replay', 'pooled', owner, stored[1]}
        end
        return {'existing', tostring(i - first_id + 1), owner, stored[1]}
      end
    end
  end

  for i = first_id, last_id do
    redis.call('SET', KEYS[i], lead_id, 'PX', window_ms)
  end
  -- The creating message is remembered in the lead itself (a key less per
  -- lead); merges keep their own position hash, with the event to repeat.
  redis.call(
    'HSET', lead_key, 'placement', placement, 'merges', 0, 'first', msg_key,
    'seen', now_ms
  )
  redis.call('PEXPIRE', lead_key, window_ms)
  return {'new'}
end

local replies = {}
local key, arg = 1, 4
while arg <= #ARGV do
  local ids = tonumber(ARGV[arg])
  replies[#replies + 1] = admit(
    KEYS[key], KEYS[key + 1], key + 2, key + 1 + ids, ARGV[arg + 1], ARGV[arg + 2]
  )
  key, arg = key + 2 + ids, arg + 3
end
return replies
