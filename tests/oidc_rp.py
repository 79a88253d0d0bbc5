"""oidc_rp.py: Apache with Debian's mod_auth_openidc as a relying party of
the server under test, for tests/integration/test_oidc_rp.py and
tests/browser/test_oidc_browser.py.

ModAuthOpenidc.register(server) registers the client (redirect URI and
post-logout page on a free port) and renders tests/rp/mod_auth_openidc.conf
(the README's example) for it; extra: more directives, appended as a
site would. start() and stop() run the Apache (by PID, its process
group).  The protected page /protected/page.py answers the CGI
environment it got (REMOTE_USER, OIDC_*) as JSON.
"""

import re
import secrets
import shutil
import subprocess
import time

import requests

import harness

RP_DIR = harness.REPO / "tests" / "rp"

PAGE = r'''#!/usr/bin/python3
import json, os
print("Content-Type: application/json")
print()
print(json.dumps({k: v for k, v in os.environ.items()
                  if k == "REMOTE_USER" or k.startswith("OIDC_")}))
'''


class ModAuthOpenidc:
    """Apache with mod_auth_openidc as the README configures it."""

    @classmethod
    def register(cls, server, extra=""):
        port = harness.free_port()
        base = "http://127.0.0.1:%d" % port
        out = server.oauthctl(
            "client", "add", "--name", "Apache mod_auth_openidc",
            "--redirect-uri", base + "/protected/redirect_uri",
            "--post-logout-redirect-uri", base + "/loggedout.html",
            "--scopes", "openid,profile,email", check=True).stdout
        v = dict(line.split("=", 1) for line in out.split())
        return cls(server, port, v["client_id"], v["client_secret"], extra)

    def __init__(self, server, port, client_id, secret, extra=""):
        self.server = server
        self.client_id = client_id
        self.top = server.top / ("rp-" + secrets.token_hex(4))
        self.port = port
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None
        (self.top / "www").mkdir(parents=True)
        (self.top / "cgi").mkdir()
        (self.top / "www" / "loggedout.html").write_text("logged out\n")
        page = self.top / "cgi" / "page.py"
        page.write_text(PAGE)
        page.chmod(0o755)
        self.top.chmod(0o755)
        text = (RP_DIR / "mod_auth_openidc.conf").read_text()
        for k, v in (("@RP@", self.base), ("@RPPORT@", self.port),
                     ("@VAR@", self.top), ("@OP@", server.config["issuer"]),
                     ("@CLIENT_ID@", client_id),
                     ("@CLIENT_SECRET@", secret),
                     ("@PASSPHRASE@", secrets.token_hex(16)),
                     ("@USER@", server.acc.run_user),
                     ("@GROUP@", server.acc.run_group)):
            text = text.replace(k, str(v))
        assert not re.findall(r"@[A-Z_]+@", text)
        text += extra
        self.conf = self.top / "apache.conf"
        self.conf.write_text(text)
        for f in ("error.log", "access.log"):
            (self.top / f).touch()
        server.acc.chown_run(self.top)

    def start(self):
        apache = shutil.which("apache2", path=harness.SYS_PATH)
        with open(self.top / "stderr.log", "ab") as err:
            self.proc = subprocess.Popen(
                [apache, "-f", str(self.conf), "-D", "FOREGROUND"],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                env=self.server.env, cwd=str(self.top),
                start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log()
            try:
                requests.get(self.base + "/loggedout.html", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("mod_auth_openidc's Apache did not start")

    def stop(self):
        if self.proc is not None:
            harness._stop_group(self.proc)
            self.proc = None

    def log(self):
        return "".join((self.top / f).read_text(errors="replace")
                       for f in ("error.log", "stderr.log")
                       if (self.top / f).exists())
