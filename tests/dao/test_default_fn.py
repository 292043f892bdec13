"""Property ``defaultFn`` generators, on every connector, as juggler 3.36.1 has them:
'guid' and 'uuid' (v1, time-based), 'uuidv4', 'now' and 'shortid' (the
shortid package: 7 to 14 characters of ``[0-9a-zA-Z_-]``)."""

import datetime
import re
import uuid

import pytest

import loopback_compat as lb
from loopback_compat.model import shortid

SHORTID = re.compile(r'^[0-9a-zA-Z_-]{7,14}$')


def model(ds):
    Thing = ds.createModel('Thing', {
        'guid': {'type': 'string', 'defaultFn': 'guid'},
        'uuid': {'type': 'string', 'defaultFn': 'uuid'},
        'uuid4': {'type': 'string', 'defaultFn': 'uuidv4'},
        'at': {'type': 'date', 'defaultFn': 'now'},
        'short': {'type': 'string', 'defaultFn': 'shortid'},
    })
    lb.await_(ds.automigrate('Thing'))
    return Thing


@pytest.mark.lb_fiber
def test_each_generator_fills_its_property_and_is_stored(ds):
    Thing = model(ds)
    before = datetime.datetime.now(datetime.timezone.utc)
    made = lb.await_(Thing.create({}))
    assert uuid.UUID(made.guid).version == 1 and uuid.UUID(made.uuid).version == 1
    assert uuid.UUID(made.uuid4).version == 4
    assert before - datetime.timedelta(seconds=1) <= made.at <= \
        datetime.datetime.now(datetime.timezone.utc)
    assert SHORTID.match(made.short), made.short
    assert lb.await_(Thing.findById(made.id)).toJSON() == made.toJSON()


@pytest.mark.lb_fiber
def test_a_given_value_wins_and_ids_differ(ds):
    Thing = model(ds)
    given = lb.await_(Thing.create({'short': 'mine', 'uuid4': 'x'}))
    assert (given.short, given.uuid4) == ('mine', 'x')
    shorts = {Thing().short for _ in range(2000)}
    assert len(shorts) == 2000 and all(SHORTID.match(s) for s in shorts)


@pytest.mark.lb_fiber
def test_shortid_as_a_generated_string_id(ds):
    Item = ds.createModel('Item', {'id': {'type': 'string', 'id': True, 'defaultFn': 'shortid'},
                                   'name': 'string'})
    lb.await_(ds.automigrate('Item'))
    a, b = lb.await_(Item.create([{'name': 'a'}, {'name': 'b'}]))
    assert SHORTID.match(a.id) and SHORTID.match(b.id) and a.id != b.id
    assert lb.await_(Item.findById(b.id)).name == 'b'


def test_shortid_length_follows_the_counter_as_the_package_does(monkeypatch):
    # version (7) and worker (0): one character each; the seconds since
    # shortid's reference time: one per hex digit; the count of ids made in
    # the same second: one per hex digit, left out while 0
    now = (shortid.REDUCE_TIME_MS + 0x1234567 * 1000 + 5) / 1000.0
    monkeypatch.setattr(shortid.time, 'time', lambda: now)
    monkeypatch.setattr(shortid, '_state', {'seconds': None, 'counter': 0})
    lengths = [len(shortid.generate()) for _ in range(18)]
    assert lengths == [9] + [10] * 15 + [11, 11]
