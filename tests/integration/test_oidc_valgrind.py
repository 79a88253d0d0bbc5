"""test_oidc_valgrind.py: memcheck over the OpenID Connect paths in a
FastCGI loop: authorize with nonce, the code and refresh grants with
their id_tokens (RS256 and ES256 clients), userinfo, the JWKS, an
id_token_hint with prompt=none and at end_session, and error paths (a
forged hint, a bad token). Workers and transport are test_valgrind.py's;
the same rules: no errors, no definitely lost bytes, a clean stop."""

import json

from conftest import make_user
from flow import jsonp_body, query_of
from test_valgrind import (FastCgi, UserAgent, Worker,  # noqa: F401
                           assert_clean_stop, code_of, valgrind_cmd, vg)

CB = "https://vg-oidc.example.com/cb"
BYE = "https://vg-oidc.example.com/bye"
PROGRAMS = ("authorize", "token", "userinfo", "jwks", "end_session", "me")
ROUNDS = 3


def client(server, alg):
    out = server.oauthctl("client", "add", "--name", "vg " + alg,
                          "--redirect-uri", CB, "--scopes",
                          "openid,profile,email", "--id-token-alg", alg,
                          "--post-logout-redirect-uri", BYE,
                          check=True).stdout
    v = dict(line.split("=", 1) for line in out.split())
    return v["client_id"], v["client_secret"]


def oidc_flow(b, app, user, rounds):
    cid, secret = app
    for i in range(rounds):
        params = {"response_type": "code", "client_id": cid,
                  "redirect_uri": CB, "scope": "openid profile email",
                  "state": "s%d" % i, "nonce": "n%d" % i}
        r = b.request("authorize", params=params)
        if r.status == 200 and 'name="password"' in r.text:
            r = b.submit(r, [("username", user.name),
                             ("password", user.password)])
        if r.status == 200 and 'name="grant_scope"' in r.text:
            r = b.submit(r, [("grant_scope", s) for s in
                             ("openid", "profile", "email")] +
                         [("decision", "allow")])
        r = b.request("token", "POST", auth=app, params={
            "grant_type": "authorization_code", "code": code_of(r),
            "redirect_uri": CB})
        t = json.loads(r.text)
        assert "id_token" in t, r.text
        r = b.request("userinfo", headers={
            "Authorization": "Bearer " + t["access_token"]})
        assert json.loads(r.text)["sub"], r.text
        r = b.request("me", params={"access_token": t["access_token"]})
        assert jsonp_body(r.text)["openid"]
        assert json.loads(b.request("jwks").text)["keys"]
        r = b.request("token", "POST", auth=app, params={
            "grant_type": "refresh_token",
            "refresh_token": t["refresh_token"]})
        assert "id_token" in json.loads(r.text), r.text
        # The hint with prompt=none; a forged one; a bad token.
        r = b.request("authorize", params=dict(
            params, prompt="none", id_token_hint=t["id_token"]))
        assert "code" in query_of(r.headers["location"])
        r = b.request("authorize", params=dict(
            params, prompt="none", id_token_hint=t["id_token"][:-6] + "AAAAAA"))
        assert query_of(r.headers["location"])["error"] == "invalid_request"
        r = b.request("userinfo", headers={"Authorization": "Bearer nope"})
        assert r.status == 401
        # Logout with the hint: back to the registered page.
        r = b.request("end_session", params={
            "id_token_hint": t["id_token"], "post_logout_redirect_uri": BYE,
            "state": "bye"})
        assert r.status == 302 and r.headers["location"] == BYE + "?state=bye"


def test_oidc_fastcgi_workers_under_valgrind(server, vg, tmp_path):
    workers = {}
    try:
        for p in PROGRAMS:
            log = tmp_path / ("fcgi-%s.log" % p)
            workers[p] = Worker(server, p, tmp_path, valgrind_cmd(log))
        fcgi = FastCgi(server, workers)
        user = make_user(server)
        for alg in ("RS256", "ES256"):
            oidc_flow(UserAgent(fcgi), client(server, alg), user, ROUNDS)
    finally:
        status = {p: w.stop() for p, w in workers.items()}
    assert_clean_stop(status, tmp_path)
