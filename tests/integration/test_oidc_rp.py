"""Real relying parties log users in through oauth2-fcgi, unmodified.

- Apache httpd with Debian's mod_auth_openidc (tests/rp/mod_auth_openidc.conf,
  the README's example) protecting a location: login, REMOTE_USER = sub,
  profile claims on the page, the session reused, refresh, logout ending
  both sessions.
- npm openid-client 6.9.0 (tests/rp/openid-client, installed with `npm ci`
  from its committed package-lock.json into that directory at test time):
  discovery, PKCE + nonce code flow, id_token validation, userinfo,
  refresh; with an RS256 and an ES256 client.

The user agent is flow.Agent (requests): it fills in our login and
consent forms and follows the redirects between the two servers.
"""

import json
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

import harness
from flow import Agent, query_of
from oidc_rp import RP_DIR, ModAuthOpenidc

MOD = Path("/usr/lib/apache2/modules/mod_auth_openidc.so")


@pytest.fixture(scope="module")
def rp(server):
    if not MOD.exists():
        pytest.fail("libapache2-mod-auth-openidc is not installed "
                    "(tools/deps.sh all)", pytrace=False)
    m = ModAuthOpenidc.register(server)
    m.start()
    try:
        yield m
    finally:
        m.stop()


@pytest.fixture(scope="module")
def person(server):
    name = harness.unique("oidc")
    pw = secrets.token_hex(8)
    server.oauthctl("user", "add", name, "--nickname", "李雷", "--gender",
                    "男", "--email", name + "@example.org",
                    "--email-verified", input=pw + "\n", check=True)
    return harness.User(name, pw)


def follow(agent, r, limit=10):
    """Follow redirects (either server) until a page answers."""
    for _ in range(limit):
        if r.status_code not in (301, 302, 303, 307):
            return r
        r = agent.s.get(r.headers["Location"], allow_redirects=False,
                        timeout=30)
    raise AssertionError("too many redirects")


def codes_issued(server, client_id):
    return int(server.pg.sql_one(
        "SELECT count(*) FROM auth_codes WHERE client_id = $1", client_id))


def test_mod_auth_openidc_logs_in_refreshes_and_logs_out(server, rp, person):
    a = Agent(server)
    page = rp.base + "/protected/page.py"
    # Not logged in: mod_auth_openidc sends the browser to us.
    r = a.s.get(page, allow_redirects=False, timeout=30)
    assert r.status_code == 302, rp.log()
    assert r.headers["Location"].startswith(server.base + "/oauth2.0/authorize?")
    q = query_of(r.headers["Location"])
    assert q["scope"] == "openid profile email" and q["nonce"]
    r = follow(a, r)
    assert 'name="password"' in r.text
    r = a.login(r, person)
    r = a.consent(r)
    assert r.status_code == 303
    assert r.headers["Location"].startswith(rp.base + "/protected/redirect_uri?")
    r = follow(a, r)
    assert r.status_code == 200, rp.log()[-3000:]
    env = r.json()
    # REMOTE_USER is the sub, which is the client's QQ-style openid.
    sub = env["REMOTE_USER"]
    assert re.fullmatch(r"[0-9A-F]{32}", sub)
    at = env["OIDC_access_token"]
    m = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": at, "fmt": "json"}).json()
    assert m["openid"] == sub and m["client_id"] == rp.client_id
    # The profile and email claims reach the page (userinfo).
    assert env["OIDC_CLAIM_sub"] == sub
    assert env["OIDC_CLAIM_nickname"] == "李雷"
    assert env["OIDC_CLAIM_preferred_username"] == person.name
    assert env["OIDC_CLAIM_gender"] == "male"
    assert env["OIDC_CLAIM_email"] == person.name + "@example.org"
    assert env["OIDC_CLAIM_iss"] == server.config["issuer"]

    # The session is reused: no new authorization.
    n = codes_issued(server, rp.client_id)
    r = a.s.get(page, allow_redirects=False, timeout=30)
    assert r.status_code == 200 and r.json()["REMOTE_USER"] == sub
    assert codes_issued(server, rp.client_id) == n

    # Refresh (mod_auth_openidc's refresh hook): a new access token from
    # our token endpoint, the same user.
    r = a.s.get(rp.base + "/protected/redirect_uri", allow_redirects=False,
                timeout=30, params={"refresh": page, "access_token": at})
    r = follow(a, r)
    assert r.status_code == 200, rp.log()[-3000:]
    env2 = r.json()
    assert env2["OIDC_access_token"] != at
    assert env2["REMOTE_USER"] == sub
    assert requests.get(server.url("/oauth2.0/me"), timeout=30, params={
        "access_token": env2["OIDC_access_token"], "fmt": "json"}
        ).json()["openid"] == sub

    # Logout ends both sessions: mod_auth_openidc's, then ours through
    # the end_session_endpoint, back to the registered page.
    r = a.s.get(rp.base + "/protected/redirect_uri", allow_redirects=False,
                timeout=30, params={"logout": rp.base + "/loggedout.html"})
    assert r.status_code == 302, rp.log()[-3000:]
    loc = r.headers["Location"]
    assert loc.startswith(server.base + "/oauth2.0/end_session?")
    assert "id_token_hint" in query_of(loc)
    r = a.s.get(loc, allow_redirects=False, timeout=30)
    assert r.status_code == 302
    assert r.headers["Location"].startswith(rp.base + "/loggedout.html")
    r = a.s.get(page, allow_redirects=False, timeout=30)
    assert r.status_code == 302
    assert r.headers["Location"].startswith(server.base + "/oauth2.0/authorize?")
    r = a.s.get(r.headers["Location"], allow_redirects=False, timeout=30)
    assert r.status_code == 200 and 'name="password"' in r.text


