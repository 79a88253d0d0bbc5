"""test_review_mends.py: the twelve defects of the security review, one
test each, named test_rN_<what> after the rows R1-R12 of tests/README.md's checklist.

Each test sends what exposed the defect and checks the answer the README
and the SPEC promise; each failed before its mend.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from conftest import make_client, make_user, unique
from flow import (Agent, auth_params, exchange, hidden, jsonp_body, me,
                  parse_form, query_of, token)
from harness import REPO, bindir, free_port

CB = "https://rm.example/cb"


@pytest.fixture(scope="module")
def app(server):
    return make_client(server, redirect_uri=CB)


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="复核")


def _live(server, at):
    return "openid" in jsonp_body(me(server, at).text)


def _grants_page(server, u):
    """A browser logged in at /user/grants; returns (agent, page)."""
    a = Agent(server)
    page = a.s.get(server.url("/user/grants"), timeout=30)
    assert 'name="password"' in page.text
    r = a.login(page, u)
    assert r.status_code == 200 and 'name="old_password"' in r.text, r.text
    return a, r


def _csrf(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _change_password(server, a, page, old, new):
    return a.s.post(server.url("/user/grants"), timeout=30,
                    allow_redirects=False,
                    data={"op": "password", "csrf": _csrf(page.text),
                          "old_password": old, "new_password": new})


def _hash_of(server, name):
    return server.pg.sql_one(
        "SELECT password_hash FROM users WHERE username = $1", name)


# --- R1 ---------------------------------------------------------------------

@pytest.mark.parametrize("public", [True, False])
def test_r1_used_code_from_another_client_revokes_nothing(server, app, user,
                                                           public):
    """A used code presented by any other client, public or confidential:
    invalid_grant, and the victim's tokens live on."""
    cid, secret = app
    q = Agent(server).code(auth_params(cid, CB), user)
    r = exchange(server, cid, secret, q["code"], CB)
    assert r.status_code == 200, r.text
    mine = r.json()
    if public:
        other, _ = make_client(server, redirect_uri=CB, public=True)
        r = token(server, {"grant_type": "authorization_code",
                           "code": q["code"], "redirect_uri": CB,
                           "client_id": other, "code_verifier": "x" * 43})
    else:
        other, osecret = make_client(server, redirect_uri=CB)
        r = exchange(server, other, osecret, q["code"], CB)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert _live(server, mine["access_token"])
    r = token(server, {"grant_type": "refresh_token",
                       "refresh_token": mine["refresh_token"]}, auth=app)
    assert r.status_code == 200, r.text
    # The code's own client still sets off the replay revocation.
    fresh = r.json()
    r = exchange(server, cid, secret, q["code"], CB)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert not _live(server, fresh["access_token"])


# --- R2 ---------------------------------------------------------------------

def test_r2_password_change_throttled_per_user(server):
    u = make_user(server)
    a, page = _grants_page(server, u)
    before = _hash_of(server, u.name)
    for _ in range(10):
        r = _change_password(server, a, page, "wrong-old-pass", "new-pass-123")
        assert r.status_code == 400, r.status_code
    r = _change_password(server, a, page, u.password, "new-pass-123")
    assert r.status_code == 429
    assert r.headers["Retry-After"].isdigit()
    assert "Too many attempts" in r.text or "尝试次数过多" in r.text
    assert _hash_of(server, u.name) == before
    # The same counter guards the login of that name.
    b = Agent(server)
    r = b.login(b.s.get(server.url("/user/grants"), timeout=30), u)
    assert r.status_code == 429


def test_r2_password_change_counts_per_address(server, pw_client):
    """Failed password changes count against the address like failed
    logins: five of them and five bad logins, then the address is slowed
    down."""
    with server.reconfigured(login_address_limit=None):
        server.pg.sql("DELETE FROM auth_failures WHERE key LIKE 'a:%'")
        try:
            u = make_user(server)
            a, page = _grants_page(server, u)
            for _ in range(5):
                r = _change_password(server, a, page, "wrong", "new-pass-123")
                assert r.status_code == 400
            codes = []
            for i in range(6):
                r = token(server, {"grant_type": "password",
                                   "username": unique("ghost"),
                                   "password": "nope"}, auth=pw_client)
                codes.append(r.status_code)
            assert codes == [400] * 5 + [429], codes
        finally:
            server.pg.sql("DELETE FROM auth_failures WHERE key LIKE 'a:%'")


