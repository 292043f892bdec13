"""examples/relations: the port of strongloop/loopback-example-relations.

``main.py`` runs and prints its relation calls and REST answers; the booted
app answers the example's REST requests as the real LB3 app does, request by
request (tests/rest/lb3_relations_example.json, recorded from the example run
in Node with LoopBack 3.28 / juggler 3.36.1, with the same boot scripts left
out as examples/relations/README.md says).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

import loopback_compat as lb
from live import LiveApp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
EXAMPLE = os.path.join(ROOT, 'examples', 'relations')
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'lb3_relations_example.json'), encoding='utf-8') as _f:
    RECORDED = json.load(_f)

#: Relations of Customer and Book to models on the `transient` data source
#: (embedsOne address, embedsMany emails, polymorphic embedsMany people) are
#: never set up by lb.boot: each data source has its own model builder, so
#: the relation waits for a target defined on another builder forever
#: (reported; examples/relations/README.md).
CROSS_SOURCE = ('lb.boot leaves relations to a model on another data source '
                '(transient) pending: no emailList/address/people (reported)')
#: juggler's count on a referencesMany scope ignores the id list (its scope has
#: no where) and counts every Account; loopback_compat counts the customer's.
REFERENCES_COUNT = ('GET .../accounts/count of referencesMany: LB3 counts every '
                    'Account, loopback_compat the referenced ones (reported)')


def known_difference(exchange):
    body = json.dumps(exchange['body'])
    if '"emailList"' in body or exchange['url'].startswith(('/api/Books/1/people',
                                                            '/api/customers/6/address',
                                                            '/api/customers/7/emails')):
        return CROSS_SOURCE
    if exchange['url'].endswith('/accounts/count') and exchange['body'] != {'count': 0}:
        return REFERENCES_COUNT
    return None


def cases(exchanges):
    for exchange in exchanges:
        reason = known_difference(exchange)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(exchange, marks=marks,
                           id='%s %s' % (exchange['method'], exchange['url']))


def masked(value):
    """The recording's masks: '<now>' for today's dates, '<24 hex>' for random ids."""
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r'20\d\d-\d\d-\d\dT.*Z', value) \
            and not value.startswith('2015'):
        return '<now>'
    if isinstance(value, str) and re.fullmatch(r'[0-9a-f]{24}', value):
        return '<24 hex>'
    return value


def boot_relations(boot_dirs=None):
    def setup(app, done):
        options = {'appRootDir': os.path.join(EXAMPLE, 'server')}
        if boot_dirs:
            options['bootDirs'] = boot_dirs
        lb.boot(app, options, done)
    return setup


def wait_seeded(live):
    """Wait for the writes sample-customers does not wait for (the shipment is last)."""
    for _ in range(500):
        if live.rows('Shipment'):
            return
        time.sleep(0.02)
    raise AssertionError('the boot scripts did not seed the app')


@pytest.fixture(scope='module')
def relations_app():
    live = LiveApp(boot_relations()).start()
    wait_seeded(live)
    yield live
    live.stop()


def ask(live, exchange):
    body = {} if exchange['method'] == 'POST' else None
    status, answer = live.json(exchange['method'], exchange['url'], body,
                               {'Accept': 'application/json'})
    return status, masked(answer)


@pytest.mark.parametrize('exchange', cases(RECORDED['answers']['exchanges']))
def test_answers_as_lb3(relations_app, exchange):
    assert ask(relations_app, exchange) == (exchange['status'], exchange['body'])


@pytest.mark.xfail(strict=True, reason=CROSS_SOURCE + '; then rename the '
                   'three _z-*.py boot scripts back and drop this mark')
def test_full_example_answers_as_lb3(tmp_path):
    """Every boot script of the example, as LB3 runs them (root.js aside)."""
    boot = os.path.join(EXAMPLE, 'server', 'boot')
    for name in os.listdir(boot):
        if name.endswith('.py') and name != '_root.py':
            shutil.copy(os.path.join(boot, name), tmp_path / name.lstrip('_'))
    live = LiveApp(boot_relations([str(tmp_path)])).start()
    try:
        wait_seeded(live)
        for exchange in RECORDED['full_answers']['exchanges']:
            if known_difference(exchange) == REFERENCES_COUNT:
                continue
            assert ask(live, exchange) == (exchange['status'], exchange['body']), exchange['url']
    finally:
        live.stop()


def test_main_prints_relation_calls_and_rest_answers():
    out = subprocess.run([sys.executable, os.path.join(EXAMPLE, 'main.py')],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Customer created:  Customer({'name': 'Customer A', 'age': 21" in text
    assert 'Customer with accounts:' in text
    expected = [
        ('Customer.youngFolks()  (named scope)',
         '[{"name": "Customer A", "age": 21, "id": 2, "accountIds": []}, '
         '{"name": "Customer B", "age": 22, "id": 3, "accountIds": []}]'),
        ('Order.findById(5).customer()  (belongsTo)',
         '{"name": "Customer D", "age": 24, "id": 5, "accountIds": []}'),
        ("Customer.findOne({where: {name: 'Mary Smith'}}).accounts()  (referencesMany)",
         '[{"name": "Checking", "balance": 5000, "id": 1}, '
         '{"name": "Saving", "balance": 2000, "id": 2}]'),
        ('GET /api/customers?filter[fields][name]=true',
         '200 [{"name": "Mary Smith"}, {"name": "Customer A"}, {"name": "Customer B"}, '
         '{"name": "Customer C"}, {"name": "Customer D"}]'),
        ('GET /api/customers/2/orders',
         '200 [{"date": "2015-01-01T00:00:00.000Z", "description": "First order by '
         'Customer A", "id": 1, "customerId": 2}, {"date": "2015-02-01T00:00:00.000Z", '
         '"description": "Second order by Customer A", "id": 2, "customerId": 2}]'),
    ]
    for label, answer in expected:
        assert '%s\n  -> %s\n' % (label, answer) in text
    shipments = re.search(r'GET /api/customers/5/orders/5/shipments\n  -> 200 (.*)\n', text)
    assert shipments, text
    assert masked(json.loads(shipments.group(1))) == [
        {'date': '<now>', 'description': 'Shipment', 'id': 1, 'orderId': 5}]
    # hasMany include nested two levels (orders -> shipments) in Python
    assert '"orders": [{"date": "2015-05-01T00:00:00.000Z", "description": "Order by ' \
        'Anonymous", "id": 5, "customerId": 5, "shipments": [{' in text
