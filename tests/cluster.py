"""cluster.py: PgBouncer and a streaming standby beside the harness's
private PostgreSQL, for tests/integration/test_pgbouncer.py,
test_replica.py and bench/pgbouncer.

Everything here is started by the caller's process, runs as the
PostgreSQL account, lives in the harness's temporary directory and is
stopped by PID with bounded waits.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import harness
from harness import HarnessError, _run

PGBOUNCER = shutil.which("pgbouncer", path=harness.SYS_PATH) or "/usr/sbin/pgbouncer"


def _stop_pid(proc, timeout=15):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _wait_port(port, proc, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise HarnessError("%s exited with %d at startup" % (what, proc.returncode))
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise HarnessError("%s did not listen on port %d" % (what, port))


class PgBouncer:
    """Debian's pgbouncer in front of pg (a harness.Pg), on 127.0.0.1,
    transaction pooling by default, trust authentication (as the private
    cluster has), pool_size server connections for all its clients."""

    def __init__(self, pg, pool_mode="transaction", pool_size=2, name="bouncer",
                 server=None, top=None):
        # server: (host, port) of the database, else pg's socket.
        self.pg = pg
        self.server = server or (str(pg.sockdir), harness.PG_PORT)
        self.dir = (top or pg.top) / name
        self.port = harness.free_port()
        self.pool_mode = pool_mode
        self.pool_size = pool_size
        self.proc = None
        self.dsn = "host=127.0.0.1 port=%d dbname=oauth2 user=postgres" % self.port

    def start(self):
        self.dir.mkdir(exist_ok=True)
        os.chown(self.dir, self.pg.acc.pg_uid, -1)
        (self.dir / "users.txt").write_text('"postgres" ""\n')
        conf = self.dir / "pgbouncer.ini"
        conf.write_text(
            "[databases]\n"
            "oauth2 = host=%s port=%d dbname=oauth2 user=postgres\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            "listen_port = %d\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            "auth_file = %s\n"
            "admin_users = postgres\n"
            "pool_mode = %s\n"
            "default_pool_size = %d\n"
            "max_client_conn = 500\n"
            "logfile = %s\n"
            "ignore_startup_parameters = extra_float_digits, options\n"
            % (self.server[0], self.server[1], self.port, self.dir / "users.txt",
               self.pool_mode, self.pool_size, self.dir / "pgbouncer.log"))
        for f in (conf, self.dir / "users.txt"):
            os.chown(f, self.pg.acc.pg_uid, -1)
        log = open(self.dir / "stderr.log", "ab")
        kw = {}
        if self.pg.acc.root:
            import pwd
            kw = {"user": self.pg.acc.pg_uid,
                  "group": pwd.getpwuid(self.pg.acc.pg_uid).pw_gid,
                  "extra_groups": []}
        try:
            self.proc = subprocess.Popen([PGBOUNCER, str(conf)], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, start_new_session=True,
                                         **kw)
        finally:
            log.close()
        _wait_port(self.port, self.proc, "pgbouncer")
        return self

    def stop(self):
        _stop_pid(self.proc)
        self.proc = None

    def admin(self, command):
        """Rows of an admin console command (SHOW POOLS, SHOW STATS...)."""
        r = _run([str(self.pg.bin / "psql"), "-X", "-q", "-A", "-F", "|",
                  "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-d", "pgbouncer", "-c", command], timeout=20)
        lines = r.stdout.splitlines()
        head = lines[0].split("|")
        return [dict(zip(head, ln.split("|"))) for ln in lines[1:]
                if "|" in ln]

    def xacts(self):
        """Transactions pgbouncer has passed on to database oauth2."""
        for row in self.admin("SHOW STATS"):
            if row.get("database") == "oauth2":
                return int(row["total_xact_count"])
        return 0


class Standby:
    """A streaming hot standby of pg, made with pg_basebackup -R, on its
    own socket directory; cluster_name (the walreceiver's
    application_name) is name, so the primary can list it in
    synchronous_standby_names."""

    def __init__(self, pg, name="oauth_replica"):
        self.primary = pg
        self.name = name
        self.pg = harness.Pg(pg.top / name, pg.acc)
        self.pg.data = pg.top / name / "pg"
        self.pg.sockdir = pg.top / name / "run"
        self.pg.logfile = pg.top / name / "postgresql.log"
        self.pg.dsn = "host=%s port=%d dbname=oauth2 user=postgres" % (
            self.pg.sockdir, harness.PG_PORT)

    def create(self):
        top = self.primary.top / self.name
        top.mkdir()
        self.pg.sockdir.mkdir()
        self.pg.logfile.touch()
        for p in (top, self.pg.sockdir, self.pg.logfile):
            os.chown(p, self.pg.acc.pg_uid, -1)
        self.pg._pg("pg_basebackup", "-D", str(self.pg.data), "-R", "-X", "stream",
                    "-c", "fast", "-h", str(self.primary.sockdir),
                    "-p", str(harness.PG_PORT), "-U", "postgres", timeout=120)
        with open(self.pg.data / "postgresql.conf", "a") as f:
            f.write("\n# standby of the private test cluster\n"
                    "unix_socket_directories = '%s'\n"
                    "cluster_name = '%s'\n"
                    "hot_standby = on\n"
                    "hot_standby_feedback = on\n"
                    "max_standby_streaming_delay = 1s\n"
                    % (self.pg.sockdir, self.name))
        self.pg.start()
        return self

    def stop(self):
        self.pg.stop()

    def make_synchronous(self, on=True):
        """List the standby in the primary's synchronous_standby_names (or
        clear it) and wait until the primary sees it as sync."""
        self.primary.sql("ALTER SYSTEM SET synchronous_standby_names = '%s'"
                         % (self.name if on else ""))
        self.primary.sql("SELECT pg_reload_conf()")
        if not on:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.primary.sql_one(
                    "SELECT sync_state FROM pg_stat_replication"
                    " WHERE application_name = $1", self.name) == "sync":
                return
            time.sleep(0.1)
        raise HarnessError("standby %s never became synchronous" % self.name)

    def pause(self):
        self.pg.sql("SELECT pg_wal_replay_pause()")

    def resume(self):
        self.pg.sql("SELECT pg_wal_replay_resume()")

    def catch_up(self, timeout=30):
        """Wait until the standby has replayed all the primary wrote."""
        lsn = self.primary.sql_one("SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pg.sql_one("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn) == "t":
                return
            time.sleep(0.05)
        raise HarnessError("standby did not replay up to %s" % lsn)


@contextlib.contextmanager
def running(thing):
    try:
        yield thing
    finally:
        thing.stop()


# -- pg_auto_failover, two web nodes and haproxy: `make cluster-demo` and
#    tests/integration/test_cluster.py -------------------------------------

PG_AUTOCTL = shutil.which("pg_autoctl", path=harness.SYS_PATH) or "/usr/bin/pg_autoctl"
HAPROXY = shutil.which("haproxy", path=harness.SYS_PATH) or "/usr/sbin/haproxy"
# The monitor's failure detection, tightened from its defaults (5 s
# checks, 20 s before a node is unhealthy, 30 s before the old primary is
# taken for demoted) for a loopback cluster; README "Failover" gives the
# arithmetic.
MONITOR_SETTINGS = (
    ("pgautofailover.health_check_period", "1000"),
    ("pgautofailover.health_check_timeout", "1000"),
    ("pgautofailover.health_check_max_retries", "1"),
    ("pgautofailover.health_check_retry_delay", "500"),
    ("pgautofailover.node_considered_unhealthy_timeout", "3000"),
    ("pgautofailover.primary_demote_timeout", "5000"),
)


def _popen_pg(cmd, acc, env, log, cwd):
    """Start cmd as the PostgreSQL account in its own session."""
    import pwd
    kw = {}
    if acc.root:
        kw = {"user": acc.pg_uid, "group": pwd.getpwuid(acc.pg_uid).pw_gid,
              "extra_groups": []}
    with open(log, "ab") as f:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=f,
                                env=env, cwd=str(cwd), start_new_session=True, **kw)


def _stop_session(proc, timeout=30):
    """SIGTERM a process started in its own session, then its group."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    if harness._group_alive(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)