def test_readme_example_is_the_tested_configuration():
    """Every directive of the README's mod_auth_openidc example is a line
    of the configuration the test above runs (values aside)."""
    readme = (harness.REPO / "README.md").read_text()
    block = re.search(r"```apache\n(LoadModule auth_openidc_module.*?)```",
                      readme, re.S).group(1)
    conf = (RP_DIR / "mod_auth_openidc.conf").read_text()
    example = conf.split("# --- the README's mod_auth_openidc example ---")[1]
    example = example.split("# --- end of the example ---")[0]

    def shape(text):
        out = []
        for line in text.strip().splitlines():
            words = line.split()
            if not words or words[0] == "LoadModule":
                continue
            out.append(words[0] if words[0].startswith("OIDC")
                       else " ".join(words))
        return out

    assert shape(block) == shape(example)
    assert "OIDCProviderMetadataURL" in shape(block)


# -- npm openid-client ---------------------------------------------------------

NODE_DIR = RP_DIR / "openid-client"


@pytest.fixture(scope="module")
def openid_client(tmp_path_factory):
    """npm ci of the pinned openid-client into a private copy of
    tests/rp/openid-client (so the tree stays clean)."""
    node = shutil.which("node", path=harness.SYS_PATH)
    npm = shutil.which("npm", path=harness.SYS_PATH)
    if not node or not npm:
        pytest.fail("node and npm are needed (Node 20)", pytrace=False)
    major = int(subprocess.run([node, "--version"], capture_output=True,
                               text=True).stdout.lstrip("v").split(".")[0])
    if major < 20:
        pytest.fail("openid-client 6 needs Node 20 or newer", pytrace=False)
    d = tmp_path_factory.mktemp("openid-client")
    for f in ("package.json", "package-lock.json", "rp.mjs"):
        shutil.copy(NODE_DIR / f, d / f)
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund",
                        "--ignore-scripts"], cwd=d, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return node, d


def node_rp(openid_client, *args, stdin=None):
    node, d = openid_client
    r = subprocess.run([node, str(d / "rp.mjs")] + [str(a) for a in args],
                       input=stdin, capture_output=True, text=True,
                       timeout=60, cwd=d)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_openid_client_logs_in(server, openid_client, person, alg):
    cb = "http://127.0.0.1:9/cb"
    out = server.oauthctl("client", "add", "--name", "openid-client " + alg,
                          "--redirect-uri", cb, "--scopes",
                          "openid,profile,email", "--id-token-alg", alg,
                          check=True).stdout
    v = dict(line.split("=", 1) for line in out.split())
    cfg = [server.config["issuer"], v["client_id"], v["client_secret"], cb,
           alg]
    start = node_rp(openid_client, "start", *cfg)
    a = Agent(server)
    r = a.s.get(start["url"], allow_redirects=False, timeout=30)
    assert 'name="password"' in r.text
    r = a.login(r, person)
    r = a.consent(r)
    assert r.status_code == 303 and r.headers["Location"].startswith(cb + "?")
    done = node_rp(openid_client, "finish", *cfg,
                   stdin=json.dumps(dict(start, callback=r.headers["Location"])))
    claims = done["claims"]
    assert done["header"]["alg"] == alg
    assert claims["iss"] == server.config["issuer"]
    assert claims["aud"] == v["client_id"]
    assert claims["nonce"] == start["nonce"]
    assert claims["sub"] == done["userinfo"]["sub"]
    assert done["userinfo"]["email"] == person.name + "@example.org"
    assert done["userinfo"]["name"] == "李雷"
    assert done["refreshed_claims"]["sub"] == claims["sub"]
    m = requests.get(server.url("/oauth2.0/me"), timeout=30, params={
        "access_token": done["access_token"], "fmt": "json"}).json()
    assert m["openid"] == claims["sub"]