@pytest.fixture(scope="module")
def pw_client(server):
    return make_client(server, grants="password,refresh_token")


# --- R3 ---------------------------------------------------------------------

@pytest.mark.parametrize("grant", ["password", "client_credentials"])
def test_r3_only_qq_grants_on_get(server, grant):
    cid, secret = make_client(server, grants="password,client_credentials")
    u = make_user(server)
    params = {"grant_type": grant, "client_id": cid, "client_secret": secret}
    if grant == "password":
        params.update(username=u.name, password=u.password)
    url = server.url("/oauth2.0/token")
    r = requests.get(url, params=params, timeout=30)
    body = jsonp_body(r.text)
    assert body["error"] == 100000 and "POST" in body["error_description"]
    # fmt=json on a GET: the same error in QQ's JSON (issue 13).
    r = requests.get(url, params=dict(params, fmt="json"), timeout=30)
    assert r.status_code == 200
    assert r.json()["error"] == 100000
    assert "POST" in r.json()["error_description"]
    assert server.pg.sql_one(
        "SELECT count(*) FROM tokens t JOIN families f ON f.id = t.family_id"
        " WHERE f.client_id = $1", cid) == "0"
    # The same request by POST works.
    r = token(server, {k: v for k, v in params.items()
                       if k not in ("client_id", "client_secret")},
              auth=(cid, secret))
    assert r.status_code == 200, r.text


# --- R4 ---------------------------------------------------------------------

def test_r4_https_issuer_sets_secure_behind_proxy(server, app):
    """No HTTPS variable (a TLS-terminating proxy before the web server),
    but an https issuer: every cookie is Secure."""
    cid, _ = app
    top = Path(tempfile.mkdtemp(prefix="r4-"))
    try:
        conf = top / "oauth.conf"
        text = server.config_path.read_text()
        text = re.sub(r"(?m)^issuer = .*$", "issuer = https://auth.example",
                      text)
        conf.write_text(text)
        query = "&".join("%s=%s" % kv for kv in auth_params(cid, CB).items())
        for issuer_conf, want in ((conf, True), (server.config_path, False)):
            r = server.run_cgi("authorize", query=query,
                               env={"OAUTH_CONFIG": str(issuer_conf),
                                    "HTTPS": None})
            assert r.status == 200, r.body[:300]
            cookies = [v for k, v in r.headers if k.lower() == "set-cookie"]
            assert cookies
            for c in cookies:
                attrs = {x.strip().lower() for x in c.split(";")[1:]}
                assert ("secure" in attrs) == want, (issuer_conf, c)
    finally:
        shutil.rmtree(top)


# --- R5 ---------------------------------------------------------------------

CHINESE = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁"


@pytest.mark.parametrize("n", [22, 64])
def test_r5_multibyte_usernames(server, app, pw_client, n):
    """Usernames of n Chinese characters (3 bytes each): oauthctl adds
    them, the login page and the password grant log them in, and a wrong
    password is a clean failure, not a 500."""
    # Made unique with characters of the same width.
    tail = "".join(chr(0x4e00 + int(d, 16)) for d in unique("")[:4])
    name = (CHINESE * 4)[:n - 4] + tail
    assert len(name) == n and len(name.encode()) > 64
    u = make_user(server, name=name)
    r = token(server, {"grant_type": "password", "username": name,
                       "password": "wrong-pass"}, auth=pw_client)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    r = token(server, {"grant_type": "password", "username": name,
                       "password": u.password}, auth=pw_client)
    assert r.status_code == 200, r.text
    a = Agent(server)
    page = a.authorize(auth_params(app[0], CB))
    r = a.login(page, u, password="wrong-pass")
    assert r.status_code == 200 and 'name="password"' in r.text
    r = a.login(page, u)
    assert r.status_code == 200 and 'name="grant_scope"' in r.text, r.text


def test_r5_username_limit_is_characters(server):
    r = server.oauthctl("user", "add", CHINESE * 3, input="pass-word-1\n")
    assert r.returncode == 1
    assert "64 characters" in r.stderr
    assert server.pg.sql_one("SELECT count(*) FROM users WHERE username = $1",
                             CHINESE * 3) == "0"


# --- R6 ---------------------------------------------------------------------