class AutoFailover:
    """pg_auto_failover from Debian: a monitor and two Postgres nodes
    (node1 created first becomes the primary, node2 its synchronous
    standby), every pg_autoctl in the foreground (--run) in its own
    session, all on 127.0.0.1, configuration under top (XDG_* set there,
    so nothing reaches the postgres account's home)."""

    def __init__(self, top, acc, log=print):
        self.top = top
        self.acc = acc
        self.log = log
        self.bin = harness._pg_bindir()
        self.monitor_port = harness.free_port()
        self.ports = {"node1": harness.free_port(), "node2": harness.free_port()}
        self.procs = {}
        self.env = {
            "PATH": "%s:%s" % (self.bin, harness.SYS_PATH),
            "LANG": "C.UTF-8",
            "HOME": str(top),
            "XDG_CONFIG_HOME": str(top / "xdg" / "config"),
            "XDG_DATA_HOME": str(top / "xdg" / "data"),
            "XDG_RUNTIME_DIR": str(top / "xdg" / "run"),
        }
        self.monitor_uri = ("postgres://autoctl_node@127.0.0.1:%d/pg_auto_failover"
                            "?sslmode=disable" % self.monitor_port)

    def psql(self, port, sql, db="oauth2", timeout=20):
        r = _run([str(self.bin / "psql"), "-X", "-q", "-t", "-A", "-F", "|",
                  "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db,
                  "-c", sql], timeout=timeout, check=False)
        if r.returncode != 0:
            raise HarnessError("psql on %d: %s" % (port, r.stderr.strip()))
        return [ln.split("|") for ln in r.stdout.splitlines() if ln]

    def states(self):
        """{node name: (reported state, assigned state)} from the monitor."""
        rows = self.psql(self.monitor_port, "SELECT nodename, reportedstate,"
                         " goalstate FROM pgautofailover.node", db="pg_auto_failover")
        return {r[0]: (r[1], r[2]) for r in rows}

    def primary(self):
        for name, (rep, goal) in self.states().items():
            if rep == goal and rep in ("primary", "wait_primary", "single"):
                return name
        return None

    def _wait(self, what, cond, timeout, nudge=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise HarnessError("pg_autoctl %s exited with %d; see %s"
                                       % (name, p.returncode, self.top / (name + ".log")))
            with contextlib.suppress(HarnessError):
                if cond():
                    return
                if nudge:
                    nudge()
            time.sleep(0.5)
        raise HarnessError("pg_auto_failover: %s not reached in %d s" % (what, timeout))

    def start(self):
        self.top.mkdir(parents=True, exist_ok=True)
        for d in ("xdg/config", "xdg/data", "xdg/run"):
            (self.top / d).mkdir(parents=True, exist_ok=True)
        _run(["chown", "-R", str(self.acc.pg_uid), str(self.top)])
        self.log("pg_auto_failover: monitor on 127.0.0.1:%d" % self.monitor_port)
        self.procs["monitor"] = _popen_pg(
            [PG_AUTOCTL, "create", "monitor", "--pgdata", str(self.top / "monitor"),
             "--pgport", str(self.monitor_port), "--hostname", "127.0.0.1",
             "--listen", "127.0.0.1", "--auth", "trust", "--no-ssl", "--run"],
            self.acc, self.env, self.top / "monitor.log", self.top)
        self._wait("the monitor", lambda: self.states() is not None, 90)
        for k, v in MONITOR_SETTINGS:
            self.psql(self.monitor_port, "ALTER SYSTEM SET %s = %s" % (k, v),
                      db="pg_auto_failover")
        self.psql(self.monitor_port, "SELECT pg_reload_conf()", db="pg_auto_failover")
        for name in ("node1", "node2"):
            self.log("pg_auto_failover: %s on 127.0.0.1:%d" % (name, self.ports[name]))
            self.procs[name] = _popen_pg(
                [PG_AUTOCTL, "create", "postgres", "--pgdata", str(self.top / name),
                 "--pgport", str(self.ports[name]), "--hostname", "127.0.0.1",
                 "--listen", "127.0.0.1", "--name", name, "--dbname", "oauth2",
                 "--monitor", self.monitor_uri, "--auth", "trust", "--no-ssl",
                 "--run"],
                self.acc, self.env, self.top / (name + ".log"), self.top)
            if name == "node1":
                self._wait("node1 primary", lambda: self.primary() == "node1", 120)
        # pg_autoctl's pg_basebackup waits for a checkpoint: ask for one.
        self._wait("node2 secondary",
                   lambda: self.states().get("node2") == ("secondary", "secondary")
                   and self.states().get("node1") == ("primary", "primary"), 180,
                   nudge=lambda: self.psql(self.ports["node1"], "CHECKPOINT"))
        return self

    def kill(self, name):
        """The machine of node name dies: SIGKILL to its pg_autoctl and
        everything in its session (its Postgres included)."""
        p = self.procs[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)
        deadline = time.monotonic() + 10
        while harness._group_alive(p.pid) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self):
        for name in ("node2", "node1", "monitor"):
            _stop_session(self.procs.pop(name, None))


