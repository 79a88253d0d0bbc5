"""test_social_auth_qq.py: a user logs in to a site through Debian's
python3-social-auth-core and its QQOAuth2 backend, which was written
against graph.qq.com.

The backend runs unmodified along its own path: auth_url() sends the
browser to /oauth2.0/authorize, auth_complete() redeems the code by GET
and parses the answer as a query string, strips `callback( … );` off
/oauth2.0/me by slicing, reads /user/get_user_info, and hands the result
to social-core's default pipeline.  Only its URL constants point at the
test server; user_data() names https://graph.qq.com/user/get_user_info
as a literal rather than a constant, so the one subclass here also sends
requests for that host's URLs to the test server, path unchanged.  The
strategy and storage are the small in-memory ones a framework integration
(social-app-django, social-app-flask) would otherwise supply.
"""

import itertools
from urllib.parse import urlsplit

import pytest
import requests

from conftest import make_client, make_user
from flow import Agent, jsonp_body, me, query_of

# Debian's python3-social-auth-core (tools/debian-packages).
from social_core.backends.qq import QQOAuth2
from social_core.exceptions import AuthException
from social_core.storage import BaseStorage, UserMixin
from social_core.strategy import BaseStrategy

PATH = "/complete/qq/"
REDIRECT = "https://qq-social.example" + PATH
QQ_HOST = "https://graph.qq.com"


def pointed_backend(base):
    """Debian's QQOAuth2 with its URL constants on the test server."""
    class PointedQQOAuth2(QQOAuth2):
        AUTHORIZATION_URL = base + "/oauth2.0/authorize"
        AUTHORIZE_URL = base + "/oauth2.0/authorize"
        ACCESS_TOKEN_URL = base + "/oauth2.0/token"
        OPENID_URL = base + "/oauth2.0/me"

        def request(self, url, *args, **kwargs):
            if url.startswith(QQ_HOST + "/"):
                url = base + url[len(QQ_HOST):]
            return super().request(url, *args, **kwargs)
    return PointedQQOAuth2


class User:
    ids = itertools.count(1)

    def __init__(self, username, email=None, **fields):
        self.id = next(self.ids)
        self.username = username
        self.email = email
        self.first_name = self.last_name = self.fullname = ""
        self.is_active = True
        for k, v in fields.items():
            setattr(self, k, v)


class SocialAuth(UserMixin):
    """One user's link to a provider account (provider, uid)."""
    links = {}
    users = {}

    def __init__(self, user, uid, provider):
        self.id = len(self.links) + 1
        self.user, self.uid, self.provider = user, uid, provider
        self.extra_data = {}

    @classmethod
    def changed(cls, user):
        pass

    @classmethod
    def get_username(cls, user):
        return user.username

    @classmethod
    def user_model(cls):
        return User

    @classmethod
    def username_max_length(cls):
        return 64

    @classmethod
    def user_exists(cls, *args, **kwargs):
        name = kwargs.get("username", args[0] if args else None)
        return any(u.username == name for u in cls.users.values())

    @classmethod
    def create_user(cls, *args, **kwargs):
        u = User(*args, **kwargs)
        cls.users[u.id] = u
        return u

    @classmethod
    def get_user(cls, pk):
        return cls.users.get(pk)

    @classmethod
    def get_users_by_email(cls, email):
        return [u for u in cls.users.values() if u.email == email]

    @classmethod
    def get_social_auth(cls, provider, uid):
        return cls.links.get((provider, uid))

    @classmethod
    def get_social_auth_for_user(cls, user, provider=None, id=None):
        return [s for s in cls.links.values() if s.user is user and
                (provider is None or s.provider == provider)]

    @classmethod
    def create_social_auth(cls, user, uid, provider):
        s = cls(user, uid, provider)
        cls.links[(provider, uid)] = s
        return s


class Storage(BaseStorage):
    user = SocialAuth


