"""test_valgrind.py: memcheck over a full flow, in plain-CGI mode and in a
FastCGI loop, and memory that does not grow with the number of requests.

- Plain CGI: each step of the flow (login page, login, consent, code
  exchange, client_credentials, refresh, me, get_user_info, introspect,
  revoke, grants page, logout) is one run of the program under
  `valgrind --leak-check=full --errors-for-leak-kinds=definite`.
- FastCGI: one worker per program, each started by the test on its own
  unix socket (bound here and handed over as fd 0, the FastCGI
  convention) under valgrind, serves about 200 requests of the same flow
  through the minimal FastCGI client below, then is stopped with SIGTERM.
- Growth: the same workers without valgrind; VmRSS after ~100 requests
  and after ~1000 must stay within a small bound.

Every valgrind report must say: no errors, no definitely lost bytes.

Only the default build runs under valgrind: ASan (OAUTH_BINDIR=san) and
valgrind cannot share a process, so that build skips this module; the
default run covers it.  No web server takes part either, so the passes
with OAUTH_SERVER=apache-* skip it too rather than repeat it.
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest

import harness
from conftest import make_client, make_user
from flow import hidden, jsonp_body, parse_form, query_of

CB = "https://vg.example.com/cb"
VALGRIND = shutil.which("valgrind", path=harness.SYS_PATH)
FCGI_ROUNDS = 18            # x 11 requests: 200 under valgrind
GROWTH_WARMUP = 25          # rounds: token has served 100 requests
GROWTH_ROUNDS = 225         # then 900 more
GROWTH_BOUND_KIB = 256      # VmRSS may move that much, no more
PROGRAMS = ("authorize", "token", "me", "get_user_info", "introspect",
            "revoke", "grants", "logout")
PATH_PROGRAM = {v: k for k, v in harness.PROGRAM_PATHS.items()}


def _asan_build(path):
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


@pytest.fixture(scope="module")
def vg(server):
    if os.environ.get("OAUTH_BINDIR") == "san" or \
            _asan_build(server.bindir / "cgi-bin" / "me.fcgi"):
        pytest.skip("sanitizer build: ASan and valgrind do not mix; "
                    "the default build's run covers this module")
    if server.kind != "lighttpd":
        pytest.skip("no web server involved: this module runs once, in "
                    "the default OAUTH_SERVER=lighttpd pass")
    assert VALGRIND, "valgrind is not installed (tools/debian-packages)"
    return VALGRIND


@pytest.fixture(scope="module")
def app(server):
    return make_client(server, redirect_uri=CB,
                       grants="authorization_code,refresh_token,password,"
                              "client_credentials")


def valgrind_cmd(log):
    return [VALGRIND, "--tool=memcheck", "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            "--show-leak-kinds=definite", "--error-exitcode=99",
            "--num-callers=30", "--log-file=%s" % log]


def report_problems(log):
    """What is wrong in a valgrind log: [] when it reports no error and no
    definitely lost byte."""
    text = log.read_text(errors="replace") if log.exists() else ""
    summaries = re.findall(r"ERROR SUMMARY: ([\d,]+) errors", text)
    if not summaries:
        return ["%s: no valgrind summary:\n%s" % (log.name, text[-3000:])]
    problems = []
    if int(summaries[-1].replace(",", "")):
        problems.append("%s: %s errors" % (log.name, summaries[-1]))
    lost = re.findall(r"definitely lost: ([\d,]+) bytes", text)
    if lost and int(lost[-1].replace(",", "")):
        problems.append("%s: definitely lost %s bytes" % (log.name, lost[-1]))
    if problems:
        problems.append(text[-8000:])
    return problems


# -- transports: one request to a program, answered as a CgiResult ---------

def cgi_env(server, program, method, query, body, headers):
    """The CGI/FastCGI parameters of a request, as harness.run_cgi builds
    them (plus HTTP_HOST, which a web server always sends)."""
    path = harness.PROGRAM_PATHS[program]
    e = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "test",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(server.port),
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": path,
        "QUERY_STRING": query,
        "REQUEST_URI": path + ("?" + query if query else ""),
        "HTTP_HOST": "127.0.0.1:%d" % server.port,
    }
    if body or method == "POST":
        e["CONTENT_LENGTH"] = str(len(body))
        e["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    for k, v in headers.items():
        e["HTTP_" + k.upper().replace("-", "_")] = v
    return e


class CgiUnderValgrind:
    """Each request is one plain-CGI run under valgrind."""

    def __init__(self, server, logdir):
        self.server = server
        self.logdir = logdir
        self.logs = []
        self.runs = 0

    def __call__(self, program, method, query, body, headers):
        self.runs += 1
        log = self.logdir / ("cgi-%02d-%s.log" % (self.runs, program))
        self.logs.append(log)
        r = self.server.run_cgi(program, method=method, query=query,
                                body=body, headers=headers, timeout=120,
                                wrapper=valgrind_cmd(log))
        assert r.returncode == 0, (program, r.returncode, r.stderr[-2000:],
                                   report_problems(log))
        return r


# FastCGI record types and the one role we play.
FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, \
    FCGI_STDOUT, FCGI_STDERR = 1, 3, 4, 5, 6, 7
FCGI_RESPONDER = 1


def _record(rtype, content, rid=1):
    pad = -len(content) % 8
    return struct.pack(">BBHHBx", 1, rtype, rid, len(content), pad) + \
        content + b"\0" * pad


def _records(rtype, content):
    """content split into records, then the empty record ending the
    stream."""
    out = b"".join(_record(rtype, content[i:i + 65535])
                   for i in range(0, len(content), 65535))
    return out + _record(rtype, b"")


def _name_value(k, v):
    def length(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 1 << 31)
    k, v = k.encode(), v.encode()
    return length(len(k)) + length(len(v)) + k + v


def fcgi_request(sock_path, params, body=b"", timeout=60):
    """One FastCGI request on a new connection (keep-conn off, as
    lighttpd and mod_fcgid use it); returns (stdout, stderr) bytes."""
    msg = _record(FCGI_BEGIN_REQUEST, struct.pack(">HB5x", FCGI_RESPONDER, 0))
    msg += _records(FCGI_PARAMS, b"".join(_name_value(k, v)
                                          for k, v in params.items()))
    msg += _records(FCGI_STDIN, body)
    out, err, buf = [], [], b""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(sock_path))
        s.sendall(msg)
        ended = False
        while not ended:
            while len(buf) >= 8:
                _, rtype, _, clen, plen = struct.unpack(">BBHHBx", buf[:8])
                if len(buf) < 8 + clen + plen:
                    break
                content, buf = buf[8:8 + clen], buf[8 + clen + plen:]
                if rtype == FCGI_STDOUT:
                    out.append(content)
                elif rtype == FCGI_STDERR:
                    err.append(content)
                elif rtype == FCGI_END_REQUEST:
                    ended = True
                    break
            if ended:
                break
            data = s.recv(65536)
            assert data, "FastCGI connection closed before END_REQUEST"
            buf += data
    return b"".join(out), b"".join(err)


class Worker:
    """A program in FastCGI mode on a unix socket that the test binds and
    passes as fd 0; optionally under a wrapper (valgrind)."""

    def __init__(self, server, program, rundir, wrapper=()):
        self.program = program
        self.sock_path = rundir / ("%s.sock" % program)
        self.stderr_path = rundir / ("%s.stderr" % program)
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            ls.bind(str(self.sock_path))
            ls.listen(64)
            with open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    list(wrapper) + [str(server.bindir / "cgi-bin" /
                                         ("%s.fcgi" % program))],
                    stdin=ls.fileno(), stdout=subprocess.DEVNULL, stderr=err,
                    env=dict(server.env, OAUTH_CONFIG=str(server.config_path)),
                    cwd=str(rundir))
        finally:
            ls.close()

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS for %s" % self.program)

    def stop(self, timeout=60):
        """SIGTERM, as the web server stops its workers; returns the exit
        status (SIGKILL after timeout, which fails the caller)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                return "killed after %d s" % timeout
        return self.proc.returncode


