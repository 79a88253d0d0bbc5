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

    def __init__(self, pg, pool_mode="transaction", pool_size=2, name="bouncer"):
        self.pg = pg
        self.dir = pg.top / name
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
            % (self.pg.sockdir, harness.PG_PORT, self.port, self.dir / "users.txt",
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
