"""test_pgbouncer.py: the programs behind Debian's PgBouncer (1.18) in
transaction pooling, with pg_statements = unnamed.

PgBouncer 1.18 hands each transaction to whichever server connection is
free and does not carry named prepared statements across: a statement a
worker prepared on one server connection is missing when its next
transaction lands on another. Unnamed statements (PQexecParams: parse,
bind and execute in one round trip) carry nothing over. The first test
runs the QQ-style flow through a two-connection pool behind the web
server; the second runs plain-CGI programs, a new PgBouncer client per
request, through a single server connection. The module runs in every
pass: in the apache-cgi pass the web server is plain CGI too.
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


def test_plain_cgi_clients_share_one_server_connection(server, site, user):
    """Plain-CGI runs of /oauth2.0/me and /user/get_user_info, each a new
    PgBouncer client, through a pool of one server connection."""
    t = qq_flow(server, site[0], site[1], CB, user)
    with running(PgBouncer(server.pg, pool_size=1, name="bouncer1").start()) as b:
        conf = server.top / "oauth-bouncer1.conf"
        text = server.config_path.read_text().replace(
            "pg_dsn = %s" % server.pg.dsn, "pg_dsn = %s" % b.dsn)
        conf.write_text(text + "pg_statements = unnamed\n")
        env = {"OAUTH_CONFIG": str(conf)}
        before = b.xacts()
        for _ in range(3):
            r = server.run_cgi("me", query="access_token=" + t["access_token"],
                               env=env)
            assert r.status == 200, r
            assert jsonp_body(r.body.decode())["openid"] == t["openid"]
            r = server.run_cgi("get_user_info", env=env, query=(
                "access_token=%s&oauth_consumer_key=%s&openid=%s"
                % (t["access_token"], site[0], t["openid"])))
            assert r.status == 200 and b'"ret":0' in r.body, r
        assert b.xacts() - before >= 6
        servers = [s for s in b.admin("SHOW SERVERS") if s["database"] == "oauth2"]
        assert len(servers) == 1
