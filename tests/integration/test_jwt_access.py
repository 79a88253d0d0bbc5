"""test_jwt_access.py: JWT access tokens (RFC 9068) per client, the
database-free client_credentials path and its client cache, revocation at
our own endpoints, and Apache's mod_oauth2 verifying the tokens locally
against our JWKS (the README's <Location /jwt-api/> block as it stands)."""

import base64
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from authlib.jose import JsonWebKey, jwt

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, introspect, jsonp_body, me, token
from test_resource_server import MOD_OAUTH2, Gateway, readme_block

CB = "https://jwt-site.example/cb"
API = "https://api.jwt.example/"


def add_jwt_client(server, *extra, grants="client_credentials"):
    out = server.oauthctl("client", "add", "--name", "JWT app",
                          "--grants", grants, "--redirect-uri", CB,
                          "--scopes", "get_user_info,list_album",
                          "--access-token-format", "jwt", *extra,
                          check=True).stdout
    vals = dict(line.split("=", 1) for line in out.splitlines())
    return vals["client_id"], vals["client_secret"]


def b64json(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def decode(server, tok):
    """authlib's verification against the published JWKS: (header, claims)."""
    keys = JsonWebKey.import_key_set(server.get("/oauth2.0/jwks").json())
    claims = jwt.decode(tok, keys)
    return b64json(tok.split(".")[0]), dict(claims)


def cc(server, client, **data):
    data["grant_type"] = "client_credentials"
    return token(server, data, auth=client)


def tampered(tok):
    h, p, s = tok.split(".")
    claims = b64json(p)
    claims["scope"] = "get_user_info list_album admin"
    p = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    return ".".join((h, p.decode(), s))


@pytest.fixture(scope="module")
def app(server):
    return add_jwt_client(server)


@pytest.fixture(scope="module")
def site(server):
    return add_jwt_client(server, grants="authorization_code,refresh_token")


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="令牌用户")


def test_cli_and_metadata(server, app):
    info = dict(line.split("=", 1) for line in server.oauthctl(
        "client", "show", app[0], check=True).stdout.splitlines())
    assert info["access_token_format"] == "jwt ES256"
    r = server.oauthctl("client", "add", "--name", "x", "--grants",
                        "client_credentials", "--access-token-format", "xml")
    assert r.returncode == 1 and r.stdout == ""
    r = server.oauthctl("client", "add", "--name", "x", "--grants",
                        "client_credentials", "--access-token-alg", "HS256")
    assert r.returncode == 1 and r.stdout == ""
    meta = json.loads(server.oauthctl("metadata", check=True).stdout)
    assert meta["access_token_signing_alg_values_supported"] == \
        ["RS256", "ES256"]


def test_client_credentials_jwt_without_a_row(server, app):
    r = cc(server, app)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert "refresh_token" not in body
    header, claims = decode(server, body["access_token"])
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256"
    kids = {k["kid"] for k in server.get("/oauth2.0/jwks").json()["keys"]}
    assert header["kid"] in kids
    assert claims["iss"] == server.base and claims["aud"] == server.base
    assert claims["sub"] == app[0] and claims["client_id"] == app[0]
    assert claims["scope"] == body["scope"] == "get_user_info list_album"
    assert claims["exp"] - claims["iat"] == 300
    assert abs(claims["iat"] - time.time()) < 60
    assert len(claims["jti"]) == 22 and "auth_time" not in claims
    # Issued from the worker's memory: no row was written.
    assert server.pg.sql_one("SELECT count(*) FROM tokens WHERE"
                             " client_id = $1", app[0]) == "0"
    # A narrower scope, and an RFC 8707 resource as the audience.
    r = cc(server, app, scope="list_album", resource=API)
    _, claims = decode(server, r.json()["access_token"])
    assert claims["scope"] == "list_album" and claims["aud"] == API
    assert cc(server, app).json()["access_token"] != body["access_token"]


@pytest.mark.parametrize("data,status,error", [
    ({"resource": "not a uri"}, 400, "invalid_target"),
    ({"resource": "https://api.example/#frag"}, 400, "invalid_target"),
    ({"scope": "no_such_scope"}, 400, "invalid_scope"),
])
def test_client_credentials_jwt_errors(server, app, data, status, error):
    r = cc(server, app, **data)
    assert r.status_code == status and r.json()["error"] == error, r.text


def test_wrong_secret_and_throttle_unchanged(server):
    app = add_jwt_client(server)
    r = cc(server, (app[0], "wrong"))
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"] == 'Basic realm="oauth2"'
    codes = [cc(server, (app[0], "wrong%d" % i)).status_code
             for i in range(21)]
    assert codes[-1] == 429, codes
    # The right secret still works while wrong ones are throttled.
    assert cc(server, app).status_code == 200
    only_code = add_jwt_client(server, grants="authorization_code")
    r = cc(server, only_code)
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"


def test_rs256_per_client(server):
    app = add_jwt_client(server, "--access-token-alg", "RS256")
    header, claims = decode(server, cc(server, app).json()["access_token"])
    assert header["alg"] == "RS256" and claims["client_id"] == app[0]


