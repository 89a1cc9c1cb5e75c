"""Lua scripts: each state change of an offer is one atomic step in Redis.

Two processes or two clicks can never give one call to two counselors, or one
counselor two calls: every transition checks the state it starts from.
Presence values are JSON ({state, since, lines, name, call, until}).
"""

# KEYS: queue:{line}, presence, call:{sid}, offer:{sid}, arrivals, calls-prefix
# ARGV: sid, counselor, now_s, expires_s, sids the dispatcher saw on this line...
# The offer takes a number from the arrivals counter, so offers and arrivals share
# one order. It is refused (-1) when a caller the dispatcher did not see has since
# joined ahead of this one: the dispatcher then decides again with fresh state.
MAKE_OFFER = """
local member = redis.call('HGET', KEYS[3], 'member')
if not member then return 0 end
local rank = redis.call('ZRANK', KEYS[1], member)
if rank == false then return 0 end
if rank > 0 then
  local seen = {}
  for i = 5, #ARGV do seen[ARGV[i]] = true end
  for _, ahead in ipairs(redis.call('ZRANGE', KEYS[1], 0, rank - 1)) do
    local sid = string.match(ahead, '([^:]+)$')
    if not seen[sid] and redis.call('HGET', KEYS[6] .. sid, 'status') == 'queued' then return -1 end
  end
end
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then return 0 end
local p = cjson.decode(raw)
if p.state ~= 'available' then return 0 end
local status = redis.call('HGET', KEYS[3], 'status')
if status ~= 'queued' then return 0 end
p.state = 'offered'; p.since = tonumber(ARGV[3]); p.call = ARGV[1]
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(p))
redis.call('HSET', KEYS[4], 'counselor', ARGV[2], 'at', ARGV[3], 'expires', ARGV[4])
redis.call('EXPIRE', KEYS[4], 3600)
redis.call('HSET', KEYS[3], 'status', 'offered', 'offered_to', ARGV[2],
           'offer_seq', redis.call('INCR', KEYS[5]))
return 1
"""

# KEYS: offer:{sid}, presence, call:{sid}, queue:{line}   ARGV: sid, counselor, now_s
ACCEPT = """
if redis.call('HGET', KEYS[1], 'counselor') ~= ARGV[2] then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then return 0 end
local p = cjson.decode(raw)
if p.state ~= 'offered' or p.call ~= ARGV[1] then return 0 end
p.state = 'on_call'; p.since = tonumber(ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(p))
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[4], redis.call('HGET', KEYS[3], 'member'))
redis.call('HSET', KEYS[3], 'status', 'on_call', 'counselor', ARGV[2], 'answered_s', ARGV[3])
return 1
"""

# Withdraw an offer (declined, timed out, or the caller hung up). The call forgets the
# offer (offered_to, offer_seq): only an offer that was taken stays on the call.
# KEYS: offer:{sid}, presence, call:{sid}   ARGV: sid, counselor, now_s, next_state, declined
WITHDRAW = """
if redis.call('HGET', KEYS[1], 'counselor') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[3], 'offered_to', 'offer_seq')
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if raw then
  local p = cjson.decode(raw)
  if p.state == 'offered' and p.call == ARGV[1] then
    p.state = ARGV[4]; p.since = tonumber(ARGV[3]); p.call = nil
    redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(p))
  end
end
if redis.call('HGET', KEYS[3], 'status') == 'offered' then
  redis.call('HSET', KEYS[3], 'status', 'queued')
end
if ARGV[5] == '1' then
  local declined = redis.call('HGET', KEYS[3], 'declined') or ''
  redis.call('HSET', KEYS[3], 'declined', declined .. ',' .. ARGV[2])
end
return 1
"""

