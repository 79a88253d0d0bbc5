"""test_cluster.py: the set `make cluster-demo` runs (tests/cluster.py):
pg_auto_failover with a synchronous standby, a PgBouncer in transaction
pooling beside each database node, two lighttpd web nodes, haproxy.

- the QQ-style flow through the load balancer, the two web nodes
  answering in turn (haproxy's X-Web-Node), a login on one node and its
  consent on the other;
- failover under load: clients mint tokens (client_credentials) and use
  them (/oauth2.0/me with a user token) through the load balancer while
  the primary's machine is killed (its pg_autoctl, Postgres and
  PgBouncer, SIGKILL); pg_auto_failover promotes the standby, the
  programs find it by themselves (multi-host pg_dsn,
  target_session_attrs=read-write), every answer meanwhile is 200 or
  503, the 503 window stays under FAILOVER_BOUND_S (README "Failover"),
  and every token a client received is still valid on the new primary.

Heavy (about a minute and a half): only the default pass runs it
(OAUTH_SERVER unset or lighttpd, not the sanitizer build); the other
passes skip it, as test_valgrind's fixture does, rather than repeat it.
"""

import os
import threading
import time

import pytest
import requests

from cluster import Cluster
from flow import Agent, auth_params, jsonp_body, me, qq_flow

CB = "https://cluster-site.example/cb"
FAILOVER_BOUND_S = 30       # README "Failover": measured 8-15 s
LOAD_THREADS = 4
LOAD_LIMIT_S = 120


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("OAUTH_BINDIR") == "san" or \
            os.environ.get("OAUTH_SERVER", "lighttpd") != "lighttpd":
        pytest.skip("the cluster runs in the default pass only")
    c = Cluster(log=lambda m: None)
    try:
        c.start()
        yield c
    finally:
        c.stop()
        import shutil
        if not os.environ.get("OAUTH_TEST_KEEP"):
            shutil.rmtree(c.top, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster):
    return cluster.make_client(CB, grants="authorization_code,refresh_token,"
                               "client_credentials")


@pytest.fixture(scope="module")
def user(cluster):
    return cluster.make_user("clusteruser", "pw-" + os.urandom(6).hex(), "集群")


def test_qq_flow_through_the_load_balancer(cluster, site, user):
    seen = []
    a = Agent(cluster)
    a.s.hooks["response"].append(lambda r, *args, **kw: seen.append(
        r.headers.get("X-Web-Node")))
    # Login page, login and consent: consecutive requests of one browser,
    # so its session is made on one node and used on the other.
    q = a.code(auth_params(site[0], CB), user)
    assert "code" in q
    assert set(seen) == {"web1", "web2"}, seen
    for x, y in zip(seen, seen[1:]):
        assert x != y, seen
    for _ in range(2):
        t = qq_flow(cluster, site[0], site[1], CB, user)
    nodes = []
    for _ in range(6):
        r = me(cluster, t["access_token"])
        assert jsonp_body(r.text)["openid"] == t["openid"]
        nodes.append(r.headers["X-Web-Node"])
    assert nodes in (["web1", "web2"] * 3, ["web2", "web1"] * 3), nodes
    # Both nodes reached the primary through the PgBouncer beside it.
    assert cluster.bouncers["node1"].xacts() > 0


def test_failover_under_load(cluster, site, user):
    af = cluster.af
    assert af.primary() == "node1"
    sync = af.psql(af.ports["node1"], "SHOW synchronous_standby_names")[0][0]
    assert "pgautofailover_standby" in sync, sync
    assert af.psql(af.ports["node1"], "SHOW synchronous_commit")[0][0] == "on"
    reader = qq_flow(cluster, site[0], site[1], CB, user)["access_token"]

    stop = threading.Event()
    lock = threading.Lock()
    received, answers, odd = [], [], []

    def load():
        s = requests.Session()
        while not stop.is_set():
            t = time.monotonic()
            try:
                r = s.post(cluster.url("/oauth2.0/token"), timeout=10, auth=site,
                           data={"grant_type": "client_credentials"})
                r2 = s.get(cluster.url("/oauth2.0/me"), timeout=10,
                           params={"access_token": reader})
            except requests.RequestException as e:
                with lock:
                    odd.append((t, repr(e)))
                continue
            with lock:
                answers.append((t, r.status_code, r2.status_code))
                if r.status_code == 200:
                    received.append(r.json()["access_token"])
                elif r.status_code != 503:
                    odd.append((t, r.status_code, r.text[:200]))
                if r2.status_code not in (200, 503):
                    odd.append((t, r2.status_code, r2.text[:200]))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(LOAD_THREADS)]
    start = time.monotonic()
    for th in threads:
        th.start()
    try:
        time.sleep(3)
        killed = time.monotonic()
        af.kill("node1")
        cluster.bouncers["node1"].stop()
        # Until the standby is primary and the endpoints have answered
        # 200 again for 3 s.
        deadline = start + LOAD_LIMIT_S
        while time.monotonic() < deadline:
            time.sleep(0.5)
            with lock:
                recent = [a for a in answers if a[0] > time.monotonic() - 3]
                failed_after = [a for a in answers if a[0] > killed
                                and (a[1] != 200 or a[2] != 200)]
            if failed_after and recent and all(a[1] == 200 and a[2] == 200
                                               for a in recent) \
                    and recent[0][0] > failed_after[-1][0]:
                break
    finally:
        stop.set()
        for th in threads:
            th.join(15)
    assert af.primary() == "node2"
    assert not odd, odd[:5]
    bad = [a for a in answers if a[1] != 200 or a[2] != 200]
    assert bad, "the failover was not seen at all"
    window = bad[-1][0] - bad[0][0]
    print("\nfailover: %d requests, 503 from %.1f s to %.1f s after the kill"
          " (window %.1f s), %d tokens received"
          % (len(answers), bad[0][0] - killed, bad[-1][0] - killed, window,
             len(received)))
    assert window < FAILOVER_BOUND_S
    assert answers[-1][1] == 200 and answers[-1][2] == 200
    # No token a client received is lost: each is active on the new
    # primary.
    lost = []
    s = requests.Session()
    for tok in received:
        r = s.post(cluster.url("/oauth2.0/introspect"), timeout=10, auth=site,
                   data={"token": tok})
        if r.status_code != 200 or r.json()["active"] is not True:
            lost.append((tok, r.status_code, r.text[:100]))
    assert not lost, "%d of %d tokens lost: %s" % (len(lost), len(received), lost[:3])
