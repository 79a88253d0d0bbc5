"""test_foundation.py: the admin CLI, storage rules, bad input on every
endpoint, database outages and plain-CGI mode."""

import re
import time

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body, me

CB = "https://found.example/cb"
ENDPOINTS = ["/oauth2.0/authorize", "/oauth2.0/token", "/oauth2.0/me",
             "/user/get_user_info", "/oauth2.0/revoke",
             "/oauth2.0/introspect"]


@pytest.fixture(scope="module")
def app(server):
    return make_client(server, redirect_uri=CB)


@pytest.fixture(scope="module")
def user(server):
    return make_user(server)


def test_client_add_prints_credentials_and_lists(server):
    r = server.oauthctl("client", "add", "--name", "CLI site",
                        "--redirect-uri", "https://cli.example/cb",
                        "--website", "https://cli.example/")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"client_id=\d{10}", lines[0])
    assert re.fullmatch(r"client_secret=[A-Za-z0-9_-]{43}", lines[1])
    cid = lines[0].split("=", 1)[1]
    listing = server.oauthctl("client", "list").stdout
    assert cid in listing and "CLI site" in listing
    show = server.oauthctl("client", "show", cid).stdout
    assert "redirect_uris=https://cli.example/cb" in show
    r = server.oauthctl("client", "add", "--name", "pub", "--public",
                        "--redirect-uri", "http://127.0.0.1/cb")
    assert r.returncode == 0
    assert len(r.stdout.splitlines()) == 1
    assert r.stdout.startswith("client_id=")
    new = server.oauthctl("client", "rotate-secret", cid)
    assert new.stdout.startswith("client_secret=")
    assert server.oauthctl("client", "delete", cid).returncode == 0
    assert cid not in server.oauthctl("client", "list").stdout


@pytest.mark.parametrize("args", [
    ["client", "add", "--name", "x", "--redirect-uri", "https://x/cb#frag"],
    ["client", "add", "--name", "x", "--redirect-uri", "javascript:alert(1)"],
    ["client", "add", "--name", "x", "--redirect-uri", "http://x.example/cb"],
    ["client", "add", "--name", "x", "--redirect-uri", "/relative"],
    ["client", "add", "--name", "x", "--redirect-uri", "https://x/cb",
     "--grants", "magic"],
    ["client", "add", "--name", "x", "--redirect-uri", "https://x/cb",
     "--scopes", "no_such_scope"],
    ["client", "add", "--name", "x", "--public", "--grants",
     "client_credentials"],
    ["client", "show", "nope"],
    ["user", "passwd", "nobody-at-all"],
    ["frobnicate"],
])
def test_cli_errors_are_one_line(server, args):
    r = server.oauthctl(*args, input="pw\n")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_user_commands(server, app):
    r = server.oauthctl("user", "add", "cliuser", "--nickname", "命令行",
                        "--gender", "女", input="first-pass\n")
    assert r.returncode == 0, r.stderr
    assert server.oauthctl("user", "add", "cliuser",
                           input="x\n").returncode == 1
    assert server.oauthctl("user", "add", "nopw", input="").returncode == 1
    r = server.oauthctl("user", "passwd", "cliuser", input="second-pass\n")
    assert r.returncode == 0
    h = server.pg.sql_one("SELECT password_hash FROM users "
                          "WHERE username = 'cliuser'")
    assert re.fullmatch(r"\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+"
                        r"\$[A-Za-z0-9+/]+", h)
    assert "pass" not in h
    assert server.oauthctl("user", "delete", "cliuser").returncode == 0


def test_secrets_never_stored_in_clear(server, app, user):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), user)
    t = exchange(server, cid, secret, q["code"], CB).json()
    dump = "\n".join("|".join(str(c) for c in row) for table in
                     ("clients", "auth_codes", "tokens", "sessions", "users")
                     for row in server.pg.sql("SELECT t::text FROM %s t"
                                              % table))
    for value in (secret, q["code"], t["access_token"], t["refresh_token"],
                  user.password):
        assert value not in dump
    # What is stored is the SHA-256 of each.
    import hashlib
    d = hashlib.sha256(t["access_token"].encode()).hexdigest()
    assert server.pg.sql_one("SELECT count(*) FROM tokens WHERE "
                             "token_hash = decode($1, 'hex')", d) == "1"


def test_schema_migrations_recorded_and_idempotent(server):
    assert server.pg.sql_one("SELECT version FROM schema_migrations "
                             "ORDER BY version LIMIT 1") == "001_init"
    r = server.oauthctl("migrate")
    assert r.returncode == 0 and "applied: 0" in r.stdout


# --- bad input, every endpoint -------------------------------------------