def test_r6_unchecked_scope_is_withdrawn(server, app, user):
    cid, _ = app
    a = Agent(server)
    both = "get_user_info,list_album"
    q = a.code(auth_params(cid, CB, scope=both), user)
    assert "code" in q
    r = a.authorize(auth_params(cid, CB, scope=both, prompt="consent"))
    assert r.status_code == 200 and 'name="grant_scope"' in r.text
    r = a.consent(r, scopes=["get_user_info"])
    assert r.status_code == 303 and "code=" in r.headers["Location"]
    # Asking for both again shows the page: list_album was withdrawn.
    r = a.authorize(auth_params(cid, CB, scope=both))
    assert r.status_code == 200 and 'name="grant_scope"' in r.text
    r = a.authorize(auth_params(cid, CB, scope="get_user_info"))
    assert r.status_code == 302 and "code=" in r.headers["Location"]
    r = a.authorize(auth_params(cid, CB, scope="list_album", prompt="none"))
    assert query_of(r.headers["Location"])["error"] == "consent_required"


# --- R7 ---------------------------------------------------------------------

def test_r7_implicit_needs_state_even_with_code_challenge(server, user):
    cid, _ = make_client(server, redirect_uri=CB, grants="implicit")
    a = Agent(server)
    params = auth_params(cid, CB, response_type="token", state=None,
                         code_challenge="x" * 43,
                         code_challenge_method="plain")
    del params["state"]
    r = a.authorize(params)
    assert r.status_code == 302, r.text[:300]
    q = query_of(r.headers["Location"])
    assert "#" in r.headers["Location"]
    assert q["error"] == "invalid_request" and "state" in \
        q["error_description"]


# --- R8 ---------------------------------------------------------------------

def test_r8_unionid_only_with_an_owner(server, user):
    for owner in (None, "acme"):
        cid, secret = make_client(server, redirect_uri=CB, owner=owner)
        shown = dict(line.split("=", 1) for line in server.oauthctl(
            "client", "show", cid, check=True).stdout.splitlines())
        assert shown["owner"] == (owner or "")
        q = Agent(server).code(auth_params(cid, CB), user)
        at = exchange(server, cid, secret, q["code"], CB).json()[
            "access_token"]
        body = jsonp_body(me(server, at, unionid="1").text)
        if owner is None:
            assert body["error"] == 100048 and "openid" not in body
            r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                             params={"unionid": "1"},
                             headers={"Authorization": "Bearer " + at})
            assert r.status_code == 403
            # Without unionid=1 the openid comes as always.
            assert "openid" in jsonp_body(me(server, at).text)
        else:
            assert re.fullmatch(r"[0-9A-F]{32}", body["unionid"])


# --- R9 ---------------------------------------------------------------------

@pytest.mark.parametrize("website,ok", [
    ("javascript:alert(1)", False), ("JavaScript://x.example/%0aalert(1)",
                                     False),
    ("data:text/html,<b>x</b>", False), ("//x.example/", False),
    ("ftp://x.example/", False), ("https://u@x.example/", False),
    ("http://x.example/", True), ("https://x.example/a?b=c", True)])
def test_r9_website_must_be_http_or_https(server, website, ok):
    name = unique("site-")
    r = server.oauthctl("client", "add", "--name", name, "--redirect-uri", CB,
                        "--website", website)
    assert (r.returncode == 0) == ok, r.stderr
    if not ok:
        assert "website" in r.stderr
        assert server.pg.sql_one("SELECT count(*) FROM clients WHERE name ="
                                 " $1", name) == "0"


# --- R10 --------------------------------------------------------------------

