-- jsonp-type.lua: QQ's Content-Type back on a JSONP answer of a program.
--
-- lighttpd (since 1.4.65) turns an "application/javascript" Content-Type
-- sent by a FastCGI or CGI program into "text/javascript" (RFC 9239).  The
-- programs send "application/javascript;charset=UTF-8" on every JSONP
-- answer, as QQ Connect does and as clients written for it expect, so
-- that exact value, rewritten, is put back here; every other type passes
-- untouched.  lighttpd-example.conf runs it, with
-- magnet.attract-response-start-to (mod_magnet, Debian package
-- lighttpd-modules-lua), on the GET answers of /oauth2.0/token, the one
-- program whose answer is JSONP or not by its outcome (a QQ-style token
-- request succeeds in text/plain and fails in JSONP).
local h = lighty.r.resp_header
if h["Content-Type"] == "text/javascript;charset=UTF-8" then
	h["Content-Type"] = "application/javascript;charset=UTF-8"
end
