-- onetime.lua: form POSTs that each spend a different one-time value
-- (an authorization code or a refresh token), for wrk.
--   wrk -t T -s bench/onetime.lua URL -- FILE START T PREFIX [SUFFIX]
-- FILE holds one value per line; the body of a request is
-- PREFIX .. value .. SUFFIX.  Thread k (of T) spends the values on lines
-- START+k, START+k+T, START+k+2T, ... (0-based), so no two requests share
-- one.  At the end it prints "onetime next=N exhausted=E": N is the first
-- line no thread reached (where the next run starts), E the number of
-- requests sent after a thread ran out of values (they carry a dead value
-- and fail).  Headers (Authorization) come from wrk's -H.

local threads = {}
local count = 0

function setup(thread)
	thread:set("tid", count)
	count = count + 1
	table.insert(threads, thread)
end

function init(args)
	local file, nthreads = args[1], tonumber(args[3])
	local i, n = 0, 0

	start = tonumber(args[2])
	step = nthreads
	prefix = args[4] or ""
	suffix = args[5] or ""
	values = {}
	sent = 0
	exhausted = 0
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	-- Every request is built here, before wrk starts its clock, so that
	-- a request costs wrk one table lookup, as a fixed one costs none.
	for line in io.lines(file) do
		if i >= start and (i - start) % nthreads == tid then
			n = n + 1
			values[n] = wrk.format(nil, nil, nil,
			    prefix .. line .. suffix)
		end
		i = i + 1
	end
	dead = wrk.format(nil, nil, nil, prefix .. "exhausted" .. suffix)
end

function request()
	local v

	sent = sent + 1
	v = values[sent]
	if v == nil then
		exhausted = exhausted + 1
		v = dead
	end
	return v
end

function done(summary, latency, requests)
	local next, ex = 0, 0

	for _, t in ipairs(threads) do
		local s, k = t:get("sent"), t:get("tid")
		local reached = t:get("start") + k + t:get("step") * s

		if reached > next then
			next = reached
		end
		ex = ex + t:get("exhausted")
	end
	io.write(string.format("onetime next=%d exhausted=%d\n", next, ex))
end
