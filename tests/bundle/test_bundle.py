"""test_bundle.py: `make bundle` on a host without the project's packages.

The bundle is unpacked as a document root and served by Apache as plain
CGI with the .htaccess files exactly as shipped. Apache runs in a mount
namespace (unshare) where libfcgi, json-c, libgcrypt and libpq are hidden
(/dev/null bound over every file of theirs), as on a shared host that has
none of them: the programs must load the copies beside them ($ORIGIN run
path). PostgreSQL is the harness's private cluster, outside.

Run after `make bundle`, as root (mount namespaces; the programs run as
www-data): /usr/bin/python3 -m pytest tests/bundle
"""

import glob
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
import requests

import harness

LIBDIR = "/usr/lib/x86_64-linux-gnu"
HIDDEN = ("libfcgi.so", "libjson-c.so", "libgcrypt.so", "libpq.so")

APACHE_CONF = """\
ServerRoot   "@VAR@"
ServerName   127.0.0.1:@PORT@
Listen       127.0.0.1:@PORT@
PidFile      "@VAR@/sock/apache.pid"
DefaultRuntimeDir "@VAR@/sock"
LoadModule mpm_event_module   /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module  /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module        /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module         /usr/lib/apache2/modules/mod_dir.so
LoadModule env_module         /usr/lib/apache2/modules/mod_env.so
LoadModule rewrite_module     /usr/lib/apache2/modules/mod_rewrite.so
LoadModule cgid_module        /usr/lib/apache2/modules/mod_cgid.so
LoadModule fcgid_module       /usr/lib/apache2/modules/mod_fcgid.so
User  @USER@
Group @GROUP@
ErrorLog "@VAR@/log/apache-error.log"
LogLevel warn
TypesConfig /etc/mime.types
ScriptSock "@VAR@/sock/cgid.sock"
FcgidIPCDir "@VAR@/sock/fcgid"
FcgidProcessTableFile "@VAR@/sock/fcgid-shm"
# A shared host's usual vhost: the uploaded files are the document root,
# .htaccess files may change everything.
DocumentRoot "@PREFIX@"
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory "@PREFIX@">
	AllowOverride All
	Options FollowSymLinks
	Require all granted
</Directory>
"""


def hidden_files():
    """Every file of the four libraries (the symlinks' targets too)."""
    out = set()
    for name in HIDDEN:
        for p in glob.glob(os.path.join(LIBDIR, name + "*")):
            out.add(os.path.realpath(p))
    return sorted(out)


def in_namespace(command):
    """A shell command line run with the libraries hidden."""
    mounts = "".join("mount --bind /dev/null %s || exit 97; " % f
                     for f in hidden_files())
    return ["unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", mounts + command]


class NamespacedApache(harness.WebServer):
    def command(self):
        return in_namespace('exec apache2 -f "%s" -k start -D FOREGROUND'
                            % self.conf)


@pytest.fixture(scope="module")
def site():
    if os.geteuid() != 0:
        pytest.fail("tests/bundle needs root: mount namespaces, and the "
                    "programs run as www-data", pytrace=False)
    bundles = glob.glob(str(harness.REPO / "dist" / "oauth2-fcgi-bundle-*.tar.gz"))
    assert len(bundles) == 1, "run make bundle first: %s" % bundles
    assert len(hidden_files()) >= 4, hidden_files()
    acc = harness.Accounts()
    top = Path(tempfile.mkdtemp(prefix="oauth-bundle-", dir="/tmp"))
    top.chmod(0o755)
    pg = web = None
    try:
        for d in ("log", "sock", "san"):
            (top / d).mkdir()
        acc.chown_run(top / "sock")
        with tarfile.open(bundles[0]) as t:
            t.extractall(top / "upload")
        docroot = top / "upload" / "oauth2-fcgi"
        # As an FTP upload leaves them: the site's user owns the files
        # (the programs write private/secret.key).
        for d, _, files in os.walk(docroot):
            acc.chown_run(d)
            for f in files:
                acc.chown_run(os.path.join(d, f))
        pg = harness.Pg(top, acc)
        pg.create()
        port = harness.free_port()
        base = "http://127.0.0.1:%d" % port
        setup_key = "k" + os.urandom(12).hex()
        conf = docroot / "private" / "oauth2-fcgi.conf"
        text = conf.read_text()
        # Fill in the three marked values, as the site owner does.
        text = re.sub(r"(?m)^pg_dsn = .*$", "pg_dsn = " + pg.dsn, text)
        text = re.sub(r"(?m)^issuer = .*$", "issuer = " + base, text)
        text = re.sub(r"(?m)^setup_key =.*$", "setup_key = " + setup_key, text)
        conf.write_text(text)
        env = {"PATH": harness.SYS_PATH, "LANG": "C.UTF-8", "TZ": "UTC",
               "ASAN_OPTIONS": "", "UBSAN_OPTIONS": ""}
        web = NamespacedApache("apache-cgi", top, port, acc, env, docroot,
                               docroot, source=APACHE_CONF)
        web.render()
        web.start()
        yield {"base": base, "docroot": docroot, "key": setup_key,
               "pg": pg, "web": web, "top": top}
    finally:
        if web is not None:
            web.stop()
        if pg is not None:
            pg.stop()
        if not os.environ.get("OAUTH_TEST_KEEP"):
            shutil.rmtree(top, ignore_errors=True)


