"""test_jssdk.py: the QQ-compatible JavaScript SDK (/qc_jssdk.js) in
headless Chromium, on a site served from another origin than the server.

The site is this test's own static HTTP server on another 127.0.0.1 port
(SITE, registered as the client's redirect URIs' origin); a second one
(EVIL) is an origin the client never registered.  The pages load the SDK
from the server exactly as QQ's documentation shows.  Every network
request the page makes is read from Chromium's performance log.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from selenium.common.exceptions import NoSuchWindowException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_client, make_user

NICK = "网页用户 SDK"


def wait(driver, cond, timeout=20):
    return WebDriverWait(driver, timeout).until(cond)


class Site:
    """A static HTTP server on its own 127.0.0.1 port: pages maps a path to
    (html, extra headers); seen lists every request line's target."""

    def __init__(self):
        self.pages = {}
        self.seen = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.seen.append(self.path)
                page = site.pages.get(urlsplit(self.path).path)
                if page is None:
                    self.send_error(404)
                    return
                body = page[0].encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for k, v in page[1].items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def url(self, path):
        return self.origin + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


def site_page(sdk_src, appid, redirect_uri):
    """The login page of QQ's documentation: the script tag, the span,
    QC.Login with both callbacks (recorded in window.events)."""
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>site</title>
<script type="text/javascript" src="%s" data-appid="%s"
 data-redirecturi="%s" charset="utf-8"></script>
</head><body>
<span id="qqLoginBtn"></span>
<script type="text/javascript">
window.events = [];
QC.Login({btnId: "qqLoginBtn", size: "A_L"}, function (reqData, opts) {
  window.events.push(["login", reqData.nickname, opts.btnId]);
}, function (opts) {
  window.events.push(["logout"]);
});
</script>
</body></html>""" % (sdk_src, appid, redirect_uri)


def callback_page(sdk_src):
    """QQ's qc_callback.html: only the SDK, with data-callback."""
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>callback</title>
<script type="text/javascript" src="%s" data-callback="true"
 charset="utf-8"></script>
</head><body></body></html>""" % sdk_src


FORGE = """<!DOCTYPE html><html><body><script>
var q = new URLSearchParams(location.search);
parent.postMessage({qc_login: 1, state: q.get("state"), code: "forged",
                    error: ""}, "*");
</script></body></html>"""


@pytest.fixture(scope="module")
def sites(server):
    site, evil = Site(), Site()
    sdk = server.url("/qc_jssdk.js")
    loader = server.url("/qzone/openapi/qc_loader.js")
    cb, csp_cb = site.url("/qc_callback.html"), site.url("/csp_callback.html")
    appid, _ = make_client(server, name="SDK site", public=True,
                           redirect_uri=[cb, csp_cb],
                           grants="authorization_code",
                           scopes="get_user_info,list_album")
    legacy, _ = make_client(server, name="SDK implicit only", public=True,
                            redirect_uri=cb, grants="implicit",
                            scopes="get_user_info")
    other, _ = make_client(server, name="SDK other", public=True,
                           redirect_uri=evil.url("/cb.html"),
                           grants="authorization_code")
    csp = {"Content-Security-Policy":
           "default-src 'self'; script-src %s; connect-src %s; img-src %s"
           % ((server.base,) * 3)}
    site.pages.update({
        "/index.html": (site_page(loader, appid, cb), {}),
        "/implicit.html": (site_page(loader, legacy, cb), {}),
        "/jssdk.html": (site_page(sdk, appid, cb), {}),
        "/qc_callback.html": (callback_page(loader), {}),
        "/csp.html": ("""<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="%s" data-appid="%s" data-redirecturi="%s" data-btnid="qqLoginBtn"
 charset="utf-8"></script></head>