class WebNode:
    """One web machine: lighttpd from lighttpd-example.conf with its own
    FastCGI workers, config and logs, under top."""

    def __init__(self, top, acc, port, settings, key):
        self.top = top
        self.acc = acc
        self.port = port
        self.settings = settings
        self.key = key
        self.web = None

    def start(self):
        top = self.top
        top.mkdir(parents=True)
        top.chmod(0o755)
        for d in ("log", "sock", "san", "www"):
            (top / d).mkdir()
        self.acc.chown_run(top / "sock")
        (top / "www" / "health.txt").write_text("ok\n")
        key = top / "secret.key"
        shutil.copyfile(self.key, key)
        self.acc.chown_run(key, group_only=True)
        key.chmod(0o640)
        conf = top / "oauth.conf"
        conf.write_text("".join("%s = %s\n" % kv for kv in dict(
            self.settings, secret_key_file=str(key)).items()))
        self.acc.chown_run(conf, group_only=True)
        conf.chmod(0o640)
        env = {"PATH": harness.SYS_PATH, "LANG": "C.UTF-8", "TZ": "UTC",
               "ASAN_OPTIONS": "log_path=%s/asan" % (top / "san"),
               "UBSAN_OPTIONS": "log_path=%s/ubsan" % (top / "san")}
        self.web = harness.WebServer("lighttpd", top, self.port, self.acc, env,
                                     harness.REPO, harness.bindir())
        self.web.render()
        self.web.start()
        return self

    def stop(self):
        if self.web is not None:
            self.web.stop()
            self.web = None


