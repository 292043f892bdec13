"""An invalid date in written data, on every connector, as juggler 3.36.1 answers it.

- updateAll (and the connectors' upsertWithWhere) coerce the data as a where
  (juggler's ``Model._coerce(data)``): 'Invalid date: notadate', no
  statusCode (LB3's REST answers 500), nothing written;
- create, updateAttributes, replaceById, replaceOrCreate, upsertWithWhere and
  findOrCreate validate the instance: a 422 ValidationError ('`dob` is not a
  valid date'), nothing written;
- upsert of a forceId model patches without validation (juggler's
  ``validate: !!validateUpsert``): the Invalid Date is stored as its JSON, null.

Answers checked on juggler 3.36.1 and a LoopBack 3.28 app under Node 20.
"""

import os
import sys
from urllib.parse import quote

import pytest

import loopback_compat as lb
from loopback_compat.errors import ValidationError
from loopback_compat.testing import callback_outcome, rejection
from loopback_compat.types import INVALID_DATE

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from live import LiveApp  # noqa: E402

DOB = '2020-01-01T00:00:00.000Z'
NOT_VALID = ('The `Person` instance is not valid. Details: `dob` is not a valid date '
             '(value: Invalid Date).')


def person(ds):
    Person = ds.createModel('Person', {'name': 'string', 'dob': 'date', 'dates': ['date']})
    lb.await_(ds.automigrate('Person'))
    return Person


def rows(Person):
    return [p.toJSON() for p in lb.await_(Person.find({'order': 'id ASC'}))]


def seeded(ds):
    Person = person(ds)
    lb.await_(Person.create({'name': 'a', 'dob': DOB, 'dates': [DOB]}))
    return Person, rows(Person)


@pytest.mark.parametrize('data, message, status', [
    ({'dob': 'notadate'}, 'Invalid date: notadate', None),
    ({'dob': ''}, 'Invalid date: ', None),
    ({'dob': 1e20}, 'Invalid date: 100000000000000000000', None),
    ({'dob': {'a': 1}}, 'Invalid date: [object Object]', None),
    ({'dob': {'gt': 'soon'}}, 'Invalid date: soon', None),
    ({'dob': ['x']}, 'Invalid date: x', None),
    ({'dates': [DOB, 'never']}, 'Invalid date: never', None),
    # the instance juggler builds from the data fails first (its List type)
    ({'name': 'b', 'dates': 'never'}, 'could not create List from JSON string: "never"', 400),
])
@pytest.mark.lb_fiber
def test_update_all_refuses_an_invalid_date_and_writes_nothing(ds, data, message, status):
    Person, before = seeded(ds)
    err, results, sync = callback_outcome(Person.updateAll, {'name': 'a'}, data)
    assert (type(err).__name__, err.message, err.statusCode) == \
        ('LoopBackError', message, status)
    assert results == () and not sync
    assert rows(Person) == before


@pytest.mark.lb_fiber
def test_update_all_with_valid_and_null_dates_still_writes(ds):
    Person, _ = seeded(ds)
    assert lb.await_(Person.updateAll({'name': 'a'}, {'dob': '2021-02-03'})) == {'count': 1}
    assert lb.await_(Person.findOne()).dob.isoformat() == '2021-02-03T00:00:00+00:00'
    assert lb.await_(Person.updateAll({'name': 'a'}, {'dob': None})) == {'count': 1}
    assert lb.await_(Person.findOne()).dob is None


@pytest.mark.lb_fiber
def test_update_all_with_validation_reports_the_validation_error(ds):
    # options.validate: juggler validates the data as an instance first
    Person, before = seeded(ds)
    err = rejection(Person.updateAll({'name': 'a'}, {'dob': 'notadate'}, {'validate': True}))
    assert isinstance(err, ValidationError) and err.message == NOT_VALID
    assert rows(Person) == before


def _create(Person, inst):
    return Person.create({'name': 'b', 'dob': 'notadate'})


def _update_attributes(Person, inst):
    return inst.updateAttributes({'dob': 'notadate'})


def _replace_by_id(Person, inst):
    return Person.replaceById(1, {'name': 'b', 'dob': 'notadate'})


def _replace_attributes(Person, inst):
    return inst.replaceAttributes({'name': 'b', 'dob': 'notadate'})


def _replace_or_create(Person, inst):
    return Person.replaceOrCreate({'id': 1, 'name': 'b', 'dob': 'notadate'})


def _upsert_with_where(Person, inst):
    return Person.upsertWithWhere({'name': 'a'}, {'dob': 'notadate'})


def _find_or_create(Person, inst):
    return Person.findOrCreate({'where': {'name': 'b'}}, {'name': 'b', 'dob': 'notadate'})


