"""OpenID Connect provider: discovery, JWKS, id_token, userinfo, keys, logout.

The id_tokens are checked with Debian's python3-authlib (its JOSE
implementation, independent of ours) against the JWKS the server
publishes; the relying parties themselves are in test_oidc_rp.py.
"""

import base64
import hashlib
import json
import time

import pytest
import requests
from authlib.jose import JsonWebKey, jwt

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, me, parse_form, query_of, token

CB = "https://rp.example.com/cb"
LOGOUT_CB = "https://rp.example.com/logged-out"
SCOPES = "openid,profile,email,get_user_info"


@pytest.fixture(scope="module")
def user(server):
    u = make_user(server, nickname="小明", gender="女")
    server.oauthctl("user", "delete", u.name, check=True)
    server.oauthctl("user", "add", u.name, "--nickname", "小明", "--gender",
                    "女", "--email", u.name + "@example.com",
                    "--email-verified", input=u.password + "\n", check=True)
    return u


@pytest.fixture(scope="module")
def rs(server):
    cid, secret = make_client(server, redirect_uri=CB, scopes=SCOPES)
    server.oauthctl("client", "delete", cid, check=True)
    out = server.oauthctl("client", "add", "--name", "RS client", "--id", cid,
                          "--redirect-uri", CB, "--scopes", SCOPES,
                          "--post-logout-redirect-uri", LOGOUT_CB,
                          check=True).stdout
    return cid, dict(l.split("=", 1) for l in out.split())["client_secret"]


@pytest.fixture(scope="module")
def es(server):
    out = server.oauthctl("client", "add", "--name", "ES client",
                          "--redirect-uri", CB, "--scopes", SCOPES,
                          "--id-token-alg", "ES256", check=True).stdout
    v = dict(l.split("=", 1) for l in out.split())
    return v["client_id"], v["client_secret"]


def jwks(server):
    r = server.get("/oauth2.0/jwks")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def verify(server, id_token):
    """authlib's verification against the published JWKS; returns
    (header, claims)."""
    keys = JsonWebKey.import_key_set(jwks(server))
    claims = jwt.decode(id_token, keys)
    header = json.loads(base64.urlsafe_b64decode(
        id_token.split(".")[0] + "=="))
    return header, dict(claims)


def login(server, client, user, agent=None, scope="openid profile email",
          **extra):
    """Code flow with openid; returns (agent, token JSON)."""
    cid, secret = client
    a = agent or Agent(server)
    q = a.code(auth_params(cid, CB, scope=scope, **extra), user)
    assert "code" in q, q
    r = exchange(server, cid, secret, q["code"], CB)
    assert r.status_code == 200, r.text
    return a, r.json()


