"""conftest.py: fixtures shared by tests/integration and tests/browser.

The fixtures and helpers are documented in tests/integration/conftest.py;
the machinery is in tests/harness.py.
"""

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402

import harness  # noqa: E402
from harness import make_client, make_user, unique  # noqa: E402

__all__ = ["make_client", "make_user", "unique"]

_server = None


def _sigterm(signum, frame):
    # pytest tears fixtures down on KeyboardInterrupt, not on SIGTERM.
    raise KeyboardInterrupt("SIGTERM")


@pytest.fixture(scope="session")
def server():
    """The system under test (harness.Server): private PostgreSQL, schema,
    scopes, demo data, and the web server chosen by OAUTH_SERVER."""
    global _server
    old = signal.signal(signal.SIGTERM, _sigterm)
    s = harness.Server()
    try:
        s.start()
    except harness.HarnessError as e:
        signal.signal(signal.SIGTERM, old)
        pytest.fail(str(e), pytrace=False)
    _server = s
    try:
        yield s
    finally:
        _server = None
        signal.signal(signal.SIGTERM, old)
        try:
            s.shutdown()
        except harness.HarnessError as e:
            pytest.fail(str(e), pytrace=False)


@pytest.fixture(autouse=True)
def _watch_programs():
    """After each test: fail it if a program crashed or a sanitizer
    reported something while it ran."""
    yield
    s = _server
    if s is None:
        return
    problems = []
    crashes = s.new_crashes()
    if crashes:
        problems.append("programs crashed:\n" + "\n".join(crashes))
    reports = s.sanitizer_reports()
    if reports:
        problems.append("sanitizer reports:\n" + reports)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def browser():
    """Headless chromium (selenium WebDriver) with a fresh profile, shared
    by the tests of one module."""
    b = harness.Browser()
    try:
        yield b.driver
    finally:
        b.close()


@pytest.fixture
def browser_factory():
    """new_browser(lang=None, logs=False) -> WebDriver; every browser made
    is closed at the end of the test.  For a second user, another language,
    or the network and console logs (logs=True, see harness.Browser)."""
    made = []

    def new_browser(lang=None, logs=False):
        b = harness.Browser(lang=lang, logs=logs)
        made.append(b)
        return b.driver
    try:
        yield new_browser
    finally:
        for b in made:
            b.close()