class FastCgi:
    """Requests sent to workers over FastCGI."""

    def __init__(self, server, workers):
        self.server = server
        self.workers = workers
        self.requests = 0
        self.served = dict.fromkeys(workers, 0)

    def __call__(self, program, method, query, body, headers):
        self.requests += 1
        self.served[program] += 1
        w = self.workers[program]
        assert w.proc.poll() is None, "%s exited: %s" % (
            program, w.stderr_path.read_text(errors="replace")[-2000:])
        out, err = fcgi_request(w.sock_path, cgi_env(
            self.server, program, method, query, body, headers), body)
        return harness._parse_cgi(SimpleNamespace(stdout=out, stderr=err,
                                                  returncode=0))


# -- the flow ---------------------------------------------------------------

class UserAgent:
    """Plays the user agent and the client over a transport: cookies,
    forms, Basic authentication."""

    def __init__(self, transport):
        self.send = transport
        self.cookies = {}

    def request(self, program, method="GET", params=None, headers=None,
                auth=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv
                                          for kv in self.cookies.items())
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(
                ("%s:%s" % auth).encode()).decode()
        enc = urlencode(params or {})
        query, body = (enc, b"") if method == "GET" else ("", enc.encode())
        r = self.send(program, method, query, body, headers)
        for k, v in r.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in v.lower() or value == "deleted":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return SimpleNamespace(status=r.status, headers=dict(
            (k.lower(), v) for k, v in r.headers),
            text=r.body.decode("utf-8", "replace"))

    def submit(self, page, fields):
        form = parse_form(page.text)
        program = PATH_PROGRAM[urlsplit(form.action).path]
        return self.request(program, "POST", hidden(form) + fields)


