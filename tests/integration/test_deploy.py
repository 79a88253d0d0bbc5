"""test_deploy.py: the ways users run it: the Authorization header
reaching the programs under each server, and `make install` followed by
Apache started from the installed example config."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

import harness
from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body

REPO = Path(__file__).resolve().parents[2]
CB = "https://deploy.example/cb"


def test_authorization_header_reaches_programs(server):
    """Basic at the token endpoint and Bearer at the resource endpoints
    only work if the web server passes Authorization on (Apache needs
    CGIPassAuth / FcgidPassHeader)."""
    cid, secret = make_client(server, redirect_uri=CB,
                              grants="authorization_code,client_credentials")
    r = requests.post(server.url("/oauth2.0/token"), timeout=30,
                      data={"grant_type": "client_credentials"},
                      auth=(cid, secret))
    assert r.status_code == 200, (server.kind, r.text)
    user = make_user(server)
    q = Agent(server).code(auth_params(cid, CB), user)
    at = exchange(server, cid, secret, q["code"], CB).json()["access_token"]
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"fmt": "json"},
                     headers={"Authorization": "Bearer " + at})
    assert r.json()["client_id"] == cid, (server.kind, r.text)
    openid = r.json()["openid"]
    r = requests.get(server.url("/user/get_user_info"), timeout=30,
                     params={"oauth_consumer_key": cid, "openid": openid},
                     headers={"Authorization": "Bearer " + at})
    assert r.json()["ret"] == 0


@pytest.mark.parametrize("kind", ["apache-fcgid", "apache-cgi"])
def test_make_install_then_apache(server, kind):
    dest = Path(tempfile.mkdtemp(prefix="oauth-install-", dir="/tmp"))
    top = Path(tempfile.mkdtemp(prefix="oauth-installed-", dir="/tmp"))
    web = None
    try:
        dest.chmod(0o755)
        top.chmod(0o755)
        r = subprocess.run(["make", "-s", "install", "DESTDIR=%s" % dest,
                            "PREFIX=/usr/local"], cwd=str(REPO),
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        for d, _, _ in os.walk(dest):
            os.chmod(d, 0o755)
        share = dest / "usr/local/share/oauth2-fcgi"
        libexec = dest / "usr/local/lib/oauth2-fcgi"
        assert (libexec / "cgi-bin/token.fcgi").exists()
        assert (dest / "usr/local/sbin/oauthctl").exists()
        assert (share / "htdocs/templates/zh-CN/login.html").exists()
        assert (share / "schema/001_init.sql").exists()
        # The installed config names the install paths; only those and
        # the state directory, port and user are substituted here.
        text = (share / "apache-example.conf").read_text()
        assert "/usr/local/lib/oauth2-fcgi/cgi-bin/token.fcgi" in text
        text = text.replace("/usr/local/", str(dest) + "/usr/local/")
        for d in ("log", "sock", "www/.well-known"):
            (top / d).mkdir(parents=True)
        server.acc.chown_run(top / "sock")
        shutil.copy(server.config_path, top / "oauth.conf")
        (top / "oauth.conf").chmod(0o644)
        port = harness.free_port()
        web = harness.WebServer(kind, top, port, server.acc, server.env,
                                prefix=share.parent, bindir=libexec,
                                source=text)
        web.render()
        web.start()
        base = "http://127.0.0.1:%d" % port
        cid, secret = make_client(server, grants="client_credentials")
        r = requests.post(base + "/oauth2.0/token", timeout=30,
                          data={"grant_type": "client_credentials"},
                          auth=(cid, secret))
        assert r.status_code == 200, (r.text, web.log_text()[-2000:])
        r = requests.get(base + "/oauth2.0/me", timeout=30,
                         params={"access_token": "nope"})
        assert jsonp_body(r.text)["error"] == 100016
        r = requests.get(base + "/static/oauth.css", timeout=30)
        assert r.status_code == 200
        # The OpenID Connect programs are routed too.
        r = requests.get(base + "/oauth2.0/jwks", timeout=30)
        assert r.status_code == 200 and r.json()["keys"]
        r = requests.get(base + "/oauth2.0/userinfo", timeout=30)
        assert r.status_code == 401 and "WWW-Authenticate" in r.headers
        r = requests.get(base + "/oauth2.0/end_session", timeout=30)
        assert r.status_code == 200
        cid2, _ = make_client(server, redirect_uri=CB)
        r = requests.get(base + "/oauth2.0/authorize", timeout=30,
                         params=auth_params(cid2, CB))
        assert r.status_code == 200 and 'name="password"' in r.text
    finally:
        if web is not None:
            web.stop()
        shutil.rmtree(dest, ignore_errors=True)
        shutil.rmtree(top, ignore_errors=True)


def test_make_dist_tarball():
    r = subprocess.run(["make", "-s", "--no-print-directory", "dist"],
                       cwd=str(REPO), capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    tarball = REPO / [line for line in r.stdout.splitlines()
                      if line.endswith(".tar.gz")][-1]
    names = subprocess.run(["tar", "tzf", str(tarball)], capture_output=True,
                           text=True, check=True).stdout.split()
    top = names[0]
    assert top.startswith("oauth2-fcgi-") and top.endswith("/")
    for f in ("Makefile", "README.md", "cgi-bin/token.c", "common/db.c",
              "schema/001_init.sql", "apache-example.conf",
              "lighttpd-example.conf", "nginx-example.conf",
              "spawn-fcgi-example.sh", "systemd/oauth2-fcgi@.socket",
              "systemd/oauth2-fcgi@.service", "tools/oauthctl.c"):
        assert top + f in names, f
    assert not any("/build/" in n or n.endswith(".fcgi") for n in names)
