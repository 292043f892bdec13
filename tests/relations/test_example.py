"""The README's main example: examples/supplier_account (the hasOne doc page)."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'supplier_account')


def test_model_files_are_the_documentation_page_json():
    with open(os.path.join(EXAMPLE, 'common', 'models', 'supplier.json')) as fh:
        supplier = json.load(fh)
    with open(os.path.join(EXAMPLE, 'common', 'models', 'account.json')) as fh:
        account = json.load(fh)
    assert supplier['relations'] == {'supplier_acct': {
        'type': 'hasOne', 'model': 'account', 'foreignKey': 'supplierId'}}
    assert account['properties'] == {
        'id': {'type': 'number', 'required': True}, 'acctmgr': {'type': 'string'},
        'supplierId': {'type': 'number', 'required': True}}


def test_example_runs_every_method_three_ways():
    done = subprocess.run([sys.executable, os.path.join(EXAMPLE, 'main.py')],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for section in ('with error-first callbacks:', 'with promises:', 'with fibers'):
        assert section in out
    assert out.count('HasOne relation cannot create more than one instance of account') == 3
    assert out.count('"balance": 100') == 3
    assert out.count('{"count": 1}') == 3
    assert '"account": {"id": 2, "acctmgr": "Ann", "supplierId": 1}' in out
    assert done.stderr == ''
