"""The issue-7 load test: 2,000 requests from 20 client threads, no errors, no lost writes.

Runs benchmarks/rest_load.py against examples/lb3_app on 127.0.0.1 (memory,
and SQLite, whose driver runs in worker threads posting back to the loop); the
script checks every status code and, afterwards, every write through the API.
"""

import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', '..', 'benchmarks', 'rest_load.py')


@pytest.mark.parametrize('connector', ['memory', 'sqlite'])
def test_two_thousand_requests_from_twenty_threads(capsys, connector):
    spec = importlib.util.spec_from_file_location('rest_load', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    status = module.main(['--threads', '20', '--requests', '2000', '--connector', connector])
    out = capsys.readouterr().out
    assert status == 0, out
    assert 'requests:   2000 from 20 client threads' in out
    assert 'no errors, no lost writes' in out
