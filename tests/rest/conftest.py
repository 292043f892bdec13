import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from live import LiveApp, boot_example  # noqa: E402


@pytest.fixture
def example_app():
    """examples/lb3_app booted and listening on 127.0.0.1 (fresh memory data)."""
    live = LiveApp(boot_example).start()
    yield live
    live.stop()