class Strategy(BaseStrategy):
    """A site's request and session, as a web framework would give them."""

    def __init__(self, settings, session=None, data=None):
        super().__init__(Storage)
        self.settings = settings
        self.session = {} if session is None else session
        self.data = data or {}
        self.logins = 0

    def get_setting(self, name):
        return self.settings[name]

    def request_data(self, merge=True):
        return self.data

    def request_host(self):
        return urlsplit(REDIRECT).netloc

    def session_get(self, name, default=None):
        return self.session.get(name, default)

    def session_set(self, name, value):
        self.session[name] = value

    def session_pop(self, name):
        return self.session.pop(name, None)

    def build_absolute_uri(self, path=None):
        return "https://qq-social.example" + (path or "")

    def redirect(self, url):
        return url

    def html(self, content):
        return content

    def authenticate(self, backend, *args, **kwargs):
        self.logins += 1
        return super().authenticate(backend, *args, **kwargs)


@pytest.fixture(scope="module")
def site(server):
    return make_client(server, name="社交登录站点", redirect_uri=REDIRECT)


def settings(site):
    return {"SOCIAL_AUTH_QQ_KEY": site[0], "SOCIAL_AUTH_QQ_SECRET": site[1],
            "SOCIAL_AUTH_REQUESTS_TIMEOUT": 30}


def browse(server, user, url):
    """The user's browser: from the backend's auth_url() through login
    and consent back to the site's redirect URI."""
    assert url.startswith(server.base + "/oauth2.0/authorize?"), url
    a = Agent(server)
    r = a.s.get(url, allow_redirects=False, timeout=30)
    assert r.status_code == 200 and 'name="password"' in r.text, r.text[:300]
    r = a.login(r, user)
    if 'name="grant_scope"' in r.text:
        r = a.consent(r)
    assert r.status_code in (302, 303), r.text[:300]
    assert r.headers["Location"].startswith(REDIRECT + "?")
    return query_of(r.headers["Location"])


def test_qq_backend_logs_a_user_in(server, site):
    user = make_user(server, nickname="小企鹅", gender="女")
    Backend = pointed_backend(server.base)
    start = Strategy(settings(site))
    url = Backend(start, redirect_uri=PATH).auth_url()
    back = browse(server, user, url)
    assert "code" in back and back["state"] == start.session["qq_state"]

    done = Strategy(settings(site), session=start.session, data=back)
    backend = Backend(done, redirect_uri=PATH)
    logged_in = backend.auth_complete()
    assert done.logins == 1
    assert isinstance(logged_in, User) and logged_in.is_new
    social = logged_in.social_user
    extra = social.extra_data
    # The uid is the openid that /oauth2.0/me gives this site.
    at = extra["access_token"]
    assert social.provider == "qq"
    assert social.uid == jsonp_body(me(server, at).text)["openid"]
    # Nickname and gender came through (EXTRA_DATA and get_user_details).
    # (social-core keeps only ASCII in a username: the nickname is the
    # user's first name and full name.)
    assert logged_in.first_name == logged_in.fullname == "小企鹅"
    assert extra["username"] == "小企鹅"
    assert extra["gender"] == "女"
    # No avatar: QQ's default picture, which the site can fetch.
    pic = extra["profile_image_url"]
    assert pic == server.base + "/static/avatar-default-40.png"
    r = requests.get(pic, timeout=30)
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    assert r.headers["Content-Type"] == "image/png"

    # The same user again: the same account, not a new one.
    again = Strategy(settings(site))
    url = Backend(again, redirect_uri=PATH).auth_url()
    back2 = browse(server, user, url)
    done2 = Strategy(settings(site), session=again.session, data=back2)
    second = Backend(done2, redirect_uri=PATH).auth_complete()
    assert second is logged_in and not second.is_new

    # The first code, replayed: an error, never a login.
    replay = Strategy(settings(site), session=start.session, data=back)
    with pytest.raises((KeyError, AuthException)):
        Backend(replay, redirect_uri=PATH).auth_complete()
    assert replay.logins == 0
    # ... and the tokens the code gave are dead.
    assert jsonp_body(me(server, at).text)["error"] == 100015


def test_qq_backend_refuses_a_forged_state(server, site):
    user = make_user(server)
    Backend = pointed_backend(server.base)
    start = Strategy(settings(site))
    back = browse(server, user,
                  Backend(start, redirect_uri=PATH).auth_url())
    forged = dict(back, state="not-the-one")
    s = Strategy(settings(site), session=start.session, data=forged)
    with pytest.raises(AuthException):
        Backend(s, redirect_uri=PATH).auth_complete()
    assert s.logins == 0
