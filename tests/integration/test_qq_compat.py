"""test_qq_compat.py: what a QQ Connect client does, unchanged in spirit:
token by GET parsed as a query string, /oauth2.0/me parsed after
stripping callback( … );, /user/get_user_info with oauth_consumer_key."""

import json
import re
from urllib.parse import parse_qs

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body, me

CB = "https://qq-site.example/qqlogin/callback"


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, redirect_uri=CB, owner="qq-owner")


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="QQ用户", avatar="https://img.example/q.png",
                     gender="女")


def qq_code(server, site, user, **kw):
    q = Agent(server).code(auth_params(site[0], CB, **kw), user)
    return q["code"]


def test_tutorial_client_path(server, site, user):
    cid, secret = site
    code = qq_code(server, site, user)
    # Step 1: the token, by GET, parsed as a query string.
    r = requests.get(server.url("/oauth2.0/token"), timeout=30, params={
        "grant_type": "authorization_code", "client_id": cid,
        "client_secret": secret, "code": code, "redirect_uri": CB})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Pragma"] == "no-cache"
    assert re.fullmatch(r"access_token=[A-Za-z0-9_-]+&expires_in=3600"
                        r"&refresh_token=[A-Za-z0-9_-]+", r.text)
    tok = {k: v[0] for k, v in parse_qs(r.text).items()}
    # Step 2: the openid, from JSONP, callback( … ); stripped.
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": tok["access_token"]})
    assert r.headers["Content-Type"] == \
        "application/javascript;charset=UTF-8"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    text = r.text
    assert text.startswith("callback( {") and text.rstrip().endswith("} );")
    inner = text[text.index("(") + 1:text.rindex(")")]
    who = json.loads(inner)
    assert who["client_id"] == cid
    assert re.fullmatch(r"[0-9A-F]{32}", who["openid"])
    # Step 3: the profile.
    r = requests.get(server.url("/user/get_user_info"), timeout=30, params={
        "access_token": tok["access_token"], "oauth_consumer_key": cid,
        "openid": who["openid"]})
    info = r.json()
    assert info["ret"] == 0 and info["msg"] == ""
    assert info["nickname"] == "QQ用户"
    assert info["gender"] == "女"
    for k in ("figureurl", "figureurl_1", "figureurl_2", "figureurl_qq_1",
              "figureurl_qq_2"):
        assert info[k] == "https://img.example/q.png"


def test_qq_error_codes_on_get(server, site, user):
    cid, secret = site
    base = {"grant_type": "authorization_code", "client_id": cid,
            "client_secret": secret, "redirect_uri": CB}

    def qq(params):
        r = requests.get(server.url("/oauth2.0/token"), params=params,
                         timeout=30)
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "no-store"
        return jsonp_body(r.text)

    assert qq(dict(base))["error"] == 100005                  # no code
    assert qq(dict(base, code="nope"))["error"] == 100068
    assert qq({k: v for k, v in base.items()
               if k != "client_id"} | {"code": "x"})["error"] == 100001
    assert qq(dict(base, code="x", client_id="nope"))["error"] == 100008
    assert qq(dict(base, code="x", client_secret="bad"))["error"] == 100009
    assert qq({k: v for k, v in base.items()
               if k != "client_secret"} | {"code": "x"})["error"] == 100002
    assert qq(dict(base, grant_type="magic"))["error"] == 100004
    code = qq_code(server, site, user)
    r = requests.get(server.url("/oauth2.0/token"), timeout=30,
                     params=dict(base, code=code))
    assert r.text.startswith("access_token=")
    assert qq(dict(base, code=code))["error"] == 100020       # used twice
    body = qq(dict(base, grant_type="refresh_token"))
    assert body["error"] == 100006
    body = qq(dict(base, grant_type="refresh_token", refresh_token="zz"))
    assert body["error"] == 100036


def test_fmt_json_on_get(server, site, user):
    cid, secret = site
    code = qq_code(server, site, user)
    r = requests.get(server.url("/oauth2.0/token"), timeout=30, params={
        "grant_type": "authorization_code", "client_id": cid,
        "client_secret": secret, "code": code, "redirect_uri": CB,
        "fmt": "json"})
    assert r.status_code == 200
    assert r.json()["token_type"] == "Bearer"
    assert r.json()["expires_in"] == "3600"
    # The code is bound to its redirect_uri (QQ's JSON error on a GET).
    r = requests.get(server.url("/oauth2.0/token"), timeout=30, params={
        "grant_type": "authorization_code", "client_id": cid,
        "client_secret": secret, "code": qq_code(server, site, user),
        "fmt": "json"})
    assert r.status_code == 200 and r.json()["error"] == 100010


def test_qq_compat_off_makes_get_405(server, site):
    with server.reconfigured(qq_compat="off"):
        r = requests.get(server.url("/oauth2.0/token"), timeout=30,
                         params={"grant_type": "client_credentials"})
        assert r.status_code == 405
        assert r.headers["Allow"] == "POST"


def _token(server, site, user):
    cid, secret = site
    return exchange(server, cid, secret, qq_code(server, site, user),
                    CB).json()["access_token"]


def test_me_formats(server, site, user):
    at = _token(server, site, user)
    plain = requests.get(server.url("/oauth2.0/me"), timeout=30,
                         params={"access_token": at, "fmt": "json"})
    assert plain.headers["Content-Type"].startswith("application/json")
    who = plain.json()
    r = me(server, at, callback="my.cb_$1")
    assert r.text.startswith("/**/my.cb_$1( ")
    assert jsonp_body(r.text, "my.cb_$1") == who
    r = me(server, at, unionid="1")
    body = jsonp_body(r.text)
    assert re.fullmatch(r"[0-9A-F]{32}", body["unionid"])
    assert body["unionid"] != body["openid"]
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     headers={"Authorization": "Bearer " + at})
    assert jsonp_body(r.text) == who


