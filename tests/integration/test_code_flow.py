"""test_code_flow.py: the QQ-style authorization-code flow end to end."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import make_client, make_user
from flow import (Agent, auth_params, exchange, jsonp_body, me, parse_form,
                  query_of, token)

CB = "https://app.example.com/cb"


@pytest.fixture(scope="module")
def app(server):
    cid, secret = make_client(server, redirect_uri=[CB, CB + "?x=1"],
                              website="https://app.example.com/")
    return cid, secret


@pytest.fixture
def fresh(server):
    """A user who has consented to nothing yet."""
    return make_user(server)


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="小明", avatar="https://img.example/a.png",
                     gender="女")


def test_login_page_then_consent_then_code(server, app, user):
    cid, secret = app
    a = Agent(server)
    params = auth_params(cid, CB, state="st-1")
    r = a.authorize(params)
    assert r.status_code == 200
    assert 'name="password"' in r.text
    assert "no-store" in r.headers["Cache-Control"]
    r = a.login(r, user)
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "oauth_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie          # plain http here
    assert "小明" in r.text and "https://img.example/a.png" in r.text
    form = parse_form(r.text)
    offered = [v for n, v, t, c in form.inputs if n == "grant_scope"]
    assert offered == ["get_user_info", "list_album"]
    assert all(c for n, v, t, c in form.inputs if n == "grant_scope")
    assert "获得您的昵称、头像、性别" in r.text
    r = a.consent(r)
    assert r.status_code == 303
    loc = r.headers["Location"]
    assert loc.startswith(CB + "?code=")
    q = query_of(loc)
    assert q["state"] == "st-1"
    assert q["iss"] == server.base
    t = exchange(server, cid, secret, q["code"], CB)
    assert t.status_code == 200, t.text
    body = t.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "get_user_info list_album"
    assert t.headers["Cache-Control"] == "no-store"
    assert t.headers["Pragma"] == "no-cache"
    assert t.headers["Content-Type"].startswith("application/json")


def test_state_echoed_exactly(server, app, user):
    cid, _ = app
    state = "a&b=c+d/e#f%g é" + "x" * 2000
    q = Agent(server).code(auth_params(cid, CB, state=state), user)
    assert q["state"] == state


def test_existing_query_kept(server, app, user):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB + "?x=1"), user)
    assert q["x"] == "1" and "code" in q
    r = exchange(server, cid, secret, q["code"], CB + "?x=1")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("bad", [
    CB + "/", CB.upper(), "https://APP.example.com/cb",
    "https://app.example.com:8443/cb", "http://app.example.com/cb",
    CB + "?x=2", CB + "?x=1&y=2", CB + "#f", CB + "x",
    "https://app.example.com/cb/../evil", "https://evil.example/cb",
    "https://app.example.com.evil.example/cb",
    "https://app.example.com@evil.example/cb",
])
def test_redirect_uri_mismatch_is_400_page(server, app, bad):
    cid, _ = app
    r = requests.get(server.url("/oauth2.0/authorize"), timeout=30,
                     allow_redirects=False,
                     params=auth_params(cid, bad))
    assert r.status_code == 400
    assert "Location" not in r.headers
    assert r.headers["Content-Type"].startswith("text/html")
    assert "evil" not in r.text or "&lt;" not in r.text


def test_unknown_client_is_400_page(server):
    r = requests.get(server.url("/oauth2.0/authorize"), timeout=30,
                     allow_redirects=False,
                     params=auth_params("nope-" + "x", CB))
    assert r.status_code == 400 and "Location" not in r.headers
    r = requests.get(server.url("/oauth2.0/authorize"), timeout=30,
                     allow_redirects=False,
                     params={"response_type": "code", "redirect_uri": CB,
                             "state": "s"})
    assert r.status_code == 400 and "Location" not in r.headers


def test_redirect_uri_required_with_two_registered(server, app):
    cid, _ = app
    p = auth_params(cid, None)
    r = requests.get(server.url("/oauth2.0/authorize"), params=p,
                     allow_redirects=False, timeout=30)
    assert r.status_code == 400 and "Location" not in r.headers


def _redirect_error(server, params):
    r = requests.get(server.url("/oauth2.0/authorize"), params=params,
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302, (r.status_code, r.text[:300])
    return query_of(r.headers["Location"])


def test_errors_redirect_with_state(server, app):
    cid, _ = app
    q = _redirect_error(server, auth_params(cid, CB, state="s1",
                                            response_type="bogus"))
    assert q["error"] == "unsupported_response_type" and q["state"] == "s1"
    q = _redirect_error(server, auth_params(cid, CB, state="s1",
                                            scope="get_user_info,nope"))
    assert q["error"] == "invalid_scope" and q["state"] == "s1"
    p = auth_params(cid, CB, state="s1")
    del p["response_type"]
    q = _redirect_error(server, p)
    assert q["error"] == "invalid_request" and q["state"] == "s1"
    p = auth_params(cid, CB)
    del p["state"]
    q = _redirect_error(server, p)
    assert q["error"] == "invalid_request"
    q = _redirect_error(server, auth_params(cid, CB, response_type="token"))
    assert q["error"] == "unauthorized_client"


def test_prompt_none_without_session(server, app):
    cid, _ = app
    q = _redirect_error(server, auth_params(cid, CB, state="s", prompt="none"))
    assert q["error"] == "login_required" and q["state"] == "s"


def test_deny_gives_access_denied(server, app, fresh):
    cid, _ = app
    a = Agent(server)
    r = a.login(a.authorize(auth_params(cid, CB, state="d")), fresh)
    r = a.consent(r, decision="deny")
    assert r.status_code == 303
    q = query_of(r.headers["Location"])
    assert q["error"] == "access_denied" and q["state"] == "d"
    assert "code" not in q


def test_consent_csrf_required(server, app, fresh):
    cid, _ = app
    a = Agent(server)
    page = a.login(a.authorize(auth_params(cid, CB)), fresh)
    # No token.
    r = a.submit(page, [("grant_scope", "get_user_info"),
                        ("decision", "allow")], drop=("csrf",))
    assert r.status_code == 403 and "Location" not in r.headers
    # A wrong one.
    r = a.submit(page, [("csrf", "A" * 43), ("grant_scope", "get_user_info"),
                        ("decision", "allow")], drop=("csrf",))
    assert r.status_code == 403 and "Location" not in r.headers
    # The right token, but the request changed under it.
    form = parse_form(page.text)
    data = [(n, "https://app.example.com/cb?x=1" if n == "redirect_uri"
             else v) for n, v, t, _ in form.inputs if t == "hidden"]
    data += [("grant_scope", "get_user_info"), ("decision", "allow")]
    r = a.s.post(server.url(form.action), data=data, allow_redirects=False,
                 timeout=30)
    assert r.status_code == 403 and "Location" not in r.headers
    # Another user's session cannot use this form.
    other = Agent(server)
    r = other.s.post(server.url(form.action), data=[
        (n, v) for n, v, t, _ in form.inputs if t == "hidden"] +
        [("decision", "allow")], allow_redirects=False, timeout=30)
    assert "Location" not in r.headers


def test_login_csrf_required(server, app, user):
    cid, _ = app
    a = Agent(server)
    page = a.authorize(auth_params(cid, CB))
    r = a.submit(page, {"username": user.name, "password": user.password,
                        "csrf": "x" * 43}, drop=("csrf",))
    assert r.status_code == 403
    assert "oauth_session" not in r.headers.get("Set-Cookie", "")
    r = a.s.post(server.url("/oauth2.0/authorize"), timeout=30,
                 allow_redirects=False,
                 headers={"Origin": "https://evil.example"},
                 data=[(n, v) for n, v in
                       [(n, v) for n, v, t, _ in parse_form(page.text).inputs
                        if t == "hidden"]] +
                 [("username", user.name), ("password", user.password)])
    assert r.status_code == 403


def test_bad_password_shows_login_again(server, app, user):
    cid, _ = app
    a = Agent(server)
    r = a.login(a.authorize(auth_params(cid, CB)), user, password="wrong")
    assert r.status_code == 200
    assert 'name="password"' in r.text
    assert "oauth_session" not in r.headers.get("Set-Cookie", "")


def test_unchecked_scope_is_not_granted(server, app, fresh):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), fresh,
                           scopes=["list_album"])
    r = exchange(server, cid, secret, q["code"], CB)
    assert r.json()["scope"] == "list_album"
    at = r.json()["access_token"]
    openid = jsonp_body(me(server, at).text)["openid"]
    info = requests.get(server.url("/user/get_user_info"), timeout=30,
                        params={"access_token": at,
                                "oauth_consumer_key": cid,
                                "openid": openid}).json()
    assert info["ret"] == 100030


def test_remembered_consent_and_prompt(server, user):
    cid, _ = make_client(server, redirect_uri=CB)
    a = Agent(server)
    q = a.code(auth_params(cid, CB, scope="get_user_info"), user)
    assert "code" in q
    # Same scopes again: straight back with a code, no page.
    r = a.authorize(auth_params(cid, CB, scope="get_user_info", state="z"))
    assert r.status_code == 302
    assert query_of(r.headers["Location"])["state"] == "z"
    assert "code" in query_of(r.headers["Location"])
    # prompt=consent shows the page anyway.
    r = a.authorize(auth_params(cid, CB, scope="get_user_info",
                                prompt="consent"))
    assert r.status_code == 200 and 'name="grant_scope"' in r.text
    # A new scope needs consent; prompt=none says so.
    r = a.authorize(auth_params(cid, CB, scope="list_album", prompt="none",
                                state="n"))
    q = query_of(r.headers["Location"])
    assert q["error"] == "consent_required" and q["state"] == "n"
    # prompt=login asks for the password again.
    r = a.authorize(auth_params(cid, CB, scope="get_user_info",
                                prompt="login"))
    assert r.status_code == 200 and 'name="password"' in r.text
    r = a.login(r, user)
    assert r.status_code == 303 and "code=" in r.headers["Location"]


def test_code_works_once_and_replay_revokes(server, app, user):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), user)
    r1 = exchange(server, cid, secret, q["code"], CB)
    assert r1.status_code == 200
    at = r1.json()["access_token"]
    assert "openid" in jsonp_body(me(server, at).text)
    r2 = exchange(server, cid, secret, q["code"], CB)
    assert r2.status_code == 400
    assert r2.json()["error"] == "invalid_grant"
    body = jsonp_body(me(server, at).text)
    assert "openid" not in body and body["error"] != 0
    # The refresh token of that grant died too.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": r1.json()["refresh_token"]},
              auth=(cid, secret))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_code_bound_to_client_and_redirect_uri(server, app, user):
    cid, secret = app
    other, other_secret = make_client(server, redirect_uri=CB)
    q = Agent(server).code(auth_params(cid, CB), user)
    r = exchange(server, other, other_secret, q["code"], CB)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    q = Agent(server).code(auth_params(cid, CB), user)
    r = exchange(server, cid, secret, q["code"], CB + "?x=1")
    assert r.json()["error"] == "invalid_grant"
    r = exchange(server, cid, secret, q["code"], None)
    assert r.json()["error"] == "invalid_grant"


def test_refresh_rotation_and_reuse_kills_family(server, app, user):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), user)
    t1 = exchange(server, cid, secret, q["code"], CB).json()
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t1["refresh_token"],
                       "scope": "get_user_info"}, auth=(cid, secret))
    assert r.status_code == 200, r.text
    t2 = r.json()
    assert t2["scope"] == "get_user_info"
    assert t2["refresh_token"] != t1["refresh_token"]
    assert t2["access_token"] != t1["access_token"]
    # Wider than the grant: refused.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t2["refresh_token"],
                       "scope": "get_user_info get_photo"},
              auth=(cid, secret))
    assert r.json()["error"] == "invalid_scope"
    # The new refresh token keeps the original scope.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t2["refresh_token"]},
              auth=(cid, secret))
    assert r.status_code == 200
    t3 = r.json()
    assert t3["scope"] == "get_user_info list_album"
    # Reuse of a dead refresh token: refused, and the family dies.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t1["refresh_token"]},
              auth=(cid, secret))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert "openid" not in jsonp_body(me(server, t3["access_token"]).text)
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t3["refresh_token"]},
              auth=(cid, secret))
    assert r.json()["error"] == "invalid_grant"


def test_refresh_token_bound_to_client(server, app, user):
    cid, secret = app
    other, other_secret = make_client(server, redirect_uri=CB)
    q = Agent(server).code(auth_params(cid, CB), user)
    t = exchange(server, cid, secret, q["code"], CB).json()
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t["refresh_token"]},
              auth=(other, other_secret))
    assert r.json()["error"] == "invalid_grant"


def test_english_pages(server, app):
    cid, _ = app
    a = Agent(server, lang="en-US,en;q=0.9,zh;q=0.5")
    r = a.authorize(auth_params(cid, CB))
    assert 'lang="en"' in r.text
    a = Agent(server, lang="zh-CN,zh;q=0.9,en;q=0.8")
    assert 'lang="zh-CN"' in a.authorize(auth_params(cid, CB)).text
    a = Agent(server)
    assert 'lang="zh-CN"' in a.authorize(auth_params(cid, CB)).text


def test_security_headers_on_every_page(server, app, fresh):
    cid, _ = app
    a = Agent(server)
    pages = [a.authorize(auth_params(cid, CB)),
             a.authorize(auth_params(cid, CB + "/nope"))]
    pages.append(a.login(pages[0], fresh))
    for r in pages:
        h = r.headers
        assert h["Cache-Control"] == "no-store"
        assert h["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert "Access-Control-Allow-Origin" not in h


def test_session_id_changes_at_login(server, app, fresh):
    cid, _ = app
    planted = "P" * 43
    a = Agent(server)
    a.s.cookies.set("oauth_session", planted)
    r = a.authorize(auth_params(cid, CB))
    assert 'name="password"' in r.text      # the planted id is no session
    r = a.login(r, fresh)
    m = re.search(r"oauth_session=([^;]+)", r.headers["Set-Cookie"])
    sid = m.group(1)
    assert sid != planted and len(sid) == 43
    # The session is stored only as a digest.
    rows = server.pg.sql("SELECT encode(session_hash, 'hex') FROM sessions")
    assert rows and all(sid not in r[0] for r in rows)
