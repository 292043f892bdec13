"""Short unique ids for ``defaultFn: 'shortid'``.

# LoopBack: juggler's defaultFn 'shortid' calls shortid.generate() (the
#           shortid package, 2.2.x, as loopback-datasource-juggler 3.x uses)

An id is 7 to 14 URL-safe characters from ``[0-9a-zA-Z_-]``, as shortid's
are: one random character for each hexadecimal digit of the format version
(7), the worker id (0), the count of ids made in the same second (left out
when 0) and the seconds since shortid's reference time.  As in shortid, the
characters are random (os.urandom), and their number grows with those
values; the length is what the package documents, not its exact seeded
alphabet.
"""

import os
import time

#: shortid's ORIGINAL alphabet (64 characters: a random byte & 63 picks one)
ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-'

#: shortid's REDUCE_TIME (ms since the epoch) and format version
REDUCE_TIME_MS = 1567752802062
VERSION = 7
WORKER = 0

_state = {'seconds': None, 'counter': 0}


def _hex_digits(number):
    """How many hexadecimal digits ``number`` (>= 0) has: shortid's loop
    ``done = number < 16 ** (n + 1)``."""
    digits = 1
    while number >= 16 ** digits:
        digits += 1
    return digits


def _random_chars(count):
    return ''.join(ALPHABET[byte & 63] for byte in os.urandom(count))


def generate():
    """A new short id (``shortid.generate()``)."""
    seconds = int((time.time() * 1000 - REDUCE_TIME_MS) // 1000)
    if seconds == _state['seconds']:
        _state['counter'] += 1
    else:
        _state['seconds'], _state['counter'] = seconds, 0
    counter = _state['counter']
    length = _hex_digits(VERSION) + _hex_digits(WORKER) + _hex_digits(max(seconds, 0))
    if counter > 0:
        length += _hex_digits(counter)
    return _random_chars(length)