<body><span id="qqLoginBtn"></span></body></html>""" % (sdk, appid, csp_cb),
                      csp),
        "/csp_callback.html": (callback_page(sdk), csp),
        "/forge.html": (FORGE, {}),
    })
    evil.pages.update({
        "/index.html": (site_page(sdk, appid, cb), {}),
        "/own.html": (site_page(sdk, appid, evil.url("/cb.html")), {}),
        "/forge.html": (FORGE, {}),
    })
    try:
        yield {"site": site, "evil": evil, "appid": appid, "other": other}
    finally:
        site.close()
        evil.close()


@pytest.fixture
def sdk_user(server):
    """A fresh user for each test: every login asks for consent."""
    return make_user(server, nickname=NICK)


class Net:
    """The URLs a browser requested, from its performance log."""

    def __init__(self, driver):
        self.d = driver
        self.requests = []

    def read(self):
        for entry in self.d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                r = msg["params"]["request"]
                self.requests.append((r["method"], r["url"]))
        return self.requests

    def to(self, server, path):
        return [(m, u) for m, u in self.read()
                if u.split("?")[0] == server.url(path)]


def click_login(d):
    main = d.current_window_handle
    btn = wait(d, EC.element_to_be_clickable(
        (By.CSS_SELECTOR, "#qqLoginBtn a.qc_login_btn")))
    btn.click()
    wait(d, lambda x: len(x.window_handles) == 2)
    popup = [h for h in d.window_handles if h != main][0]
    return main, popup


def log_in_popup(d, popup, user, consent=True):
    """Log in and consent in the popup; leaves the driver on it.  Returns
    the authorization request's URL."""
    d.switch_to.window(popup)
    wait(d, lambda x: "/oauth2.0/authorize?" in x.current_url)
    first = d.current_url
    wait(d, EC.presence_of_element_located((By.NAME, "password")))
    d.find_element(By.NAME, "username").send_keys(user.name)
    d.find_element(By.NAME, "password").send_keys(user.password)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    if consent:
        wait(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "button[name=decision][value=allow]"))).click()
    return first


def popup_closed(d, main, popup):
    wait(d, lambda x: popup not in x.window_handles)
    d.switch_to.window(main)


def js_async(d, body):
    return d.execute_async_script(
        "var done = arguments[arguments.length - 1];" + body)


def me_openid(server, token):
    r = requests.get(server.url("/oauth2.0/me"), params={"fmt": "json"},
                     headers={"Authorization": "Bearer " + token}, timeout=30)
    return r.status_code, r.json().get("openid")


