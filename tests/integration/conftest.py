"""conftest.py: the live test harness for tests/integration.

Every integration test runs against real programs behind a real web
server and a real PostgreSQL, all private to one pytest session:

    /usr/bin/python3 -m pytest tests/integration
    OAUTH_SERVER=apache-fcgid /usr/bin/python3 -m pytest tests/integration
    OAUTH_SERVER=apache-cgi   /usr/bin/python3 -m pytest tests/integration
    OAUTH_SERVER=nginx        /usr/bin/python3 -m pytest tests/integration
    OAUTH_BINDIR=san          /usr/bin/python3 -m pytest tests/integration

Environment
    OAUTH_SERVER   lighttpd (default): lighttpd-example.conf, mod_fastcgi
                   apache-fcgid: apache-example.conf, mod_fcgid
                   apache-cgi:   apache-example.conf -D OAUTH_PLAIN_CGI (mod_cgid)
                   nginx:        nginx-example.conf, the programs started by
                                 spawn-fcgi-example.sh (2 workers each)
    OAUTH_BINDIR   where cgi-bin/*.fcgi and tools/oauthctl are: the
                   repository (default), "san" for `make SAN=1`'s san/,
                   or any path
    OAUTH_TEST_KEEP=1  keep the temporary directory (logs, cluster)

Fixtures (defined in tests/conftest.py, shared with tests/browser)
    server (session)  harness.Server, started once per session:
        .base            "http://127.0.0.1:PORT" (also the config's issuer)
        .url(path)       base + path
        .get(path, **kw), .post(path, **kw)
                         requests.get/post on base + path, timeout 30 s,
                         allow_redirects=False unless given
        .kind, .port, .top (temp dir), .bindir
        .config_path     the oauth.conf the programs read (OAUTH_CONFIG)
        .config          dict of the settings written there
        .reconfigured(**changes)
                         context manager: rewrite the config (None drops a
                         key), restart the web server; restores both after
        .pg.dsn          libpq conninfo of the private database "oauth2"
        .pg.sql(query, *params) -> [tuple of str|None]
                         via psql; $1, $2 ... are bound to params (quoted
                         by psql, so any value is safe; None is NULL)
        .pg.sql_one(query, *params) -> first column of first row or None
        .oauthctl(*args, input=None, config=True, env=None, check=False)
                         -> subprocess.CompletedProcess (text; stdout and
                         stderr captured); runs `oauthctl --config CONFIG`
        .run_cgi(program, method="GET", query="", body=b"", headers=None,
                 env=None, wrapper=()) -> CgiResult(status, headers, body,
                         stderr, returncode): one plain-CGI run of
                         cgi-bin/PROGRAM.fcgi without a web server
                         (wrapper: a command prefix such as valgrind)
        .stop_db(mode="fast"), .start_db()
                         stop/start PostgreSQL (waits); mode="immediate"
                         stops it as a crash would (no checkpoint)
        .restart_webserver()          stop/start the web server and programs
        .log_text(since=0)            web server error log + programs' stderr
        .log_mark()                   position for log_text(since=mark)
        .demo_password, .demo_client  user "demo" and client "demo"
                                      (id, secret), as `make run` seeds them
    browser (module)  selenium WebDriver: headless chromium, fresh profile
    browser_factory   new_browser(lang=None, logs=False) -> another WebDriver, closed
                      at the end of the test

    After each test, it fails if a program crashed (signal logged by the
    web server) or if an ASan/UBSan report appeared.

Helpers (from conftest import ... or from harness import ...)
    make_client(server, name=None, redirect_uri=..., grants=None,
                scopes=None, public=False, website=None, owner=None,
                client_id=None) -> (client_id, client_secret | None)
    make_user(server, name=None, password=None, nickname=None,
              avatar=None, gender=None) -> User(name, password)
    unique(prefix) -> prefix + 10 random hex digits

Seeded at session start: scopes get_user_info (获得您的昵称、头像、性别) and
list_album (获取您的相册列表) with their English descriptions, user demo,
client demo (redirect URI BASE/demo/callback.py, credentials in the file
DEMO_CLIENT_CONF names), and the RFC 8414 metadata file.

As root, PostgreSQL runs as postgres and the programs as www-data; the
repository must be readable by www-data.  Sanitizer builds report to
files (ASAN_OPTIONS=abort_on_error=0:detect_leaks=0:log_path=...), which
the harness collects.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import make_client, make_user, unique  # noqa: E402

__all__ = ["make_client", "make_user", "unique"]