# Move a counselor between states only from an expected one (or any, if ARGV[2] == '*').
# KEYS: presence   ARGV: counselor, from_state, to_state, now_s, until_s
TRANSITION = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local p = cjson.decode(raw)
if ARGV[2] ~= '*' and p.state ~= ARGV[2] then return 0 end
if ARGV[2] == '*' and (p.state == 'offered' or p.state == 'on_call') and ARGV[3] ~= p.state then return 0 end
p.state = ARGV[3]; p.since = tonumber(ARGV[4])
if ARGV[5] ~= '' then p['until'] = tonumber(ARGV[5]) else p['until'] = nil end
if ARGV[3] ~= 'on_call' and ARGV[3] ~= 'offered' and ARGV[3] ~= 'wrap_up' then p.call = nil end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(p))
return 1
"""

# KEYS: lock   ARGV: token
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# A waiting caller leaves the queue (voicemail key, or rollover) — unless a counselor
# has already accepted: then the caller is being connected and stays. A ringing offer is
# withdrawn, and the call forgets it as WITHDRAW does.
# KEYS: call:{sid}, offer:{sid}, presence, queue:{line}   ARGV: sid, now_s, reason
LEAVE = """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'on_call' or status == 'ended' then return 0 end
local counselor = redis.call('HGET', KEYS[2], 'counselor')
if counselor then
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[1], 'offered_to', 'offer_seq')
  local raw = redis.call('HGET', KEYS[3], counselor)
  if raw then
    local p = cjson.decode(raw)
    if p.state == 'offered' and p.call == ARGV[1] then
      p.state = 'available'; p.since = tonumber(ARGV[2]); p.call = nil
      redis.call('HSET', KEYS[3], counselor, cjson.encode(p))
    end
  end
