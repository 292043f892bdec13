"""LoopBack-shaped errors, and every exception and warning of the package.

LoopBack errors are plain JavaScript ``Error`` objects with extra fields:
``statusCode`` (HTTP status, used by strong-error-handler), ``code`` (a
machine-readable string such as ``MODEL_NOT_FOUND``) and, for validation
failures, ``details``.  Here they are exceptions carrying the same fields as
attributes, so ported code can test ``err.statusCode`` or ``err.message``
exactly as it did in Node.

Every exception and warning class the package raises is defined here (and
re-exported at the package root); the modules that raise them import them
from here, and their old homes (``loopback_compat.promise.CallbackCalledTwice``
...) still resolve.  This module imports nothing from the package, so any
module may import it.  The hierarchy::

    Exception
    ├── LoopBackError ............ an Error with statusCode, code, details; toJSON()
    │   ├── TypeError_ ........... JavaScript's TypeError (a callback that is not a function...)
    │   ├── AssertionError_ ...... Node's AssertionError, as juggler's ``assert`` throws it
    │   ├── ValidationError ...... 422; details = {context, codes, messages}
    │   ├── PKMissingError ....... an operation needs the id of a model that has none
    │   ├── AggregateError ....... Promise.any: every promise rejected (``.errors``)
    │   ├── CallbackCalledTwice .. a completion callback was called a second time
    │   ├── JSONSyntaxError ...... JSON.parse failed (a 400 'SyntaxError' over REST)
    │   └── PayloadTooLargeError . a request body over the parser's limit (413)
    ├── RejectedValue ............ await_ of a promise rejected with a non-exception
    ├── UnhandledPromiseRejection  the loop stopped: a non-exception rejection nobody handled
    └── RuntimeError
        ├── NotInFiberError ...... await_ outside a fiber
        └── LoopError ............ the event loop misused (re-entered, foreign thread...)

    Warning
    └── UserWarning
        ├── ModelRedefinedWarning .. a model name defined twice on one data source
        ├── RelationNameWarning .... a relation named like a property of its model
        └── UnknownOperatorWarning . a where clause used an operator LoopBack does not know

The helpers at the end (``http_error``, ``not_found``, ``bad_request``,
``json_too_deep``) build the usual juggler errors.
"""

__all__ = [
    'AggregateError',
    'AssertionError_',
    'CallbackCalledTwice',
    'JSONSyntaxError',
    'LoopBackError',
    'LoopError',
    'ModelRedefinedWarning',
    'NotInFiberError',
    'PKMissingError',
    'PayloadTooLargeError',
    'RejectedValue',
    'RelationNameWarning',
    'TypeError_',
    'UnhandledPromiseRejection',
    'UnknownOperatorWarning',
    'ValidationError',
    'bad_request',
    'http_error',
    'json_too_deep',
    'not_found',
]


class LoopBackError(Exception):
    """An ``Error`` with LoopBack's optional fields.

    # LoopBack: var err = new Error(msg); err.statusCode = 404; err.code = 'X'

    ``statusCode`` and ``code`` are ``None`` when juggler leaves them
    undefined (such errors become HTTP 500 over REST).
    """

    name = 'Error'

    def __init__(self, message='', statusCode=None, code=None, details=None, **extra):
        super().__init__(message)
        self.message = message
        self.statusCode = statusCode
        self.code = code
        if details is not None:
            self.details = details
        for key, value in extra.items():
            setattr(self, key, value)

    @property
    def status(self):
        """Alias of statusCode, as LoopBack sets both on some errors.

        Set explicitly (``LoopBackError(msg, statusCode=404, status=404)``,
        LoopBack's ``err.statusCode = err.status = 404``) it becomes one of
        the error's own fields, which strong-error-handler's debug mode lists.
        """
        return self.__dict__.get('status', self.statusCode)

    @status.setter
    def status(self, value):
        self.__dict__['status'] = value

    def __str__(self):
        return self.message

    def toJSON(self):
        """The error's enumerable fields, as strong-error-handler would list them."""
        out = {'name': self.name, 'message': self.message}
        if self.statusCode is not None:
            out['statusCode'] = self.statusCode
        if self.code is not None:
            out['code'] = self.code
        if getattr(self, 'details', None) is not None:
            out['details'] = self.details
        return out


class TypeError_(LoopBackError):
    """JavaScript's TypeError (e.g. a callback that is not a function)."""

    name = 'TypeError'


