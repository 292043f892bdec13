"""Ported test suites of LoopBack 3.28 itself (the loopback repository, tag v3.28.0).

One file here per LoopBack test file (``test/relations.integration.js`` ->
``tests/loopback/test_relations_integration.py``), one test per ``it``, named
after its describe path and text as in tests/juggler/ (snake-cased, joined
with double underscores).  A case that fails because loopback_compat lacks a
feature carries ``gap('what is missing (issue N)')`` (a strict xfail); cases
LoopBack skips (``it.skip``) are skipped with its reason.  The fixture apps
LoopBack's tests boot are under ``fixtures/``, their JSON unchanged except
where a file says so.  The apps are served for real (tests/rest/live.py).
"""

import os
import sys

import pytest

REST_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest')
if REST_TESTS not in sys.path:
    sys.path.insert(0, REST_TESTS)


@pytest.fixture
def gap(request):
    """``gap(reason)``: mark this case a known gap (strict xfail)."""
    def mark(reason):
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    return mark