def test_libraries_come_from_the_bundle(site):
    # Outside the bundle the programs cannot even start there...
    r = subprocess.run(in_namespace(str(harness.REPO / "cgi-bin" / "me.fcgi")),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=30, env={"PATH": harness.SYS_PATH})
    assert r.returncode == 127 and "error while loading shared libraries" \
        in r.stderr, (r.returncode, r.stderr)
    # ...the bundle's resolve every library but glibc from cgi-bin/lib.
    prog = site["docroot"] / "cgi-bin" / "token.fcgi"
    r = subprocess.run(in_namespace("ldd %s" % prog), stdout=subprocess.PIPE,
                       text=True, timeout=30)
    lib = str(site["docroot"] / "cgi-bin" / "lib")
    for name in HIDDEN:
        line = [x for x in r.stdout.splitlines() if name in x]
        assert line and lib in line[0], (name, r.stdout)
    for line in r.stdout.splitlines():
        if "=>" in line and "libc.so" not in line and "ld-linux" not in line \
                and "vdso" not in line:
            assert lib in line or "libresolv" in line, line


def test_plain_cgi_through_the_shipped_htaccess(site):
    base, docroot = site["base"], site["docroot"]
    shipped = (harness.REPO / "bundle" / "htaccess").read_bytes()
    assert (docroot / ".htaccess").read_bytes() == shipped
    s = requests.Session()
    r = s.get(base + "/admin/setup", timeout=30)
    assert r.status_code == 200 and 'name="setup_key"' in r.text, r.text
    r = s.post(base + "/admin/setup", data={
        "setup_key": site["key"], "username": "owner",
        "password": "owner-password", "password2": "owner-password"},
        allow_redirects=False, timeout=60)
    assert r.status_code == 303, r.text
    assert (docroot / "private" / "secret.key").stat().st_size == 64
    r = s.get(base + "/admin/", timeout=30)
    assert r.status_code == 200 and "view=audit" in r.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = s.post(base + "/admin/", data={
        "op": "client_add", "csrf": csrf, "name": "站点",
        "redirect_uris": "https://site.example/cb",
        "grant": "client_credentials", "scope": "get_user_info"},
        allow_redirects=False, timeout=30)
    assert r.status_code == 200, r.text
    cid = re.search(r'id="client-id">([^<]+)<', r.text).group(1)
    secret = re.search(r'id="new-secret">([^<]+)<', r.text).group(1)
    # HTTP Basic reaches the program (CGIPassAuth in cgi-bin/.htaccess).
    r = requests.post(base + "/oauth2.0/token", auth=(cid, secret),
                      data={"grant_type": "client_credentials"}, timeout=30)
    assert r.status_code == 200 and r.json()["access_token"], r.text
    r = requests.get(base + "/oauth2.0/authorize", params={
        "client_id": "nobody", "response_type": "code", "state": "s"},
        allow_redirects=False, timeout=30)
    assert r.status_code == 400 and "invalid_client" in r.text
    r = requests.get(base + "/user/get_user_info", params={
        "access_token": "x" * 43, "oauth_consumer_key": cid,
        "openid": "0" * 32}, timeout=30)
    assert r.status_code in (200, 401) and "ret" in r.text, r.text
    r = requests.get(base + "/developer/", allow_redirects=False, timeout=30)
    assert r.status_code == 200 and 'name="password"' in r.text
    for path in ("/static/oauth.css", "/qc_jssdk.js",
                 "/qzone/openapi/qc_loader.js"):
        assert requests.get(base + path, timeout=30).status_code == 200, path
    # Never served: the config, the key, the templates, the libraries.
    for path in ("/private/oauth2-fcgi.conf", "/private/secret.key",
                 "/private/templates/en/login.html", "/private/oauthctl",
                 "/cgi-bin/lib/libpq.so.5", "/.htaccess"):
        r = requests.get(base + path, timeout=30)
        assert r.status_code == 403, (path, r.status_code)
    assert site["pg"].sql("SELECT action, actor FROM audit_log ORDER BY id") \
        == [("setup", "owner"), ("client.create", "owner")]
    crashes = [x for x in site["web"].log_text().splitlines()
               if "End of script output before headers" in x]
    assert not crashes, crashes
