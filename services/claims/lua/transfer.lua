-- Manual transfers: a request with a reason, then ops or a manager decide.
--
-- KEYS[1] lead hash   KEYS[2] transfer hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id, step,
--         transfer_id, user_id, to_pool ('request'), reason or note,
--         approved ('1' / '0', 'decide'), cooldown_ms
--
-- Approving moves the lead to the new pool unclaimed: a rep holding it
-- gets it taken back first (reason 'transferred').

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local lead_id, step, transfer_id = ARGV[5], ARGV[6], ARGV[7]
local lead = redis.call('HMGET', KEYS[1], 'state', 'pool')
if not lead[1] then
  return answer('refused', {rule = 'unknown_lead'})
end

if step == 'request' then
  if lead[2] == ARGV[9] then
    return answer('refused', {rule = 'same_pool'})
  end
  redis.call('HSET', KEYS[2], 'transfer_id', transfer_id, 'lead_id', lead_id,
             'from_pool', lead[2], 'to_pool', ARGV[9], 'requested_by', ARGV[8],
             'reason', ARGV[10], 'status', 'pending', 'requested_ms', now)
  redis.call('ZADD', prefix .. ':transfers:pending', now, transfer_id)
  local stream_id = emit(prefix, 'transfer_requested', lead_id, lead[2], now,
    version, {transfer_id = transfer_id, to_pool = ARGV[9],
              requested_by = ARGV[8], reason = ARGV[10]})
  return answer('requested', {stream_id = stream_id})
end

local transfer = redis.call('HMGET', KEYS[2], 'status', 'to_pool')
if transfer[1] ~= 'pending' then
  return answer('refused', {rule = transfer[1] and 'already_decided'
                                              or 'unknown_transfer'})
end
local approved = ARGV[11] == '1'
local movable = lead[1] == 'available' or lead[1] == 'claimed'
    or lead[1] == 'contacted'
if approved and not movable then
  return answer('refused', {rule = 'not_movable'})
end

local note = ARGV[10] ~= '' and ARGV[10] or cjson.null
redis.call('HSET', KEYS[2], 'status', approved and 'approved' or 'rejected',
           'decided_by', ARGV[8], 'decided_ms', now)
redis.call('ZREM', prefix .. ':transfers:pending', transfer_id)
local stream_id = emit(prefix, 'transfer_decided', lead_id, lead[2], now,
  version, {transfer_id = transfer_id, to_pool = transfer[2],
            decided_by = ARGV[8], approved = approved, note = note})
if approved then
  if lead[1] ~= 'available' then
    release_lead(prefix, lead_id, now, version, 'transferred', cjson.null, 0)
  end
  move_lead(prefix, lead_id, transfer[2], now, version,
            {policy = cjson.null, transfer_id = transfer_id})
end
return answer(approved and 'approved' or 'rejected', {stream_id = stream_id})
