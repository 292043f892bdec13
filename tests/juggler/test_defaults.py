"""Port of juggler 3.36.1's test/defaults.test.js (issue 18).

juggler's ``Server`` cases run on one ``getSchema()`` and build on each other
(the read case reads the server the create case made, the last upsert
updates it).  Here each case gets a fresh ``db``: it runs the describe's
``before`` (:func:`define_server`) and then replays the writes of the cases
before it (:func:`earlier_cases`), so it sees the data juggler's case sees.
The ``Apple`` cases, which define ``Apple`` again and again on that data
source, get a data source each instead.

On SQLite and PostgreSQL a property that was never set reads back as NULL,
and NULL is a value: juggler applies no default to it on reads (as juggler's
own basic-querying case "applies default values by default" says of SQL
databases, and docs/differences.md "Nulls"), so "should apply defaults on
read" finds ``host`` None there; memory, as juggler's own run, finds
``'localhost'``.
"""

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber


def assert_undefined(db, inst, name):
    """should(inst[name]).be.undefined(): never set.  On SQL an unset column
    reads back as NULL, None (docs/differences.md "Nulls")."""
    if db.isRelational():
        assert inst[name] is None
    else:
        assert name not in inst


def define_server(db):
    """describe('defaults')'s before."""
    return db.define('Server', {
        'host': 'String',
        'port': {'type': 'Number', 'default': 80},
        'createdAt': {'type': 'Date', 'default': '$now'},
    })


def earlier_cases(db, Server, upto):
    """The writes of the Server cases before case number ``upto`` (1-based)."""
    steps = [
        lambda: None,                                                     # 1: on new
        lambda: lb.await_(Server.create()),                               # 2: on create
        lambda: db.defineProperty('Server', 'host', {                     # 3: on read
            'type': 'String',
            'default': 'localhost',
        }),
        lambda: lb.await_(Server.create({'host': 'localhost', 'port': 8080})),  # 4
        lambda: lb.await_(Server.upsert({'port': 8181})),                 # 5: upsert create
    ]
    for step in steps[:upto - 1]:
        step()


def test_defaults__should_apply_defaults_on_new(db):
    Server = define_server(db)
    s = Server()
    assert s.port == 80


def test_defaults__should_apply_defaults_on_create(db):
    Server = define_server(db)
    earlier_cases(db, Server, 2)
    err, (s,), _ = callback_outcome(Server.create)
    assert s.port == 80


def test_defaults__should_apply_defaults_on_read(db):
    Server = define_server(db)
    earlier_cases(db, Server, 3)
    db.defineProperty('Server', 'host', {
        'type': 'String',
        'default': 'localhost',
    })
    err, (servers,), _ = callback_outcome(Server.all)
    # SQL: the NULL host is a value, no default applies (module docstring)
    assert servers[0].host == ('localhost' if not db.isRelational() else None)


def test_defaults__should_ignore_defaults_with_limited_fields(db):
    Server = define_server(db)
    earlier_cases(db, Server, 4)
    err, (s,), _ = callback_outcome(Server.create, {'host': 'localhost', 'port': 8080})
    assert err is None
    assert s.port == 8080
    err, (servers,), _ = callback_outcome(Server.find, {'fields': ['host']})
    # SQL: the first server's NULL host is a value, no default applies (module docstring)
    assert servers[0].host == ('localhost' if not db.isRelational() else None)
    assert hasattr(servers[0], 'host')
    # should.have.property('port', undefined)
    assert 'port' not in servers[0] and servers[0].port is None


def test_defaults__should_apply_defaults_in_upsert_create(db):
    Server = define_server(db)
    earlier_cases(db, Server, 5)
    err, (server,), _ = callback_outcome(Server.upsert, {'port': 8181})
    assert err is None
    assert server.createdAt is not None


def test_defaults__should_preserve_defaults_in_upsert_update(db):
    Server = define_server(db)
    earlier_cases(db, Server, 6)
    _, (server,), _ = callback_outcome(Server.findOne, {})
    err, (s,), _ = callback_outcome(Server.upsert, {'id': server.id, 'port': 1337})
    assert err is None
    assert s.port == 1337
    assert server.createdAt == s.createdAt


