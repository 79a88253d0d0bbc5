"""test_races.py: one authorization code or one refresh token presented by
many clients at the same instant.

SPEC: a code works once, and a code used a second time revokes every token
issued from it; with rotation on, a dead refresh token presented again
revokes its whole family.  So when 20 requests race with one code (or one
refresh token), exactly one wins, the 19 others get invalid_grant, and the
losers' reuse kills what the winner got.

The 20 requests are sent by 20 threads, each with its own requests.Session
(its own connection), released together by a threading.Barrier.  Behind
lighttpd only max-procs token workers run at once, so the database sees a
few truly concurrent redemptions and the rest queued right behind them:
both the "row locked by the winner" and the "code already used" paths are
taken.  Each race runs 5 times with a fresh code or token, so that a flaky
outcome shows up as a failing round.
"""

import threading

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body, me, query_of

CB = "https://race.example.com/cb"
N = 20
ROUNDS = 5
# How long the threads may wait for each other and for their answer.
TIMEOUT = 30


@pytest.fixture(scope="module")
def app(server):
    return make_client(server, redirect_uri=CB,
                       grants="authorization_code,refresh_token")


@pytest.fixture(scope="module")
def agent(server, app):
    """A logged-in browser whose user has consented once: every further
    authorize request redirects straight back with a fresh code."""
    user = make_user(server)
    a = Agent(server)
    q = a.code(auth_params(app[0], CB), user)
    assert "code" in q, q
    return a


def new_code(agent, app):
    r = agent.authorize(auth_params(app[0], CB))
    assert r.status_code == 302, (r.status_code, r.text[:300])
    loc = r.headers["Location"]
    assert loc.startswith(CB + "?code="), loc
    return query_of(loc)["code"]


def race(server, data, auth):
    """POST data to the token endpoint from N threads at once; returns the
    N outcomes as (status, json or None, text), or an exception."""
    barrier = threading.Barrier(N, timeout=TIMEOUT)
    results = [None] * N
    url = server.url("/oauth2.0/token")

    def one(i):
        with requests.Session() as s:
            # Open the connection before the start, so the race is
            # between requests, not between TCP handshakes.
            s.get(server.url("/.well-known/oauth-authorization-server"),
                  timeout=TIMEOUT)
            try:
                barrier.wait()
                r = s.post(url, data=data, auth=auth, timeout=TIMEOUT)
                try:
                    body = r.json()
                except ValueError:
                    body = None
                results[i] = (r.status_code, body, r.text)
            except Exception as e:  # reported by the assertions below
                results[i] = e

    threads = [threading.Thread(target=one, args=(i,), daemon=True)
               for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2 + 10)
    assert not any(t.is_alive() for t in threads), "a request hung"
    errors = [r for r in results if not isinstance(r, tuple)]
    assert not errors, "requests failed: %r" % errors[:3]
    return results


def check_one_winner(results):
    """Exactly one 200 with tokens, N-1 invalid_grant, no 5xx."""
    statuses = sorted(r[0] for r in results)
    assert all(s < 500 for s in statuses), statuses
    wins = [r for r in results if r[0] == 200]
    losses = [r for r in results if r[0] != 200]
    assert len(wins) == 1, statuses
    for status, body, text in losses:
        assert status == 400, (status, text)
        assert body and body.get("error") == "invalid_grant", text
    body = wins[0][1]
    assert body and body.get("access_token") and body.get("refresh_token"), \
        wins[0][2]
    return body


def assert_dead_access(server, access):
    r = me(server, access)
    assert r.status_code == 200, r.text
    body = jsonp_body(r.text)
    assert "openid" not in body, body
    assert body["error"] in (100015, 100016), body


def assert_dead_refresh(server, app, refresh):
    r = requests.post(server.url("/oauth2.0/token"), auth=app, timeout=30,
                      data={"grant_type": "refresh_token",
                            "refresh_token": refresh})
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"


def live_in_family(server, family):
    """Tokens of the family that are neither revoked themselves nor
    through their family's row."""
    return int(server.pg.sql_one(
        "SELECT count(*) FROM tokens t LEFT JOIN families f"
        " ON f.id = t.family_id WHERE t.family_id = $1"
        " AND t.revoked_at IS NULL AND f.revoked_at IS NULL", family))


def db_errors(server, mark):
    """Database failures the programs logged since mark (a deadlock, a
    unique violation...): any is a bug in the race handling."""
    return [line for line in server.log_text(mark).splitlines()
            if "database:" in line or "SQLSTATE" in line]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_code_redeemed_by_20_at_once(server, app, agent, round_):
    cid, secret = app
    code = new_code(agent, app)
    family = server.pg.sql_one(
        "SELECT family_id FROM auth_codes"
        " WHERE code_hash = sha256(convert_to($1, 'UTF8'))", code)
    assert family is not None
    mark = server.log_mark()

    results = race(server, {"grant_type": "authorization_code",
                            "code": code, "redirect_uri": CB},
                   auth=(cid, secret))
    won = check_one_winner(results)
    # The winner's tokens were issued once, from this code's family...
    assert int(server.pg.sql_one(
        "SELECT count(*) FROM tokens WHERE family_id = $1", family)) == 2
    # ...and the reuse by the 19 others revoked them (SPEC, RFC 6749
    # §4.1.2).
    assert_dead_access(server, won["access_token"])
    assert_dead_refresh(server, app, won["refresh_token"])
    assert live_in_family(server, family) == 0
    # The code stays spent.
    r = exchange(server, cid, secret, code, CB)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert db_errors(server, mark) == []


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_refresh_token_used_by_20_at_once(server, app, agent, round_):
    assert server.config.get("refresh_rotation") == "on"
    cid, secret = app
    r = exchange(server, cid, secret, new_code(agent, app), CB)
    assert r.status_code == 200, r.text
    first = r.json()
    family = server.pg.sql_one(
        "SELECT family_id FROM tokens"
        " WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
        first["refresh_token"])
    assert family is not None
    mark = server.log_mark()

    results = race(server, {"grant_type": "refresh_token",
                            "refresh_token": first["refresh_token"]},
                   auth=(cid, secret))
    won = check_one_winner(results)
    assert won["refresh_token"] != first["refresh_token"]
    # One rotation happened: the first pair plus the winner's pair.
    assert int(server.pg.sql_one(
        "SELECT count(*) FROM tokens WHERE family_id = $1", family)) == 4
    # The losers presented a dead refresh token: the whole family died,
    # the winner's new tokens included.
    assert_dead_access(server, won["access_token"])
    assert_dead_refresh(server, app, won["refresh_token"])
    assert_dead_access(server, first["access_token"])
    assert live_in_family(server, family) == 0
    assert db_errors(server, mark) == []
