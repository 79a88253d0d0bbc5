"""test_cors.py: CORS of the endpoints the JavaScript SDK calls (token,
/oauth2.0/me, /user/get_user_info, revoke): only the origins of the
client's registered redirect URIs, never a wildcard, never credentials;
preflights for the Authorization header; OPTIONS without a registered
Origin stays 405 (checklist A3)."""

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, auth_params, pkce_pair

SITE = "https://sdk-site.example"
SITE_CB = SITE + "/qc_callback.html"
LOOP = "http://127.0.0.1:47123"
OTHER = "https://other-site.example"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def spa(server):
    """A public SDK client with two registered origins."""
    return make_client(server, name="CORS site", public=True,
                       redirect_uri=[SITE_CB, LOOP + "/cb?x=1"])[0]


@pytest.fixture(scope="module")
def other(server):
    """Another public client, registered on OTHER."""
    return make_client(server, name="CORS other", public=True,
                       redirect_uri=OTHER + "/cb")[0]


def code_and_verifier(server, client_id, redirect_uri=SITE_CB):
    user = make_user(server)
    verifier, challenge = pkce_pair()
    q = Agent(server).code(auth_params(
        client_id, redirect_uri, scope="get_user_info",
        code_challenge=challenge, code_challenge_method="S256"), user)
    return q["code"], verifier


def redeem(server, client_id, origin, redirect_uri=SITE_CB):
    code, verifier = code_and_verifier(server, client_id, redirect_uri)
    return requests.post(server.url("/oauth2.0/token"), timeout=30, data={
        "grant_type": "authorization_code", "code": code,
        "redirect_uri": redirect_uri, "client_id": client_id,
        "code_verifier": verifier}, headers={"Origin": origin})


def cors_headers(r):
    return {k.lower(): v for k, v in r.headers.items()
            if k.lower().startswith("access-control-")}


def allowed_for(r, origin):
    h = cors_headers(r)
    assert "access-control-allow-credentials" not in h
    assert "Origin" in r.headers.get("Vary", "")
    return h.get("access-control-allow-origin") == origin


def test_token_endpoint_answers_registered_origins_only(server, spa, other):
    r = redeem(server, spa, SITE)
    assert r.status_code == 200 and allowed_for(r, SITE)
    assert "access_token" in r.json()
    r = redeem(server, spa, LOOP, LOOP + "/cb?x=1")
    assert r.status_code == 200 and allowed_for(r, LOOP)
    # The token is issued (the request is legitimate), but a page on an
    # origin the client never registered cannot read it.
    for origin in (EVIL, OTHER, "null", SITE + "/", "http://sdk-site.example",
                   "https://sdk-site.example:444"):
        r = redeem(server, spa, origin)
        assert not cors_headers(r), (origin, cors_headers(r))
        assert "Origin" in r.headers.get("Vary", "")
    # Errors are readable by the registered origin too (the SDK sees why).
    r = requests.post(server.url("/oauth2.0/token"), timeout=30, data={
        "grant_type": "authorization_code", "code": "x", "client_id": spa,
        "redirect_uri": SITE_CB}, headers={"Origin": SITE})
    assert r.status_code == 400 and allowed_for(r, SITE)
    assert r.json()["error"] == "invalid_grant"
    # Without an Origin, no CORS header and no Vary: server-side clients
    # see exactly what they saw before.
    r2 = requests.post(server.url("/oauth2.0/token"), timeout=30,
                       data={"grant_type": "authorization_code",
                             "code": "x", "client_id": spa})
    assert not cors_headers(r2) and "Origin" not in r2.headers.get("Vary", "")


@pytest.fixture(scope="module")
def spa_token(server, spa):
    r = redeem(server, spa, SITE)
    return r.json()["access_token"]


def openid_of(server, tok):
    return requests.get(server.url("/oauth2.0/me"), timeout=30,
                        params={"fmt": "json"},
                        headers={"Authorization": "Bearer " + tok}
                        ).json()["openid"]


