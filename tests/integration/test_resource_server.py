"""test_resource_server.py: resource-server clients, seen by RFC 7662
introspection directly and by Apache's mod_oauth2 (Debian's
libapache2-mod-oauth2) protecting a location in a real Apache started
here, configured with the README's block as it stands."""

import json
import re
import shutil
from pathlib import Path

import pytest
import requests

import harness
from conftest import make_client, make_user
from flow import (Agent, auth_params, exchange, expire, introspect, jsonp_body,
                  me, token)

CB = "https://rs-site.example/cb"
REPO = Path(__file__).resolve().parent.parent.parent
MOD_OAUTH2 = Path("/usr/lib/apache2/modules/mod_oauth2.so")


def add_resource_server(server, *extra):
    out = server.oauthctl("client", "add", "--name", "API", "--resource-server",
                          *extra, check=True).stdout
    vals = dict(line.split("=", 1) for line in out.splitlines())
    return vals["client_id"], vals["client_secret"]


def show(server, cid):
    out = server.oauthctl("client", "show", cid, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, redirect_uri=CB)


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="接口用户")


@pytest.fixture(scope="module")
def rs(server):
    return add_resource_server(server)


@pytest.fixture(scope="module")
def album_rs(server):
    return add_resource_server(server, "--resource-scopes", "list_album")


def tokens(server, site, user, scope="get_user_info,list_album"):
    q = Agent(server).code(auth_params(site[0], CB, scope=scope), user)
    r = exchange(server, site[0], site[1], q["code"], CB)
    assert r.status_code == 200, r.text
    return r.json()


# --- oauthctl ---------------------------------------------------------------

def test_cli_resource_server(server):
    cid, secret = add_resource_server(server)
    assert re.fullmatch(r"\d{10}", cid) and len(secret) == 43
    info = show(server, cid)
    assert info["type"] == "resource-server"
    assert info["resource_server"] == "yes"
    assert info["grants"] == "" and info["redirect_uris"] == ""
    listing = server.oauthctl("client", "list", check=True).stdout
    assert "%s\tAPI\tresource-server\t" % cid in listing
    r = server.oauthctl("client", "set", cid, "--resource-server",
                        "--resource-scopes", "list_album, get_user_info")
    assert r.returncode == 0, r.stderr
    assert show(server, cid)["resource_server"] == \
        "yes, tokens with scope list_album or get_user_info"
    r = server.oauthctl("client", "set", cid, "--no-resource-server")
    assert r.returncode == 0, r.stderr
    assert show(server, cid)["type"] == "confidential"
    assert show(server, cid)["resource_server"] == "no"
    # An existing ordinary client becomes one.
    other, _ = make_client(server, redirect_uri=CB)
    assert server.oauthctl("client", "set", other, "--resource-server",
                           check=True).returncode == 0
    assert show(server, other)["type"] == "resource-server"
    assert show(server, other)["grants"] == \
        "authorization_code,refresh_token"


@pytest.mark.parametrize("args", [
    ["client", "add", "--name", "x", "--public", "--resource-server"],
    ["client", "add", "--name", "x", "--resource-scopes", "list_album",
     "--grants", "client_credentials"],
    ["client", "add", "--name", "x", "--resource-server",
     "--resource-scopes", "no_such_scope"],
    ["client", "set", "nope", "--resource-server"],
    ["client", "set", "demo"],
    ["client", "set", "demo", "--resource-server", "--name", "y"],
])
def test_cli_resource_server_errors(server, args):
    r = server.oauthctl(*args)
    assert r.returncode == 1
    assert r.stdout == "" and len(r.stderr.splitlines()) == 1, r.stderr


def test_cli_public_client_cannot_become_one(server):
    pub, _ = make_client(server, redirect_uri=CB, public=True)
    r = server.oauthctl("client", "set", pub, "--resource-server")
    assert r.returncode == 1 and "public" in r.stderr
    assert show(server, pub)["type"] == "public"


# --- introspection ----------------------------------------------------------