@pytest.mark.parametrize("name", ["1abc", "a-b", "a(b)", "a" * 65, "a b",
                                  "alert(1)//", "<script>", "a\u2028"])
def test_me_bad_callback_names(server, site, user, name):
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": "x", "callback": name})
    assert r.status_code == 400
    assert name not in r.text


def test_me_errors(server, site, user):
    r = requests.get(server.url("/oauth2.0/me"), timeout=30)
    assert r.status_code == 200
    assert jsonp_body(r.text)["error"] == 100007
    r = me(server, "bogus")
    assert r.status_code == 200
    assert jsonp_body(r.text) == {"error": 100016,
                                  "error_description":
                                  "access token check failed"}
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     headers={"Authorization": "Bearer bogus"})
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    at = _token(server, site, user)
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": at},
                     headers={"Authorization": "Bearer " + at})
    assert r.status_code == 400
    r = requests.get(server.url("/oauth2.0/me?access_token=%s&access_token=%s"
                                % (at, at)), timeout=30)
    assert "openid" not in r.text
    r = requests.delete(server.url("/oauth2.0/me"), timeout=30)
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


def test_openid_pairwise_and_stable(server, user):
    a, asec = make_client(server, redirect_uri=CB, owner="same")
    b, bsec = make_client(server, redirect_uri=CB, owner="same")

    def ids(cid, secret):
        q = Agent(server).code(auth_params(cid, CB), user)
        at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
        body = jsonp_body(me(server, at, unionid="1").text)
        return body["openid"], body["unionid"]

    oa1, ua1 = ids(a, asec)
    oa2, ua2 = ids(a, asec)         # a new login, a new token
    ob, ub = ids(b, bsec)
    assert oa1 == oa2
    assert oa1 != ob
    assert ua1 == ua2 == ub
    other = make_user(server)
    q = Agent(server).code(auth_params(a, CB), other)
    at = exchange(server, a, asec, q["code"], CB).json()["access_token"]
    assert jsonp_body(me(server, at).text)["openid"] != oa1


def test_get_user_info_checks(server, site, user):
    cid, secret = site
    at = _token(server, site, user)
    openid = jsonp_body(me(server, at).text)["openid"]
    url = server.url("/user/get_user_info")

    def info(**p):
        return requests.get(url, params=p, timeout=30)

    assert info(access_token=at, oauth_consumer_key=cid,
                openid=openid).json()["ret"] == 0
    assert info(access_token=at, oauth_consumer_key=cid,
                openid="0" * 32).json()["ret"] == 100050
    assert info(access_token=at, oauth_consumer_key="other",
                openid=openid).json()["ret"] != 0
    assert info(access_token="bad", oauth_consumer_key=cid,
                openid=openid).json()["ret"] == 100016
    assert info(oauth_consumer_key=cid, openid=openid).json()["ret"] == 100007
    r = info(access_token=at, oauth_consumer_key=cid, openid=openid,
             callback="cb")
    assert r.text.startswith("/**/cb( ")
    assert jsonp_body(r.text, "cb")["nickname"] == "QQ用户"
    r = requests.post(url, data={"access_token": at, "oauth_consumer_key": cid,
                                 "openid": openid}, timeout=30)
    assert r.json()["ret"] == 0
    r = requests.get(url, params={"oauth_consumer_key": cid, "openid": openid},
                     headers={"Authorization": "Bearer bad"}, timeout=30)
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    r = requests.get(url, params={"oauth_consumer_key": cid, "openid": openid,
                                  "access_token": at},
                     headers={"Authorization": "Bearer " + at}, timeout=30)
    assert r.status_code == 400


def test_get_user_info_needs_scope(server, site, user):
    cid, secret = site
    q = Agent(server).code(auth_params(cid, CB, scope="list_album"), user)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    openid = jsonp_body(me(server, at).text)["openid"]
    url = server.url("/user/get_user_info")
    r = requests.get(url, timeout=30, params={
        "access_token": at, "oauth_consumer_key": cid, "openid": openid})
    assert r.status_code == 200 and r.json()["ret"] == 100030
    r = requests.get(url, timeout=30,
                     params={"oauth_consumer_key": cid, "openid": openid},
                     headers={"Authorization": "Bearer " + at})
    assert r.status_code == 403
    assert 'error="insufficient_scope"' in r.headers["WWW-Authenticate"]


def test_default_gender_is_male(server, site):
    u = make_user(server)
    cid, secret = site
    q = Agent(server).code(auth_params(cid, CB), u)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    openid = jsonp_body(me(server, at).text)["openid"]
    r = requests.get(server.url("/user/get_user_info"), timeout=30, params={
        "access_token": at, "oauth_consumer_key": cid, "openid": openid})
    assert r.json()["gender"] == "男"


def test_jsonp_escapes_line_separators(server, site):
    u = make_user(server, nickname="a\u2028b\u2029c")
    cid, secret = site
    q = Agent(server).code(auth_params(cid, CB), u)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    openid = jsonp_body(me(server, at).text)["openid"]
    r = requests.get(server.url("/user/get_user_info"), timeout=30, params={
        "access_token": at, "oauth_consumer_key": cid, "openid": openid,
        "callback": "cb"})
    assert "\u2028" not in r.text and "\\u2028" in r.text
    assert jsonp_body(r.text, "cb")["nickname"] == "a\u2028b\u2029c"
