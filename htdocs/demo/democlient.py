#!/usr/bin/python3
"""democlient.py: what the demo site's two CGI scripts share: where its
client credentials are and what its own base URL is.  Imported by
login.py and callback.py; requested by itself it answers 404."""
import os
import re
import sys

HOST_RE = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def read_conf():
    """Return {client_id, client_secret} from $DEMO_CLIENT_CONF or var/demo-client.conf."""
    path = os.environ.get("DEMO_CLIENT_CONF")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "var", "demo-client.conf")
    conf = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep and not key.startswith("#"):
                    conf[key.strip()] = value.strip()
    except OSError:
        return None
    return conf if conf.get("client_id") else None


def base_url():
    """Return scheme://host of this request, or None if the Host header is unusable."""
    host = os.environ.get("HTTP_HOST", "")
    if not HOST_RE.fullmatch(host):
        return None
    scheme = "https" if os.environ.get("HTTPS", "").lower() == "on" else "http"
    return scheme + "://" + host


if __name__ == "__main__":
    sys.stdout.write("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnot found\n")
