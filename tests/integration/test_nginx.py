"""test_nginx.py: the programs behind Debian's nginx, kept running by
spawn-fcgi (the session's server in the OAUTH_SERVER=nginx pass) and by
systemd-style socket activation (the units `make install` writes, started
with systemd's own systemd-socket-activate tool).

The whole integration suite runs through nginx in that pass; this module
shows what is particular to it: the Authorization header reaching the
programs, the body limits, the access log, and the listening socket on
file descriptor 0."""

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests

import harness
from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body

REPO = Path(__file__).resolve().parents[2]
CB = "https://nginx.example/cb"
ACTIVATE = "/usr/bin/systemd-socket-activate"


@pytest.fixture(scope="module", autouse=True)
def nginx_pass(server):
    if server.kind != "nginx":
        pytest.skip("runs once, in the OAUTH_SERVER=nginx pass")


def listening_unix_sockets():
    """inode -> path of every listening unix socket (/proc/net/unix)."""
    out = {}
    with open("/proc/net/unix") as f:
        next(f)
        for line in f:
            fields = line.split()
            # Flags 00010000 is __SO_ACCEPTCON: a socket in listen().
            if len(fields) >= 8 and int(fields[3], 16) & 0x10000:
                out[int(fields[6])] = fields[7]
    return out


def fd0_socket(pid):
    """The inode of the socket on file descriptor 0 of pid, or None."""
    link = os.readlink("/proc/%d/fd/0" % pid)
    if not link.startswith("socket:["):
        return None
    return int(link[len("socket:["):-1])


def processes_of(path):
    """PIDs of the live processes whose program is path."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv0 = f.read().split(b"\0")[0]
        except OSError:
            continue
        if argv0 == str(path).encode() and harness._alive(int(d)):
            pids.append(int(d))
    return pids


def test_basic_and_bearer_reach_programs(server):
    """Basic at the token endpoint, Bearer at the resource endpoints: the
    programs' answers depend on the header's content, so a header that
    did not arrive would show (QQ mode would answer "missing token")."""
    cid, secret = make_client(server, redirect_uri=CB,
                              grants="authorization_code,client_credentials")
    url = server.url("/oauth2.0/token")
    r = requests.post(url, data={"grant_type": "client_credentials"},
                      auth=(cid, secret), timeout=30)
    assert r.status_code == 200 and r.json()["access_token"], r.text
    r = requests.post(url, data={"grant_type": "client_credentials"},
                      auth=(cid, secret + "x"), timeout=30)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")

    user = make_user(server)
    q = Agent(server).code(auth_params(cid, CB), user)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    r = server.get("/oauth2.0/me", params={"fmt": "json"},
                   headers={"Authorization": "Bearer " + at})
    assert r.status_code == 200 and r.json()["client_id"] == cid, r.text
    openid = r.json()["openid"]
    r = server.get("/user/get_user_info",
                   params={"oauth_consumer_key": cid, "openid": openid},
                   headers={"Authorization": "Bearer " + at})
    assert r.status_code == 200 and r.json()["ret"] == 0, r.text
    r = server.get("/oauth2.0/me", params={"fmt": "json"},
                   headers={"Authorization": "Bearer " + at[:-1]})
    assert r.status_code == 401, r.text
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]


def test_bodies_over_64_kib_get_413(server):
    """Up to 128 KiB nginx hands the body on and the program refuses what
    is over 64 KiB (its own JSON error); beyond, nginx refuses it."""
    cid, secret = make_client(server, grants="client_credentials")
    base = b"grant_type=client_credentials&pad="
    url = server.url("/oauth2.0/token")
    hdr = {"Content-Type": "application/x-www-form-urlencoded"}
    for size, want in ((65536, 200), (65537, 413), (131072, 413),
                       (1 << 20, 413)):
        body = base + b"x" * (size - len(base))
        r = requests.post(url, data=body, headers=hdr, auth=(cid, secret),
                          timeout=30)
        assert r.status_code == want, (size, r.status_code, r.text[:200])
        if size == 65537:
            assert r.json()["error"] == "invalid_request"   # the program's
    r = requests.post(server.url("/oauth2.0/authorize"), timeout=30,
                      data=b"a=" + b"x" * 70000, headers=hdr)
    assert r.status_code == 413


def test_access_log_clean_after_code_flow(server):
    """A code flow with every secret in a URL somewhere (QQ's GET token
    request carries the code and the client secret, /me and
    get_user_info the access token), and a refresh: nginx's access log
    records each request, without any of them; so does its error log."""
    cid, secret = make_client(server, redirect_uri=CB)
    user = make_user(server)
    state = "st-" + harness.unique()
    agent = Agent(server)
    q = agent.code(auth_params(cid, CB, state=state), user)
    assert q["state"] == state
    r = server.get("/oauth2.0/token", params={
        "grant_type": "authorization_code", "client_id": cid,
        "client_secret": secret, "code": q["code"], "redirect_uri": CB})
    t = {k: v[0] for k, v in parse_qs(r.text).items()}
    assert t.get("access_token") and t.get("refresh_token"), r.text
    r = server.get("/oauth2.0/me", params={"access_token": t["access_token"]})
    openid = jsonp_body(r.text)["openid"]
    r = server.get("/user/get_user_info", params={
        "access_token": t["access_token"], "oauth_consumer_key": cid,
        "openid": openid})
    assert r.json()["ret"] == 0
    r = requests.post(server.url("/oauth2.0/token"), auth=(cid, secret),
                      timeout=30, data={"grant_type": "refresh_token",
                                        "refresh_token": t["refresh_token"]})
    assert r.status_code == 200, r.text
    t2 = r.json()
    session = agent.s.cookies.get("oauth_session")
    assert session

    access = (server.top / "log" / "access.log").read_text()
    errors = (server.top / "log" / "nginx-error.log").read_text()
    for name, value in (("client secret", secret), ("code", q["code"]),
                        ("access token", t["access_token"]),
                        ("refresh token", t["refresh_token"]),
                        ("new access token", t2["access_token"]),
                        ("new refresh token", t2["refresh_token"]),
                        ("password", user.password), ("session", session),
                        ("state", state), ("openid", openid)):
        assert value not in access, "%s in the access log" % name
        assert value not in errors, "%s in the error log" % name
    assert "?" not in access
    for line in ('"GET /oauth2.0/authorize HTTP/1.1" 200',
                 '"POST /oauth2.0/authorize HTTP/1.1" 303',
                 '"GET /oauth2.0/token HTTP/1.1" 200',
                 '"GET /oauth2.0/me HTTP/1.1" 200',
                 '"GET /user/get_user_info HTTP/1.1" 200',
                 '"POST /oauth2.0/token HTTP/1.1" 200'):
        assert line in access, line


def test_spawn_fcgi_workers_listen_on_fd0(server):
    """spawn-fcgi hands each worker the listening socket as fd 0, and
    the programs answer on it: two workers per program."""
    listening = listening_unix_sockets()
    by_prog = {}
    for pid, prog in server.web.worker_pids.items():
        assert harness._alive(pid), (prog, pid)
        by_prog.setdefault(prog, []).append(pid)
        assert listening.get(fd0_socket(pid)) == \
            str(server.top / "sock" / ("%s.sock" % prog)), (prog, pid)
    assert sorted(by_prog) == sorted(harness.PROGRAMS)
    assert all(len(p) == 2 for p in by_prog.values()), by_prog


def unit_settings(path):
    """KEY -> [values] of a systemd unit file (sections merged)."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and line[0] not in "#;[":
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


