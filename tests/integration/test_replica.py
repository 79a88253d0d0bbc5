"""test_replica.py: pg_dsn_read on a real streaming standby, and a
multi-host pg_dsn.

A hot standby is made with pg_basebackup from the session's private
cluster and listed in its synchronous_standby_names. The session cluster
keeps synchronous_commit = off, so a minted token does not wait for the
standby (the miss race happens); a revocation's statement raises its own
commit to remote_apply (common/store_token.c, SYNC_APPLY).

- reads come from the replica: with its replay paused, a nickname
  changed on the primary is still the old one in get_user_info;
- a token used at once after minting works: with replay paused, the
  token is missing on the replica and /me, get_user_info and
  introspection still accept it (the miss is asked again on the primary);
- a revocation is seen at once: with replay paused the revocation does
  not return; once replay resumes it does, and the very next /me,
  get_user_info and introspection through the replica see it revoked;
  then 20 rounds of mint, revoke, use at once;
- pg_dsn = "host=standby,primary target_session_attrs=read-write": the
  programs skip the read-only standby listed first.
"""

import threading
import time

import pytest
import requests

from cluster import Standby
from conftest import make_client, make_user
from flow import full_flow, jsonp_body, me, qq_flow

CB = "https://replica-site.example/cb"


@pytest.fixture(scope="module")
def standby(server):
    s = Standby(server.pg).create()
    try:
        s.make_synchronous()
        yield s
    finally:
        # Never leave the primary waiting for a standby that is gone.
        s.make_synchronous(False)
        s.resume() if s.pg.running else None
        s.stop()


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, redirect_uri=CB, grants="authorization_code,"
                       "refresh_token,client_credentials")


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="副本")


@pytest.fixture(scope="module")
def replica_server(server, standby):
    with server.reconfigured(pg_dsn_read=standby.pg.dsn):
        yield server


@pytest.fixture
def paused(standby):
    standby.pause()
    try:
        yield standby
    finally:
        standby.resume()


def _token(server, site, user):
    r = requests.post(server.url("/oauth2.0/token"), timeout=30,
                      auth=site, data={"grant_type": "client_credentials"})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def _user_token(server, site, user):
    return qq_flow(server, site[0], site[1], CB, user)


def _info(server, site, tok, openid):
    return requests.get(server.url("/user/get_user_info"), timeout=30, params={
        "access_token": tok, "oauth_consumer_key": site[0], "openid": openid})


def _active(server, site, tok):
    r = requests.post(server.url("/oauth2.0/introspect"), timeout=30,
                      auth=site, data={"token": tok})
    assert r.status_code == 200, r.text
    return r.json()["active"]


def test_reads_come_from_the_replica(replica_server, standby, site, user):
    server = replica_server
    t = _user_token(server, site, user)
    standby.catch_up()
    standby.pause()
    try:
        server.pg.sql("UPDATE users SET nickname = 'changed' WHERE username = $1",
                      user.name)
        r = _info(server, site, t["access_token"], t["openid"])
        assert r.json()["nickname"] == "副本"       # the replica's copy
    finally:
        standby.resume()
        server.pg.sql("UPDATE users SET nickname = '副本' WHERE username = $1",
                      user.name)
    standby.catch_up()
    r = _info(server, site, t["access_token"], t["openid"])
    assert r.json()["nickname"] == "副本"


def test_token_used_at_once_after_minting(replica_server, standby, site, user):
    server = replica_server
    standby.catch_up()
    with_user = _user_token(server, site, user)
    standby.catch_up()
    standby.pause()
    try:
        n_primary = server.pg.sql_one("SELECT count(*) FROM tokens")
        # Minted now: on the primary only. (No refresh or revocation
        # here: those wait for the paused standby.)
        t = full_flow(server, user, site[0], site[1], CB)
        t["openid"] = with_user["openid"]
        assert standby.pg.sql_one("SELECT count(*) FROM tokens") == n_primary
        assert int(server.pg.sql_one("SELECT count(*) FROM tokens")) > int(n_primary)
        r = me(server, t["access_token"])
        assert jsonp_body(r.text)["openid"] == with_user["openid"]
        r = _info(server, site, t["access_token"], t["openid"])
        assert r.json()["ret"] == 0, r.text
        assert _active(server, site, t["access_token"]) is True
        assert _active(server, site, t["refresh_token"]) is True
    finally:
        standby.resume()


def test_revocation_seen_at_once(replica_server, standby, site, user):
    server = replica_server
    t = _user_token(server, site, user)
    tok = t["access_token"]
    standby.catch_up()
    assert jsonp_body(me(server, tok).text)["client_id"] == site[0]
    standby.pause()
    done = {}

    def revoke():
        done["r"] = requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                                  auth=site, data={"token": tok})
    th = threading.Thread(target=revoke, daemon=True)
    try:
        th.start()
        th.join(1.5)
        # The revocation's commit waits until the standby applies it.
        assert th.is_alive(), "revocation returned before the standby applied it"
    finally:
        standby.resume()
    th.join(10)
    assert not th.is_alive() and done["r"].status_code == 200
    assert jsonp_body(me(server, tok).text)["error"] == 100015
    assert _info(server, site, tok, t["openid"]).json()["ret"] != 0
    assert _active(server, site, tok) is False
    # The race, repeated: revoke and use at once, on the replica path.
    for _ in range(20):
        tok = _token(server, site, user)
        standby.catch_up()
        assert _active(server, site, tok) is True
        r = requests.post(server.url("/oauth2.0/revoke"), timeout=30,
                          auth=site, data={"token": tok})
        assert r.status_code == 200
        assert _active(server, site, tok) is False
    # The refresh token a rotation spent is dead on the replica too.
    r = requests.post(server.url("/oauth2.0/token"), timeout=30, auth=site,
                      data={"grant_type": "refresh_token",
                            "refresh_token": t["refresh_token"]})
    assert r.status_code == 200, r.text
    assert _active(server, site, t["refresh_token"]) is False


def test_replica_down_falls_back_to_primary(replica_server, standby, site, user):
    server = replica_server
    t = _user_token(server, site, user)
    standby.make_synchronous(False)
    standby.stop()
    try:
        for _ in range(3):
            r = me(server, t["access_token"])
            assert jsonp_body(r.text)["openid"] == t["openid"]
    finally:
        standby.pg.start()
        standby.make_synchronous()


def test_multi_host_dsn_finds_the_primary(server, standby, site, user):
    dsn = "host=%s,%s port=5432 dbname=oauth2 user=postgres " \
          "target_session_attrs=read-write" % (standby.pg.sockdir, server.pg.sockdir)
    with server.reconfigured(pg_dsn=dsn):
        qq_flow(server, site[0], site[1], CB, user)
        assert server.oauthctl("--config", server.config_path, "purge",
                               config=False).returncode == 0