end
local member = redis.call('HGET', KEYS[1], 'member')
if member then redis.call('ZREM', KEYS[4], member) end
redis.call('HSET', KEYS[1], 'status', 'leaving', 'leave_reason', ARGV[3])
if counselor then return tonumber(counselor) + 1 end
return 1
"""

# A call joins a line's queue and learns its place, in one round trip (issue #18). A repeated
# request keeps the place it has, priority included (as ZADD NX does); a call moving from
# another line keeps its arrival (rollover) and leaves that line's queue; the member (arrival
# ms, arrival number, sid) is chosen once: two processes enqueueing the same call at the same
# moment (a wait round rejoining while the ticker rebuilds from the record) give it one member;
# empty counts as unset (a rebuild clears the member to repair it). A record-stream entry, when
# given, is appended last, in the same round trip: the call is queued and its record says so,
# or neither (an error stops the script before the XADD).
# KEYS: call:{sid}, arrivals, queues-index, queue-prefix ('<prefix>:queue:'), record stream
# ARGV: sid, line, priority, now_ms, ttl_s, record entry ('' for none), field, value, ...
# → {rank (0-based), length, priority, arrived_ms, enqueued_ms}
ENQUEUE_STEP = """
local function enqueue(KEYS, ARGV)
  local call, line = KEYS[1], ARGV[2]
  local known = redis.call('HMGET', call, 'arrived_ms', 'member', 'line')
  local arrived = known[1]
  if not arrived or arrived == '' then arrived = ARGV[4] end
  local member = known[2]
  if not member or member == '' then
    local seq = tostring(redis.call('INCR', KEYS[2]))
    member = string.rep('0', 15 - #arrived) .. arrived .. ':' .. string.rep('0', 12 - #seq) .. seq .. ':' .. ARGV[1]
  end
  arrived = string.match(member, '^(%d+):')
  local previous = known[3] or ''
  local queue = KEYS[4] .. line
  if previous ~= '' and previous ~= line then redis.call('ZREM', KEYS[4] .. previous, member) end
  local staying = previous == line and redis.call('ZSCORE', queue, member)
  local fields = {'line', line, 'arrived_ms', arrived, 'member', member}
  for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
  if not staying then fields[#fields + 1] = 'priority'; fields[#fields + 1] = ARGV[3] end
  if previous ~= line then fields[#fields + 1] = 'enqueued_ms'; fields[#fields + 1] = ARGV[4] end
  redis.call('HSET', call, unpack(fields))
  redis.call('EXPIRE', call, tonumber(ARGV[5]))
  redis.call('ZADD', queue, 'NX', -tonumber(ARGV[3]), member)
  redis.call('SADD', KEYS[3], line)
  redis.call('HSET', call, 'joined_seq', redis.call('INCR', KEYS[2]))
  local data = redis.call('HMGET', call, 'priority', 'enqueued_ms')
  if ARGV[6] ~= '' then redis.call('XADD', KEYS[5], '*', 'ops', ARGV[6]) end
  return {redis.call('ZRANK', queue, member), redis.call('ZCARD', queue), data[1] or '0', arrived, data[2] or arrived}
end
"""
ENQUEUE = ENQUEUE_STEP + "return enqueue(KEYS, ARGV)\n"

# A new call's step, taken in the same round trip as the check that routing decided it on the
# live facts as they are (issue #18): a process routes a new call on what its last read saw of
# presence and the roster version (live/routing_reads.py), and this script takes the decided step
# only if that is still so: the call has no hash yet (a first delivery), presence hashes to the
# digest the decision saw, the roster version is the one it saw, and the caller is not in the
# flagged set, which is built. Then it queues the call as ENQUEUE does (line given) or only
# appends the record entry (a transfer, the hours). Otherwise it changes nothing and answers
# what routing reads, to decide again on it: no decision is ever carried out on stale facts.
# The digest is SHA-1 over HGETALL's fields and values joined by newlines (counselor ids and
# JSON, neither of which holds one), as routing_reads.presence_digest computes it.
# The events other requests left for the round trip (held_events.EventPublisher.taking) are
# published by the script, last, whether the step was taken or not: no command of their own.
# KEYS: ENQUEUE's five, presence, roster version, flagged sentinel, flagged set
# ARGV: presence digest, roster version, n, the caller's n keys, m, m (channel, message) pairs,
#       then ENQUEUE's ARGV (line '' for no queue: sid, '', '', '', '', record entry)
# → {1, ENQUEUE's answer} or {1} when taken; {0, call hash, presence, version, built, hits}
NEW_CALL_STEP = ENQUEUE_STEP + """
local n = tonumber(ARGV[3])
local m = tonumber(ARGV[4 + n])
local function publish_carried()
  for i = 5 + n, 4 + n + 2 * m, 2 do redis.call('PUBLISH', ARGV[i], ARGV[i + 1]) end
end
local presence = redis.call('HGETALL', KEYS[6])
local version = redis.call('GET', KEYS[7]) or '0'
local built = redis.call('EXISTS', KEYS[8])
local hits, hit = {}, false
if n > 0 then
  hits = redis.call('SMISMEMBER', KEYS[9], unpack(ARGV, 4, 3 + n))
  for _, h in ipairs(hits) do if h == 1 then hit = true end end
end
local new = redis.call('EXISTS', KEYS[1]) == 0
if not new or hit or (n > 0 and built == 0) or version ~= ARGV[2]
   or redis.sha1hex(table.concat(presence, '\\n')) ~= ARGV[1] then
  local call = redis.call('HGETALL', KEYS[1])
  publish_carried()
  return {0, call, presence, version, built, hits}
end
local step = {}
for i = 5 + n + 2 * m, #ARGV do step[#step + 1] = ARGV[i] end
local answer = {1}
if step[2] ~= '' then
  answer[2] = enqueue(KEYS, step)
elseif step[6] ~= '' then
  redis.call('XADD', KEYS[5], '*', 'ops', step[6])
end
publish_carried()
return answer
"""

# A waiting call's place, in one round trip. KEYS: call:{sid}, queue-prefix
# → false, or {rank (0-based), length, line, priority, arrived_ms, enqueued_ms}
POSITION = """
local data = redis.call('HMGET', KEYS[1], 'line', 'member', 'priority', 'arrived_ms', 'enqueued_ms')
if not data[1] or data[1] == '' or not data[2] or data[2] == '' then return false end
local queue = KEYS[2] .. data[1]
local rank = redis.call('ZRANK', queue, data[2])
if not rank then return false end
return {rank, redis.call('ZCARD', queue), data[1], data[3] or '0', data[4], data[5] or data[4]}
"""
