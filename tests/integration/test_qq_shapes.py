"""test_qq_shapes.py: QQ's shapes where QQ client libraries look for them:
QQ's JSON on a GET with fmt=json, a default picture in every figureurl
field, the state on every error redirect, one JSONP content type.
(What these fixes leave alone is compared byte for byte in
test_qq_bytes.py; resource servers are in test_resource_server.py.)"""

import re
import struct

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, auth_params, exchange, jsonp_body, me, query_of

CB = "https://qq-shapes.example/cb"
JSONP = "application/javascript;charset=UTF-8"
PICTURES = {"figureurl": 30, "figureurl_1": 50, "figureurl_2": 100,
            "figureurl_qq_1": 40, "figureurl_qq_2": 100}


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, redirect_uri=CB,
                       grants="authorization_code,refresh_token,implicit")


@pytest.fixture(scope="module")
def user(server):
    return make_user(server, nickname="无头像")


def code(server, site, user, **kw):
    return Agent(server).code(auth_params(site[0], CB, **kw), user)["code"]


def get_token(server, **params):
    return requests.get(server.url("/oauth2.0/token"), params=params,
                        timeout=30)


# --- QQ's JSON on a GET with fmt=json ---------------------------------------

def test_fmt_json_success_has_expires_in_as_string(server, site, user):
    cid, secret = site
    r = get_token(server, grant_type="authorization_code", client_id=cid,
                  client_secret=secret, code=code(server, site, user),
                  redirect_uri=CB, fmt="json")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Pragma"] == "no-cache"
    assert re.fullmatch(r'\{"access_token":"[A-Za-z0-9_-]{43}",'
                        r'"token_type":"Bearer","expires_in":"3600",'
                        r'"refresh_token":"[A-Za-z0-9_-]{43}",'
                        r'"scope":"get_user_info list_album"\}', r.text), r.text
    # A client library's own check: a string of digits.
    assert r.json()["expires_in"].isdigit()
    r = get_token(server, grant_type="refresh_token", client_id=cid,
                  client_secret=secret, fmt="json",
                  refresh_token=r.json()["refresh_token"])
    assert r.status_code == 200 and r.json()["expires_in"] == "3600"
    # POST keeps RFC 6749's number, fmt=json or not.
    r = requests.post(server.url("/oauth2.0/token"), auth=site, timeout=30,
                      data={"grant_type": "authorization_code", "fmt": "json",
                            "code": code(server, site, user),
                            "redirect_uri": CB})
    assert r.status_code == 200 and r.json()["expires_in"] == 3600