# -- context('applyDefaultOnWrites') ------------------------------------------

def test_defaults__apply_default_on_writes__does_not_affect_default_behavior_when_not_set(db):
    Apple = db.define('Apple', {
        'color': {'type': 'String', 'default': 'red'},
        'taste': {'type': 'String', 'default': 'sweet'},
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create())
    assert apple.color == 'red'
    assert apple.taste == 'sweet'


def test_defaults__apply_default_on_writes__removes_the_property_when_set_to_false(db):
    Apple = db.define('Apple', {
        'color': {'type': 'String', 'default': 'red', 'applyDefaultOnWrites': False},
        'taste': {'type': 'String', 'default': 'sweet'},
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'color': 'red', 'taste': 'sweet'}))
    found = lb.await_(Apple.findById(apple.id))
    assert_undefined(db, found, 'color')
    assert found.taste == 'sweet'


def test_defaults__apply_default_on_writes__removes_nested_property_in_an_object_when_set_to_false(
        db):
    Apple = db.define('Apple', {
        'name': {'type': 'String'},
        'qualities': {
            'color': {'type': 'String', 'default': 'red', 'applyDefaultOnWrites': False},
            'taste': {'type': 'String', 'default': 'sweet'},
        },
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'name': 'Honeycrisp', 'qualities': {'taste': 'sweet'}}))
    found = lb.await_(Apple.findById(apple.id))
    assert 'color' not in found.qualities
    assert found.qualities['taste'] == 'sweet'


def test_defaults__apply_default_on_writes__removes_nested_property_in_an_array_when_set_to_false(
        db):
    Apple = db.define('Apple', {
        'name': {'type': 'String'},
        'qualities': [
            {'color': {'type': 'String', 'default': 'red', 'applyDefaultOnWrites': False}},
            {'taste': {'type': 'String', 'default': 'sweet'}},
        ],
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'name': 'Honeycrisp', 'qualities': [{'taste': 'sweet'}]}))
    found = lb.await_(Apple.findById(apple.id))
    assert 'color' not in found.qualities[0]
    assert len(found.qualities) == 1


# -- context('persistDefaultValues') ------------------------------------------

def test_defaults__persist_default_values__removes_property_if_value_matches_default(db):
    Apple = db.define('Apple', {
        'color': {'type': 'String', 'default': 'red', 'persistDefaultValues': False},
        'taste': {'type': 'String', 'default': 'sweet'},
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'color': 'red', 'taste': 'sweet'}))
    found = lb.await_(Apple.findById(apple.id))
    assert_undefined(db, found, 'color')
    assert found.taste == 'sweet'


def test_defaults__persist_default_values__removes_property_if_value_matches_default_in_an_object(
        db):
    Apple = db.define('Apple', {
        'name': {'type': 'String'},
        'qualities': {
            'color': {'type': 'String', 'default': 'red', 'persistDefaultValues': False},
            'taste': {'type': 'String', 'default': 'sweet'},
        },
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'name': 'Honeycrisp', 'qualities': {'taste': 'sweet'}}))
    found = lb.await_(Apple.findById(apple.id))
    assert 'color' not in found.qualities
    assert found.qualities['taste'] == 'sweet'


def test_defaults__persist_default_values__removes_property_if_value_matches_default_in_an_array(
        db):
    Apple = db.define('Apple', {
        'name': {'type': 'String'},
        'qualities': [
            {'color': {'type': 'String', 'default': 'red', 'persistDefaultValues': False}},
            {'taste': {'type': 'String', 'default': 'sweet'}},
        ],
    }, {'applyDefaultsOnReads': False})

    apple = lb.await_(Apple.create({'name': 'Honeycrisp', 'qualities': [{'taste': 'sweet'}]}))
    found = lb.await_(Apple.findById(apple.id))
    assert 'color' not in found.qualities[0]
    assert len(found.qualities) == 1
