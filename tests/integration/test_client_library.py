"""test_client_library.py: an off-the-shelf client library (Debian's
python3-authlib) against the server, endpoints discovered from the
RFC 8414 metadata, nothing special-cased for this server."""

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from conftest import make_client, make_user
from flow import Agent, parse_form

CB = "https://lib.example/callback"


@pytest.fixture(scope="module")
def md(server):
    r = requests.get(server.url("/.well-known/oauth-authorization-server"),
                     timeout=30)
    r.raise_for_status()
    return r.json()


@pytest.fixture(scope="module")
def user(server):
    return make_user(server)


def browser_visit(server, url, user):
    """A user agent: open the authorization URL, log in, consent; return
    the URL the browser was sent back to."""
    a = Agent(server)
    r = a.s.get(url, allow_redirects=False, timeout=30)
    if 'name="password"' in r.text:
        r = a.login(r, user)
    if 'name="grant_scope"' in r.text:
        r = a.consent(r)
    assert r.status_code in (302, 303), r.text[:300]
    return r.headers["Location"]


@pytest.mark.parametrize("auth_method", ["client_secret_basic",
                                         "client_secret_post"])
def test_code_flow_with_pkce_and_refresh(server, md, user, auth_method):
    cid, secret = make_client(server, redirect_uri=CB)
    client = OAuth2Session(cid, secret, scope="get_user_info list_album",
                           redirect_uri=CB, code_challenge_method="S256",
                           token_endpoint_auth_method=auth_method)
    verifier = generate_token(48)
    url, state = client.create_authorization_url(
        md["authorization_endpoint"], code_verifier=verifier)
    back = browser_visit(server, url, user)
    tok = client.fetch_token(md["token_endpoint"], authorization_response=back,
                             code_verifier=verifier)
    assert tok["token_type"] == "Bearer"
    assert tok["scope"] == "get_user_info list_album"
    who = client.get(server.url("/oauth2.0/me"), params={"fmt": "json"},
                     timeout=30).json()
    assert who["client_id"] == cid
    new = client.refresh_token(md["token_endpoint"])
    assert new["access_token"] != tok["access_token"]
    assert client.get(server.url("/oauth2.0/me"), params={"fmt": "json"},
                      timeout=30).json() == who
    intro = client.introspect_token(md["introspection_endpoint"],
                                    token=new["access_token"]).json()
    assert intro["active"] is True and intro["client_id"] == cid
    r = client.revoke_token(md["revocation_endpoint"],
                            token=new["access_token"])
    assert r.status_code == 200
    r = client.get(server.url("/oauth2.0/me"), params={"fmt": "json"},
                   timeout=30)
    assert "openid" not in r.json()


def test_public_client_pkce(server, md, user):
    loop = "http://127.0.0.1:8123/cb"
    cid, _ = make_client(server, redirect_uri=loop, public=True)
    client = OAuth2Session(cid, scope="get_user_info", redirect_uri=loop,
                           code_challenge_method="S256",
                           token_endpoint_auth_method="none")
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(md["authorization_endpoint"],
                                             code_verifier=verifier)
    back = browser_visit(server, url, user)
    tok = client.fetch_token(md["token_endpoint"], authorization_response=back,
                             code_verifier=verifier)
    assert tok["scope"] == "get_user_info"
    assert client.refresh_token(md["token_endpoint"])["access_token"]


def test_client_credentials(server, md):
    cid, secret = make_client(server, grants="client_credentials")
    client = OAuth2Session(cid, secret)
    tok = client.fetch_token(md["token_endpoint"],
                             grant_type="client_credentials")
    assert tok["token_type"] == "Bearer" and "refresh_token" not in tok


def test_password_grant(server, md, user):
    cid, secret = make_client(server, grants="password,refresh_token")
    client = OAuth2Session(cid, secret, scope="get_user_info")
    tok = client.fetch_token(md["token_endpoint"], username=user.name,
                             password=user.password)
    assert tok["scope"] == "get_user_info" and tok["refresh_token"]
    assert client.refresh_token(md["token_endpoint"])["access_token"]


def test_library_sees_errors(server, md):
    from authlib.integrations.base_client.errors import OAuthError
    cid, _ = make_client(server, grants="client_credentials")
    client = OAuth2Session(cid, "wrong-secret")
    with pytest.raises(OAuthError) as e:
        client.fetch_token(md["token_endpoint"],
                           grant_type="client_credentials")
    assert e.value.error == "invalid_client"