def at_hash(access_token):
    d = hashlib.sha256(access_token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(d).rstrip(b"=").decode()


def test_discovery_document(server):
    r = server.get("/.well-known/openid-configuration")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    d = r.json()
    assert d["issuer"] == server.config["issuer"]
    base = server.base
    assert d["authorization_endpoint"] == base + "/oauth2.0/authorize"
    assert d["token_endpoint"] == base + "/oauth2.0/token"
    assert d["userinfo_endpoint"] == base + "/oauth2.0/userinfo"
    assert d["jwks_uri"] == base + "/oauth2.0/jwks"
    assert d["end_session_endpoint"] == base + "/oauth2.0/end_session"
    assert "code" in d["response_types_supported"]
    assert d["response_modes_supported"] == ["query", "fragment", "form_post"]
    assert d["token_endpoint_auth_methods_supported"][0] == "client_secret_basic"
    assert "client_secret_post" in d["token_endpoint_auth_methods_supported"]
    assert d["id_token_signing_alg_values_supported"] == ["RS256", "ES256"]
    assert d["subject_types_supported"] == ["pairwise"]
    for s in ("openid", "profile", "email"):
        assert s in d["scopes_supported"]
    assert "S256" in d["code_challenge_methods_supported"]
    # The RFC 8414 document is the same one.
    assert server.get("/.well-known/oauth-authorization-server").json() == d


def test_methods_and_content_types(server):
    for path, bad in (("/oauth2.0/jwks", "POST"),
                      ("/oauth2.0/userinfo", "DELETE"),
                      ("/oauth2.0/end_session", "PUT")):
        r = requests.request(bad, server.url(path), timeout=30)
        assert r.status_code == 405, path
        assert "GET" in r.headers["Allow"], path
    r = server.get("/oauth2.0/jwks")
    assert r.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert "no-store" in r.headers["Cache-Control"]
    r = server.get("/oauth2.0/end_session")
    assert r.status_code == 200 and 'class="logged-out"' in r.text
    assert r.headers["X-Frame-Options"] == "DENY"


def test_jwks_publishes_public_keys_only(server):
    keys = jwks(server)["keys"]
    algs = {k["alg"] for k in keys}
    assert {"RS256", "ES256"} <= algs
    for k in keys:
        assert k["use"] == "sig" and k["kid"]
        assert not set(k) & {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
        if k["kty"] == "RSA":
            n = base64.urlsafe_b64decode(k["n"] + "==")
            assert len(n) * 8 >= 2048
        else:
            assert k["kty"] == "EC" and k["crv"] == "P-256"
    assert len({k["kid"] for k in keys}) == len(keys)


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_id_token_verifies_and_carries_the_claims(server, user, rs, es, alg):
    client = rs if alg == "RS256" else es
    nonce = "n-" + alg + "-" + str(time.time())
    before = int(time.time()) - 1
    _, t = login(server, client, user, nonce=nonce)
    assert t["token_type"] == "Bearer"
    header, c = verify(server, t["id_token"])
    assert header["alg"] == alg and header["kid"]
    assert header["kid"] in {k["kid"] for k in jwks(server)["keys"]
                             if k["alg"] == alg}
    assert c["iss"] == server.config["issuer"]
    assert c["aud"] == client[0] and c["azp"] == client[0]
    assert c["nonce"] == nonce
    assert c["at_hash"] == at_hash(t["access_token"])
    assert before <= c["iat"] <= int(time.time()) + 1
    assert c["exp"] == c["iat"] + 3600
    assert c["auth_time"] <= c["iat"]
    # sub = the openid /oauth2.0/me gives this client = userinfo's sub.
    r = me(server, t["access_token"], fmt="json")
    assert c["sub"] == r.json()["openid"]
    u = requests.get(server.url("/oauth2.0/userinfo"), timeout=30,
                     headers={"Authorization": "Bearer " + t["access_token"]})
    assert u.status_code == 200 and u.json()["sub"] == c["sub"]


def test_userinfo_claims(server, user, rs):
    _, t = login(server, rs, user)
    h = {"Authorization": "Bearer " + t["access_token"]}
    r = requests.get(server.url("/oauth2.0/userinfo"), headers=h, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    u = r.json()
    assert u["name"] == "小明" and u["nickname"] == "小明"
    assert u["preferred_username"] == user.name
    assert u["gender"] == "female"
    assert u["email"] == user.name + "@example.com"
    assert u["email_verified"] is True
    assert isinstance(u["updated_at"], int) and u["locale"]
    # No avatar: the default picture, an absolute URL that answers.
    assert u["picture"] == server.base + "/static/avatar-default-100.png"
    assert requests.get(u["picture"], timeout=30).status_code == 200
    # POST with the token as a form field gives the same.
    r = requests.post(server.url("/oauth2.0/userinfo"), timeout=30,
                      data={"access_token": t["access_token"]})
    assert r.status_code == 200 and r.json() == u
    # Only the scopes granted: without email, no email.
    _, t2 = login(server, rs, user, scope="openid profile")
    u2 = requests.get(server.url("/oauth2.0/userinfo"), timeout=30,
                      headers={"Authorization": "Bearer " + t2["access_token"]}
                      ).json()
    assert "email" not in u2 and u2["sub"] == u["sub"]


def test_userinfo_errors(server, user, rs):
    url = server.url("/oauth2.0/userinfo")
    r = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=30)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    r = requests.get(url, timeout=30)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "error=" not in r.headers["WWW-Authenticate"]
    # A token without openid: 403 insufficient_scope.
    _, t = login(server, rs, user, scope="get_user_info")
    assert "id_token" not in t
    r = requests.get(url, timeout=30,
                     headers={"Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 403
    assert 'error="insufficient_scope"' in r.headers["WWW-Authenticate"]
    r = requests.put(url, timeout=30)
    assert r.status_code == 405
    # The scheme is case-insensitive; a revoked token is invalid_token;
    # a token in the header and the query is a malformed request.
    _, t = login(server, rs, user)
    r = requests.get(url, timeout=30,
                     headers={"Authorization": "bearer " + t["access_token"]})
    assert r.status_code == 200
    assert "no-store" in r.headers["Cache-Control"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    r = requests.get(url, timeout=30, params={"access_token": "x"},
                     headers={"Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 400
    assert 'error="invalid_request"' in r.headers["WWW-Authenticate"]
    assert requests.post(server.url("/oauth2.0/revoke"), auth=rs, timeout=30,
                         data={"token": t["access_token"]}).status_code == 200
    r = requests.get(url, timeout=30,
                     headers={"Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]


def test_refresh_gives_id_token_with_same_subject(server, user, rs):
    _, t = login(server, rs, user, nonce="first")
    _, c1 = verify(server, t["id_token"])
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t["refresh_token"],
                       "scope": "openid profile email"}, auth=rs)
    assert r.status_code == 200, r.text
    t2 = r.json()
    _, c2 = verify(server, t2["id_token"])
    for k in ("iss", "sub", "aud", "auth_time"):
        assert c2[k] == c1[k]
    assert "nonce" not in c2
    assert c2["at_hash"] == at_hash(t2["access_token"])
    # client_secret_post works as well as Basic.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t2["refresh_token"],
                       "client_id": rs[0], "client_secret": rs[1]})
    assert r.status_code == 200 and "id_token" in r.json()


def test_plain_oauth_request_is_unchanged(server, user, rs):
    """No scope parameter: the client's scopes without the OpenID ones,
    and no id_token; a QQ-style exchange has none either."""
    cid, secret = rs
    a = Agent(server)
    q = a.code(auth_params(cid, CB, scope=None), user)
    r = exchange(server, cid, secret, q["code"], CB)
    assert r.status_code == 200
    assert r.json()["scope"] == "get_user_info"
    assert "id_token" not in r.json()
    q = a.code(auth_params(cid, CB, scope="openid get_user_info"), user)
    r = token(server, {"grant_type": "authorization_code", "code": q["code"],
                       "redirect_uri": CB, "client_id": cid,
                       "client_secret": secret}, method="GET")
    assert r.status_code == 200
    assert r.text.startswith("access_token=") and "id_token" not in r.text


def test_max_age_zero_forces_login_and_moves_auth_time(server, user, rs):
    a, t = login(server, rs, user)
    _, c1 = verify(server, t["id_token"])
    time.sleep(1.1)
    # With the session, no page at all ...
    q = a.code(auth_params(rs[0], CB, scope="openid"), user)
    r = exchange(server, rs[0], rs[1], q["code"], CB)
    assert verify(server, r.json()["id_token"])[1]["auth_time"] == c1["auth_time"]
    # ... but max_age=0 shows the login page again.
    r = a.authorize(auth_params(rs[0], CB, scope="openid", max_age="0"))
    assert r.status_code == 200 and 'name="password"' in r.text
    r = a.login(r, user)
    assert r.status_code in (302, 303), r.text[:300]
    q = query_of(r.headers["Location"])
    r = exchange(server, rs[0], rs[1], q["code"], CB)
    _, c2 = verify(server, r.json()["id_token"])
    assert c2["auth_time"] > c1["auth_time"]
    assert c2["sub"] == c1["sub"]


def test_prompt_none_and_hints(server, user, rs):
    r = Agent(server).authorize(auth_params(rs[0], CB, scope="openid",
                                            prompt="none"))
    assert r.status_code == 302
    q = query_of(r.headers["Location"])
    assert q["error"] == "login_required" and q["iss"] == server.base
    # With a session and consent, prompt=none answers at once; the
    # id_token_hint of this user is accepted, another user's is not.
    a, t = login(server, rs, user)
    r = a.authorize(auth_params(rs[0], CB, scope="openid", prompt="none",
                                id_token_hint=t["id_token"]))
    assert r.status_code == 302 and "code" in query_of(r.headers["Location"])
    other = make_user(server)
    b = Agent(server)
    login(server, rs, other, agent=b)
    r = b.authorize(auth_params(rs[0], CB, scope="openid", prompt="none",
                                id_token_hint=t["id_token"]))
    assert query_of(r.headers["Location"])["error"] == "login_required"
    r = b.authorize(auth_params(rs[0], CB, scope="openid", prompt="none",
                                id_token_hint=t["id_token"][:-4] + "AAAA"))
    assert query_of(r.headers["Location"])["error"] == "invalid_request"
    # login_hint fills the username field.
    r = Agent(server).authorize(auth_params(rs[0], CB, scope="openid",
                                            login_hint="someone"))
    assert 'value="someone"' in r.text


def test_oidc_request_rules(server, user, rs):
    a = Agent(server)
    login(server, rs, user, agent=a)
    # Unknown scope values are ignored in an OpenID request ...
    q = a.code(auth_params(rs[0], CB, scope="openid no_such_scope profile"),
               user)
    r = exchange(server, rs[0], rs[1], q["code"], CB)
    assert r.json()["scope"] == "openid profile"
    # ... and still refused in a plain OAuth one.
    r = a.authorize(auth_params(rs[0], CB, scope="no_such_scope profile"))
    assert query_of(r.headers["Location"])["error"] == "invalid_scope"
    for rt in ("id_token", "code id_token", "id_token token"):
        r = a.authorize(auth_params(rs[0], CB, scope="openid",
                                    response_type=rt))
        q = query_of(r.headers["Location"])
        assert q["error"] == "unsupported_response_type", rt
    r = a.authorize(auth_params(rs[0], CB, scope="openid", request="eyJ"))
    assert query_of(r.headers["Location"])["error"] == "request_not_supported"
    # redirect_uri is required in an OpenID request (Core §3.1.2.1),
    # even for a client with one: an error page, no redirect.
    r = a.authorize(auth_params(rs[0], None, scope="openid"))
    assert r.status_code == 400 and "Location" not in r.headers
    r = a.authorize(auth_params(rs[0], None, scope="get_user_info"))
    assert r.status_code == 200 and 'name="grant_scope"' in r.text
    r = a.authorize(auth_params(rs[0], CB, scope="openid", prompt="none login"))
    assert query_of(r.headers["Location"])["error"] == "invalid_request"
    r = a.authorize(auth_params(rs[0], CB, scope="openid", display="popup",
                                ui_locales="en", claims_locales="en",
                                acr_values="1", foo="bar",
                                response_mode="query"))
    assert "code" in query_of(r.headers["Location"])


def test_form_post_response_mode(server, user, rs):
    """response_mode=form_post: a page whose form posts code, state and
    iss to the redirect URI, sent by a same-origin script (CSP intact)."""
    a = Agent(server)
    login(server, rs, user, agent=a)
    r = a.authorize(auth_params(rs[0], CB, scope="openid", state="s&1",
                                response_mode="form_post"))
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert '<script src="/static/form_post.js"></script>' in r.text
    f = parse_form(r.text)
    assert f.action == CB
    fields = {n: v for n, v, t, _ in f.inputs if t == "hidden"}
    assert set(fields) == {"code", "state", "iss"}
    assert fields["state"] == "s&1" and fields["iss"] == server.base
    r = exchange(server, rs[0], rs[1], fields["code"], CB)
    assert r.status_code == 200 and "id_token" in r.json()
    # Errors go the same way.
    r = a.authorize(auth_params(rs[0], CB, scope="openid", prompt="x",
                                response_mode="form_post"))
    fields = {n: v for n, v, t, _ in parse_form(r.text).inputs}
    assert fields["error"] == "invalid_request"
    assert server.get("/static/form_post.js").status_code == 200


def test_key_rotate_and_retire(server, user, rs):
    _, t_old = login(server, rs, user)
    old_kid = verify(server, t_old["id_token"])[0]["kid"]
    out = server.oauthctl("key", "rotate", "RS256", check=True).stdout
    new_kid = out.split()[0].split("=", 1)[1]
    assert new_kid != old_kid
    listed = server.oauthctl("key", "list", check=True).stdout
    assert old_kid in listed and new_kid in listed
    assert "BEGIN" not in listed and "PRIVATE" not in listed
    # The new key signs at once, without a restart; the old token verifies.
    _, t_new = login(server, rs, user)
    assert verify(server, t_new["id_token"])[0]["kid"] == new_kid
    verify(server, t_old["id_token"])
    # The key that signs cannot be retired; the rotated one can.
    assert server.oauthctl("key", "retire", new_kid).returncode == 1
    server.oauthctl("key", "retire", old_kid, check=True)
    kids = {k["kid"] for k in jwks(server)["keys"]}
    assert old_kid not in kids and new_kid in kids
    with pytest.raises(Exception):
        verify(server, t_old["id_token"])
    # purge retires rotated keys once what they signed has expired.
    server.oauthctl("key", "rotate", "ES256", check=True)
    es_old = server.pg.sql_one("SELECT kid FROM signing_keys WHERE"
                               " alg = 'ES256' AND state = 'rotated'")
    assert "retired:" not in server.oauthctl("purge", check=True).stdout
    server.pg.sql("UPDATE signing_keys SET rotated_at = now() -"
                  " interval '3601 seconds' WHERE kid = $1", es_old)
    out = server.oauthctl("purge", check=True).stdout
    assert "retired: " + es_old in out
    assert es_old not in {k["kid"] for k in jwks(server)["keys"]}


def test_private_keys_are_sealed(server):
    rows = server.pg.sql("SELECT public_jwk, encode(private_enc, 'hex')"
                         " FROM signing_keys")
    assert rows
    for pub, enc in rows:
        assert '"d"' not in pub
        der = bytes.fromhex(enc)
        # PKCS#1/SEC1 DER starts with a SEQUENCE (0x30 0x82 / 0x30 0x77).
        assert not der.startswith(b"\x30\x82") and not der.startswith(b"\x30\x77")
    # Nor do they reach a log.
    log = server.log_text()
    assert "PRIVATE KEY" not in log


def end_session(agent, **params):
    return agent.s.get(agent.server.url("/oauth2.0/end_session"),
                       params=params, allow_redirects=False, timeout=30)


def logged_in(server, agent, client):
    r = agent.authorize(auth_params(client[0], CB, scope="openid",
                                    prompt="none"))
    return "code" in query_of(r.headers["Location"])


def test_rp_initiated_logout(server, user, rs):
    a, t = login(server, rs, user)
    assert logged_in(server, a, rs)
    # Not registered: never followed, and the session stays.
    r = end_session(a, id_token_hint=t["id_token"],
                    post_logout_redirect_uri="https://evil.example/")
    assert r.status_code == 400 and "Location" not in r.headers
    r = end_session(a, id_token_hint=t["id_token"],
                    post_logout_redirect_uri=CB)
    assert r.status_code == 400 and "Location" not in r.headers
    assert logged_in(server, a, rs)
    # A valid hint and a registered URI: logged out, back with state.
    r = end_session(a, id_token_hint=t["id_token"],
                    post_logout_redirect_uri=LOGOUT_CB, state="s 1")
    assert r.status_code == 302
    assert r.headers["Location"] == LOGOUT_CB + "?state=s%201"
    assert not logged_in(server, a, rs)


def test_logout_without_hint_asks_first(server, user, rs):
    a, _ = login(server, rs, user)
    r = end_session(a, client_id=rs[0], post_logout_redirect_uri=LOGOUT_CB)
    assert r.status_code == 200 and 'name="csrf"' in r.text
    assert logged_in(server, a, rs)
    # A forged confirmation (no token) is refused.
    r = a.s.post(server.url("/oauth2.0/end_session"), timeout=30,
                 data={"op": "logout", "client_id": rs[0]},
                 allow_redirects=False)
    assert r.status_code == 403 and logged_in(server, a, rs)
    page = end_session(a, client_id=rs[0], post_logout_redirect_uri=LOGOUT_CB)
    r = a.submit(page, {})
    assert r.status_code == 303 and r.headers["Location"] == LOGOUT_CB
    assert not logged_in(server, a, rs)
    # Nobody logged in: nothing to confirm.
    r = end_session(a, client_id=rs[0], post_logout_redirect_uri=LOGOUT_CB)
    assert r.status_code == 302 and r.headers["Location"] == LOGOUT_CB


def test_cli_options_checked(server):
    r = server.oauthctl("client", "add", "--name", "x", "--redirect-uri", CB,
                        "--id-token-alg", "HS256")
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = server.oauthctl("client", "add", "--name", "x", "--redirect-uri", CB,
                        "--post-logout-redirect-uri", "http://evil.example/")
    assert r.returncode == 1
    r = server.oauthctl("user", "add", "bademail", "--email", "no-at-sign",
                        input="pw\n")
    assert r.returncode == 1
    r = server.oauthctl("key", "rotate", "none")
    assert r.returncode == 1
