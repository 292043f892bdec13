"""Ported test suite of loopback-datasource-juggler 3.36.1 (its repository, tag v3.36.1).

One file here per juggler file (``test/manipulation.test.js`` ->
``tests/juggler/test_manipulation.py``), one test per ``it``, named after its
describe path and text, snake-cased and joined with double underscores::

    describe('manipulation') / describe('create') / it('should create instance')
    -> def test_manipulation__create__should_create_instance(db): ...

Where juggler's case runs on the connector under test (``getSchema()`` in
juggler's ``init.js``), the port takes the ``db`` fixture and so runs on
memory, SQLite and PostgreSQL; a case that builds ``new DataSource('memory')``
itself stays on memory.  Cases juggler skips (``it.skip``, ``bdd.itIf(false)``)
are skipped with juggler's reason.

A case that fails because loopback_compat lacks a feature or has a bug is
marked, never deleted or weakened: ``gap('what is missing (issue N)')`` (all
connectors) or ``gap('...', connectors=['postgresql'])`` applies a strict xfail,
so the test starts failing the day the gap closes and the mark must go.
Deliberate fixes and Python limits are listed in docs/differences.md instead,
with the case asserting our behaviour.
"""

import pytest


@pytest.fixture
def db(ds):
    """juggler's ``getSchema()``: a fresh, empty data source of the connector under test."""
    return ds


@pytest.fixture
def gap(request):
    """``gap(reason, connectors=None)``: mark this case a known gap (strict xfail)."""
    def mark(reason, connectors=None):
        if connectors is not None:
            ds = request.getfixturevalue('ds') if 'ds' in request.fixturenames else None
            name = ds.settings.get('connector') if ds is not None else 'memory'
            if name not in connectors:
                return
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    return mark
