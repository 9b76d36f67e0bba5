-- Record an outcome of a held lead: an opportunity, closed-won or lost.
--
-- KEYS[1] lead hash
-- ARGV    prefix, now_ms, config_version, command_id, lead_id, rep_id,
--         outcome, deal_size ('' = none)
--
-- A closed lead leaves the rep's open leads; an opportunity stays with
-- the rep but no longer counts as open pool work.

local prefix, now, version = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local lead = redis.call('HMGET', KEYS[1], 'state', 'rep', 'pool', 'outcome')
local holding = lead[1] == 'claimed' or lead[1] == 'contacted'
    or lead[1] == 'opportunity'
if not holding or lead[2] ~= ARGV[6] then
  return answer('refused', {rule = 'not_holder'})
end

local outcome = ARGV[7]
-- A lead converts once, whether it went through an opportunity or not.
if outcome ~= 'closed_lost' and not lead[4] then
  redis.call('HINCRBY', prefix .. ':rep:' .. ARGV[6] .. ':state', 'conversions', 1)
end
local state = outcome == 'opportunity' and 'opportunity' or 'closed'
redis.call('HSET', KEYS[1], 'state', state, 'outcome', outcome)
redis.call('SREM', open_key(prefix, ARGV[6]), ARGV[5])
local deal = ARGV[8] ~= '' and tonumber(ARGV[8]) or cjson.null
local stream_id = emit(prefix, 'outcome', ARGV[5], lead[3], now, version,
                       {rep_id = ARGV[6], outcome = outcome, deal_size = deal})
return answer('recorded', {state = state, stream_id = stream_id})
