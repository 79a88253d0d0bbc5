"""flow.py: a user agent for the authorization flow, used by the tests.

It plays the browser with requests: it reads the login and consent
forms as a browser would (every input of the page's form), fills them
in and follows our redirects by hand, so each step can be checked.
"""

import base64
import hashlib
import json
import os
import re
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import requests


class FormParser(HTMLParser):
    """Collects the first <form>: its action and its inputs."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.inputs = []        # (name, value, type, checked)
        self.buttons = []       # (name, value)
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._done:
            self._in_form = True
            self.action = a.get("action")
        elif tag == "input" and self._in_form and a.get("name"):
            self.inputs.append((a["name"], a.get("value", ""),
                                a.get("type", "text"), "checked" in a))
        elif tag == "button" and self._in_form and a.get("name"):
            self.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def parse_form(html):
    p = FormParser()
    p.feed(html)
    assert p.action is not None, "no form in page:\n" + html[:2000]
    return p


def hidden(form):
    return [(n, v) for n, v, t, _ in form.inputs if t == "hidden"]


def pkce_pair():
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(location):
    """The parameters of a redirect Location (query, or fragment)."""
    parts = urlsplit(location)
    q = parse_qs(parts.fragment or parts.query, keep_blank_values=True)
    return {k: v[0] for k, v in q.items()}


class Agent:
    """One browser: a cookie jar and the flow's steps."""

    def __init__(self, server, lang=None):
        self.server = server
        self.s = requests.Session()
        if lang:
            self.s.headers["Accept-Language"] = lang

    def authorize(self, params, method="GET"):
        url = self.server.url("/oauth2.0/authorize")
        if method == "GET":
            return self.s.get(url, params=params, allow_redirects=False,
                              timeout=30)
        return self.s.post(url, data=params, allow_redirects=False,
                           timeout=30)

    def submit(self, page, fields, drop=(), button=None):
        """POST the page's form: its hidden inputs, plus fields."""
        form = parse_form(page.text)
        data = [(n, v) for n, v in hidden(form) if n not in drop]
        data += list(fields.items()) if isinstance(fields, dict) else fields
        if button:
            data.append(button)
        return self.s.post(self.server.url(form.action), data=data,
                           allow_redirects=False, timeout=30)

    def login(self, page, user, password=None):
        return self.submit(page, {"username": user.name,
                                  "password": password or user.password})

    def consent(self, page, scopes=None, decision="allow"):
        """Submit the consent page keeping `scopes` checked (all when
        None); returns the response."""
        form = parse_form(page.text)
        offered = [v for n, v, t, _ in form.inputs if n == "grant_scope"]
        keep = offered if scopes is None else scopes
        fields = [("grant_scope", s) for s in keep]
        return self.submit(page, fields, button=("decision", decision))

    def code(self, params, user, scopes=None):
        """Run login + consent; return the final redirect's parameters."""
        r = self.authorize(params)
        if r.status_code == 200 and 'name="password"' in r.text:
            r = self.login(r, user)
        if r.status_code == 200 and 'name="grant_scope"' in r.text:
            r = self.consent(r, scopes)
        assert r.status_code in (302, 303), (r.status_code, r.text[:500])
        return query_of(r.headers["Location"])


def auth_params(client_id, redirect_uri, scope="get_user_info,list_album",
                state=None, **extra):
    p = {"response_type": "code", "client_id": client_id,
         "redirect_uri": redirect_uri, "scope": scope,
         "state": state or secrets.token_urlsafe(12)}
    p.update(extra)
    return {k: v for k, v in p.items() if v is not None}


def token(server, data, auth=None, method="POST"):
    url = server.url("/oauth2.0/token")
    if method == "GET":
        return requests.get(url, params=data, auth=auth, timeout=30)
    return requests.post(url, data=data, auth=auth, timeout=30)


def exchange(server, client, secret, code, redirect_uri, **extra):
    data = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": redirect_uri}
    data.update(extra)
    return token(server, data, auth=(client, secret) if secret else None)


def jsonp_body(text, name="callback"):
    m = re.fullmatch(r"(?:/\*\*/)?" + re.escape(name) +
                     r"\( (.*) \);\n?", text, re.S)
    assert m, "not JSONP: %r" % text[:300]
    return json.loads(m.group(1))


def me(server, access_token, **params):
    params["access_token"] = access_token
    return requests.get(server.url("/oauth2.0/me"), params=params, timeout=30)


def full_flow(server, user, client_id, secret, redirect_uri,
              scopes=None, **auth_extra):
    """Login + consent + code exchange; returns the token JSON."""
    a = Agent(server)
    params = auth_params(client_id, redirect_uri, **auth_extra)
    q = a.code(params, user, scopes)
    assert "code" in q, q
    r = exchange(server, client_id, secret, q["code"], redirect_uri)
    assert r.status_code == 200, r.text
    return r.json()


def introspect(server, client, tok):
    """RFC 7662 introspection of tok by client (id, secret); the JSON."""
    r = requests.post(server.url("/oauth2.0/introspect"), auth=client,
                      data={"token": tok}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def expire(server, table, column, secret):
    """Move the expiry of the row for `secret` (stored as its SHA-256) an
    hour into the past: what waiting out its lifetime would give, since
    the programs compare expires_at with now() at each request."""
    n = server.pg.sql_one(
        "WITH u AS (UPDATE %s SET expires_at = now() - interval '1 hour'"
        " WHERE %s = sha256(convert_to($1, 'UTF8')) RETURNING 1)"
        " SELECT count(*) FROM u" % (table, column), secret)
    assert n == "1", (table, n)