def test_resource_server_sees_any_clients_token(server, site, user, rs):
    t = tokens(server, site, user)
    body = introspect(server, rs, t["access_token"])
    openid = jsonp_body(me(server, t["access_token"]).text)["openid"]
    assert body == {
        "active": True, "scope": "get_user_info list_album",
        "client_id": site[0], "sub": openid, "username": user.name,
        "token_type": "Bearer", "exp": body["exp"], "iat": body["iat"],
        "iss": server.base}
    assert body["exp"] - body["iat"] == 3600
    # Never another client's refresh token, nor a dead or unknown one.
    assert introspect(server, rs, t["refresh_token"]) == {"active": False}
    assert introspect(server, rs, "made-up") == {"active": False}
    requests.post(server.url("/oauth2.0/revoke"), auth=site, timeout=30,
                  data={"token": t["access_token"]})
    assert introspect(server, rs, t["access_token"]) == {"active": False}
    t = tokens(server, site, user)
    expire(server, "tokens", "token_hash", t["access_token"])
    assert introspect(server, rs, t["access_token"]) == {"active": False}
    # A client_credentials token: no user.
    cc = make_client(server, grants="client_credentials")
    at = token(server, {"grant_type": "client_credentials"},
               auth=cc).json()["access_token"]
    body = introspect(server, rs, at)
    assert body["active"] is True and body["client_id"] == cc[0]
    assert "sub" not in body and "username" not in body


def test_resource_scopes_limit(server, site, user, album_rs):
    both = tokens(server, site, user)
    info_only = tokens(server, site, user, scope="get_user_info")
    albums = tokens(server, site, user, scope="list_album")
    assert introspect(server, album_rs, both["access_token"])["active"]
    assert introspect(server, album_rs, albums["access_token"])["active"]
    assert introspect(server, album_rs, info_only["access_token"]) == \
        {"active": False}


def test_ordinary_client_keeps_own_tokens_rule(server, site, user, rs):
    t = tokens(server, site, user)
    other = make_client(server, redirect_uri=CB)
    assert introspect(server, other, t["access_token"]) == {"active": False}
    own = introspect(server, site, t["access_token"])
    assert own["active"] is True and own["client_id"] == site[0]
    assert "username" not in own
    # The resource server's wrong secret is a 401, not an answer.
    r = requests.post(server.url("/oauth2.0/introspect"), timeout=30,
                      auth=(rs[0], "wrong"),
                      data={"token": t["access_token"]})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    # Set back to an ordinary client, it sees no one else's token.
    server.oauthctl("client", "set", rs[0], "--no-resource-server",
                    check=True)
    try:
        assert introspect(server, rs, t["access_token"]) == {"active": False}
    finally:
        server.oauthctl("client", "set", rs[0], "--resource-server",
                        check=True)
    assert introspect(server, rs, t["access_token"])["active"] is True


# --- mod_oauth2 in a real Apache --------------------------------------------

WHOAMI = """#!/usr/bin/python3
import json, os
print("Content-Type: application/json")
print()
print(json.dumps({k: v for k, v in os.environ.items()
                  if k == "REMOTE_USER" or k.startswith("OAUTH2_CLAIM_")}))
"""

GATEWAY = """# The API gateway of test_resource_server.py.
ServerRoot "@VAR@"
ServerName 127.0.0.1:@PORT@
Listen 127.0.0.1:@PORT@
PidFile "@VAR@/sock/gateway.pid"
DefaultRuntimeDir "@VAR@/sock"
Define MODDIR /usr/lib/apache2/modules
LoadModule mpm_event_module  ${MODDIR}/mod_mpm_event.so
LoadModule authn_core_module ${MODDIR}/mod_authn_core.so
LoadModule authz_core_module ${MODDIR}/mod_authz_core.so
LoadModule authz_user_module ${MODDIR}/mod_authz_user.so
LoadModule alias_module      ${MODDIR}/mod_alias.so
LoadModule cgid_module       ${MODDIR}/mod_cgid.so
LoadModule oauth2_module     ${MODDIR}/mod_oauth2.so
User @USER@
Group @GROUP@
ErrorLog "@VAR@/log/apache-error.log"
LogLevel warn
ScriptSock "@VAR@/sock/cgid.sock"
<Directory "@VAR@/cgi">
	Options +ExecCGI
	Require all granted
</Directory>
"""


def readme_block(location="/api/"):
    """The mod_oauth2 configuration block of the README for location."""
    text = (REPO / "README.md").read_text()
    m = re.search(r"```apache\n(<Location " + re.escape(location) +
                  r">\n.*?</Location>\n)```", text, re.S)
    assert m, "README.md has no mod_oauth2 <Location> block"
    return m.group(1)


