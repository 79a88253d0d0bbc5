"""test_user_side.py: /user/grants (list, revoke, password) and logout."""

import re

import pytest
import requests

from conftest import make_client, make_user
from flow import (Agent, auth_params, exchange, hidden, jsonp_body, me,
                  parse_form, query_of)

CB = "https://user-side.example/cb"


@pytest.fixture(scope="module")
def app(server):
    return make_client(server, name="相册 Photo site", redirect_uri=CB,
                       website="https://user-side.example/")


def grants_page(agent):
    return agent.s.get(agent.server.url("/user/grants"), timeout=30,
                       allow_redirects=False)


def forms(html):
    """Every form of a page: (action, {name: value})."""
    out = []
    for m in re.finditer(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>",
                         html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" '
                                 r'value="([^"]*)"', m.group(2)))
        out.append((m.group(1), fields))
    return out


def form_with(html, **match):
    for action, fields in forms(html):
        if all(fields.get(k) == v for k, v in match.items()):
            return action, fields
    raise AssertionError("no form %r in page" % match)


def logged_in_agent(server, app, user):
    a = Agent(server)
    q = a.code(auth_params(app[0], CB), user)
    return a, q


def test_grants_lists_and_revokes(server, app):
    user = make_user(server)
    a, q = logged_in_agent(server, app, user)
    tok = exchange(server, app[0], app[1], q["code"], CB).json()
    page = grants_page(a)
    assert page.status_code == 200
    assert "相册 Photo site" in page.text
    assert "获得您的昵称、头像、性别" in page.text
    assert "https://user-side.example/" in page.text
    action, fields = form_with(page.text, op="revoke", client_id=app[0])
    # Without the CSRF token: refused, nothing revoked.
    r = a.s.post(server.url(action), data={"op": "revoke",
                                          "client_id": app[0]}, timeout=30)
    assert r.status_code == 403
    assert "openid" in jsonp_body(me(server, tok["access_token"]).text)
    r = a.s.post(server.url(action), data=fields, timeout=30)
    assert r.status_code == 200
    assert "相册 Photo site" not in r.text
    # The tokens died at once, and consent is asked again.
    assert "openid" not in jsonp_body(me(server, tok["access_token"]).text)
    r = requests.post(server.url("/oauth2.0/token"), timeout=30,
                      data={"grant_type": "refresh_token",
                            "refresh_token": tok["refresh_token"]}, auth=app)
    assert r.json()["error"] == "invalid_grant"
    r = a.authorize(auth_params(app[0], CB))
    assert r.status_code == 200 and 'name="grant_scope"' in r.text


def test_grants_needs_login(server, app):
    user = make_user(server)
    a = Agent(server)
    page = grants_page(a)
    assert page.status_code == 200 and 'name="password"' in page.text
    r = a.login(page, user)
    assert r.status_code == 200
    assert 'name="old_password"' in r.text
    r = a.login(grants_page(Agent(server)), user, password="bad")
    assert 'name="password"' in r.text and "old_password" not in r.text


def test_logout_ends_session(server, app):
    user = make_user(server)
    a, _ = logged_in_agent(server, app, user)
    cookie = a.s.cookies.get("oauth_session")
    page = grants_page(a)
    action, fields = [f for f in forms(page.text)
                      if f[0] == "/oauth2.0/logout"][0]
    r = a.s.post(server.url(action), data={}, timeout=30,
                 allow_redirects=False)
    assert r.status_code == 403
    r = a.s.post(server.url(action), data=fields, timeout=30,
                 allow_redirects=False)
    assert r.status_code == 303
    assert "oauth_session=deleted" in r.headers["Set-Cookie"]
    # The old cookie no longer works, even replayed by hand.
    b = Agent(server)
    b.s.cookies.set("oauth_session", cookie)
    assert 'name="password"' in grants_page(b).text
    r = b.authorize(auth_params(app[0], CB))
    assert 'name="password"' in r.text


def test_logout_redirect_only_if_registered(server, app):
    user = make_user(server)
    a, _ = logged_in_agent(server, app, user)
    _, fields = [f for f in forms(grants_page(a).text)
                 if f[0] == "/oauth2.0/logout"][0]
    r = a.s.post(server.url("/oauth2.0/logout"), timeout=30,
                 allow_redirects=False,
                 data=dict(fields, client_id=app[0],
                           post_logout_redirect_uri="https://evil.example/"))
    assert r.headers["Location"] == "/user/grants"
    a, _ = logged_in_agent(server, app, user)
    _, fields = [f for f in forms(grants_page(a).text)
                 if f[0] == "/oauth2.0/logout"][0]
    r = a.s.post(server.url("/oauth2.0/logout"), timeout=30,
                 allow_redirects=False,
                 data=dict(fields, client_id=app[0],
                           post_logout_redirect_uri=CB))
    assert r.headers["Location"] == CB


def test_password_change_ends_other_sessions(server, app):
    user = make_user(server)
    first, _ = logged_in_agent(server, app, user)
    second, _ = logged_in_agent(server, app, user)
    page = grants_page(first)
    action, fields = form_with(page.text, op="password")
    r = first.s.post(server.url(action), timeout=30, data=dict(
        fields, old_password="not-it", new_password="brand-new-pass"))
    assert r.status_code == 400
    r = first.s.post(server.url(action), timeout=30, data=dict(
        fields, old_password=user.password, new_password="brand-new-pass"))
    assert r.status_code == 200
    # This session lives on; the other one is gone.
    assert "old_password" in grants_page(first).text
    assert 'name="password"' in grants_page(second).text
    # The new password works, the old one no longer does.
    a = Agent(server)
    r = a.login(a.authorize(auth_params(app[0], CB)), user)
    assert 'name="password"' in r.text
    r = a.login(a.authorize(auth_params(app[0], CB)), user,
                password="brand-new-pass")
    assert r.status_code in (200, 303) and 'name="password"' not in r.text


@pytest.mark.parametrize("where", ["authorize", "grants"])
def test_login_form_same_rules_on_both_pages(server, app, where):
    """authorize and /user/grants run one login flow (login.c): the same
    answers to a form without its CSRF token, an empty username, a wrong
    and a right password."""
    user = make_user(server)

    def page():
        a = Agent(server)
        if where == "grants":
            return a, grants_page(a)
        return a, a.authorize(auth_params(app[0], CB))

    a, p = page()
    r = a.submit(p, {"username": user.name, "password": user.password},
                 drop=("csrf",))
    assert r.status_code == 403 and 'name="password"' in r.text
    a, p = page()
    r = a.submit(p, {"username": "", "password": user.password})
    assert r.status_code == 200 and 'role="alert"' in r.text
    assert 'name="password"' in r.text
    r = a.login(p, user, password="wrong password")
    assert r.status_code == 200 and 'role="alert"' in r.text
    # The form shown again posts the same request.
    form = parse_form(r.text)
    assert form.action == ("/user/grants" if where == "grants"
                           else "/oauth2.0/authorize")
    if where == "authorize":
        assert ("client_id", app[0]) in hidden(form)
    r = a.login(r, user)
    assert r.status_code == 200 and 'role="alert"' not in r.text
    assert ('name="old_password"' if where == "grants"
            else 'name="grant_scope"') in r.text
