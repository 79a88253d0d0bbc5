"""test_oidc_browser.py: a user logs in to a site protected by Apache's
mod_auth_openidc in headless Chromium, with response_mode=form_post
(the page posts the code back through its same-origin script, under our
Content-Security-Policy), then logs out of both."""

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_user
from oidc_rp import ModAuthOpenidc

MOD = Path("/usr/lib/apache2/modules/mod_auth_openidc.so")


def wait(driver, cond, timeout=20):
    return WebDriverWait(driver, timeout).until(cond)


@pytest.fixture(scope="module")
def rp(server):
    if not MOD.exists():
        pytest.fail("libapache2-mod-auth-openidc is not installed",
                    pytrace=False)
    m = ModAuthOpenidc.register(server, extra="OIDCResponseMode form_post\n")
    m.start()
    try:
        yield m
    finally:
        m.stop()


def page_json(driver):
    return json.loads(driver.find_element(By.TAG_NAME, "body").text)


def test_form_post_login_and_logout_in_chromium(server, rp, browser):
    user = make_user(server, nickname="浏览器用户")
    page = rp.base + "/protected/page.py"
    browser.get(page)
    wait(browser, EC.presence_of_element_located((By.NAME, "password")))
    assert browser.current_url.startswith(server.base + "/oauth2.0/authorize")
    browser.find_element(By.NAME, "username").send_keys(user.name)
    browser.find_element(By.NAME, "password").send_keys(user.password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(browser, EC.presence_of_element_located((By.NAME, "grant_scope")))
    browser.find_element(By.CSS_SELECTOR,
                         "button[name=decision][value=allow]").click()
    # The form_post page submits itself; mod_auth_openidc takes the POST.
    wait(browser, lambda d: d.current_url == page, timeout=30)
    env = page_json(browser)
    assert env["OIDC_CLAIM_nickname"] == "浏览器用户"
    assert env["REMOTE_USER"] == env["OIDC_CLAIM_sub"]
    # Logout: both sessions end, back on the registered page.
    browser.get(rp.base + "/protected/redirect_uri?logout=" +
                rp.base + "/loggedout.html")
    wait(browser, lambda d: d.current_url.startswith(
        rp.base + "/loggedout.html"))
    browser.get(page)
    wait(browser, EC.presence_of_element_located((By.NAME, "password")))