class Haproxy:
    """Debian's haproxy on 127.0.0.1:port, round robin over the web
    nodes, checking each every second; it names the node that answered in
    X-Web-Node."""

    def __init__(self, top, port, nodes):
        self.top = top
        self.port = port
        self.nodes = nodes
        self.proc = None

    def start(self):
        conf = self.top / "haproxy.cfg"
        lines = ["global", "    maxconn 2000", "defaults", "    mode http",
                 "    timeout connect 2s", "    timeout client 30s",
                 "    timeout server 30s", "    retries 2",
                 "    option redispatch",
                 "frontend oauth", "    bind 127.0.0.1:%d" % self.port,
                 "    default_backend web",
                 "backend web", "    balance roundrobin",
                 "    option httpchk GET /health.txt",
                 "    http-response set-header X-Web-Node %[srv_name]"]
        lines += ["    server %s 127.0.0.1:%d check inter 1s fall 2 rise 1"
                  % (name, port) for name, port in self.nodes]
        conf.write_text("\n".join(lines) + "\n")
        with open(self.top / "haproxy.log", "ab") as f:
            self.proc = subprocess.Popen([HAPROXY, "-db", "-f", str(conf)],
                                         stdin=subprocess.DEVNULL, stdout=f, stderr=f,
                                         start_new_session=True)
        _wait_port(self.port, self.proc, "haproxy")
        return self

    def stop(self):
        _stop_session(self.proc)
        self.proc = None