def test_login_check_getme_api_signout(server, sites, sdk_user,
                                       browser_factory):
    """QQ's documented page, on another origin, logs in through the popup;
    check, getMe, QC.api and signOut behave as QQ's; the token never
    appears in a URL once the popup is closed, nor outside sessionStorage."""
    site = sites["site"]
    d = browser_factory(logs=True)
    net = Net(d)
    d.get(site.url("/index.html"))
    img = wait(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#qqLoginBtn a.qc_login_btn img")))
    assert img.get_attribute("src").startswith(server.url("/static/qc_btn_a_"))
    assert (img.get_attribute("width"), img.get_attribute("height")) == \
        ("170", "32")
    assert d.execute_script("return QC.Login.check()") is False
    main, popup = click_login(d)
    authz = log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    nick = wait(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#qqLoginBtn .qc_nickname")))
    wait(d, lambda x: nick.text == NICK)
    assert d.find_element(By.CSS_SELECTOR, "#qqLoginBtn .qc_avatar")
    assert d.find_element(By.CSS_SELECTOR, "#qqLoginBtn .qc_signout")
    closed_at = len(net.read())

    assert d.execute_script("return QC.Login.check()") is True
    openid, token = js_async(
        d, "QC.Login.getMe(function (o, t) { done([o, t]); });")
    assert me_openid(server, token) == (200, openid)
    got = js_async(d, """var seen = [];
        QC.api("get_user_info").success(function (s) {
          seen.push(["success", s.data.nickname, s.data.ret]);
        }).error(function (f) { seen.push(["error", f.data]); })
        .complete(function (c) { seen.push(["complete"]); done(seen); });""")
    assert got == [["success", NICK, 0], ["complete"]]
    nosuch = js_async(d, """QC.api("list_album", {}).success(function () {
          done("success"); }).error(function (f) { done(f.data); });""")
    assert nosuch["ret"] == 100031 and "no such API" in nosuch["msg"]
    assert d.execute_script("return window.events") == \
        [["login", NICK, "qqLoginBtn"]]

    # The token lives in sessionStorage only.
    assert token in d.execute_script(
        "return JSON.stringify(sessionStorage)")
    assert d.execute_script("return localStorage.length") == 0
    assert all(token not in c["value"] for c in d.get_cookies())
    assert d.execute_script("return document.cookie") == ""

    # The flow's requests: code + PKCE at authorize, the token by a POST
    # body, /me and get_user_info with the token in a header only.
    reqs = net.read()
    q = parse_qs(urlsplit(authz).query)
    assert q["response_type"] == ["code"]
    assert q["code_challenge_method"] == ["S256"]
    assert len(q["code_challenge"][0]) == 43
    assert [m for m, _ in net.to(server, "/oauth2.0/token")] == ["POST"]
    assert net.to(server, "/oauth2.0/me")
    assert net.to(server, "/user/get_user_info")
    after = reqs[closed_at:]
    assert after, "no request logged after the popup closed"
    assert all(token not in u for _, u in reqs), \
        [u for _, u in reqs if token in u]
    assert all(token not in p for p in site.seen)

    d.execute_script("QC.Login.signOut()")
    assert d.execute_script("return QC.Login.check()") is False
    wait(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#qqLoginBtn a.qc_login_btn")))
    assert d.execute_script("return window.events")[-1] == ["logout"]
    assert token not in d.execute_script(
        "return JSON.stringify(sessionStorage)")
    assert js_async(d, "QC.Login.getMe(function () { done('called'); });"
                       "setTimeout(function () { done('not'); }, 100);") \
        == "not"
    # signOut revoked the token at the server too.
    wait(d, lambda x: me_openid(server, token)[0] == 401)
    assert all(token not in u for _, u in net.read())


def test_qc_jssdk_path_and_remembered_login(server, sites, sdk_user,
                                            browser_factory):
    """The other script path; a reload keeps the login of the tab."""
    site = sites["site"]
    d = browser_factory()
    d.get(site.url("/jssdk.html"))
    main, popup = click_login(d)
    log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    wait(d, lambda x: x.execute_script("return QC.Login.check()"))
    d.refresh()
    wait(d, lambda x: x.find_elements(By.CSS_SELECTOR,
                                      "#qqLoginBtn .qc_nickname"))
    wait(d, lambda x: x.execute_script("return window.events") ==
         [["login", NICK, "qqLoginBtn"]])


def test_foreign_and_forged_messages_change_nothing(server, sites, sdk_user,
                                                    browser_factory):
    """A message with the right state posted from another origin, or from
    the site's own origin but not from the popup, is ignored; the real
    answer of the popup still logs in afterwards."""
    site, evil = sites["site"], sites["evil"]
    d = browser_factory(logs=True)
    net = Net(d)
    d.get(site.url("/index.html"))
    main, popup = click_login(d)
    d.switch_to.window(main)
    state = d.execute_script(
        "return JSON.parse(sessionStorage.getItem('qc_pending')).state")
    for forger in (evil, site):
        d.execute_async_script("""var done = arguments[1];
            var f = document.createElement("iframe");
            f.onload = function () { setTimeout(done, 300); };
            f.src = arguments[0]; document.body.appendChild(f);""",
                               forger.url("/forge.html?state=" + state))
        assert "/forge.html?state=" + state in forger.seen
        assert d.execute_script("return QC.Login.check()") is False
        assert net.to(server, "/oauth2.0/token") == []
        assert d.execute_script(
            "return JSON.parse(sessionStorage.getItem('qc_pending')).state"
        ) == state
    log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    wait(d, lambda x: x.execute_script("return QC.Login.check()"))
    assert len(net.to(server, "/oauth2.0/token")) == 1


def test_wrong_state_changes_nothing(server, sites, sdk_user,
                                     browser_factory):
    """The popup comes back with a real code but another state: the
    redirect page refuses it and posts nothing; the opener stays logged
    out and never asks for a token."""
    site = sites["site"]
    d = browser_factory(logs=True)
    net = Net(d)
    d.get(site.url("/index.html"))
    main, popup = click_login(d)
    d.switch_to.window(popup)
    wait(d, lambda x: "/oauth2.0/authorize?" in x.current_url)
    u = urlsplit(d.current_url)
    q = parse_qs(u.query)
    q["state"] = ["not-the-state"]
    d.get(urlunsplit(u._replace(query=urlencode(q, doseq=True))))
    log_in_popup(d, popup, sdk_user)
    wait(d, lambda x: x.current_url.startswith(site.url("/qc_callback.html")))
    wait(d, lambda x: x.execute_script(
        "return document.documentElement.getAttribute('data-qc-callback')")
        == "refused")
    assert "code=" in d.current_url and "state=not-the-state" in d.current_url
    d.switch_to.window(main)
    time.sleep(0.5)
    assert d.execute_script("return QC.Login.check()") is False
    assert net.to(server, "/oauth2.0/token") == []


def test_unregistered_origin_cannot_log_in(server, sites, sdk_user,
                                           browser_factory):
    """A page on an origin the client never registered, with the client's
    real redirect URI: the popup's answer goes to the redirect URI's origin
    only, so the page never gets a code; with its own redirect URI the
    authorization endpoint refuses; the token endpoint does not answer it
    by CORS, while it does answer the registered site."""
    evil, site = sites["evil"], sites["site"]
    d = browser_factory(logs=True)
    net = Net(d)
    d.get(evil.url("/index.html"))
    main, popup = click_login(d)
    log_in_popup(d, popup, sdk_user)
    try:
        wait(d, lambda x: x.current_url.startswith(
            site.url("/qc_callback.html")) and x.execute_script(
            "return document.documentElement.getAttribute("
            "'data-qc-callback')"))
    except NoSuchWindowException:
        pass
    d.switch_to.window(main)
    time.sleep(0.5)
    assert d.execute_script("return QC.Login.check()") is False
    assert net.to(server, "/oauth2.0/token") == []
    for h in d.window_handles:
        if h != main:
            d.switch_to.window(h)
            d.close()
    d.switch_to.window(main)

    d.get(evil.url("/own.html"))
    main, popup = click_login(d)
    d.switch_to.window(popup)
    wait(d, lambda x: "redirect_uri" in x.page_source)
    assert "name=\"password\"" not in d.page_source
    d.close()
    d.switch_to.window(main)

    probe = """fetch(arguments[0], {method: "POST", credentials: "omit",
        body: new URLSearchParams({grant_type: "authorization_code",
          code: "x", redirect_uri: arguments[1], client_id: arguments[2],
          code_verifier: "a".repeat(43)})})
      .then(function (r) { return r.json(); })
      .then(function (j) { done(["read", j.error]); },
            function (e) { done(["blocked", String(e)]); });"""
    args = (server.url("/oauth2.0/token"), site.url("/qc_callback.html"),
            sites["appid"])
    d.get(evil.url("/forge.html"))
    assert d.execute_async_script(
        "var done = arguments[3];" + probe, *args)[0] == "blocked"
    d.get(site.url("/forge.html"))
    assert d.execute_async_script(
        "var done = arguments[3];" + probe, *args) == \
        ["read", "invalid_grant"]


def test_works_under_a_strict_csp(server, sites, sdk_user, browser_factory):
    """The site's Content-Security-Policy allows scripts from the server's
    origin only (no inline script): the SDK renders the button from its
    script tag, logs in, and no policy violation is reported."""
    site = sites["site"]
    d = browser_factory(logs=True)
    d.get(site.url("/csp.html"))
    main, popup = click_login(d)
    log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    nick = wait(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#qqLoginBtn .qc_nickname")))
    wait(d, lambda x: nick.text == NICK)
    assert d.execute_script("return QC.Login.check()") is True
    console = [e["message"] for e in d.get_log("browser")]
    assert not [m for m in console if "Content Security Policy" in m], console


def test_implicit_only_for_an_implicit_only_client(server, sites, sdk_user,
                                                   browser_factory):
    """A client registered for the implicit grant alone: the code request
    is refused (unauthorized_client), the popup asks for a token instead,
    and hands it over by postMessage; no token request, no token in any
    URL the page requested."""
    site = sites["site"]
    d = browser_factory(logs=True)
    net = Net(d)
    d.get(site.url("/implicit.html"))
    main, popup = click_login(d)
    log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    # The code flow was asked for first, and refused.
    assert [p for p in site.seen if p.startswith(
        "/qc_callback.html?error=unauthorized_client&")]
    wait(d, lambda x: x.execute_script("return QC.Login.check()"))
    openid, token = js_async(
        d, "QC.Login.getMe(function (o, t) { done([o, t]); });")
    assert me_openid(server, token) == (200, openid)
    wait(d, lambda x: x.execute_script("return window.events") ==
         [["login", NICK, "qqLoginBtn"]])
    reqs = net.read()
    assert net.to(server, "/oauth2.0/token") == []
    assert all(token not in u for _, u in reqs)
    assert all(token not in p for p in site.seen)


def test_demo_sdk_page(server, sdk_user, browser_factory):
    """The demo's second page uses only the SDK (client demo-sdk, its
    redirect URI the page itself) and shows what QC.api gave."""
    d = browser_factory()
    d.get(server.url("/demo/"))
    d.find_element(By.ID, "sdk-demo").click()
    wait(d, lambda x: x.current_url == server.url("/demo/sdk.html"))
    main, popup = click_login(d)
    log_in_popup(d, popup, sdk_user)
    popup_closed(d, main, popup)
    wait(d, lambda x: x.find_element(By.ID, "sdk-nickname").text == NICK)
    openid = d.find_element(By.ID, "sdk-openid").text
    token = d.execute_script(
        "return JSON.parse(sessionStorage.getItem('qc_token')).access_token")
    assert me_openid(server, token) == (200, openid)
    d.find_element(By.CSS_SELECTOR, "#qqLoginBtn .qc_signout").click()
    wait(d, lambda x: not x.find_element(By.ID, "sdk-profile").is_displayed())
    assert d.execute_script("return QC.Login.check()") is False