def code_of(r):
    assert r.status in (302, 303), (r.status, r.text[:500])
    q = query_of(r.headers["location"])
    assert "code" in q, q
    return q["code"]


def run_flow(b, app, user, rounds, first=True, last=True, errors=True):
    """The whole flow, `rounds` times: authorize (login and consent the
    first time, remembered consent afterwards), the grants, me,
    get_user_info, introspect, revoke, error paths (unless errors=False),
    the grants page, and logout at the end."""
    cid, secret = app
    params = {"response_type": "code", "client_id": cid, "redirect_uri": CB,
              "scope": "get_user_info,list_album", "state": "vg-state"}
    for i in range(rounds):
        r = b.request("authorize", params=params)
        if first and i == 0:
            assert r.status == 200 and 'name="password"' in r.text, \
                r.text[-1500:]
            r = b.submit(r, [("username", user.name),
                             ("password", user.password)])
            assert r.status == 200 and 'name="grant_scope"' in r.text, \
                r.text[-1500:]
            r = b.submit(r, [("grant_scope", "get_user_info"),
                             ("grant_scope", "list_album"),
                             ("decision", "allow")])
        code = code_of(r)

        r = b.request("token", "POST", auth=app, params={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": CB})
        assert r.status == 200, r.text
        pair = _json(r)
        r = b.request("me", params={"access_token": pair["access_token"]})
        openid = jsonp_body(r.text)["openid"]
        r = b.request("get_user_info", params={
            "access_token": pair["access_token"], "oauth_consumer_key": cid,
            "openid": openid})
        assert _json(r)["ret"] == 0, r.text
        r = b.request("token", "POST", auth=app, params={
            "grant_type": "refresh_token",
            "refresh_token": pair["refresh_token"]})
        assert r.status == 200, r.text
        fresh = _json(r)
        r = b.request("introspect", "POST", auth=app,
                      params={"token": fresh["access_token"]})
        assert _json(r)["active"] is True, r.text
        # QQ's GET path: a refresh (client_credentials is POST only).
        r = b.request("token", "GET", params={
            "grant_type": "refresh_token", "client_id": cid,
            "client_secret": secret,
            "refresh_token": fresh["refresh_token"]})
        assert r.status == 200 and r.text.startswith("access_token="), r.text
        fresh = dict(x.split("=", 1) for x in r.text.strip().split("&"))
        assert {"access_token", "refresh_token"} <= fresh.keys(), r.text
        if errors:
            # A wrong secret (counted against the client: once per flow,
            # well below the limit), then an unknown client (not counted).
            wrong = (cid, "wrong") if i == 0 else ("nobody-" + cid, secret)
            r = b.request("token", "POST", auth=wrong,
                          params={"grant_type": "client_credentials"})
            assert r.status == 401, r.text
        r = b.request("revoke", "POST", auth=app,
                      params={"token": fresh["refresh_token"]})
        assert r.status == 200, r.text
        if errors:
            r = b.request("me", params={
                "access_token": fresh["access_token"],
                "callback": "cb_%d" % i})
            assert "openid" not in jsonp_body(r.text, "cb_%d" % i), r.text
        r = b.request("grants")
        assert r.status == 200 and "csrf" in r.text, r.text[:500]
    if last:
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
        r = b.request("logout", "POST", params={"csrf": csrf})
        assert r.status == 303, r.text
        if errors:
            r = b.request("authorize", params=params)
            assert r.status == 200 and 'name="password"' in r.text


def _json(r):
    return json.loads(r.text)


# -- the tests --------------------------------------------------------------

def test_plain_cgi_flow_under_valgrind(server, vg, app, tmp_path):
    cgi = CgiUnderValgrind(server, tmp_path)
    # Error paths run in the FastCGI test below: there a leak on any path
    # is lost for good (a definite leak) as well.
    run_flow(UserAgent(cgi), app, make_user(server), rounds=1, errors=False)
    assert cgi.runs == 12
    problems = [p for log in cgi.logs for p in report_problems(log)]
    assert not problems, "\n".join(problems)


def test_fastcgi_workers_under_valgrind(server, vg, app, tmp_path):
    workers = {}
    try:
        for p in PROGRAMS:
            log = tmp_path / ("fcgi-%s.log" % p)
            workers[p] = Worker(server, p, tmp_path, valgrind_cmd(log))
        fcgi = FastCgi(server, workers)
        run_flow(UserAgent(fcgi), app, make_user(server), rounds=FCGI_ROUNDS)
        assert fcgi.requests >= 200
    finally:
        status = {p: w.stop() for p, w in workers.items()}
    assert_clean_stop(status, tmp_path)


def assert_clean_stop(status, tmp_path):
    """Every worker stopped cleanly (exit 0 after SIGTERM, or death by
    that very signal, after which valgrind still writes its full report)
    and its valgrind log holds no problem."""
    bad = {p: s for p, s in status.items() if s not in (0, -signal.SIGTERM)}
    assert not bad, (bad, {p: report_problems(tmp_path / ("fcgi-%s.log" % p))
                           for p in bad})
    problems = [x for p in status
                for x in report_problems(tmp_path / ("fcgi-%s.log" % p))]
    assert not problems, "\n".join(problems)


def test_fastcgi_memory_does_not_grow(server, vg, app, tmp_path):
    workers = {}
    try:
        for p in PROGRAMS:
            workers[p] = Worker(server, p, tmp_path)
        fcgi = FastCgi(server, workers)
        b = UserAgent(fcgi)
        user = make_user(server)
        run_flow(b, app, user, rounds=GROWTH_WARMUP, last=False)
        before = {p: w.rss_kib() for p, w in workers.items()}
        served = dict(fcgi.served)
        n0 = fcgi.requests
        t0 = time.monotonic()
        run_flow(b, app, user, rounds=GROWTH_ROUNDS, first=False)
        after = {p: w.rss_kib() for p, w in workers.items()}
        elapsed = time.monotonic() - t0
    finally:
        status = {p: w.stop() for p, w in workers.items()}
    assert fcgi.requests - n0 >= 11 * GROWTH_ROUNDS, (fcgi.requests, elapsed)
    assert served["token"] >= 100 and fcgi.served["token"] >= 1000
    # Programs warmed up by then (logout serves one request at the very
    # end: its first request maps the libraries' pages in).
    warm = [p for p in PROGRAMS if served[p] >= GROWTH_WARMUP]
    assert len(warm) == len(PROGRAMS) - 1, served
    grew = {p: (before[p], after[p]) for p in warm
            if after[p] - before[p] > GROWTH_BOUND_KIB}
    assert not grew, "VmRSS (KiB) before/after %d rounds: %s" % (
        GROWTH_ROUNDS, grew)
    assert all(s == 0 for s in status.values()), status