@pytest.fixture
def installed():
    """`make install` into a temporary DESTDIR, with the systemd units;
    yields that directory (readable by the workers' user)."""
    dest = Path(tempfile.mkdtemp(prefix="oauth-install-", dir="/tmp"))
    try:
        dest.chmod(0o755)
        r = subprocess.run(["make", "-s", "--no-print-directory", "install",
                            "DESTDIR=%s" % dest, "PREFIX=/usr/local",
                            "SYSTEMD_UNITDIR=/etc/systemd/system"],
                           cwd=str(REPO), capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr
        for d, _, _ in os.walk(dest):
            os.chmod(d, 0o755)
        yield dest
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def test_systemd_socket_activation(server, installed):
    """From what `make install` wrote: nginx-example.conf, the spawn-fcgi
    script for the programs, and token started as oauth2-fcgi@token.socket
    and .service would start it -- the socket bound by the activator and
    passed on fd 0 (StandardInput=socket; systemd-socket-activate --inetd
    passes it the same way), the service's ExecStart, Environment and
    User.  A token request through nginx then starts it and is answered."""
    dest = installed
    share = dest / "usr/local/share/oauth2-fcgi"
    libexec = dest / "usr/local/lib/oauth2-fcgi"
    units = dest / "etc/systemd/system"
    sock_unit = unit_settings(units / "oauth2-fcgi@.socket")
    svc_unit = unit_settings(units / "oauth2-fcgi@.service")
    assert sock_unit["ListenStream"] == ["/run/oauth2-fcgi/%i.sock"]
    assert sock_unit.get("Accept", ["no"]) == ["no"]
    assert svc_unit["StandardInput"] == ["socket"]
    conf = (share / "nginx-example.conf").read_text()
    assert "fastcgi_pass unix:/run/oauth2-fcgi/token.sock;" in conf

    # systemd's own check of the units, with paths that exist here.
    check = Path(tempfile.mkdtemp(prefix="oauth-units-", dir="/tmp"))
    try:
        for name in ("oauth2-fcgi@.socket", "oauth2-fcgi@.service"):
            text = (units / name).read_text().replace(
                "/usr/local/", str(dest) + "/usr/local/")
            (check / name).write_text(text)
            (check / name.replace("@", "@token")).symlink_to(check / name)
        r = subprocess.run(["systemd-analyze", "verify", "--man=no",
                            str(check / "oauth2-fcgi@token.socket"),
                            str(check / "oauth2-fcgi@token.service")],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    finally:
        shutil.rmtree(check, ignore_errors=True)

    top = Path(tempfile.mkdtemp(prefix="oauth-nginx-", dir="/tmp"))
    web = activator = None
    try:
        top.chmod(0o755)
        for d in ("log", "sock", "www/.well-known"):
            (top / d).mkdir(parents=True)
        server.acc.chown_run(top / "sock")
        shutil.copy(server.config_path, top / "oauth.conf")
        (top / "oauth.conf").chmod(0o644)
        sock = top / "sock" / "token.sock"
        conf = conf.replace("/usr/local/", str(dest) + "/usr/local/")
        conf = conf.replace("/run/oauth2-fcgi/", str(top / "sock") + "/")
        web = harness.WebServer("nginx", top, harness.free_port(), server.acc,
                                server.env, prefix=share.parent,
                                bindir=libexec, source=conf,
                                spawn=share / "spawn-fcgi-example.sh")
        web.render()
        web.start()
        base = "http://127.0.0.1:%d" % web.port
        # token leaves spawn-fcgi for socket activation.
        r = subprocess.run(["/bin/sh", str(web.spawn), "stop", "token"],
                           env=web.spawn_env(), capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and not sock.exists(), r.stderr
        web.worker_pids = web._read_worker_pids()
        assert "token" not in web.worker_pids.values()

        env = dict(e.split("=", 1) for e in svc_unit["Environment"])
        env["OAUTH_CONFIG"] = str(top / "oauth.conf")
        argv = [a.replace("%i", "token").replace("${WORKERS}", env["WORKERS"])
                for a in shlex.split(svc_unit["ExecStart"][0])]
        argv = [a.replace("/usr/local/", str(dest) + "/usr/local/")
                for a in argv]
        program = libexec / "cgi-bin/token.fcgi"
        assert argv[-1] == str(program)
        cmd = [ACTIVATE, "--inetd", "--listen=%s" % sock]
        for k, v in sorted(env.items()):
            cmd.append("--setenv=%s=%s" % (k, v))
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            cmd.append("--setenv=%s=%s" % (k, server.env[k]))
        as_user = {}
        if server.acc.root:
            assert svc_unit["User"] == [server.acc.run_user]
            as_user = dict(user=server.acc.run_uid, group=server.acc.run_gid,
                           extra_groups=[])
        with open(top / "log" / "activate.log", "wb") as log:
            activator = subprocess.Popen(
                cmd + argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=server.env, cwd="/", start_new_session=True, **as_user)
        deadline = time.monotonic() + 10
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sock.exists(), (top / "log" / "activate.log").read_text()
        assert processes_of(program) == []      # started on demand

        cid, secret = make_client(server, grants="client_credentials")
        r = requests.post(base + "/oauth2.0/token", timeout=30,
                          data={"grant_type": "client_credentials"},
                          auth=(cid, secret))
        assert r.status_code == 200, (r.text, web.log_text()[-2000:])
        at = r.json()["access_token"]
        # introspect, still under spawn-fcgi from the installed script,
        # knows it.
        r = requests.post(base + "/oauth2.0/introspect", timeout=30,
                          data={"token": at}, auth=(cid, secret))
        assert r.status_code == 200 and r.json()["active"] is True, r.text

        # WORKERS processes of the program, each with the listening
        # socket on fd 0 -- the one the activator bound, not a connection.
        listening = listening_unix_sockets()
        workers = processes_of(program)
        assert len(workers) == int(env["WORKERS"]), workers
        for pid in workers:
            assert listening.get(fd0_socket(pid)) == str(sock), pid
        for _ in range(6):
            r = requests.post(base + "/oauth2.0/token", timeout=30,
                              data={"grant_type": "client_credentials"},
                              auth=(cid, secret))
            assert r.status_code == 200, r.text
        assert sorted(processes_of(program)) == sorted(workers)
        crashes = [line for line in web.log_text().splitlines()
                   if any(rx.search(line) for rx in harness.DIED_RES)]
        assert not crashes and not web.lost_workers(), crashes
    finally:
        if activator is not None:
            harness._stop_group(activator)
        if web is not None:
            web.stop()
        shutil.rmtree(top, ignore_errors=True)
    assert processes_of(libexec / "cgi-bin/token.fcgi") == []
    assert processes_of(libexec / "cgi-bin/introspect.fcgi") == []
