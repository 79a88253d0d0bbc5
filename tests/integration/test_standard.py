"""test_standard.py: every grant and the RFC surface: password,
client_credentials, implicit, PKCE, revocation, introspection, metadata."""

import base64
import json

import pytest
import requests

from conftest import make_client, make_user
from flow import (Agent, auth_params, exchange, jsonp_body, me, pkce_pair,
                  query_of, token)

CB = "https://std.example/cb"
LOOP = "http://127.0.0.1:51234/cb"


@pytest.fixture(scope="module")
def user(server):
    return make_user(server)


@pytest.fixture(scope="module")
def cc(server):
    return make_client(server, redirect_uri=CB, grants="client_credentials",
                       scopes="get_user_info")


@pytest.fixture(scope="module")
def pw(server):
    return make_client(server, redirect_uri=CB, grants="password,refresh_token")


@pytest.fixture(scope="module")
def pub(server):
    return make_client(server, redirect_uri=LOOP, public=True)


@pytest.fixture(scope="module")
def imp(server):
    return make_client(server, redirect_uri=CB, grants="implicit")


@pytest.fixture(scope="module")
def conf(server):
    return make_client(server, redirect_uri=CB)


def test_client_credentials(server, cc):
    cid, secret = cc
    r = token(server, {"grant_type": "client_credentials"}, auth=cc)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "refresh_token" not in body
    assert body["token_type"] == "Bearer" and body["scope"] == "get_user_info"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Pragma"] == "no-cache"
    r = token(server, {"grant_type": "client_credentials",
                       "client_id": cid, "client_secret": secret})
    assert r.status_code == 200
    r = token(server, {"grant_type": "client_credentials",
                       "scope": "list_album"}, auth=cc)
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"


def test_wrong_secret_is_401_with_challenge(server, cc):
    cid, _ = cc
    r = token(server, {"grant_type": "client_credentials"},
              auth=(cid, "wrong"))
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    r = token(server, {"grant_type": "client_credentials", "client_id": cid,
                       "client_secret": "wrong"})
    assert r.status_code == 401
    r = token(server, {"grant_type": "client_credentials",
                       "client_id": "no-such-client", "client_secret": "x"})
    assert r.status_code == 401


def test_basic_and_params_at_once(server, cc):
    cid, secret = cc
    r = token(server, {"grant_type": "client_credentials", "client_id": cid,
                       "client_secret": secret}, auth=cc)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_basic_credentials_are_form_encoded(server):
    cid, secret = make_client(server, grants="client_credentials",
                              client_id="a:b c%d")
    raw = "%s:%s" % ("a%3Ab+c%25d", secret)
    r = requests.post(server.url("/oauth2.0/token"), timeout=30,
                      data={"grant_type": "client_credentials"},
                      headers={"Authorization": "Basic " +
                               base64.b64encode(raw.encode()).decode()})
    assert r.status_code == 200, r.text


def test_grant_not_registered_is_unauthorized_client(server, conf, cc):
    r = token(server, {"grant_type": "client_credentials"}, auth=conf)
    assert r.status_code == 400
    assert r.json()["error"] == "unauthorized_client"
    r = token(server, {"grant_type": "password", "username": "x",
                       "password": "y"}, auth=cc)
    assert r.json()["error"] == "unauthorized_client"


def test_unsupported_grant_type(server, conf):
    r = token(server, {"grant_type": "urn:magic"}, auth=conf)
    assert r.status_code == 400
    assert r.json()["error"] == "unsupported_grant_type"
    r = token(server, {}, auth=conf)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_password_grant(server, pw, user):
    r = token(server, {"grant_type": "password", "username": user.name,
                       "password": user.password, "scope": "get_user_info"},
              auth=pw)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "get_user_info" and "refresh_token" in body
    assert "openid" in jsonp_body(me(server, body["access_token"]).text)
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": body["refresh_token"]}, auth=pw)
    assert r.status_code == 200
    r = token(server, {"grant_type": "password", "username": user.name,
                       "password": "wrong"}, auth=pw)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    r = token(server, {"grant_type": "password", "username": "nobody-here",
                       "password": "wrong"}, auth=pw)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_password_grant_throttled(server, pw):
    u = make_user(server)
    for _ in range(10):
        r = token(server, {"grant_type": "password", "username": u.name,
                           "password": "nope"}, auth=pw)
        assert r.status_code == 400
    r = token(server, {"grant_type": "password", "username": u.name,
                       "password": u.password}, auth=pw)
    assert r.status_code == 429
    assert r.headers["Retry-After"].isdigit()
    # The same username at the login page is throttled too.
    cid, _ = make_client(server, redirect_uri=CB)
    a = Agent(server)
    page = a.authorize(auth_params(cid, CB))
    r = a.login(page, u)
    assert r.status_code == 429
    assert r.headers["Retry-After"].isdigit()
    assert 'name="password"' in r.text


