"""test_consoles.py: the web installer, the admin and developer consoles
(issue 16), and the review gate at the authorization endpoint.

Each negative case of the issue is here: the installer refuses a second
run and a wrong key (then 429); a non-administrator gets 403 on every
/admin/ page and action; posts without the CSRF token are refused; a
developer can neither see nor change another developer's apps; a rotated
key stops the old one at once.
"""

import random
import re

import pytest
import requests

import harness
from conftest import make_client, make_user, unique
from flow import Agent, auth_params, exchange, query_of, token

CB = "https://app.example.com/cb"


class Console:
    """A browser-like session on /admin/ or /developer/."""

    def __init__(self, server, user, path="/admin/"):
        self.server = server
        self.s = requests.Session()
        r = self.s.get(server.url(path), timeout=30)
        assert r.status_code == 200 and 'name="password"' in r.text, r.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
        r = self.s.post(server.url(path), data={
            "op": "login", "csrf": csrf, "username": user.name,
            "password": user.password}, allow_redirects=False, timeout=30)
        assert r.status_code == 303, (r.status_code, r.text[:300])
        self.user = user

    def get(self, path, **kw):
        return self.s.get(self.server.url(path), allow_redirects=False,
                          timeout=30, **kw)

    def csrf(self, path="/developer/"):
        r = self.get(path)
        return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)

    def post(self, path, data, csrf=True, **kw):
        data = dict(data)
        if csrf is True:
            # Both consoles' forms carry the same token of the session.
            data["csrf"] = self.csrf("/developer/")
        elif csrf:
            data["csrf"] = csrf
        return self.s.post(self.server.url(path), data=data,
                           allow_redirects=False, timeout=30, **kw)


def admin_user(server):
    u = harness.User(unique("admin"), unique("pw"))
    server.oauthctl("user", "add", u.name, "--admin", input=u.password + "\n",
                    check=True)
    return u


def secret_on(page):
    m = re.search(r'id="new-secret">([^<]+)<', page)
    return m and m.group(1)


def register(dev, name=None, uris=CB):
    r = dev.post("/developer/", {
        "op": "app_add", "name": name or unique("app"),
        "website": "https://app.example.com/", "redirect_uris": uris,
        "description": "测试应用", "icon": "https://app.example.com/i.png",
        "icp": "京ICP备12345678号"})
    assert r.status_code == 200, r.text
    app_id = re.search(r'id="app-id">([^<]+)<', r.text).group(1)
    key = re.search(r'id="app-key">([^<]+)<', r.text).group(1)
    return app_id, key


def audit(server, action, target):
    return server.pg.sql("SELECT actor, address FROM audit_log WHERE"
                         " action = $1 AND target = $2", action, target)


# -- oauthctl -----------------------------------------------------------------

def test_oauthctl_admin_flag(server):
    u = admin_user(server)
    q = "SELECT is_admin FROM users WHERE username = $1"
    assert server.pg.sql_one(q, u.name) == "t"
    server.oauthctl("user", "admin", u.name, "off", check=True)
    assert server.pg.sql_one(q, u.name) == "f"
    server.oauthctl("user", "admin", u.name, "on", check=True)
    assert server.pg.sql_one(q, u.name) == "t"
    assert server.oauthctl("user", "admin", u.name, "maybe").returncode == 1
    assert server.oauthctl("user", "admin", unique("nobody"), "on").returncode == 1
    plain = make_user(server)
    assert server.pg.sql_one(q, plain.name) == "f"


# -- the admin console ---------------------------------------------------------

ADMIN_OPS = (
    {"op": "client_add", "name": "x", "redirect_uris": CB,
     "grant": "authorization_code"},
    {"op": "client_edit", "client_id": "demo", "name": "x",
     "redirect_uris": CB, "grant": "authorization_code"},
    {"op": "client_rotate", "client_id": "demo"},
    {"op": "client_delete", "client_id": "demo"},
    {"op": "client_approve", "client_id": "demo"},
    {"op": "client_suspend", "client_id": "demo"},
    {"op": "user_add", "user": "intruder", "new_password": "password123"},
    {"op": "user_password", "user": "demo", "new_password": "password123"},
    {"op": "user_disable", "user": "demo"},
    {"op": "user_enable", "user": "demo"},
    {"op": "user_delete", "user": "demo"},
    {"op": "scope_set", "scope_name": "get_user_info", "description": "x"},
    {"op": "purge"},
)


