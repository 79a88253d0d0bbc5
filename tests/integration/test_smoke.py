"""test_smoke.py: the harness itself: a web server in front of the
programs, static files, the database, oauthctl."""

import time

from conftest import make_client, make_user


def test_static_file(server):
    r = server.get("/static/oauth.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")


def test_me_without_token_answers(server):
    r = server.get("/oauth2.0/me")
    assert r.status_code < 500, r.text


def test_metadata_is_json(server):
    r = server.get("/.well-known/oauth-authorization-server")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["issuer"] == server.base


def test_database_and_oauthctl(server):
    assert server.pg.sql_one("SELECT $1::text || $2", "it's", " ok") == "it's ok"
    assert server.pg.sql("SELECT 1 WHERE false") == []
    client_id, secret = make_client(server)
    assert client_id and secret
    assert make_user(server).name


def test_access_log_has_no_query_string(server):
    server.get("/oauth2.0/me?access_token=smoke-secret-value")
    # lighttpd writes its access log in batches, about once a second.
    log = ""
    deadline = time.monotonic() + 10
    while "/oauth2.0/me" not in log and time.monotonic() < deadline:
        time.sleep(0.2)
        log = (server.top / "log" / "access.log").read_text()
    assert "/oauth2.0/me" in log
    assert "smoke-secret-value" not in log