def test_login_throttled_per_address(server, pw):
    """At the default limit (10), bad logins from one address with ever
    new usernames are slowed down too."""
    with server.reconfigured(login_address_limit=None):
        server.pg.sql("DELETE FROM auth_failures WHERE key LIKE 'a:%'")
        codes = []
        for i in range(11):
            r = token(server, {"grant_type": "password",
                               "username": "ghost%d" % i,
                               "password": "nope"}, auth=pw)
            codes.append(r.status_code)
        assert codes[:10] == [400] * 10 and codes[10] == 429
        server.pg.sql("DELETE FROM auth_failures WHERE key LIKE 'a:%'")


def test_public_client_needs_pkce(server, pub):
    cid, _ = pub
    r = requests.get(server.url("/oauth2.0/authorize"), timeout=30,
                     allow_redirects=False, params=auth_params(cid, LOOP))
    assert r.status_code == 302
    assert query_of(r.headers["Location"])["error"] == "invalid_request"


@pytest.mark.parametrize("challenge,method", [
    ("abc", "S256"), ("x" * 43, "S512"), ("x" * 42, "plain"),
    ("x" * 43 + "!", "plain")])
def test_bad_challenge(server, pub, challenge, method):
    cid, _ = pub
    r = requests.get(server.url("/oauth2.0/authorize"), timeout=30,
                     allow_redirects=False, params=auth_params(
                         cid, LOOP, code_challenge=challenge,
                         code_challenge_method=method))
    assert query_of(r.headers["Location"])["error"] == "invalid_request"


def test_pkce_s256_public_client(server, pub, user):
    cid, _ = pub
    verifier, challenge = pkce_pair()
    q = Agent(server).code(auth_params(cid, LOOP, state=None,
                                       code_challenge=challenge,
                                       code_challenge_method="S256"), user)
    none = token(server, {"grant_type": "authorization_code",
                          "code": q["code"], "redirect_uri": LOOP,
                          "client_id": cid})
    assert none.json()["error"] == "invalid_grant"
    r = token(server, {"grant_type": "authorization_code", "code": q["code"],
                       "redirect_uri": LOOP, "client_id": cid,
                       "code_verifier": verifier})
    assert r.status_code == 200, r.text
    body = r.json()
    r = token(server, {"grant_type": "refresh_token", "client_id": cid,
                       "refresh_token": body["refresh_token"]})
    assert r.status_code == 200, r.text
    # A wrong verifier burns the code: no second guess.
    verifier, challenge = pkce_pair()
    q = Agent(server).code(auth_params(cid, LOOP, state=None,
                                       code_challenge=challenge,
                                       code_challenge_method="S256"), user)
    bad = token(server, {"grant_type": "authorization_code", "code": q["code"],
                         "redirect_uri": LOOP, "client_id": cid,
                         "code_verifier": pkce_pair()[0]})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    r = token(server, {"grant_type": "authorization_code", "code": q["code"],
                       "redirect_uri": LOOP, "client_id": cid,
                       "code_verifier": verifier})
    assert r.json()["error"] == "invalid_grant"


def test_pkce_plain_confidential(server, conf, user):
    cid, secret = conf
    verifier = "v" * 50
    q = Agent(server).code(auth_params(cid, CB, code_challenge=verifier,
                                       code_challenge_method="plain"), user)
    r = exchange(server, cid, secret, q["code"], CB, code_verifier="w" * 50)
    assert r.json()["error"] == "invalid_grant"
    q = Agent(server).code(auth_params(cid, CB, code_challenge=verifier,
                                       code_challenge_method="plain"), user)
    r = exchange(server, cid, secret, q["code"], CB, code_verifier=verifier)
    assert r.status_code == 200


def test_verifier_without_challenge_rejected(server, conf, user):
    cid, secret = conf
    q = Agent(server).code(auth_params(cid, CB), user)
    r = exchange(server, cid, secret, q["code"], CB,
                 code_verifier=pkce_pair()[0])
    assert r.json()["error"] == "invalid_grant"


def test_implicit(server, imp, user):
    cid, _ = imp
    a = Agent(server)
    q = a.code(auth_params(cid, CB, response_type="token", state="imp-1"),
               user)
    assert q["state"] == "imp-1"
    assert q["token_type"] == "Bearer" and q["expires_in"] == "3600"
    assert "refresh_token" not in q and "code" not in q
    assert "openid" in jsonp_body(me(server, q["access_token"]).text)
    r = a.authorize(auth_params(cid, CB, response_type="token", state="i2"))
    loc = r.headers["Location"]
    assert loc.startswith(CB + "#access_token=")
    # Errors of an implicit request go in the fragment too.
    r = a.authorize(auth_params(cid, CB, response_type="token", state="i3",
                                scope="nope"))
    assert r.headers["Location"].startswith(CB + "#error=invalid_scope")