def _save(Person, inst):
    inst.dob = 'notadate'
    return inst.save()


@pytest.mark.parametrize('write', [_create, _update_attributes, _replace_by_id,
                                   _replace_attributes, _replace_or_create,
                                   _upsert_with_where, _find_or_create, _save])
@pytest.mark.lb_fiber
def test_validated_writes_refuse_an_invalid_date_and_write_nothing(ds, write):
    Person, before = seeded(ds)
    inst = lb.await_(Person.findById(1))
    err = rejection(write(Person, inst))
    assert isinstance(err, ValidationError)
    assert (err.statusCode, err.message) == (422, NOT_VALID)
    assert err.details['codes'] == {'dob': ['date']}
    assert rows(Person) == before


@pytest.mark.lb_fiber
def test_upsert_of_a_force_id_model_stores_an_invalid_date_as_null(ds):
    # juggler: upsert with forceId patches with validate: !!validateUpsert (false)
    Person, _ = seeded(ds)
    saved = lb.await_(Person.upsert({'id': 1, 'dob': 'notadate'}))
    assert saved.toJSON()['dob'] is None
    assert rows(Person)[0]['dob'] is None


@pytest.mark.lb_fiber
def test_an_unvalidated_invalid_date_is_stored_as_null(ds):
    # JSON.stringify(new Date(NaN)) is null: memory stores that, and so do the
    # SQL connectors (which used to fail on the Invalid Date object)
    Person, _ = seeded(ds)
    inst = lb.await_(Person.findById(1))
    lb.await_(inst.updateAttributes({'dob': 'notadate'}, {'validate': False}))
    assert inst.dob is INVALID_DATE
    assert rows(Person)[0]['dob'] is None
    lb.await_(Person.replaceById(1, {'name': 'r', 'dob': 'nope'}, {'validate': False}))
    assert rows(Person)[0] == dict(rows(Person)[0], name='r', dob=None)


# -- over REST: LB3's statuses, and nothing written ------------------------------------

REST_CASES = [
    # (method, path, body, status, error body as LB3 3.28 answers it)
    ('PATCH', '/api/People/1', {'dob': 'notadate'}, 422, None),
    ('PUT', '/api/People/1', {'name': 'b', 'dob': 'notadate'}, 422, None),
    ('POST', '/api/People/1/replace', {'name': 'b', 'dob': 'notadate'}, 422, None),
    ('POST', '/api/People', {'name': 'c', 'dob': 'notadate'}, 422, None),
    ('PUT', '/api/People', {'id': 1, 'dob': 'notadate'}, 422, None),
    ('POST', '/api/People/replaceOrCreate', {'id': 1, 'dob': 'notadate'}, 422, None),
    ('POST', '/api/People/upsertWithWhere?where=' + quote('{"name":"a"}'),
     {'dob': 'notadate'}, 422, None),
    ('POST', '/api/People/update?where=' + quote('{"name":"a"}'), {'dob': 'notadate'}, 500,
     {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('POST', '/api/People/update?where=' + quote('{"name":"a"}'), {'dob': {'a': 1}}, 500,
     {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
]

INVALID_BODY = {'error': {
    'statusCode': 422, 'name': 'ValidationError', 'message': NOT_VALID,
    'details': {'context': 'Person', 'codes': {'dob': ['date']},
                'messages': {'dob': ['is not a valid date']}}}}


@pytest.fixture
def people_app(ds):
    """A LoopBack app serving Person on a data source of the ``ds`` connector."""
    settings = dict(ds.settings)

    def setup(app, done):
        source = app.dataSource('db', settings)
        Person = source.createModel('Person', {'name': 'string', 'dob': 'date',
                                               'dates': ['date']})
        app.model(Person, dataSource='db')
        source.automigrate('Person', lambda err=None: done(err))
    live = LiveApp(setup).start()
    yield live
    live.stop()


def test_rest_answers_an_invalid_date_as_lb3_and_writes_nothing(people_app, caplog):
    live = people_app
    status, created = live.json('POST', '/api/People', {'name': 'a', 'dob': DOB})
    assert status == 200
    before = live.rows('Person')
    for method, path, body, status, error in REST_CASES:
        assert live.json(method, path, body) == (status, error or INVALID_BODY), (method, path)
        assert live.rows('Person') == before, (method, path)
    # PATCH /api/People (upsert, forceId): stored as null, as LB3 on memory does
    assert live.json('PATCH', '/api/People', {'id': 1, 'dob': 'notadate'}) == \
        (200, dict(created, dob=None, **({'dates': None} if 'dates' in before[0] else {})))
    assert live.rows('Person')[0]['dob'] is None