class AssertionError_(LoopBackError):
    """Node's AssertionError, as juggler's ``assert`` throws it."""

    name = 'AssertionError'


class ValidationError(LoopBackError):
    """A failed validation: statusCode 422, ``details = {context, codes, messages}``.

    # LoopBack: new ValidationError(instance)

    Two spellings:

    * ``ValidationError(inst)``, juggler's: built from an invalid instance
      (anything with ``errors`` and ``toJSON()``), the message in juggler's
      shape: ``The `Model` instance is not valid. Details: `prop` can't be
      blank (value: undefined).``, ``details`` from ``inst.errors``;
    * ``ValidationError(message, details)``: a message formatted already and
      its details dict (a message alone gets empty details).

    Building from an instance is the validations package's job
    (validations/messages.py registers it as ``_describe``), so this module
    keeps importing nothing from the package.
    """

    name = 'ValidationError'

    #: ``fn(inst) -> (message, details)``, set by loopback_compat.validations
    _describe = None

    def __init__(self, message, details=None, **extra):
        if details is None:
            if isinstance(message, str):
                details = {'context': None, 'codes': None, 'messages': None}
            else:
                message, details = type(self)._describe(message)
        super().__init__(message, statusCode=422, code=None, details=details, **extra)


class NotInFiberError(RuntimeError):
    """``await_`` was called outside a fiber, where it cannot suspend anything."""


class LoopError(RuntimeError):
    """The event loop was misused (re-entered, used from a foreign thread...)."""



class PKMissingError(LoopBackError):
    """juggler's PKMissingError (a model without an id property).

    # LoopBack: new PKMissingError(modelName) -- 'Primary key is missing for the X model'
    """

    name = 'PKMissingError'


class AggregateError(LoopBackError):
    """# JS: new AggregateError(errors, 'All promises were rejected')"""

    name = 'AggregateError'

    def __init__(self, errors, message='All promises were rejected'):
        super().__init__(message)
        self.errors = list(errors)


class CallbackCalledTwice(LoopBackError):
    """A connector (or other async code) called a completion callback twice."""

    name = 'Error'


class JSONSyntaxError(LoopBackError):
    """# Node: SyntaxError from JSON.parse (status 400 via body-parser)"""

    name = 'SyntaxError'


class PayloadTooLargeError(LoopBackError):
    """# Node: body-parser's 413 'request entity too large' (type 'entity.too.large')"""

    name = 'PayloadTooLargeError'


class RejectedValue(Exception):
    """Raised by ``await_`` when a promise was rejected with a non-exception value."""

    def __init__(self, value):
        super().__init__('Promise rejected with %r' % (value,))
        self.value = value


class UnhandledPromiseRejection(Exception):
    """A promise was rejected with a non-exception reason and nobody handled it.

    # Node: [UnhandledPromiseRejection ...] code ERR_UNHANDLED_REJECTION
    """

    code = 'ERR_UNHANDLED_REJECTION'

    def __init__(self, reason):
        self.reason = reason
        self.message = (
            'This error originated either by throwing inside of an async function '
            'without a catch block, or by rejecting a promise which was not handled '
            'with .catch(). The promise rejected with the reason "%s".' % (reason,))
        super().__init__(self.message)


class ModelRedefinedWarning(UserWarning):
    """A model name was defined a second time on one data source."""


class RelationNameWarning(UserWarning):
    """A relation was named like a property of its model."""


class UnknownOperatorWarning(UserWarning):
    """A where clause used an operator LoopBack does not know."""


def http_error(status, message, code=None, **extra):
    """A LoopBackError with ``statusCode`` set, the usual juggler idiom."""
    return LoopBackError(message, statusCode=status, code=code, **extra)


def not_found(message, code='MODEL_NOT_FOUND'):
    """A 404 error as LoopBack raises for missing models."""
    return LoopBackError(message, statusCode=404, code=code)


def bad_request(message, code=None):
    """A 400 error (malformed filter, invalid key...)."""
    return LoopBackError(message, statusCode=400, code=code)


def json_too_deep():
    """A 400 for JSON nested past what the parser can hold (Python's recursion
    limit, ~1,000 levels: far past LB3's maxDepthOfQuery 12 and maxDepthOfData 32)."""
    return LoopBackError('JSON nested too deeply to parse', statusCode=400, code='JSON_TOO_DEEP')