def test_revoke_access_and_refresh(server, conf, user):
    cid, secret = conf
    q = Agent(server).code(auth_params(cid, CB), user)
    t = exchange(server, cid, secret, q["code"], CB).json()
    url = server.url("/oauth2.0/revoke")
    r = requests.post(url, data={"token": t["access_token"]}, auth=conf,
                      timeout=30)
    assert r.status_code == 200
    assert "openid" not in jsonp_body(me(server, t["access_token"]).text)
    # Revoking the refresh token kills its family.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t["refresh_token"]}, auth=conf)
    t2 = r.json()
    r = requests.post(url, data={"token": t2["refresh_token"],
                                 "token_type_hint": "refresh_token"},
                      auth=conf, timeout=30)
    assert r.status_code == 200
    assert "openid" not in jsonp_body(me(server, t2["access_token"]).text)
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t2["refresh_token"]}, auth=conf)
    assert r.json()["error"] == "invalid_grant"
    # Unknown tokens: still 200 (RFC 7009 §2.2); no auth: 401.
    r = requests.post(url, data={"token": "unknown"}, auth=conf, timeout=30)
    assert r.status_code == 200
    r = requests.post(url, data={"token": "unknown"}, timeout=30)
    assert r.status_code == 401
    r = requests.get(url, timeout=30)
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_revoke_only_own_tokens(server, conf, user):
    cid, secret = conf
    q = Agent(server).code(auth_params(cid, CB), user)
    t = exchange(server, cid, secret, q["code"], CB).json()
    other = make_client(server, redirect_uri=CB)
    requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                  data={"token": t["access_token"]}, auth=other)
    assert "openid" in jsonp_body(me(server, t["access_token"]).text)


def test_introspection(server, conf, user):
    cid, secret = conf
    q = Agent(server).code(auth_params(cid, CB), user)
    t = exchange(server, cid, secret, q["code"], CB).json()
    url = server.url("/oauth2.0/introspect")
    r = requests.post(url, data={"token": t["access_token"]}, auth=conf,
                      timeout=30)
    body = r.json()
    assert body["active"] is True
    assert body["scope"] == "get_user_info list_album"
    assert body["client_id"] == cid
    assert isinstance(body["exp"], int) and body["exp"] > body["iat"]
    r = requests.post(url, data={"token": "nope"}, auth=conf, timeout=30)
    assert r.json() == {"active": False}
    requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                  data={"token": t["access_token"]}, auth=conf)
    r = requests.post(url, data={"token": t["access_token"]}, auth=conf,
                      timeout=30)
    assert r.json() == {"active": False}
    other = make_client(server, redirect_uri=CB)
    r = requests.post(url, data={"token": t["refresh_token"]}, auth=other,
                      timeout=30)
    assert r.json() == {"active": False}
    r = requests.post(url, data={"token": t["refresh_token"]}, timeout=30)
    assert r.status_code == 401


def test_metadata(server):
    r = requests.get(server.url("/.well-known/oauth-authorization-server"),
                     timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    md = r.json()
    assert md["issuer"] == server.base
    assert md["code_challenge_methods_supported"] == ["S256", "plain"]
    assert set(md["grant_types_supported"]) == {
        "authorization_code", "refresh_token", "password",
        "client_credentials", "implicit"}
    assert md["authorization_response_iss_parameter_supported"] is True
    assert set(md["scopes_supported"]) >= {"get_user_info", "list_album"}
    for key in ("authorization_endpoint", "token_endpoint",
                "revocation_endpoint", "introspection_endpoint"):
        assert md[key].startswith(server.base)
        path = md[key][len(server.base):]
        r = requests.post(server.url(path), timeout=30,
                          allow_redirects=False)
        assert r.status_code in (400, 401), (key, r.status_code)


def test_refresh_without_rotation(server, conf, user):
    """refresh_rotation = off: the refresh token stays the same and keeps
    working; a narrower scope still applies to the new access token."""
    cid, secret = conf
    with server.reconfigured(refresh_rotation="off"):
        q = Agent(server).code(auth_params(cid, CB), user)
        t = exchange(server, cid, secret, q["code"], CB).json()
        for scope in (None, "get_user_info"):
            data = {"grant_type": "refresh_token",
                    "refresh_token": t["refresh_token"]}
            if scope:
                data["scope"] = scope
            r = token(server, data, auth=conf)
            assert r.status_code == 200, r.text
            assert r.json()["refresh_token"] == t["refresh_token"]
            assert r.json()["scope"] == (scope or "get_user_info list_album")
            assert "openid" in jsonp_body(me(server,
                                             r.json()["access_token"]).text)
        # Revoking it still ends it.
        requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                      data={"token": t["refresh_token"]}, auth=conf)
        r = token(server, {"grant_type": "refresh_token",
                           "refresh_token": t["refresh_token"]}, auth=conf)
        assert r.json()["error"] == "invalid_grant"