def _all(server, method, path, **kw):
    return requests.request(method, server.url(path), timeout=30,
                            allow_redirects=False, **kw)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_huge_body_is_413(server, path):
    r = _all(server, "POST", path, data=b"a=" + b"x" * (1 << 20),
             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


GET_ENDPOINTS = ENDPOINTS[:4]
POST_ENDPOINTS = ENDPOINTS[4:]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("query", ["client_id=a%00b", "state=%FF%FE",
                                   "x=%C0%AF", "x=%ED%A0%80"])
def test_bad_encoding_is_400(server, path, query):
    if path in GET_ENDPOINTS:
        r = _all(server, "GET", path + "?" + query)
    else:
        r = _all(server, "POST", path, data=query, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400, (path, query, r.status_code)


@pytest.mark.parametrize("program", ["authorize", "token", "me",
                                     "get_user_info"])
@pytest.mark.parametrize("query", ["x=%G1", "x=%", "x=%2", "a=%00",
                                   "a=%E2%80"])
def test_malformed_escapes_direct(server, program, query):
    """Web servers may normalise a bad escape before we see it; run the
    program directly to see what it does with one."""
    r = server.run_cgi(program, query=query)
    assert r.returncode == 0
    assert r.status == 400, (program, query, r.status, r.body[:200])


@pytest.mark.parametrize("path,params", [
    ("/oauth2.0/token", "grant_type=client_credentials&grant_type=password"),
    ("/oauth2.0/me", "access_token=a&access_token=b"),
    ("/user/get_user_info", "access_token=a&access_token=b"),
])
def test_duplicated_parameters(server, path, params):
    r = _all(server, "GET", path + "?" + params)
    assert r.status_code in (200, 400)
    if path == "/oauth2.0/token":
        assert jsonp_body(r.text)["error"] in (100000, 100004)
    elif path == "/oauth2.0/me":
        assert jsonp_body(r.text)["error"] == 100016
    else:
        assert r.json()["ret"] != 0


def test_duplicated_parameters_authorize(server, app):
    cid, _ = app
    r = _all(server, "GET", "/oauth2.0/authorize?client_id=%s&client_id=%s"
             "&redirect_uri=%s&response_type=code&state=s" % (cid, cid, CB))
    assert r.status_code == 400 and "Location" not in r.headers
    r = _all(server, "GET", "/oauth2.0/authorize?client_id=%s&redirect_uri=%s"
             "&response_type=code&state=a&state=b" % (cid, CB))
    assert r.status_code == 302
    assert "error=invalid_request" in r.headers["Location"]
    r = _all(server, "POST", "/oauth2.0/token?grant_type=client_credentials",
             data={"grant_type": "client_credentials"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_crlf_in_state_cannot_split_headers(server, app):
    cid, _ = app
    query = ("response_type=bogus&client_id=%s&redirect_uri=%s"
             "&state=x%%0d%%0aSet-Cookie:%%20pwn=1" % (cid, CB))
    # The web server may refuse control characters in a URL itself.
    r = _all(server, "GET", "/oauth2.0/authorize?" + query)
    assert r.status_code in (302, 400)
    assert "pwn" not in r.headers.get("Set-Cookie", "")
    # The program, reached directly, encodes them in the redirect.
    r = server.run_cgi("authorize", query=query)
    assert r.status == 302
    loc = dict(r.headers)["Location"]
    assert "state=x%0D%0ASet-Cookie%3A%20pwn%3D1" in loc
    assert not any(k.lower() == "set-cookie" for k, _ in r.headers)
    r = _all(server, "GET", "/oauth2.0/me?callback=a%0d%0aX:1&access_token=x")
    assert r.status_code == 400 and "X" not in r.headers


def test_token_endpoint_content_types(server, app):
    for ct, body in [("application/json", '{"grant_type":"x"}'),
                     ("text/plain", "grant_type=client_credentials"),
                     ("multipart/form-data; boundary=x", "--x--")]:
        r = _all(server, "POST", "/oauth2.0/token", data=body,
                 headers={"Content-Type": ct}, auth=app)
        assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = _all(server, "PUT", "/oauth2.0/token")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


@pytest.mark.parametrize("header", [
    "Basic", "Basic !!!", "Basic " + "QUJD", "Basic " + "A" * 4000,
    "Basic YQBiOnM=",           # "a\0b:s"
], ids=["empty", "junk", "no-colon", "4k", "nul"])
def test_malformed_basic_is_401(server, header):
    r = _all(server, "POST", "/oauth2.0/token",
             data={"grant_type": "client_credentials"},
             headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("value", ["'", "''", "\\", "\"; DROP TABLE tokens",
                                   "$1", "%", "_", "x" * 3000],
                         ids=["q", "qq", "bs", "drop", "dollar", "pct",
                              "underscore", "long"])
def test_sql_metacharacters(server, value):
    r = _all(server, "POST", "/oauth2.0/token",
             data={"grant_type": "client_credentials", "client_id": value,
                   "client_secret": value})
    assert r.status_code == 401
    assert not re.search(r"ERROR|syntax|PQ|pg_|\.c:", r.text)
    r = _all(server, "POST", "/oauth2.0/me", data={"access_token": value})
    assert jsonp_body(r.text)["error"] == 100016
    assert server.pg.sql_one("SELECT count(*) FROM tokens") is not None


def test_error_descriptions_are_clean(server):
    r = _all(server, "POST", "/oauth2.0/token",
             data={"grant_type": "client_credentials",
                   "client_id": "a'\"\\", "client_secret": "x"})
    body = r.json()
    assert re.fullmatch(r"[\x20-\x21\x23-\x5B\x5D-\x7E]+",
                        body["error_description"])


# --- outages ----------------------------------------------------------------

def test_database_down_gives_503_then_recovers(server, app, user):
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), user)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    assert "openid" in jsonp_body(me(server, at).text)
    server.stop_db()
    try:
        t0 = time.monotonic()
        r = me(server, at)
        assert r.status_code == 503
        r = _all(server, "POST", "/oauth2.0/token",
                 data={"grant_type": "client_credentials"}, auth=app)
        assert r.status_code == 503
        assert r.json()["error"] == "temporarily_unavailable"
        r = _all(server, "GET", "/oauth2.0/authorize",
                 params=auth_params(cid, CB))
        assert r.status_code == 503
        assert time.monotonic() - t0 < 15
    finally:
        server.start_db()
    # The same workers answer again, without a restart.
    deadline = time.monotonic() + 20
    while True:
        r = me(server, at)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "openid" in jsonp_body(r.text)
    assert "client_id" in server.oauthctl("metadata").stdout or True


# --- plain CGI and config errors ------------------------------------------

def test_plain_cgi_mode(server, app):
    r = server.run_cgi("me", query="access_token=nope")
    assert r.returncode == 0
    assert r.status == 200
    assert b"100016" in r.body
    r = server.run_cgi("token", method="POST",
                       body=b"grant_type=client_credentials",
                       headers={"Content-Type":
                                "application/x-www-form-urlencoded"})
    assert r.status == 401


def test_missing_config_is_500_not_crash(server):
    r = server.run_cgi("me", env={"OAUTH_CONFIG": "/nonexistent.conf"})
    assert r.returncode == 0
    assert r.status == 500
    assert "nonexistent.conf" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_deleting_client_or_user_removes_their_tokens(server):
    cid, secret = make_client(server, redirect_uri=CB)
    user = make_user(server)
    q = Agent(server).code(auth_params(cid, CB), user)
    exchange(server, cid, secret, q["code"], CB)
    Agent(server).code(auth_params(cid, CB), user)      # a code left unused
    count = ("SELECT (SELECT count(*) FROM tokens WHERE client_id = $1) + "
             "(SELECT count(*) FROM auth_codes WHERE client_id = $1)")
    assert server.pg.sql_one(count, cid) == "4"    # 2 tokens, 2 codes
    assert server.oauthctl("client", "delete", cid).returncode == 0
    assert server.pg.sql_one(count, cid) == "0"
    cid, secret = make_client(server, redirect_uri=CB)
    q = Agent(server).code(auth_params(cid, CB), user)
    exchange(server, cid, secret, q["code"], CB)
    uid = server.pg.sql_one("SELECT id FROM users WHERE username = $1",
                            user.name)
    assert server.oauthctl("user", "delete", user.name).returncode == 0
    assert server.pg.sql_one("SELECT count(*) FROM tokens WHERE user_id = $1",
                             uid) == "0"


def test_purge_removes_only_expired(server):
    cid, secret = make_client(server, redirect_uri=CB)
    user = make_user(server)
    q = Agent(server).code(auth_params(cid, CB), user)
    live = exchange(server, cid, secret, q["code"], CB).json()
    q = Agent(server).code(auth_params(cid, CB), user)
    dead = exchange(server, cid, secret, q["code"], CB).json()
    import hashlib
    for tok in (dead["access_token"], dead["refresh_token"]):
        server.pg.sql("UPDATE tokens SET expires_at = now() - interval '1 s'"
                      " WHERE token_hash = decode($1, 'hex')",
                      hashlib.sha256(tok.encode()).hexdigest())
    r = server.oauthctl("purge")
    assert r.returncode == 0 and r.stdout.startswith("purged: ")
    n = int(r.stdout.split()[1])
    assert n >= 2
    assert "openid" in jsonp_body(me(server, live["access_token"]).text)
    r = requests.post(server.url("/oauth2.0/token"), timeout=30, auth=(
        cid, secret), data={"grant_type": "refresh_token",
                            "refresh_token": live["refresh_token"]})
    assert r.status_code == 200
