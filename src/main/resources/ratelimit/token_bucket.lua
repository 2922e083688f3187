-- Takes tokens from a (family, client) bucket, refilling it first: SPEC 5, one round trip for
-- however many requests of one event loop were waiting on the same bucket.
--
-- Why a token bucket: callers are bursty workers. A bucket lets a burst of up to `capacity`
-- through at once and then holds the caller to `refillPerSecond`, with two numbers of state
-- per bucket and no per-request history (a sliding log would store every request).
--
-- How refill is computed: the bucket stores its token count and the time it was last touched.
-- On each call tokens = min(capacity, tokens + elapsed * refillPerSecond), then one token is
-- taken if at least one whole token is there. Time is Redis's own TIME, never the caller's
-- clock, so replicas with skewed clocks share one consistent bucket. The whole script runs
-- atomically, so concurrent requests from any replica cannot both take the last token.
--
-- Precision: time is in microseconds (about 1.7e15, exact in a Lua double up to 2^53); tokens
-- are fractional and stored with 17 significant digits, so slow refill rates (below one token
-- per second) accumulate without rounding loss. Numbers are formatted explicitly because
-- redis.call would otherwise format them with 14 digits and lose microseconds.
--
-- The key expires when the bucket would be full again: a full bucket and a missing key are the
-- same thing, so idle clients cost no memory.
--
-- KEYS[1] bucket key; ARGV[1] capacity; ARGV[2] refill per second; ARGV[3] tokens wanted (one per
-- waiting request, 1 if absent). Each whole token goes to one request, in order, until none is left.
-- Returns {tokens granted, remaining whole tokens, seconds until full, seconds until one token
-- (0 when every request got one)}.

local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3] or '1')

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local touched = tonumber(state[2])
if tokens == nil or touched == nil then
  tokens = capacity
  touched = now
end

local elapsed = math.max(0, now - touched)
tokens = math.min(capacity, tokens + elapsed * rate / 1000000)

local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted

local missing = capacity - tokens
local untilFullMicros = math.ceil(missing * 1000000 / rate)
local retryAfter = 0
if granted < wanted then
  retryAfter = math.max(1, math.ceil((1 - tokens) / rate))
end

redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(1, math.ceil(untilFullMicros / 1000))))

return {granted, math.floor(tokens), math.ceil(untilFullMicros / 1000000), retryAfter}