class Cluster:
    """The whole set of README "Beyond one machine": pg_auto_failover
    (monitor, primary, synchronous standby), a PgBouncer in transaction
    pooling beside each database node, two lighttpd web nodes whose
    programs reach the primary through them with a multi-host pg_dsn, and
    haproxy in front. oauthctl runs against the primary directly."""

    def __init__(self, top=None, log=print):
        import tempfile
        from pathlib import Path
        self.top = Path(top) if top else Path(tempfile.mkdtemp(prefix="oauth-cluster-",
                                                                dir="/tmp"))
        self.top.chmod(0o755)
        self.log = log
        self.acc = harness.Accounts()
        self.af = AutoFailover(self.top / "af", self.acc, log)
        self.bouncers = {}
        self.nodes = []
        self.lb = None
        self.lb_port = harness.free_port()
        self.base = "http://127.0.0.1:%d" % self.lb_port

    def url(self, path):
        return self.base + path

    def dsn(self, ports):
        return ("host=%s port=%s dbname=oauth2 user=postgres"
                " target_session_attrs=read-write connect_timeout=2"
                % (",".join("127.0.0.1" for _ in ports), ",".join(map(str, ports))))

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        self.af.start()
        fake = harness.Pg(self.top, self.acc)      # pgbouncer's account and psql
        for name in ("node1", "node2"):
            self.bouncers[name] = PgBouncer(
                fake, pool_size=4, name="bouncer-" + name, top=self.top,
                server=("127.0.0.1", self.af.ports[name])).start()
        key = self.top / "secret.key"
        key.write_bytes(os.urandom(64))
        key.chmod(0o600)
        self.ctl_conf = self.top / "oauthctl.conf"
        self.ctl_conf.write_text(
            "pg_dsn = %s\nsecret_key_file = %s\nissuer = %s\n"
            % (self.dsn([self.af.ports["node1"], self.af.ports["node2"]]), key,
               self.base))
        self.oauthctl("init")
        for name, desc, desc_en in harness.SCOPES:
            self.oauthctl("scope", "add", name, "--description", desc,
                          "--description-en", desc_en)
        settings = {
            "pg_dsn": self.dsn([self.bouncers["node1"].port,
                                self.bouncers["node2"].port]),
            "pg_statements": "unnamed",
            "issuer": self.base,
            "template_dir": str(harness.REPO / "htdocs" / "templates"),
            "login_address_limit": "1000",
        }
        for i in (1, 2):
            node = WebNode(self.top / ("web%d" % i), self.acc, harness.free_port(),
                           settings, key)
            self.log("web%d: lighttpd on 127.0.0.1:%d" % (i, node.port))
            self.nodes.append(node.start())
        self.lb = Haproxy(self.top, self.lb_port,
                          [("web%d" % (i + 1), n.port) for i, n in enumerate(self.nodes)]
                          ).start()
        self._hook_stop = threading.Event()
        self._hook = threading.Thread(target=self._promotion_hook, daemon=True)
        self._hook.start()

    def _promotion_hook(self):
        """The one piece of glue: PgBouncer 1.18 keeps the first server
        login's parameters for its clients, in_hot_standby = on among
        them, so after a promotion libpq's target_session_attrs=read-write
        would still take the node's PgBouncer for a standby's. When the
        monitor names a new primary, RECONNECT its PgBouncer (new server
        logins, new parameters). Polls the monitor twice a second."""
        last = "node1"
        while not self._hook_stop.wait(0.5):
            with contextlib.suppress(HarnessError, subprocess.TimeoutExpired):
                now = self.af.primary()
                if now and now != last:
                    b = self.bouncers.get(now)
                    if b is not None and b.proc is not None:
                        _run([str(self.af.bin / "psql"), "-X", "-q", "-h", "127.0.0.1",
                              "-p", str(b.port), "-U", "postgres", "-d", "pgbouncer",
                              "-c", "RECONNECT oauth2"], timeout=10)
                    self.log("promotion hook: %s is primary, its PgBouncer"
                             " reconnected" % now)
                    last = now

    def oauthctl(self, *args, input=None):
        cmd = [str(harness.bindir() / "tools" / "oauthctl"), "--config",
               str(self.ctl_conf)] + [str(a) for a in args]
        return _run(cmd, input=input, timeout=60,
                    env={"PATH": harness.SYS_PATH, "LANG": "C.UTF-8"})

    def make_user(self, name, password, nickname=None):
        args = ["user", "add", name] + (["--nickname", nickname] if nickname else [])
        self.oauthctl(*args, input=password + "\n")
        return harness.User(name, password)

    def make_client(self, redirect_uri, grants=None, client_id=None):
        args = ["client", "add", "--name", "site-" + (client_id or "x"),
                "--redirect-uri", redirect_uri]
        if grants:
            args += ["--grants", grants]
        if client_id:
            args += ["--id", client_id]
        out = self.oauthctl(*args).stdout
        vals = dict(ln.split("=", 1) for ln in out.splitlines() if "=" in ln)
        return vals["client_id"], vals.get("client_secret")

    def summary(self):
        st = self.af.states()
        lines = ["oauth2-fcgi cluster (everything on 127.0.0.1, files under %s)" % self.top,
                 "  load balancer  haproxy    %s  (round robin, X-Web-Node names the node)"
                 % self.base]
        for i, n in enumerate(self.nodes, 1):
            lines.append("  web node %d     lighttpd   http://127.0.0.1:%d  (FastCGI"
                         " workers, config %s)" % (i, n.port, n.top / "oauth.conf"))
        for name in ("node1", "node2"):
            lines.append("  %-14s postgres   127.0.0.1:%d  %s; pgbouncer 127.0.0.1:%d"
                         % (name, self.af.ports[name], "/".join(st.get(name, ("?", "?"))),
                            self.bouncers[name].port))
        lines.append("  HA monitor     pg_auto_failover  %s" % self.af.monitor_uri)
        lines.append("  programs' pg_dsn  %s" % self.nodes[0].settings["pg_dsn"])
        lines.append("  oauthctl       %s --config %s"
                     % (harness.bindir() / "tools" / "oauthctl", self.ctl_conf))
        return "\n".join(lines)

    def stop(self):
        if getattr(self, "_hook", None) is not None:
            self._hook_stop.set()
            self._hook.join(15)
        if self.lb is not None:
            self.lb.stop()
        for n in self.nodes:
            n.stop()
        for b in self.bouncers.values():
            b.stop()
        self.af.stop()