@pytest.mark.parametrize("path", ["/oauth2.0/me", "/user/get_user_info"])
def test_resource_endpoints_answer_the_token_clients_origins(server, spa,
                                                             other, spa_token,
                                                             path):
    params = {"fmt": "json", "client_id": spa}
    if path == "/user/get_user_info":
        params = {"oauth_consumer_key": spa,
                  "openid": openid_of(server, spa_token)}
    auth = {"Authorization": "Bearer " + spa_token}
    r = requests.get(server.url(path), params=params, timeout=30,
                     headers=dict(auth, Origin=SITE))
    assert r.status_code == 200 and allowed_for(r, SITE), r.text
    body = r.json()
    assert body.get("openid") or body.get("ret") == 0
    # The token's client decides, not a client named in the URL.
    for origin, hint in ((EVIL, spa), (OTHER, other), (OTHER, spa)):
        p = dict(params)
        p["client_id" if "client_id" in p else "oauth_consumer_key"] = hint
        r = requests.get(server.url(path), params=p, timeout=30,
                         headers=dict(auth, Origin=origin))
        assert not cors_headers(r), (origin, hint, cors_headers(r))
    # A dead token: the error is readable by the named client's origins
    # only.
    bad = {"Authorization": "Bearer " + "x" * 43}
    r = requests.get(server.url(path), params=params, timeout=30,
                     headers=dict(bad, Origin=SITE))
    assert r.status_code == 401 and allowed_for(r, SITE)
    r = requests.get(server.url(path), params=params, timeout=30,
                     headers=dict(bad, Origin=EVIL))
    assert r.status_code == 401 and not cors_headers(r)


@pytest.mark.parametrize("path,hint", [
    ("/oauth2.0/me", "client_id"),
    ("/user/get_user_info", "oauth_consumer_key"),
    ("/oauth2.0/token", "client_id"),
    ("/oauth2.0/revoke", "client_id"),
])
def test_preflight(server, spa, other, path, hint):
    def options(origin, params, method="GET"):
        h = {"Access-Control-Request-Headers": "authorization"}
        if origin:
            h["Origin"] = origin
        if method:
            h["Access-Control-Request-Method"] = method
        return requests.options(server.url(path), params=params, headers=h,
                                timeout=30)

    r = options(SITE, {hint: spa})
    assert r.status_code == 200, r.text
    h = cors_headers(r)
    assert h["access-control-allow-origin"] == SITE
    assert {m.strip() for m in h["access-control-allow-methods"].split(",")} \
        == {"GET", "POST"}
    assert h["access-control-allow-headers"].lower() == "authorization"
    assert int(h["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in h
    assert r.content == b""
    assert options(LOOP, {hint: spa}, "POST").status_code == 200
    # Without a registered origin it is the OPTIONS of checklist A3: 405.
    for origin, params, method in ((EVIL, {hint: spa}, "GET"),
                                   (OTHER, {hint: spa}, "GET"),
                                   (SITE, {hint: other}, "GET"),
                                   (SITE, {}, "GET"),
                                   (SITE, {hint: "no-such-client"}, "GET"),
                                   (SITE, {hint: spa}, "PUT"),
                                   (SITE, {hint: spa}, None),
                                   (None, {hint: spa}, "GET")):
        r = options(origin, params, method)
        assert r.status_code == 405, (origin, params, method)
        assert "Allow" in r.headers
        assert "access-control-allow-origin" not in cors_headers(r)


def test_revoke_by_the_sdk(server, spa, spa_token):
    tok = redeem(server, spa, SITE).json()["access_token"]
    r = requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                      data={"token": tok, "client_id": spa},
                      headers={"Origin": SITE})
    assert r.status_code == 200 and allowed_for(r, SITE)
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"fmt": "json"},
                     headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 401
    # The other token of the module lives on.
    assert openid_of(server, spa_token)


@pytest.mark.parametrize("path", ["/qc_jssdk.js",
                                  "/qzone/openapi/qc_loader.js"])
def test_sdk_is_served(server, path):
    r = server.get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] in (
        "text/javascript", "application/javascript")
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert len(r.content) < 15 * 1024
    assert b"QC" in r.content and b"qc_login" in r.content
    for art in ("qc_btn_a_zh-CN", "qc_btn_a_en", "qc_btn_b_zh-CN",
                "qc_btn_b_en", "qc_btn_c"):
        r = server.get("/static/%s.svg" % art)
        assert r.status_code == 200, art
        assert r.headers["Content-Type"].startswith("image/svg+xml")
