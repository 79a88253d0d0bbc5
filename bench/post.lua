-- post.lua: one fixed form POST, for wrk.
--   wrk -s bench/post.lua URL -- BODY
-- Headers (Authorization) come from wrk's -H.  The request is built once
-- per thread, so wrk sends it without calling into Lua.

function init(args)
	wrk.method = "POST"
	wrk.body = args[1] or ""
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
