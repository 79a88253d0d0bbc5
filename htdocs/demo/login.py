#!/usr/bin/python3
"""login.py: demo client, step 1 -- send the browser to the authorize endpoint.

Makes a random state, keeps it in the demo_state cookie and redirects to
/oauth2.0/authorize, as a QQ Connect client does before its callback runs.
"""
import html
import os
import secrets
import sys
import urllib.parse

from democlient import base_url, read_conf

SCOPE = "get_user_info,list_album"


def respond(status, body, headers=()):
    """Write one CGI response with an HTML body and exit."""
    head = ["Status: " + status,
            "Content-Type: text/html; charset=utf-8",
            "Cache-Control: no-store",
            "X-Content-Type-Options: nosniff"]
    head.extend(headers)
    out = sys.stdout.buffer
    out.write(("\r\n".join(head) + "\r\n\r\n").encode("utf-8"))
    out.write(body.encode("utf-8"))
    out.flush()
    sys.exit(0)


def fail(status, message):
    """Respond with a small error page; message is plain text."""
    respond(status, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
            "<meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>演示站点 Demo Site</title>"
            "<link rel=\"stylesheet\" href=\"/demo/demo.css\"></head><body>"
            "<main class=\"demo-main\"><h1>出错了 / Error</h1>"
            "<p class=\"error\">" + html.escape(message) + "</p>"
            "<p><a href=\"/demo/\">返回首页 / Back</a></p></main></body></html>\n")


def main():
    conf = read_conf()
    if conf is None:
        fail("500 Internal Server Error", "演示客户端未配置 / demo client is not configured")
    base = base_url()
    if base is None:
        fail("400 Bad Request", "无效的 Host 请求头 / bad Host header")
    state = secrets.token_urlsafe(24)
    query = urllib.parse.urlencode({
        "response_type": "code",
        "client_id": conf["client_id"],
        "redirect_uri": base + "/demo/callback.py",
        "state": state,
        "scope": SCOPE,
    }, quote_via=urllib.parse.quote, safe=",")
    # Absolute, so that no web server takes it for a CGI local redirect.
    location = base + "/oauth2.0/authorize?" + query
    cookie = "demo_state=" + state + "; Path=/demo/; HttpOnly; SameSite=Lax"
    if base.startswith("https:"):
        cookie += "; Secure"
    respond("302 Found",
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirect</title></head>"
            "<body><a href=\"" + html.escape(location) + "\">continue</a></body></html>\n",
            ["Location: " + location,
             "Set-Cookie: " + cookie])


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # never a traceback in place of a page
        fail("500 Internal Server Error", "internal error: %s" % type(e).__name__)