def test_fmt_json_errors_have_qq_codes(server, site, user):
    cid, secret = site
    base = {"grant_type": "authorization_code", "client_id": cid,
            "client_secret": secret, "redirect_uri": CB, "fmt": "json"}

    def qq(**params):
        r = get_token(server, **params)
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"] == "application/json;charset=UTF-8"
        assert r.headers["Cache-Control"] == "no-store"
        body = r.json()
        assert set(body) == {"error", "error_description"}
        assert isinstance(body["error"], int)
        return body

    assert qq(**base)["error"] == 100005
    assert qq(**dict(base, code="nope")) == {
        "error": 100068, "error_description": "code invalid"}
    assert qq(**dict(base, code="x", client_secret="bad"))["error"] == 100009
    assert qq(**dict(base, code="x", client_id="nope"))["error"] == 100008
    assert qq(**dict(base, grant_type="magic"))["error"] == 100004
    c = code(server, site, user)
    assert get_token(server, **dict(base, code=c)).status_code == 200
    assert qq(**dict(base, code=c)) == {
        "error": 100020, "error_description": "code used twice"}
    body = qq(**dict(base, grant_type="refresh_token", refresh_token="zz"))
    assert body["error"] == 100036
    # POST errors stay RFC 6749's.
    r = requests.post(server.url("/oauth2.0/token"), auth=site, timeout=30,
                      data={"grant_type": "authorization_code", "code": "x",
                            "redirect_uri": CB, "fmt": "json"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


# --- the default picture ----------------------------------------------------

def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def info_of(server, site, user, **extra):
    at = exchange(server, site[0], site[1], code(server, site, user),
                  CB).json()["access_token"]
    openid = jsonp_body(me(server, at).text)["openid"]
    params = {"access_token": at, "oauth_consumer_key": site[0],
              "openid": openid}
    params.update(extra)
    return requests.get(server.url("/user/get_user_info"), params=params,
                        timeout=30), params


def test_user_without_avatar_gets_default_pictures(server, site, user):
    r, params = info_of(server, site, user)
    info = r.json()
    assert info["ret"] == 0 and info["nickname"] == "无头像"
    for field, px in PICTURES.items():
        url = info[field]
        assert url == "%s/static/avatar-default-%d.png" % (server.base, px)
        pic = requests.get(url, timeout=30)
        assert pic.status_code == 200
        assert pic.headers["Content-Type"] == "image/png"
        assert png_size(pic.content) == (px, px)
    r = requests.get(server.url("/user/get_user_info"), timeout=30,
                     params=dict(params, callback="cb"))
    assert jsonp_body(r.text, "cb")["figureurl_qq_1"] == info["figureurl_qq_1"]


def test_default_pictures_follow_the_issuer(server, site, user):
    """Built from `issuer`, a trailing slash or not (one plain-CGI run
    with another config file)."""
    _, params = info_of(server, site, user)
    conf = server.top / "issuer-slash.conf"
    conf.write_text(server.config_path.read_text().replace(
        "issuer = %s" % server.base, "issuer = https://auth.example.com/"))
    query = "&".join("%s=%s" % kv for kv in params.items())
    r = server.run_cgi("get_user_info", query=query,
                       env={"OAUTH_CONFIG": str(conf)})
    assert r.status == 200, r.stderr
    body = r.body.decode()
    assert '"figureurl_qq_2":"https://auth.example.com/static/' \
        'avatar-default-100.png"' in body
    assert "example.com//" not in body


# --- state on every error redirect ------------------------------------------

def authorize(server, query):
    return requests.get(server.url("/oauth2.0/authorize?" + query),
                        timeout=30, allow_redirects=False)


@pytest.mark.parametrize("twice", ["scope=get_user_info", "prompt=none",
                                   "code_challenge_method=S256",
                                   "display=page"])
def test_state_survives_a_repeated_parameter(server, site, twice):
    q = ("response_type=code&client_id=%s&redirect_uri=%s&state=keep%%20me"
         "&%s&%s" % (site[0], requests.utils.quote(CB, safe=""), twice,
                     twice))
    r = authorize(server, q)
    assert r.status_code == 302
    loc = r.headers["Location"]
    assert loc.startswith(CB + "?")
    got = query_of(loc)
    assert got["error"] == "invalid_request"
    assert got["state"] == "keep me"
    assert got["iss"] == server.base


def test_state_survives_in_the_fragment_for_token(server, site):
    q = ("response_type=token&client_id=%s&redirect_uri=%s&state=s-1"
         "&scope=list_album&scope=list_album"
         % (site[0], requests.utils.quote(CB, safe="")))
    r = authorize(server, q)
    loc = r.headers["Location"]
    assert loc.startswith(CB + "#"), loc
    got = query_of(loc)
    assert got["error"] == "invalid_request" and got["state"] == "s-1"


def test_state_given_twice_is_not_echoed(server, site):
    q = ("response_type=code&client_id=%s&redirect_uri=%s&state=a&state=b"
         % (site[0], requests.utils.quote(CB, safe="")))
    got = query_of(authorize(server, q).headers["Location"])
    assert got["error"] == "invalid_request" and "state" not in got


# --- one JSONP content type -------------------------------------------------

def test_every_jsonp_answer_has_one_content_type(server, site, user):
    cid, secret = site
    answers = {
        "token GET error": get_token(server, grant_type="authorization_code",
                                     client_id=cid, client_secret=secret,
                                     code="nope", redirect_uri=CB),
        "token GET bad secret": get_token(server, client_id=cid,
                                          grant_type="refresh_token",
                                          client_secret="bad",
                                          refresh_token="x"),
        "me": me(server, "bogus"),
        "me named": me(server, "bogus", callback="cb"),
    }
    r, params = info_of(server, site, user, callback="cb")
    answers["get_user_info"] = r
    r, params = info_of(server, site, user, callback="cb",
                        openid="0" * 32)
    answers["get_user_info error"] = r
    for name, r in answers.items():
        assert r.headers["Content-Type"] == JSONP, name
        assert r.headers["X-Content-Type-Options"] == "nosniff", name
    # What is not JSONP keeps its own type.
    ok = get_token(server, grant_type="authorization_code", client_id=cid,
                   client_secret=secret, code=code(server, site, user),
                   redirect_uri=CB)
    assert ok.headers["Content-Type"] == "text/plain;charset=UTF-8"
