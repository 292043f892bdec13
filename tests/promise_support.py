"""Promise helpers shared by the tests (use them inside ``lb.run``)."""

import loopback_compat as lb
from loopback_compat.promise import Promise


def rejection(promise):
    """The error ``promise`` rejects with; fails the test when it resolves."""
    try:
        value = lb.await_(promise)
    except Exception as err:  # noqa: BLE001 - the rejection reason is the result
        return err
    raise AssertionError('promise resolved with %r instead of rejecting' % (value,))


def sleep(ms):
    """A promise that resolves after ``ms`` milliseconds of loop time."""
    return Promise(lambda resolve, reject: lb.setTimeout(resolve, ms))