class Gateway:
    """Apache + mod_oauth2 in front of a CGI program that prints what it
    was told about the caller, one location per (path, credentials)."""

    def __init__(self, server, locations, extra=""):
        self.top = server.top / ("gateway-%d" % harness.free_port())
        for d in ("cgi", "log", "sock"):
            (self.top / d).mkdir(parents=True)
        self.top.chmod(0o755)
        server.acc.chown_run(self.top / "sock")
        (self.top / "cgi" / "whoami").write_text(WHOAMI)
        (self.top / "cgi" / "whoami").chmod(0o755)
        text = GATEWAY
        for path, (cid, secret) in locations.items():
            text += 'ScriptAlias %s "@VAR@/cgi/"\n' % path
            text += (readme_block().replace("/api/", path)
                     .replace("@ISSUER@", server.base)
                     .replace("@RS_ID@", cid)
                     .replace("@RS_SECRET@", secret))
        text += extra
        self.port = harness.free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        # WebServer renders @VAR@ etc. and adds the sanitizer variables,
        # which need mod_env and mod_fcgid; the gateway runs no program
        # of ours, so they are dropped again.
        self.web = harness.WebServer("apache-cgi", self.top, self.port,
                                     server.acc, server.env, prefix=REPO,
                                     bindir=REPO, source=text)
        self.web.render()
        conf = self.web.conf.read_text()
        conf = conf[:conf.index("\n# added by tests/harness.py")] + "\n"
        self.web.conf.write_text(conf)
        self.web.start()

    def get(self, path, tok):
        return requests.get(self.base + path + "whoami", timeout=30,
                            headers={"Authorization": "Bearer " + tok})

    def stop(self):
        self.web.stop()


@pytest.fixture(scope="module")
def gateway(server, rs, album_rs, site):
    if not MOD_OAUTH2.exists() or shutil.which("apache2") is None:
        pytest.fail("libapache2-mod-oauth2 is not installed "
                    "(tools/deps.sh all)")
    g = Gateway(server, {"/api/": rs, "/albums/": album_rs,
                         "/site-only/": site})
    yield g
    g.stop()


def test_mod_oauth2_lets_live_tokens_in(server, site, user, gateway):
    t = tokens(server, site, user)
    at = t["access_token"]
    r = gateway.get("/api/", at)
    assert r.status_code == 200, (r.text, gateway.web.log_text()[-2000:])
    env = r.json()
    openid = jsonp_body(me(server, at).text)["openid"]
    assert env["REMOTE_USER"] == openid
    assert env["OAUTH2_CLAIM_sub"] == openid
    assert env["OAUTH2_CLAIM_username"] == user.name
    assert env["OAUTH2_CLAIM_client_id"] == site[0]
    assert env["OAUTH2_CLAIM_scope"] == "get_user_info list_album"
    assert env["OAUTH2_CLAIM_iss"] == server.base
    # Within the scoped resource server's scopes too.
    assert gateway.get("/albums/", at).status_code == 200


def test_mod_oauth2_refuses_bad_tokens(server, site, user, gateway):
    assert gateway.get("/api/", "made-up-token").status_code == 401
    r = requests.get(gateway.base + "/api/whoami", timeout=30)
    assert r.status_code == 401
    # Revoked after a first, good use: refused at once.
    t = tokens(server, site, user)
    assert gateway.get("/api/", t["access_token"]).status_code == 200
    requests.post(server.url("/oauth2.0/revoke"), auth=site, timeout=30,
                  data={"token": t["access_token"]})
    r = gateway.get("/api/", t["access_token"])
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    # Expired after a first, good use.
    t = tokens(server, site, user)
    assert gateway.get("/api/", t["access_token"]).status_code == 200
    expire(server, "tokens", "token_hash", t["access_token"])
    assert gateway.get("/api/", t["access_token"]).status_code == 401
    # A refresh token is no access token.
    assert gateway.get("/api/", t["refresh_token"]).status_code == 401
    # Outside the resource server's scopes.
    info_only = tokens(server, site, user, scope="get_user_info")
    assert gateway.get("/api/", info_only["access_token"]).status_code == 200
    assert gateway.get("/albums/",
                       info_only["access_token"]).status_code == 401


def test_mod_oauth2_ordinary_client_sees_only_its_own(server, site, user,
                                                      gateway):
    own = tokens(server, site, user)
    other_site = make_client(server, redirect_uri=CB)
    other = tokens(server, other_site, user)
    r = gateway.get("/site-only/", own["access_token"])
    assert r.status_code == 200
    assert "OAUTH2_CLAIM_username" not in r.json()
    assert gateway.get("/site-only/", other["access_token"]).status_code == 401
    assert gateway.get("/api/", other["access_token"]).status_code == 200
    log = gateway.web.log_text()
    assert own["access_token"] not in log and other["access_token"] not in log
    assert json.dumps(site[1])[1:-1] not in log
