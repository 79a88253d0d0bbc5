"""test_endpoint_answers.py: the answers the shared loop gives for every
program's endpoint descriptor (fcgi_loop.h): 405 with Allow, 413, and
400 for a malformed query or body, in each program's own reply format.

endpoint_answers.json holds these answers as the programs gave them when
each still checked method and size by hand (recorded with
`python3 test_endpoint_answers.py`); the loop must give the same bytes,
except where README ("Reading the code") names a mended drift.
"""

import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from golden import assert_same, record_to  # noqa: E402
from harness import make_client  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "endpoint_answers.json"
ORIGIN = "https://ep-answers.example"
CLIENT = "epanswers1"
HEADERS = ("Content-Type", "Allow", "WWW-Authenticate", "Retry-After",
           "Vary", "Access-Control-Allow-Origin", "Content-Security-Policy")
BIG = {"csrf": "x" * (65 * 1024)}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# More parameters than form.h's FORM_MAX_PARAMS: every web server passes
# them on (unlike a bad escape, which some refuse themselves).
MANY = "&".join(["p=1"] * 300)

# path, the methods it refuses, and whether it answers CORS.
ENDPOINTS = (
    ("/oauth2.0/authorize", ("PUT",), False),
    ("/oauth2.0/token", ("PUT", "DELETE"), True),
    ("/oauth2.0/me", ("PUT",), True),
    ("/user/get_user_info", ("DELETE",), True),
    ("/oauth2.0/userinfo", ("PUT",), False),
    ("/oauth2.0/revoke", ("GET",), True),
    ("/oauth2.0/introspect", ("GET",), False),
    ("/user/grants", ("PUT",), False),
    ("/oauth2.0/logout", ("GET",), False),
    ("/oauth2.0/end_session", ("PUT",), False),
    ("/oauth2.0/jwks", ("POST",), False),
    ("/admin/", ("PUT",), False),
    ("/developer/", ("DELETE",), False),
)


def answer(server, r):
    keep = {"status": r.status_code,
            "headers": {h: r.headers[h] for h in HEADERS if h in r.headers}}
    # Apache may add its own Vary values (Content-Length); ours is Origin.
    vary = [v.strip() for v in r.headers.get("Vary", "").split(",")]
    if "Origin" in vary:
        keep["headers"]["Vary"] = "Origin"
    else:
        keep["headers"].pop("Vary", None)
    if r.status_code != 200:
        keep["body"] = r.content.decode("utf-8").replace(server.base,
                                                         "<BASE>")
    return keep


def record(server):
    """Every refusal the loop makes, per endpoint."""
    make_client(server, client_id=CLIENT, redirect_uri=ORIGIN + "/cb")
    out = {}

    def send(name, method, path, **kw):
        kw.setdefault("timeout", 30)
        kw.setdefault("allow_redirects", False)
        out[name] = answer(server, requests.request(method, server.url(path),
                                                    **kw))

    for path, refused, cors in ENDPOINTS:
        for m in refused:
            send("%s %s" % (m, path), m, path)
        send("POST %s oversize" % path, "POST", path, data=BIG)
        send("GET %s bad query" % path, "GET", path + "?" + MANY)
        send("POST %s bad form" % path, "POST", path, data="a=%zz&b=1",
             headers=FORM)
        send("POST %s not a form" % path, "POST", path, data="{}",
             headers={"Content-Type": "application/json"})
        if cors:
            hdr = {"Origin": ORIGIN}
            q = "?client_id=" + CLIENT
            for m in refused + ("GET",):
                send("%s %s from %s" % (m, path, ORIGIN), m, path + q,
                     headers=hdr)
            send("POST %s oversize from %s" % (path, ORIGIN), "POST",
                 path + q, data=BIG, headers=hdr)
            send("GET %s bad query from %s" % (path, ORIGIN), "GET",
                 path + q + "&" + MANY, headers=hdr)
    # The QQ GET of the token endpoint answers in QQ's formats.
    send("GET token fmt=json bad query", "GET",
         "/oauth2.0/token?fmt=json&" + MANY)
    send("GET me fmt=json bad query", "GET", "/oauth2.0/me?fmt=json&" + MANY)
    send("GET me callback bad query", "GET",
         "/oauth2.0/me?callback=cb&" + MANY)
    return out


def test_refusals_are_the_recorded_bytes(server):
    assert_same(GOLDEN, record(server))


if __name__ == "__main__":
    record_to(GOLDEN, record)
