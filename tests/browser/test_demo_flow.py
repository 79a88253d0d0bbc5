"""test_demo_flow.py: the demo site's QQ-style flow in headless Chromium,
then the user withdrawing it from /user/grants."""

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_user


def wait(driver, cond, timeout=20):
    return WebDriverWait(driver, timeout).until(cond)


def log_in_through_demo(server, driver, user, password, uncheck=()):
    driver.get(server.url("/demo/"))
    driver.find_element(By.ID, "login-button").click()
    wait(driver, EC.presence_of_element_located((By.NAME, "password")))
    driver.find_element(By.NAME, "username").send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver, EC.presence_of_element_located((By.NAME, "grant_scope")))
    for box in driver.find_elements(By.NAME, "grant_scope"):
        if box.get_attribute("value") in uncheck and box.is_selected():
            box.click()
    driver.find_element(By.CSS_SELECTOR,
                        "button[name=decision][value=allow]").click()
    wait(driver, lambda d: "/demo/callback.py" in d.current_url)
    wait(driver, lambda d: d.find_element(By.ID, "nickname").text
         not in ("", "加载中… / Loading…"))
    return driver.find_element(By.ID, "profile").get_attribute(
        "data-access-token")


def introspect(server, token):
    return requests.post(server.url("/oauth2.0/introspect"), timeout=30,
                         data={"token": token},
                         auth=tuple(server.demo_client)).json()


def test_demo_login_uncheck_scope(server, browser):
    token = log_in_through_demo(server, browser, "demo",
                                server.demo_password, uncheck=("list_album",))
    assert browser.find_element(By.ID, "nickname").text == "演示用户"
    assert browser.find_element(By.ID, "avatar").get_attribute("src")
    assert not browser.find_element(By.ID, "error").is_displayed()
    info = introspect(server, token)
    assert info["active"] is True
    assert info["scope"] == "get_user_info"


def test_select_all_and_english(server, browser_factory):
    user = make_user(server, nickname="Browser Bob")
    d = browser_factory(lang="en-US")
    d.get(server.url("/demo/"))
    d.find_element(By.ID, "login-button").click()
    wait(d, EC.presence_of_element_located((By.NAME, "password")))
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    d.find_element(By.NAME, "username").send_keys(user.name)
    d.find_element(By.NAME, "password").send_keys(user.password)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(d, EC.presence_of_element_located((By.ID, "select-all")))
    boxes = d.find_elements(By.NAME, "grant_scope")
    assert all(b.is_selected() for b in boxes)
    select_all = d.find_element(By.ID, "select-all")
    select_all.click()
    assert not any(b.is_selected() for b in boxes)
    select_all.click()
    assert all(b.is_selected() for b in boxes)
    assert "your nickname, avatar and gender" in d.page_source
    d.find_element(By.CSS_SELECTOR,
                   "button[name=decision][value=allow]").click()
    wait(d, lambda x: x.find_element(By.ID, "nickname").text == "Browser Bob")
    token = d.find_element(By.ID, "profile").get_attribute("data-access-token")
    assert introspect(server, token)["scope"] == "get_user_info list_album"


def test_revoke_from_grants_page(server, browser_factory):
    user = make_user(server)
    d = browser_factory()
    token = log_in_through_demo(server, d, user.name, user.password)
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": token, "fmt": "json"})
    assert "openid" in r.json()
    d.get(server.url("/user/grants"))
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, ".grant")))
    assert "演示站点 Demo Site" in d.page_source
    d.find_element(By.CSS_SELECTOR,
                   "form input[name=client_id][value=demo]").find_element(
        By.XPATH, "..").find_element(By.TAG_NAME, "button").click()
    wait(d, lambda x: "演示站点 Demo Site" not in x.page_source)
    r = requests.get(server.url("/oauth2.0/me"), timeout=30,
                     params={"access_token": token, "fmt": "json"})
    assert "openid" not in r.json()
    # The next authorization asks for consent again.
    d.get(server.url("/demo/"))
    d.find_element(By.ID, "login-button").click()
    wait(d, EC.presence_of_element_located((By.NAME, "grant_scope")))