def _pg_running(datadir):
    pid_file = datadir / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split("\n", 1)[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _copy_tree(tree):
    """What run.sh needs of the tree, and the build under test, where
    postgres and www-data can reach them (a checkout under /root is not)."""
    shutil.copytree(REPO / "tools", tree / "tools", symlinks=True)
    shutil.copytree(REPO / "htdocs", tree / "htdocs", symlinks=True)
    shutil.copy(REPO / "lighttpd-example.conf", tree)
    shutil.copytree(bindir() / "cgi-bin", tree / "bin" / "cgi-bin",
                    ignore=shutil.ignore_patterns("*.c"))
    (tree / "bin" / "tools").mkdir()
    shutil.copy(bindir() / "tools" / "oauthctl", tree / "bin" / "tools")
    for d, _, files in os.walk(tree.parent):
        os.chmod(d, 0o755)
        for f in files:
            q = os.path.join(d, f)
            os.chmod(q, os.stat(q).st_mode | 0o444)


def _default_signals():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _kill_lighttpd_of(var):
    """If the test failed half-way: the lighttpd that run.sh started with
    this test's config (in a process group of its own), by PID."""
    conf = str(var / "lighttpd.conf").encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"lighttpd") and conf in argv:
            try:
                os.killpg(int(d), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                os.kill(int(d), signal.SIGKILL)


def test_r10_second_ctrl_c_still_stops_postgresql(server):
    """`make run`'s script in a process group of its own, as a terminal
    runs it; Ctrl-C, then Ctrl-C again and again once lighttpd is gone:
    PostgreSQL is stopped all the same."""
    top = Path(tempfile.mkdtemp(prefix="r10-", dir="/tmp"))
    tree, var = top / "tree", top / "var"
    _copy_tree(tree)
    port = free_port()
    env = dict(server.env, OAUTH_VAR=str(var), PORT=str(port),
               OAUTH_BINDIR=str(tree / "bin"))
    env.pop("MAKELEVEL", None)
    var.mkdir()
    log = open(var / "run.out", "w")
    # As a terminal starts it: SIGINT and SIGTERM at their defaults even
    # when this test runs under a shell that ignores them (a background
    # job of a non-interactive shell), which bash could not trap.
    p = subprocess.Popen([str(tree / "tools" / "run.sh")], env=env,
                         stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True, preexec_fn=_default_signals)
    try:
        deadline = time.monotonic() + 120
        while "Press Ctrl-C" not in (var / "run.out").read_text():
            assert p.poll() is None, (var / "run.out").read_text()
            assert time.monotonic() < deadline, "run.sh did not start"
            time.sleep(0.2)
        assert _pg_running(var / "pg")
        os.killpg(p.pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while _port_open(port) and time.monotonic() < deadline:
            time.sleep(0.01)
        # lighttpd is gone: the cleanup is on its way to PostgreSQL.
        deadline = time.monotonic() + 90
        while p.poll() is None and time.monotonic() < deadline:
            try:
                os.killpg(p.pid, signal.SIGINT)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        p.wait(timeout=30)
        assert "stopped" in (var / "run.out").read_text()
        deadline = time.monotonic() + 10
        while _pg_running(var / "pg") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _pg_running(var / "pg"), "PostgreSQL left running"
    finally:
        log.close()
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)
        _kill_lighttpd_of(var)
        if _pg_running(var / "pg"):
            pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
            cmd = [str(pg_ctl[-1]), "-D", str(var / "pg"), "-m", "immediate",
                   "-w", "stop"]
            if os.getuid() == 0:
                cmd = ["runuser", "-u", "postgres", "--"] + cmd
            subprocess.run(cmd, timeout=60, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        shutil.rmtree(top, ignore_errors=True)


# --- R11 --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/oauth2.0/logout", "/oauth2.0/token",
                                  "/oauth2.0/authorize", "/user/grants"])
def test_r11_logout_oversize_body_is_413(server, path):
    """A body just over the programs' 64 KiB, which every web server here
    passes on (Apache's LimitRequestBody is 128 KiB): 413 from the
    program, for logout as for the others."""
    r = requests.post(server.url(path), timeout=30,
                      data={"csrf": "x" * (65 * 1024)},
                      allow_redirects=False)
    assert r.status_code == 413


# --- R12 --------------------------------------------------------------------

@pytest.mark.parametrize("lang,own,authz", [
    ("en", "Sign in to see and manage the apps that can use your account",
     "Sign in to authorize"),
    ("zh-CN", "登录后即可查看和管理可以使用你帐号的应用", "登录后即可授权")])
def test_r12_grants_login_has_its_own_wording(server, app, lang, own, authz):
    r = requests.get(server.url("/user/grants"), timeout=30,
                     headers={"Accept-Language": lang})
    assert r.status_code == 200 and 'name="password"' in r.text
    assert own in r.text and authz not in r.text
    assert '<strong class="client-ref"></strong>' not in r.text
    a = Agent(server, lang=lang)
    r = a.authorize(auth_params(app[0], CB))
    assert authz in r.text and own not in r.text
