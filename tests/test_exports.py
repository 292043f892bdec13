"""The runtime's public names (DESIGN.md section 1) at the package root."""

import loopback_compat as lb
from loopback_compat import fibers, loop, promise

RUNTIME_NAMES = {
    'run': loop.run,
    'nextTick': loop.nextTick,
    'setImmediate': loop.setImmediate,
    'clearImmediate': loop.clearImmediate,
    'setTimeout': loop.setTimeout,
    'clearTimeout': loop.clearTimeout,
    'setInterval': loop.setInterval,
    'clearInterval': loop.clearInterval,
    'Promise': promise.Promise,
    'async_': fibers.async_,
    'await_': fibers.await_,
}


def test_the_runtime_names_are_exported_from_the_package_root():
    missing = sorted(name for name in RUNTIME_NAMES if not hasattr(lb, name))
    assert missing == []
    for name, obj in RUNTIME_NAMES.items():
        assert getattr(lb, name) is obj, name


def test_the_promise_statics_of_the_design_exist():
    for static in ('resolve', 'reject', 'all', 'allSettled', 'race', 'any'):
        assert callable(getattr(lb.Promise, static)), static
    for method in ('then', 'catch', 'finally_'):
        assert callable(getattr(lb.Promise, method)), method


def test_handles_have_ref_and_unref():
    def main():
        timer = lb.setTimeout(lambda: None, 1)
        immediate = lb.setImmediate(lambda: None)
        interval = lb.setInterval(lambda: None, 1)
        for handle in (timer, immediate, interval):
            assert handle.unref() is handle and handle.ref() is handle
        lb.clearInterval(interval)
    lb.run(main)
