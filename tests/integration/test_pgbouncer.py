"""test_pgbouncer.py: the programs behind Debian's PgBouncer (1.18) in
transaction pooling, with pg_statements = unnamed.

PgBouncer 1.18 hands each transaction to whichever server connection is
free and does not carry named prepared statements across: a statement
prepared by one client is missing for the next client on another server
connection, or is already there, with the same name, for a client that
prepares it again. The programs' default (pg_statements = prepared)
breaks there, which the second test shows; unnamed statements
(PQexecParams) work, which the first shows through the QQ-style flow.
Runs in every pass: in the apache-cgi pass that is plain CGI, a new
PgBouncer client per request, as a pooler is meant for.
"""

import pytest

from cluster import PgBouncer, running
from conftest import make_client, make_user
from flow import jsonp_body, qq_flow

CB = "https://bouncer-site.example/cb"


@pytest.fixture(scope="module")
def bouncer(server):
    with running(PgBouncer(server.pg, pool_size=2).start()) as b:
        yield b


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, redirect_uri=CB)


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="池")


def test_flow_through_transaction_pooling(server, bouncer, site, user):
    before = bouncer.xacts()
    with server.reconfigured(pg_dsn=bouncer.dsn, pg_statements="unnamed"):
        for _ in range(3):
            qq_flow(server, site[0], site[1], CB, user)
        # Every program's statements went through the pooler, which
        # shared its two server connections among all the workers.
        pools = [p for p in bouncer.admin("SHOW POOLS")
                 if p["database"] == "oauth2"]
        assert pools and pools[0]["pool_mode"] == "transaction"
        servers = [s for s in bouncer.admin("SHOW SERVERS")
                   if s["database"] == "oauth2"]
        assert 1 <= len(servers) <= 2
    # 3 rounds of 9 requests, each at least one transaction.
    assert bouncer.xacts() - before >= 27


def test_named_statements_break_unnamed_work(server, site, user):
    """Two plain-CGI runs of /oauth2.0/me through a one-connection pool:
    with prepared statements the second finds the name taken on the
    shared server connection (500, 42P05); unnamed, both answer."""
    tok = qq_flow(server, site[0], site[1], CB, user)["access_token"]
    with running(PgBouncer(server.pg, pool_size=1, name="bouncer1").start()) as b:
        for mode in ("prepared", "unnamed"):
            conf = server.top / ("oauth-%s.conf" % mode)
            text = server.config_path.read_text().replace(
                "pg_dsn = %s" % server.pg.dsn, "pg_dsn = %s" % b.dsn)
            conf.write_text(text + "pg_statements = %s\n" % mode)
            runs = [server.run_cgi("me", query="access_token=" + tok,
                                   env={"OAUTH_CONFIG": str(conf)})
                    for _ in range(2)]
            if mode == "prepared":
                assert runs[0].status == 200, runs[0]
                assert runs[1].status == 500, runs[1]
                assert "42P05" in runs[1].stderr, runs[1].stderr
            else:
                for r in runs:
                    assert r.status == 200, r
                    assert jsonp_body(r.body.decode())["client_id"] == site[0]