def snapshot(server):
    return (server.pg.sql("SELECT id, name, secret_hash, status FROM clients"
                          " ORDER BY id"),
            server.pg.sql("SELECT username, password_hash, disabled, is_admin"
                          " FROM users ORDER BY id"),
            server.pg.sql("SELECT * FROM scopes ORDER BY name"),
            server.pg.sql("SELECT count(*) FROM audit_log"))


def test_non_admin_gets_403_everywhere(server):
    user = make_user(server)
    c = Console(server, user, "/developer/")
    for q in ("", "?view=users", "?view=scopes", "?view=audit",
              "?view=client&id=demo", "setup-not", "?view=clients"):
        r = c.get("/admin/" + q)
        assert r.status_code == 403, (q, r.status_code)
        assert "demo" not in r.text.replace("/developer/", "")
    before = snapshot(server)
    csrf = c.csrf("/developer/")      # a valid token of this session
    for op in ADMIN_OPS:
        r = c.post("/admin/", op, csrf=csrf)
        assert r.status_code == 403, (op, r.status_code)
    assert snapshot(server) == before


def test_admin_forms_need_csrf(server):
    c = Console(server, admin_user(server))
    before = snapshot(server)
    for op in ADMIN_OPS:
        assert c.post("/admin/", op, csrf=False).status_code == 403, op
        assert c.post("/admin/", op, csrf="x" * 43).status_code == 403, op
    # A valid token from another site's page (Origin) is refused too.
    good = c.csrf("/admin/")
    r = c.post("/admin/", ADMIN_OPS[0], csrf=good,
               headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = c.post("/admin/", ADMIN_OPS[0], csrf=good,
               headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert snapshot(server) == before


def test_admin_client_secret_shown_once_and_rotated(server):
    admin = admin_user(server)
    c = Console(server, admin)
    name = unique("cc-")
    data = {"op": "client_add", "name": name, "redirect_uris": CB,
            "grant": "client_credentials", "scope": "get_user_info"}
    r = c.post("/admin/", data)
    assert r.status_code == 200, r.text
    secret = secret_on(r.text)
    cid = re.search(r'id="client-id">([^<]+)<', r.text).group(1)
    assert secret and len(secret) >= 32
    ok = token(server, {"grant_type": "client_credentials"}, auth=(cid, secret))
    assert ok.status_code == 200, ok.text
    # Never shown again: not on the client's page, not in the audit log.
    page = c.get("/admin/?view=client&id=" + cid).text
    assert secret not in page and secret_on(page) is None
    assert secret not in str(server.pg.sql("SELECT * FROM audit_log"))
    r = c.post("/admin/", {"op": "client_rotate", "client_id": cid})
    assert r.status_code == 200
    new = secret_on(r.text)
    assert new and new != secret
    old = token(server, {"grant_type": "client_credentials"}, auth=(cid, secret))
    assert old.status_code == 401 and old.json()["error"] == "invalid_client"
    assert token(server, {"grant_type": "client_credentials"},
                 auth=(cid, new)).status_code == 200
    # Suspended: no more client_credentials tokens, the last one dead.
    tok = token(server, {"grant_type": "client_credentials"},
                auth=(cid, new)).json()["access_token"]
    assert c.post("/admin/", {"op": "client_suspend", "client_id": cid}
                  ).status_code == 303
    assert server.pg.sql_one("SELECT status FROM clients WHERE id = $1",
                             cid) == "suspended"
    r = token(server, {"grant_type": "client_credentials"}, auth=(cid, new))
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"
    r = requests.post(server.url("/oauth2.0/introspect"), data={"token": tok},
                      auth=(cid, new), timeout=30)
    assert r.json().get("active") is not True
    assert c.post("/admin/", {"op": "client_approve", "client_id": cid}
                  ).status_code == 303
    assert audit(server, "client.create", cid) == [(admin.name, "127.0.0.1")]
    assert audit(server, "client_rotate", cid) == [(admin.name, "127.0.0.1")]
    # Edit: name, redirect URIs, grants, scopes.
    r = c.post("/admin/", {"op": "client_edit", "client_id": cid,
                           "name": "新名字", "website": "https://x.example/",
                           "redirect_uris": CB + "\r\n" + CB + "2",
                           "grant": ["authorization_code", "refresh_token"],
                           "scope": "list_album"})
    assert r.status_code == 200, r.text
    assert server.pg.sql(
        "SELECT name, website, array_to_string(grants, ','),"
        " array_to_string(scopes, ',') FROM clients WHERE id = $1", cid) == [
        ("新名字", "https://x.example/", "authorization_code,refresh_token",
         "list_album")]
    assert server.pg.sql("SELECT uri FROM client_redirect_uris WHERE"
                         " client_id = $1 ORDER BY uri", cid) == [
        (CB,), (CB + "2",)]
    # A bad redirect URI is a 400 and changes nothing.
    r = c.post("/admin/", {"op": "client_edit", "client_id": cid, "name": "y",
                           "redirect_uris": "http://evil.example/cb",
                           "grant": "authorization_code"})
    assert r.status_code == 400
    assert server.pg.sql_one("SELECT name FROM clients WHERE id = $1",
                             cid) == "新名字"


def test_sensitive_actions_ask_for_the_password_again(server):
    admin = admin_user(server)
    c = Console(server, admin)
    cid, _ = make_client(server)
    server.pg.sql("UPDATE sessions SET auth_at = now() - interval '10 minutes'"
                  " WHERE user_id = (SELECT id FROM users WHERE username = $1)",
                  admin.name)
    page = c.get("/admin/?view=client&id=" + cid).text
    assert 'name="reauth_password"' in page
    r = c.post("/admin/", {"op": "client_delete", "client_id": cid})
    assert r.status_code == 403
    r = c.post("/admin/", {"op": "client_delete", "client_id": cid,
                           "reauth_password": "wrong password"})
    assert r.status_code == 403
    assert server.pg.sql_one("SELECT count(*) FROM clients WHERE id = $1",
                             cid) == "1"
    # Not sensitive: approving needs no password.
    r = c.post("/admin/", {"op": "client_approve", "client_id": cid})
    assert r.status_code == 303
    r = c.post("/admin/", {"op": "client_delete", "client_id": cid,
                           "reauth_password": admin.password})
    assert r.status_code == 303
    assert server.pg.sql_one("SELECT count(*) FROM clients WHERE id = $1",
                             cid) == "0"
    # The password was given: fresh again for a few minutes.
    assert 'name="reauth_password"' not in c.get("/admin/?view=users").text


def test_admin_users_scopes_purge(server):
    admin = admin_user(server)
    c = Console(server, admin)
    name = unique("u")
    assert c.post("/admin/", {"op": "user_add", "user": name,
                              "new_password": "short"}).status_code == 400
    r = c.post("/admin/", {"op": "user_add", "user": name,
                           "new_password": "first-password"})
    assert r.status_code == 303
    assert c.post("/admin/", {"op": "user_add", "user": name,
                              "new_password": "first-password"}
                  ).status_code == 409
    u = harness.User(name, "first-password")
    dev = Console(server, u, "/developer/")
    r = c.post("/admin/", {"op": "user_password", "user": name,
                           "new_password": "second-password"})
    assert r.status_code == 303
    # The reset ended the user's sessions; the old password is dead.
    assert 'name="password"' in dev.get("/developer/").text
    dev = Console(server, harness.User(name, "second-password"), "/developer/")
    assert c.post("/admin/", {"op": "user_disable", "user": name}
                  ).status_code == 303
    assert 'name="password"' in dev.get("/developer/").text
    r = dev.s.get(server.url("/developer/"))
    csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = dev.s.post(server.url("/developer/"), data={
        "op": "login", "csrf": csrf, "username": name,
        "password": "second-password"}, allow_redirects=False)
    assert r.status_code == 200 and 'name="password"' in r.text
    assert c.post("/admin/", {"op": "user_enable", "user": name}
                  ).status_code == 303
    Console(server, harness.User(name, "second-password"), "/developer/")
    # An administrator cannot disable or delete themself.
    assert c.post("/admin/", {"op": "user_disable", "user": admin.name}
                  ).status_code == 404
    assert c.post("/admin/", {"op": "user_delete", "user": name}
                  ).status_code == 303
    assert server.pg.sql_one("SELECT count(*) FROM users WHERE username = $1",
                             name) == "0"
    # Scopes: add, edit, a bad name refused.
    sc = unique("sc_")
    assert c.post("/admin/", {"op": "scope_set", "scope_name": sc,
                              "description": "甲", "description_en": "a"}
                  ).status_code == 303
    assert c.post("/admin/", {"op": "scope_set", "scope_name": sc,
                              "description": "乙", "description_en": "b"}
                  ).status_code == 303
    assert server.pg.sql("SELECT description, description_en FROM scopes"
                         " WHERE name = $1", sc) == [("乙", "b")]
    assert c.post("/admin/", {"op": "scope_set", "scope_name": "bad name!",
                              "description": "x"}).status_code == 400
    server.pg.sql("INSERT INTO auth_codes (code_hash, client_id, user_id,"
                  " scope, expires_at) SELECT '\\x01', 'demo', id, 'x',"
                  " now() - interval '1 day' FROM users WHERE username = 'demo'")
    assert c.post("/admin/", {"op": "purge"}).status_code == 303
    assert server.pg.sql_one("SELECT count(*) FROM auth_codes WHERE"
                             " code_hash = '\\x01'") == "0"
    log = c.get("/admin/?view=audit").text
    for action in ("user_add", "user_password", "user_disable",
                   "user_enable", "user_delete", "scope_set", "purge"):
        assert action in log, action


def test_admin_purge_is_oauthctls(server):
    """The console's purge button runs oauthctl purge's batched walk
    (common/purge.c): expired codes, tokens and sessions, day-old login
    failures and token-less families go; live rows and families that
    still have a token stay."""
    c = Console(server, admin_user(server))
    cid, _ = make_client(server, redirect_uri=CB)
    uid = server.pg.sql_one("SELECT id FROM users WHERE username = 'demo'")
    fam = str(random.randrange(900000000, 999000000, 3))
    gone, kept = str(int(fam) + 1), str(int(fam) + 2)
    server.pg.sql("INSERT INTO families (id, client_id, user_id, created_at)"
                  " SELECT f, $1, $2::bigint, now() - interval '2 days'"
                  " FROM unnest(ARRAY[$3, $4]::bigint[]) f", cid, uid, gone, kept)
    server.pg.sql("INSERT INTO tokens (token_hash, kind, family_id, client_id,"
                  " user_id, scope, expires_at) VALUES"
                  " (sha256($1::bytea), 'a', $2::bigint, $3, $4::bigint, 'x',"
                  "  now() - interval '1 s'),"
                  " (sha256($1::bytea || '\\x01'), 'r', $5::bigint, $3,"
                  "  $4::bigint, 'x', now() + interval '1 day')",
                  "\\x" + fam.encode().hex(), gone, cid, uid, kept)
    server.pg.sql("INSERT INTO sessions (session_hash, user_id, expires_at)"
                  " VALUES (sha256($1::bytea), $2::bigint,"
                  " now() - interval '1 s')", "\\x" + fam.encode().hex(), uid)
    key = "purge-test-" + fam
    server.pg.sql("INSERT INTO auth_failures (key, at) VALUES"
                  " ($1, now() - interval '2 days'), ($1, now())", key)
    assert c.post("/admin/", {"op": "purge"}).status_code == 303
    left = server.pg.sql(
        "SELECT (SELECT array_agg(kind ORDER BY kind) FROM tokens"
        "   WHERE client_id = $1),"
        " (SELECT array_agg(id ORDER BY id) FROM families"
        "   WHERE id IN ($2::bigint, $3::bigint)),"
        " (SELECT count(*) FROM sessions"
        "   WHERE session_hash = sha256($4::bytea)),"
        " (SELECT count(*) FROM auth_failures WHERE key = $5)",
        cid, gone, kept, "\\x" + fam.encode().hex(), key)
    assert left == [("{r}", "{%s}" % kept, "0", "1")]
    assert "purge" in c.get("/admin/?view=audit").text


# -- the developer console and the review gate ---------------------------------

def test_developer_cannot_touch_anothers_apps(server):
    a = Console(server, make_user(server), "/developer/")
    b = Console(server, make_user(server), "/developer/")
    app_id, key = register(a)
    assert app_id in a.get("/developer/").text
    assert app_id not in b.get("/developer/").text
    assert b.get("/developer/?app=" + app_id).status_code == 404
    before = server.pg.sql("SELECT name, secret_hash, icon FROM clients"
                           " WHERE id = $1", app_id)
    for op in ({"op": "app_edit", "name": "stolen",
                "website": "https://evil.example/",
                "redirect_uris": "https://evil.example/cb"},
               {"op": "app_rotate"}, {"op": "app_delete"}):
        op["app_id"] = app_id
        r = b.post("/developer/", op)
        assert r.status_code == 404, (op, r.status_code)
        assert "stolen" not in r.text
    assert server.pg.sql("SELECT name, secret_hash, icon FROM clients"
                         " WHERE id = $1", app_id) == before
    assert server.pg.sql("SELECT uri FROM client_redirect_uris WHERE"
                         " client_id = $1", app_id) == [(CB,)]
    # CSRF-less posts are refused in the developer console too.
    r = a.post("/developer/", {"op": "app_delete", "app_id": app_id},
               csrf=False)
    assert r.status_code == 403
    assert server.pg.sql_one("SELECT count(*) FROM clients WHERE id = $1",
                             app_id) == "1"
    # The owner edits the callbacks and deletes it.
    r = a.post("/developer/", {"op": "app_edit", "app_id": app_id,
                               "name": "改名", "website": "https://a.example/",
                               "redirect_uris": CB + "\n" + CB + "/2"})
    assert r.status_code == 303
    assert server.pg.sql_one("SELECT count(*) FROM client_redirect_uris"
                             " WHERE client_id = $1", app_id) == "2"
    assert a.post("/developer/", {"op": "app_delete", "app_id": app_id}
                  ).status_code == 303
    assert server.pg.sql_one("SELECT count(*) FROM clients WHERE id = $1",
                             app_id) == "0"


def test_review_gate_rotation_and_approval(server):
    owner = make_user(server)
    other = make_user(server)
    dev = Console(server, owner, "/developer/")
    app_id, key = register(dev)
    assert server.pg.sql_one("SELECT status FROM clients WHERE id = $1",
                             app_id) == "review"
    # The owner gets a code; someone else the under-review page.
    q = Agent(server).code(auth_params(app_id, CB), owner)
    assert "code" in q
    a = Agent(server)
    r = a.authorize(auth_params(app_id, CB))
    r = a.login(r, other)
    assert r.status_code == 403 and "review-notice" in r.text
    assert "code=" not in r.headers.get("Location", "")
    # A rotated key stops the old one at once.
    r = dev.post("/developer/", {"op": "app_rotate", "app_id": app_id})
    assert r.status_code == 200
    new = re.search(r'id="app-key">([^<]+)<', r.text).group(1)
    assert new != key
    old = exchange(server, app_id, key, q["code"], CB)
    assert old.status_code == 401 and old.json()["error"] == "invalid_client"
    assert exchange(server, app_id, new, q["code"], CB).status_code == 200
    # Approved: anyone.
    admin = Console(server, admin_user(server))
    page = admin.get("/admin/").text
    assert app_id in page
    detail = admin.get("/admin/?view=client&id=" + app_id).text
    assert "京ICP备12345678号" in detail and owner.name in detail
    assert admin.post("/admin/", {"op": "client_approve",
                                  "client_id": app_id}).status_code == 303
    assert "code" in Agent(server).code(auth_params(app_id, CB), other)
    # Suspended: nobody, the owner included.
    assert admin.post("/admin/", {"op": "client_suspend",
                                  "client_id": app_id}).status_code == 303
    for u in (owner, other):
        a = Agent(server)
        r = a.login(a.authorize(auth_params(app_id, CB)), u)
        assert r.status_code == 403 and "review-notice" in r.text
    # The app's icon is on the consent page once approved again.
    admin.post("/admin/", {"op": "client_approve", "client_id": app_id})
    a = Agent(server)
    r = a.login(a.authorize(auth_params(app_id, CB, prompt="consent")), other)
    assert 'class="client-icon" src="https://app.example.com/i.png"' in r.text
    for action in ("app.register", "app.rotate_key", "client_approve",
                   "client_suspend"):
        assert audit(server, action, app_id), action


def test_registration_off_and_open(server):
    u = make_user(server)
    with server.reconfigured(developer_registration="off"):
        dev = Console(server, u, "/developer/")
        r = dev.post("/developer/", {
            "op": "app_add", "name": "x", "website": "https://a.example/",
            "redirect_uris": CB})
        assert r.status_code == 403
    assert server.pg.sql_one("SELECT count(*) FROM clients c JOIN users u ON"
                             " u.id = c.owner_user_id WHERE u.username = $1",
                             u.name) == "0"
    with server.reconfigured(developer_registration="open"):
        dev = Console(server, u, "/developer/")
        app_id, _ = register(dev)
    assert server.pg.sql_one("SELECT status FROM clients WHERE id = $1",
                             app_id) == "approved"


# -- the web installer -----------------------------------------------------------

@pytest.fixture(scope="module")
def bare():
    s = harness.Server(bare=True).start()
    try:
        yield s
    finally:
        s.shutdown()


def setup_post(bare, key, name="root", pw="installer-pw", pw2=None,
               session=None):
    return (session or requests).post(bare.url("/admin/setup"), data={
        "setup_key": key, "username": name, "password": pw,
        "password2": pw if pw2 is None else pw2},
        allow_redirects=False, timeout=60)


def test_installer(bare):
    r = bare.get("/admin/setup")
    assert r.status_code == 200 and 'name="setup_key"' in r.text
    assert bare.get("/admin/").status_code == 503
    # Wrong keys: refused, counted, then 429 even for the right one.
    for _ in range(harness_limit()):
        assert setup_post(bare, "wrong-key").status_code == 403
    r = setup_post(bare, "wrong-key")
    assert r.status_code == 429 and r.headers.get("Retry-After")
    assert setup_post(bare, bare.setup_key).status_code == 429
    assert bare.pg.sql_one("SELECT count(*) FROM users") == "0"
    bare.pg.sql("DELETE FROM auth_failures")
    # A mismatched password confirmation changes nothing.
    assert setup_post(bare, bare.setup_key, pw2="other").status_code == 400
    assert bare.pg.sql_one("SELECT count(*) FROM users") == "0"
    s = requests.Session()
    r = setup_post(bare, bare.setup_key, session=s)
    assert r.status_code == 303 and r.headers["Location"] == "/admin/"
    assert bare.pg.sql("SELECT username, is_admin FROM users") == [
        ("root", "t")]
    assert bare.pg.sql_one("SELECT count(*) FROM scopes") == "2"
    key = bare.top / "keys" / "secret.key"
    assert key.stat().st_size >= 32 and key.stat().st_mode & 0o007 == 0
    # Logged in as the new administrator.
    r = s.get(bare.url("/admin/?view=audit"), timeout=30)
    assert r.status_code == 200 and "setup" in r.text
    # Refuses everything from now on, with the right key too.
    assert setup_post(bare, bare.setup_key, name="second").status_code == 403
    assert bare.get("/admin/setup").status_code == 403
    assert bare.pg.sql_one("SELECT count(*) FROM users") == "1"
    # The other programs, started before the key existed, work now.
    r = token(bare, {"grant_type": "client_credentials"}, auth=("x", "y"))
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"


def harness_limit():
    return 10    # LOGIN_FAIL_MAX: common/login.h
