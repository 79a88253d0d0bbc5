"""test_no_shell.py: a shared-hosting site set up from a browser alone.

On an empty database with no secret key (what an upload leaves), in
headless Chromium: the installer creates the first administrator; the
admin console creates a client and two ordinary users; one of them
registers an app in the developer console; the app logs in its owner but
not the other user (the under-review page); the administrator approves
it; then it logs in anyone. The audit log shows each step. Every console
page is checked at a phone's width (no sideways scrolling) in both
languages.
"""

import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import harness


@pytest.fixture(scope="module")
def site():
    s = harness.Server(bare=True).start()
    try:
        yield s
    finally:
        s.shutdown()


def wait(driver, cond, timeout=20):
    return WebDriverWait(driver, timeout).until(cond)


def fill(driver, fields):
    """Type into the page's main form (the first form.form)."""
    form = driver.find_element(By.CSS_SELECTOR, "form.form")
    for name, value in fields.items():
        el = form.find_element(By.NAME, name)
        el.clear()
        el.send_keys(value)


def submit(driver, form_css="form.form"):
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR,
                        form_css + " button[type=submit]").click()
    wait(driver, lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)


def log_in(driver, name, password):
    fill(driver, {"username": name, "password": password})
    submit(driver)


def fits_phone(driver):
    """The page needs no sideways scrolling at 375 px."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")


def authorize_url(site, app_id, cb):
    return site.url("/oauth2.0/authorize?" + urlencode({
        "response_type": "code", "client_id": app_id, "redirect_uri": cb,
        "state": secrets.token_urlsafe(8), "scope": "get_user_info"}))


def test_whole_path_without_a_shell(site, browser_factory):
    admin = browser_factory()
    # 1. The installer.
    admin.get(site.url("/admin/setup"))
    fill(admin, {"setup_key": site.setup_key, "username": "站长",
                 "password": "admin-password-1",
                 "password2": "admin-password-1"})
    submit(admin)
    assert urlsplit(admin.current_url).path == "/admin/"
    assert admin.find_element(By.CSS_SELECTOR, ".topbar-title").text
    # 2. The admin console creates a client: its secret is shown once.
    fill(admin, {"name": "官方网站", "website": "https://www.example.com/",
                 "redirect_uris": "https://www.example.com/cb"})
    submit(admin)
    secret = admin.find_element(By.ID, "new-secret").text
    client_id = admin.find_element(By.ID, "client-id").text
    assert len(secret) >= 32 and client_id.isdigit()
    admin.get(site.url("/admin/?view=client&id=" + client_id))
    assert secret not in admin.page_source
    # ... and two ordinary users.
    for name in ("developer1", "alice"):
        admin.get(site.url("/admin/?view=users"))
        fill(admin, {"user": name, "new_password": name + "-password"})
        submit(admin, "form.form")
        assert name in admin.find_element(By.CSS_SELECTOR, ".items").text
    # 3. The developer registers an app.
    dev = browser_factory(lang="zh-CN")
    dev.get(site.url("/developer/"))
    log_in(dev, "developer1", "developer1-password")
    cb = site.url("/static/oauth.css")    # any page of ours will do
    fill(dev, {"name": "我的小站", "website": "https://blog.example.com/",
               "redirect_uris": cb, "description": "个人博客",
               "icon": "https://blog.example.com/icon.png",
               "icp": "京ICP备00000001号"})
    submit(dev)
    app_id = dev.find_element(By.ID, "app-id").text
    app_key = dev.find_element(By.ID, "app-key").text
    assert app_id.isdigit() and len(app_key) >= 32
    assert "审核中" in dev.page_source
    # 4. It logs in its owner ...
    dev.get(authorize_url(site, app_id, cb))
    wait(dev, lambda d: d.find_elements(By.NAME, "grant_scope"))
    assert dev.find_element(By.CSS_SELECTOR, "img.client-icon"
                            ).get_attribute("src") == \
        "https://blog.example.com/icon.png"
    dev.find_element(By.CSS_SELECTOR,
                     "button[name=decision][value=allow]").click()
    wait(dev, lambda d: d.current_url.startswith(cb))
    assert "code" in parse_qs(urlsplit(dev.current_url).query)
    # ... but not another user.
    alice = browser_factory(lang="en")
    alice.get(authorize_url(site, app_id, cb))
    log_in(alice, "alice", "alice-password")
    note = alice.find_element(By.CSS_SELECTOR, ".review-notice").text
    assert "under review" in note
    assert not alice.current_url.startswith(cb)
    # 5. The administrator approves it (it is listed first, under review).
    admin.get(site.url("/admin/"))
    row = admin.find_element(By.CSS_SELECTOR,
                             ".client-row[data-client='%s']" % app_id)
    assert "developer1" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    wait(admin, lambda d: d.find_elements(By.ID, "approve"))
    assert "京ICP备00000001号" in admin.page_source
    admin.find_element(By.ID, "approve").click()
    wait(admin, lambda d: "msg=msg_approved" in d.current_url)
    # 6. Now anyone.
    alice.get(authorize_url(site, app_id, cb))
    wait(alice, lambda d: d.find_elements(By.NAME, "grant_scope"))
    alice.find_element(By.CSS_SELECTOR,
                       "button[name=decision][value=allow]").click()
    wait(alice, lambda d: d.current_url.startswith(cb))
    assert "code" in parse_qs(urlsplit(alice.current_url).query)
    # 7. The audit log: every step, by whom, from where.
    admin.get(site.url("/admin/?view=audit"))
    rows = [(r.find_element(By.CLASS_NAME, "audit-actor").text,
             r.find_element(By.CLASS_NAME, "audit-action").text,
             r.find_element(By.CLASS_NAME, "audit-target").text)
            for r in admin.find_elements(By.CLASS_NAME, "audit-row")]
    rows.reverse()
    assert rows == [("站长", "setup", "站长"),
                    ("站长", "client.create", client_id),
                    ("站长", "user_add", "developer1"),
                    ("站长", "user_add", "alice"),
                    ("developer1", "app.register", app_id),
                    ("站长", "client_approve", app_id)], rows
    assert "127.0.0.1" in admin.find_element(By.CLASS_NAME, "audit").text


def test_pages_fit_a_phone(site, browser_factory):
    """The console pages in both languages, at 375 px wide."""
    for lang in ("zh-CN", "en"):
        d = browser_factory(lang=lang)
        d.set_window_size(375, 800)
        d.get(site.url("/admin/setup"))
        assert fits_phone(d)
        d.get(site.url("/developer/"))
        log_in(d, "站长", "admin-password-1")
        for path in ("/developer/", "/admin/", "/admin/?view=users",
                     "/admin/?view=scopes", "/admin/?view=audit"):
            d.get(site.url(path))
            assert d.find_element(By.TAG_NAME, "html").get_attribute(
                "lang") == lang
            assert fits_phone(d), (lang, path)
        app = re.search(r"view=client&amp;id=(\d+)", d.page_source)
        if app is None:
            d.get(site.url("/admin/"))
            app = re.search(r"view=client&amp;id=(\d+)", d.page_source)
        d.get(site.url("/admin/?view=client&id=" + app.group(1)))
        assert fits_phone(d), (lang, "client")