def test_code_flow_jwt_and_our_endpoints(server, site, user):
    q = Agent(server).code(auth_params(site[0], CB), user)
    r = exchange(server, site[0], site[1], q["code"], CB)
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["expires_in"] == 300 and t["refresh_token"]
    _, claims = decode(server, t["access_token"])
    who = jsonp_body(me(server, t["access_token"]).text)
    assert who["client_id"] == site[0]
    assert claims["sub"] == who["openid"] and claims["auth_time"] > 0
    r = server.get("/user/get_user_info", params={
        "access_token": t["access_token"], "oauth_consumer_key": site[0],
        "openid": who["openid"]})
    assert r.status_code == 200 and r.json()["ret"] == 0, r.text
    # A bearer header, as RFC 6750 has it.
    r = server.get("/oauth2.0/me", headers={
        "Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 200, r.text
    body = introspect(server, site, t["access_token"])
    assert body["active"] is True and body["sub"] == who["openid"]
    assert body["jti"] == claims["jti"] and body["aud"] == server.base
    # A refresh gives a JWT too.
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": t["refresh_token"]}, auth=site)
    assert r.status_code == 200, r.text
    assert decode(server, r.json()["access_token"])[1]["sub"] == who["openid"]


def test_revoked_jwt_is_dead_at_once(server, site, user, app):
    q = Agent(server).code(auth_params(site[0], CB), user)
    t = exchange(server, site[0], site[1], q["code"], CB).json()
    at = t["access_token"]
    assert "openid" in jsonp_body(me(server, at).text)
    r = requests.post(server.url("/oauth2.0/revoke"), auth=site,
                      data={"token": at}, timeout=30)
    assert r.status_code == 200
    assert jsonp_body(me(server, at).text)["error"] == 100015
    assert introspect(server, site, at) == {"active": False}
    # Revoking the refresh token takes the family's JWTs with it.
    q = Agent(server).code(auth_params(site[0], CB), user)
    t = exchange(server, site[0], site[1], q["code"], CB).json()
    requests.post(server.url("/oauth2.0/revoke"), auth=site,
                  data={"token": t["refresh_token"]}, timeout=30)
    assert jsonp_body(me(server, t["access_token"]).text)["error"] == 100015
    # A client_credentials JWT (no row): by its jti.
    at = cc(server, app).json()["access_token"]
    assert introspect(server, app, at)["active"] is True
    requests.post(server.url("/oauth2.0/revoke"), auth=app,
                  data={"token": at}, timeout=30)
    assert introspect(server, app, at) == {"active": False}
    # Another client's revocation changes nothing.
    other = cc(server, app).json()["access_token"]
    requests.post(server.url("/oauth2.0/revoke"), auth=site,
                  data={"token": other}, timeout=30)
    assert introspect(server, app, other)["active"] is True


def test_forged_tokens_refused(server, site, user, app):
    q = Agent(server).code(auth_params(site[0], CB), user)
    at = exchange(server, site[0], site[1], q["code"], CB).json()[
        "access_token"]
    r = server.get("/oauth2.0/me", headers={
        "Authorization": "Bearer " + tampered(at)})
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    assert jsonp_body(me(server, at[:-4] + "AAAA").text)["error"] == 100016
    assert introspect(server, app, tampered(cc(server, app).json()[
        "access_token"])) == {"active": False}
    # A client_credentials token has no user: /me says so.
    assert jsonp_body(me(server, cc(server, app).json()[
        "access_token"]).text)["error"] != 0


def test_rotated_secret_refused_by_every_worker(server):
    """The bound of the README: a change reaches each worker at its next
    request after the commit (LISTEN/NOTIFY); 1 s covers the notice's
    way from PostgreSQL to the worker."""
    app = add_jwt_client(server)
    with ThreadPoolExecutor(8) as pool:
        warm = list(pool.map(lambda _: cc(server, app).status_code,
                             range(48)))
        assert warm == [200] * 48
        out = server.oauthctl("client", "rotate-secret", app[0],
                              check=True).stdout
        new = (app[0], out.strip().split("=", 1)[1])
        time.sleep(1)
        # 16 (the brute-force guard answers 429 past 20 failures).
        old = list(pool.map(lambda _: cc(server, app).status_code,
                            range(16)))
        assert old == [401] * 16, old
        assert list(pool.map(lambda _: cc(server, new).status_code,
                             range(16))) == [200] * 16
        server.oauthctl("client", "delete", app[0], check=True)
        time.sleep(1)
        gone = list(pool.map(lambda _: cc(server, new).status_code,
                             range(48)))
        assert gone == [401] * 48


def test_without_notices_the_age_bounds(server):
    """pg_statements = unnamed (PgBouncer in transaction pooling): no
    LISTEN, so client_cache_max_age is the bound."""
    with server.reconfigured(pg_statements="unnamed",
                             client_cache_max_age="5"):
        app = add_jwt_client(server)
        with ThreadPoolExecutor(8) as pool:
            t0 = time.monotonic()
            assert list(pool.map(lambda _: cc(server, app).status_code,
                                 range(16))) == [200] * 16
            server.oauthctl("client", "rotate-secret", app[0], check=True)
            # Unheard, the copy stays in use: the cache is what answers
            # (not under plain CGI, where every request is a new process).
            if server.kind != "apache-cgi" and time.monotonic() - t0 < 3:
                assert 200 in [cc(server, app).status_code
                               for _ in range(4)]
            time.sleep(5.5)
            assert list(pool.map(lambda _: cc(server, app).status_code,
                                 range(16))) == [401] * 16


def test_key_rotation_reaches_the_cache(server, app):
    kid = b64json(cc(server, app).json()["access_token"].split(".")[0])["kid"]
    server.oauthctl("key", "rotate", "ES256", check=True)
    time.sleep(1)
    for _ in range(8):
        h, _ = decode(server, cc(server, app).json()["access_token"])
        assert h["kid"] != kid


def test_opaque_clients_unchanged(server):
    plain = make_client(server, grants="client_credentials")
    body = cc(server, plain, resource="not a uri").json()
    assert body["expires_in"] == 3600 and "." not in body["access_token"]
    assert server.pg.sql_one("SELECT count(*) FROM tokens WHERE"
                             " client_id = $1", plain[0]) == "1"


# --- mod_oauth2 verifying locally -------------------------------------------

@pytest.fixture(scope="module")
def gateway(server):
    if not MOD_OAUTH2.exists() or shutil.which("apache2") is None:
        pytest.fail("libapache2-mod-oauth2 is not installed "
                    "(tools/deps.sh all)")
    block = (readme_block("/jwt-api/").replace("@ISSUER@", server.base)
             .replace("@AUDIENCE@", API))
    g = Gateway(server, {}, extra='ScriptAlias /jwt-api/ "@VAR@/cgi/"\n' +
                block)
    yield g
    g.stop()


def test_mod_oauth2_verifies_jwts(server, app, gateway):
    at = cc(server, app, resource=API).json()["access_token"]
    r = gateway.get("/jwt-api/", at)
    assert r.status_code == 200, (r.text, gateway.web.log_text()[-2000:])
    env = r.json()
    assert env["REMOTE_USER"] == app[0]
    assert env["OAUTH2_CLAIM_client_id"] == app[0]
    assert env["OAUTH2_CLAIM_aud"] == API
    # Wrong audience (the default one), tampered, not a token at all.
    assert gateway.get("/jwt-api/", cc(server, app).json()[
        "access_token"]).status_code == 401
    assert gateway.get("/jwt-api/", tampered(at)).status_code == 401
    assert gateway.get("/jwt-api/", "made-up").status_code == 401
    log = gateway.web.log_text()
    assert at not in log and app[1] not in log


def test_mod_oauth2_refuses_expired(server, app, gateway):
    with server.reconfigured(jwt_access_token_ttl="1"):
        at = cc(server, app, resource=API).json()["access_token"]
        assert gateway.get("/jwt-api/", at).status_code == 200
        time.sleep(2.2)
        assert gateway.get("/jwt-api/", at).status_code == 401
        # Ours too.
        assert introspect(server, app, at) == {"active": False}


def test_mod_oauth2_refuses_retired_key(server, app, gateway):
    at = cc(server, app, resource=API).json()["access_token"]
    kid = b64json(at.split(".")[0])["kid"]
    assert gateway.get("/jwt-api/", at).status_code == 200
    server.oauthctl("key", "rotate", "ES256", check=True)
    assert gateway.get("/jwt-api/", at).status_code == 200  # rotated: kept
    server.oauthctl("key", "retire", kid, check=True)
    assert gateway.get("/jwt-api/", at).status_code == 401
    assert introspect(server, app, at) == {"active": False}
    time.sleep(1)
    fresh = cc(server, app, resource=API).json()["access_token"]
    assert gateway.get("/jwt-api/", fresh).status_code == 200


def test_userinfo_and_grant_withdrawal(server, user):
    out = server.oauthctl("client", "add", "--name", "JWT oidc",
                          "--redirect-uri", CB, "--scopes",
                          "openid,get_user_info", "--access-token-format",
                          "jwt", "--access-token-alg", "RS256",
                          check=True).stdout
    v = dict(line.split("=", 1) for line in out.splitlines())
    rp = (v["client_id"], v["client_secret"])
    a = Agent(server)
    q = a.code(auth_params(rp[0], CB, scope="openid get_user_info"), user)
    t = exchange(server, rp[0], rp[1], q["code"], CB).json()
    header, claims = decode(server, t["access_token"])
    assert header["alg"] == "RS256" and "id_token" in t
    r = server.get("/oauth2.0/userinfo", headers={
        "Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 200, r.text
    assert r.json()["sub"] == claims["sub"]
    # The family revoked (what withdrawing the grant on /user/grants
    # does): its JWTs are dead at once.
    server.pg.sql("UPDATE families SET revoked_at = now() WHERE"
                  " client_id = $1", rp[0])
    r = server.get("/oauth2.0/userinfo", headers={
        "Authorization": "Bearer " + t["access_token"]})
    assert r.status_code == 401

