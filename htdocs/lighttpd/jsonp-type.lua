-- jsonp-type.lua: QQ's Content-Type back on the programs' JSONP answers.
--
-- lighttpd (since 1.4.65) turns an "application/javascript" Content-Type
-- sent by a FastCGI or CGI program into "text/javascript" (RFC 9239).  The
-- programs send "application/javascript;charset=UTF-8" on every JSONP
-- answer, as QQ Connect does and as clients written for it expect, so
-- that exact value, rewritten, is put back here.  Static .js files are
-- typed "text/javascript; charset=utf-8" by mimetype.assign and are left
-- alone.  Run by lighttpd-example.conf with
-- magnet.attract-response-start-to (mod_magnet, Debian package
-- lighttpd-modules-lua).
local h = lighty.r.resp_header
if h["Content-Type"] == "text/javascript;charset=UTF-8" then
	h["Content-Type"] = "application/javascript;charset=UTF-8"
end
