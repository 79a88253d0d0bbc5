"""test_qq_bytes.py: the QQ-style answers that issue 13's fixes leave
alone are byte for byte what they were before them.

qq_bytes.json holds the answers of the build before those fixes (status,
the headers below, body), recorded with `python3 test_qq_bytes.py` under
OAUTH_SERVER=apache-fcgid, where every JSONP answer already had QQ's
application/javascript type.  Only values that differ from one run to the
next are replaced by placeholders: tokens, openid, unionid, the server's
base URL.  The answers the fixes do change (fmt=json on a GET, the
default avatar, state after a repeated parameter, the token endpoint's
JSONP type under lighttpd) are tested in test_issue13.py.
"""

import sys
from pathlib import Path
from urllib.parse import parse_qs, quote

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flow import Agent, auth_params, jsonp_body  # noqa: E402
from golden import assert_same, record_to  # noqa: E402
from harness import make_client, make_user  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "qq_bytes.json"
CB = "https://qq-bytes.example/qqlogin/callback"
CLIENT = "qqbytes1"
HEADERS = ("Content-Type", "Cache-Control", "Pragma",
           "X-Content-Type-Options", "WWW-Authenticate", "Location", "Allow")


class Recorder:
    """Sends the requests and keeps their answers, normalized."""

    def __init__(self, server):
        self.server = server
        self.subs = {server.base: "<BASE>",
                     quote(server.base, safe=""): "<BASE>"}
        self.answers = {}

    def secret(self, value, kind):
        if value and value not in self.subs:
            n = sum(1 for v in self.subs.values() if v.startswith("<" + kind))
            self.subs[value] = "<%s%d>" % (kind, n + 1)

    def norm(self, text):
        for value, mark in sorted(self.subs.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(value, mark)
        return text

    def keep(self, name, r):
        self.answers[name] = {
            "status": r.status_code,
            "headers": {h: self.norm(r.headers[h]) for h in HEADERS
                        if h in r.headers},
            "body": self.norm(r.content.decode("utf-8")),
        }
        return r


def record(server):
    """Every QQ-style answer the fixes must not change."""
    rec = Recorder(server)
    url = server.url
    make_client(server, client_id=CLIENT, redirect_uri=CB, owner="qq-bytes",
                scopes="get_user_info,list_album")
    secret = server.oauthctl("client", "rotate-secret", CLIENT,
                             check=True).stdout.strip().split("=", 1)[1]
    user = make_user(server, nickname="字节用户",
                     avatar="https://img.example/bytes.png", gender="女")

    def code(**kw):
        return Agent(server).code(auth_params(CLIENT, CB, **kw), user)["code"]

    def get_token(name, **params):
        return rec.keep(name, requests.get(url("/oauth2.0/token"),
                                           params=params, timeout=30))

    base = {"grant_type": "authorization_code", "client_id": CLIENT,
            "client_secret": secret, "redirect_uri": CB}
    # The token by GET, as QQ's tutorial client asks for it.
    c = code()
    r = requests.get(url("/oauth2.0/token"), params=dict(base, code=c),
                     timeout=30)
    tok = {k: v[0] for k, v in parse_qs(r.text).items()}
    rec.secret(tok["access_token"], "AT")
    rec.secret(tok["refresh_token"], "RT")
    rec.keep("token_get_code", r)
    r = requests.get(url("/oauth2.0/token"), timeout=30, params={
        "grant_type": "refresh_token", "client_id": CLIENT,
        "client_secret": secret, "refresh_token": tok["refresh_token"]})
    new = {k: v[0] for k, v in parse_qs(r.text).items()}
    rec.secret(new["access_token"], "AT")
    rec.secret(new["refresh_token"], "RT")
    rec.keep("token_get_refresh", r)
    get_token("token_get_no_code", **base)
    get_token("token_get_bad_code", **dict(base, code="nope"))
    get_token("token_get_no_client_id",
              **{k: v for k, v in base.items() if k != "client_id"},
              code="x")
    get_token("token_get_unknown_client", **dict(base, code="x",
                                                 client_id="nope"))
    get_token("token_get_bad_secret", **dict(base, code="x",
                                             client_secret="bad"))
    get_token("token_get_no_secret",
              **{k: v for k, v in base.items() if k != "client_secret"},
              code="x")
    get_token("token_get_bad_grant_type", **dict(base, grant_type="magic"))
    get_token("token_get_no_refresh_token",
              **dict(base, grant_type="refresh_token"))
    get_token("token_get_bad_refresh_token",
              **dict(base, grant_type="refresh_token", refresh_token="zz"))
    # Last: the replay revokes what the code gave.
    get_token("token_get_code_twice", **dict(base, code=c))

    # POST: RFC 6749 JSON.
    r = requests.post(url("/oauth2.0/token"), auth=(CLIENT, secret),
                      timeout=30, data={"grant_type": "authorization_code",
                                        "code": code(), "redirect_uri": CB})
    rec.secret(r.json()["access_token"], "AT")
    rec.secret(r.json()["refresh_token"], "RT")
    rec.keep("token_post_code", r)
    at = r.json()["access_token"]
    rec.keep("token_post_bad_code", requests.post(
        url("/oauth2.0/token"), auth=(CLIENT, secret), timeout=30,
        data={"grant_type": "authorization_code", "code": "nope",
              "redirect_uri": CB}))
    rec.keep("token_post_bad_secret", requests.post(
        url("/oauth2.0/token"), auth=(CLIENT, "bad"), timeout=30,
        data={"grant_type": "authorization_code", "code": "nope",
              "redirect_uri": CB}))

    # /oauth2.0/me in each of its forms.

    def me(name, headers=None, **params):
        return rec.keep(name, requests.get(url("/oauth2.0/me"), params=params,
                                           headers=headers, timeout=30))

    who = jsonp_body(requests.get(url("/oauth2.0/me"), timeout=30, params={
        "access_token": at, "unionid": "1"}).text)
    rec.secret(who["openid"], "OPENID")
    rec.secret(who["unionid"], "UNIONID")
    me("me_default", access_token=at)
    me("me_named_callback", access_token=at, callback="my.cb_$1")
    me("me_unionid", access_token=at, unionid="1")
    me("me_fmt_json", access_token=at, fmt="json")
    me("me_bearer", headers={"Authorization": "Bearer " + at})
    me("me_no_token")
    me("me_bad_token", access_token="bogus")
    me("me_bad_token_named_callback", access_token="bogus", callback="cb")
    me("me_bad_bearer", headers={"Authorization": "Bearer bogus"})
    me("me_bad_callback", access_token=at, callback="1abc")
    me("me_revoked_token", access_token=tok["access_token"])

    # /user/get_user_info for a user with an avatar.
    def info(name, headers=None, **params):
        return rec.keep(name, requests.get(url("/user/get_user_info"),
                                           params=params, headers=headers,
                                           timeout=30))

    q = {"access_token": at, "oauth_consumer_key": CLIENT,
         "openid": who["openid"]}
    info("info_ok", **q)
    info("info_jsonp", callback="cb", **q)
    info("info_wrong_openid", **dict(q, openid="0" * 32))
    info("info_wrong_key", **dict(q, oauth_consumer_key="other"))
    info("info_bad_token", **dict(q, access_token="bad"))
    info("info_no_token", **{k: v for k, v in q.items()
                             if k != "access_token"})
    info("info_bad_bearer", headers={"Authorization": "Bearer bad"},
         **{k: v for k, v in q.items() if k != "access_token"})
    c2 = code(scope="list_album")
    r = requests.post(url("/oauth2.0/token"), auth=(CLIENT, secret),
                      timeout=30, data={"grant_type": "authorization_code",
                                        "code": c2, "redirect_uri": CB})
    rec.secret(r.json()["access_token"], "AT")
    rec.secret(r.json()["refresh_token"], "RT")
    info("info_no_scope", **dict(q, access_token=r.json()["access_token"]))

    # Error redirects from the authorization endpoint.
    def authz(name, **params):
        return rec.keep(name, requests.get(url("/oauth2.0/authorize"),
                                           params=params, timeout=30,
                                           allow_redirects=False))

    authz("authorize_bad_response_type", response_type="magic",
          client_id=CLIENT, redirect_uri=CB, state="s1")
    authz("authorize_bad_scope", response_type="code", client_id=CLIENT,
          redirect_uri=CB, state="s2", scope="no_such_scope")
    authz("authorize_no_state", response_type="code", client_id=CLIENT,
          redirect_uri=CB)
    return rec.answers


def test_untouched_answers_are_byte_for_byte(server):
    assert_same(GOLDEN, record(server))


if __name__ == "__main__":
    record_to(GOLDEN, record)
