"""conftest.py: browser tests.  The fixtures (server, browser,
browser_factory) come from tests/conftest.py and are documented in
tests/integration/conftest.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import make_client, make_user, unique  # noqa: E402

__all__ = ["make_client", "make_user", "unique"]
