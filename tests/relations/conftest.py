"""Helpers for relation tests (the ``ds`` fixture comes from tests/conftest.py)."""

import pytest

from loopback_compat import testing


@pytest.fixture
def errback():
    """``errback(fn, *args)`` -> an Outcome (loopback_compat.testing.callback_outcome)."""
    return testing.callback_outcome


@pytest.fixture
def rejection():
    """``rejection(promise)`` -> the error (loopback_compat.testing.rejection)."""
    return testing.rejection
