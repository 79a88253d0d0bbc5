#!/usr/bin/python3
"""callback.py: demo client, step 2 -- the redirect URI.

Checks state against the demo_state cookie, exchanges the code for a token
server-side the way QQ Connect's tutorial client does (GET on the token
endpoint, text/plain answer), then renders the profile page, whose script
(profile.js) calls /oauth2.0/me and /user/get_user_info by JSONP.
"""
import hmac
import html
import json
import os
import sys
import urllib.error
import urllib.parse

from democlient import base_url, read_conf
import urllib.request

CLEAR_STATE = "Set-Cookie: demo_state=; Path=/demo/; Max-Age=0; HttpOnly; SameSite=Lax"
CSP = ("Content-Security-Policy: default-src 'self'; img-src 'self' https: http: data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def page(title, body):
    """Return a whole demo page; title and body are HTML."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>" + title + " - 演示站点 Demo Site</title>\n"
            "<link rel=\"stylesheet\" href=\"/demo/demo.css\">\n</head>\n<body>\n"
            "<header class=\"demo-bar\"><div class=\"demo-bar-inner\">"
            "<span class=\"demo-logo\">演示站点 <span lang=\"en\">Demo Site</span></span>"
            "</div></header>\n" + body + "</body>\n</html>\n")


def respond(status, body, headers=()):
    """Write one CGI response with an HTML body and exit."""
    head = ["Status: " + status,
            "Content-Type: text/html; charset=utf-8",
            "Cache-Control: no-store",
            "Referrer-Policy: no-referrer",
            "X-Content-Type-Options: nosniff",
            CSP, CLEAR_STATE]
    head.extend(headers)
    out = sys.stdout.buffer
    out.write(("\r\n".join(head) + "\r\n\r\n").encode("utf-8"))
    out.write(body.encode("utf-8"))
    out.flush()
    sys.exit(0)


def fail(status, heading, message):
    """Respond with an error page; heading and message are plain text."""
    respond(status, page(html.escape(heading),
                         "<main class=\"demo-main\">\n<h1>" + html.escape(heading) + "</h1>\n"
                         "<p class=\"error\" id=\"error\">" + html.escape(message) + "</p>\n"
                         "<p><a href=\"/demo/\">返回首页 / Back</a></p>\n</main>\n"))


def query_params():
    """Return the query string as {name: value}, or None if a name repeats."""
    qs = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", ""),
                               keep_blank_values=True)
    if any(len(v) != 1 for v in qs.values()):
        return None
    return {k: v[0] for k, v in qs.items()}


def cookie(name):
    """Return the value of cookie name, or ''."""
    for part in os.environ.get("HTTP_COOKIE", "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value
    return ""


def qq_error(body):
    """Describe a QQ-style 'callback( {...} );' error body."""
    start, end = body.find("("), body.rfind(")")
    try:
        obj = json.loads(body[start + 1:end])
        return "%s: %s" % (obj.get("error"), obj.get("error_description", ""))
    except (ValueError, AttributeError):
        return body.strip()[:500]


def exchange(conf, code, redirect_uri):
    """Trade code for a token; return the parsed text body or fail()."""
    port = os.environ.get("SERVER_PORT", "80")
    if not port.isdigit():
        port = "80"
    url = ("http://127.0.0.1:" + port + "/oauth2.0/token?" + urllib.parse.urlencode({
        "grant_type": "authorization_code",
        "client_id": conf["client_id"],
        "client_secret": conf.get("client_secret", ""),
        "code": code,
        "redirect_uri": redirect_uri,
    }))
    # No proxy: the token endpoint is on this very server.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=15) as r:
            body = r.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        text = e.read(65536).decode("utf-8", "replace")
        fail("502 Bad Gateway", "换取令牌失败 / Token request failed",
             "HTTP %d: %s" % (e.code, text.strip()[:500]))
    except (urllib.error.URLError, OSError, ValueError) as e:
        fail("502 Bad Gateway", "换取令牌失败 / Token request failed", str(e))
    if body.lstrip().startswith("callback("):
        fail("502 Bad Gateway", "换取令牌失败 / Token request failed", qq_error(body))
    token = {k: v[0] for k, v in urllib.parse.parse_qs(body.strip()).items()}
    if not token.get("access_token"):
        fail("502 Bad Gateway", "换取令牌失败 / Token request failed", body.strip()[:500])
    return token


def main():
    params = query_params()
    if params is None:
        fail("400 Bad Request", "请求无效 / Bad request", "repeated parameter")
    state = params.get("state", "")
    expected = cookie("demo_state")
    if not state or not expected or not hmac.compare_digest(
            state.encode("utf-8"), expected.encode("utf-8")):
        fail("400 Bad Request", "请求无效 / Bad request",
             "state 与 cookie 不符 / state does not match the cookie")
    if "error" in params:
        fail("200 OK", "未能登录 / Sign-in failed",
             params["error"] + ": " + params.get("error_description", ""))
    code = params.get("code", "")
    if not code:
        fail("400 Bad Request", "请求无效 / Bad request", "missing code")
    conf = read_conf()
    if conf is None:
        fail("500 Internal Server Error", "配置错误 / Configuration error",
             "演示客户端未配置 / demo client is not configured")
    base = base_url()
    if base is None:
        fail("400 Bad Request", "请求无效 / Bad request", "bad Host header")
    token = exchange(conf, code, base + "/demo/callback.py")

    scope = ""
    if token.get("scope"):
        scope = ("<p class=\"meta\">授权范围 / Scope: <span id=\"scope\">"
                 + html.escape(token["scope"]) + "</span></p>\n")
    expires = ""
    if token.get("expires_in", "").isdigit():
        expires = ("<p class=\"meta\">令牌有效期 / Token lifetime: "
                   + token["expires_in"] + " s</p>\n")
    body = ("<main class=\"demo-main\" id=\"profile\" data-access-token=\""
            + html.escape(token["access_token"]) + "\" data-client-id=\""
            + html.escape(conf["client_id"]) + "\">\n"
            "<h1>登录成功 / Signed in</h1>\n"
            "<div class=\"profile\">\n<img id=\"avatar\" alt=\"avatar\" hidden>\n"
            "<div>\n<div class=\"profile-name\" id=\"nickname\">加载中… / Loading…</div>\n"
            "<div class=\"meta\">openid: <code id=\"openid\"></code></div>\n</div>\n</div>\n"
            "<p class=\"error\" id=\"error\" hidden></p>\n"
            + scope + expires +
            "<p><a href=\"/demo/\">退出 / Log out</a></p>\n</main>\n"
            "<script src=\"/demo/profile.js\" defer></script>\n")
    respond("200 OK", page("个人资料 / Profile", body))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # never a traceback in place of a page
        fail("500 Internal Server Error", "出错了 / Error",
             "internal error: %s" % type(e).__name__)
