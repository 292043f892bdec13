"""Port of juggler 3.36.1's test/date-string.test.js (issue 18).

juggler tests its ``DateString`` class (lib/date-string.js, the
``'DateString'`` property type) directly, with no data source; the cases
import it as ``loopback_compat.types.DateString``, beside the other property
types.

Spellings: ``new Date(val)`` is the datetime juggler's Date holds (the
zone-less strings read as UTC, the suite's time zone), compared for equality
where juggler compares ``toString()``s; ``util.inspect(date)`` is ``repr``;
``fn.should.throw(msg)`` is ``pytest.raises`` with that message.
"""

import datetime
import json

import pytest

UTC = datetime.timezone.utc

#: new Date(val) for the inputs below (TZ=UTC), as juggler 3.36.1 on Node 20 gives them
JS_DATES = {
    '2015-01-01': datetime.datetime(2015, 1, 1, tzinfo=UTC),
    '2016-01-01': datetime.datetime(2016, 1, 1, tzinfo=UTC),
    '2015-01-01 02:00:00': datetime.datetime(2015, 1, 1, 2, tzinfo=UTC),
    '2015-06-30T20:00:00.000Z': datetime.datetime(2015, 6, 30, 20, tzinfo=UTC),
    '2015-01-01 20:00:00 GMT-5': datetime.datetime(2015, 1, 2, 1, tzinfo=UTC),
}


def DateString(value):
    """``new DateString(value)``."""
    from loopback_compat.types import DateString as date_string_class
    return date_string_class(value)


def test_date_string__constructor__should_support_a_valid_date_string():
    the_date = '2015-01-01'
    date = DateString(the_date)
    assert date is not None
    assert date.when == the_date
    assert str(date) == the_date


def check_valid_input(val):
    the_date = DateString(val)
    assert the_date.when == val
    d = JS_DATES[val]
    assert the_date._date == d


def check_invalid_input(val, err):
    with pytest.raises(Exception) as info:
        DateString(val)
    assert getattr(info.value, 'message', str(info.value)) == err


def test_date_string__constructor__should_allow_date_with_time():
    check_valid_input('2015-01-01 02:00:00')


def test_date_string__constructor__should_allow_full_utc_datetime():
    check_valid_input('2015-06-30T20:00:00.000Z')


def test_date_string__constructor__should_allow_date_with_utc_offset():
    check_valid_input('2015-01-01 20:00:00 GMT-5')


def test_date_string__constructor__should_throw_on_non_date_string():
    check_invalid_input('notadate', 'Invalid date')


def test_date_string__constructor__should_throw_on_incorrect_date_like_value():
    check_invalid_input('2015-01-01 25:00:00', 'Invalid date')


def test_date_string__constructor__should_throw_on_non_string_input():
    check_invalid_input(20150101, 'Input must be a string')


def test_date_string__constructor__should_throw_on_null_input():
    check_invalid_input(None, 'Input must be a string')


def test_date_string__constructor__should_update_internal_date_on_set():
    date = DateString('2015-01-01')
    date.when = '2016-01-01'
    assert date.when == '2016-01-01'
    d = JS_DATES['2016-01-01']
    # The internal date representation should also be updated!
    assert date._date == d


def test_date_string__constructor__should_accept_date_string_instance():
    input_ = DateString('2015-01-01')
    inst = DateString(input_)
    assert str(inst) == '2015-01-01'


def test_date_string__constructor__should_return_custom_inspect_output():
    date = DateString('2015-01-01')
    result = repr(date)
    assert result is not None
    assert result == 'DateString ' + repr({
        'when': date.when,
        '_date': date._date,
    })


def test_date_string__constructor__should_return_json_output():
    date = DateString('2015-01-01')
    result = date.toJSON()
    assert result == json.dumps({'when': date.when}, separators=(',', ':'))
