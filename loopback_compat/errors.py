"""LoopBack-shaped errors.

LoopBack errors are plain JavaScript ``Error`` objects with extra fields:
``statusCode`` (HTTP status, used by strong-error-handler), ``code`` (a
machine-readable string such as ``MODEL_NOT_FOUND``) and, for validation
failures, ``details``.  Here they are exceptions carrying the same fields as
attributes, so ported code can test ``err.statusCode`` or ``err.message``
exactly as it did in Node.
"""


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
        """Alias of statusCode, as LoopBack sets both on some errors."""
        return self.statusCode

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

    The message has juggler's shape: ``The `Model` instance is not valid.
    Details: `prop` can't be blank (value: undefined).``  Callers that already
    formatted the message pass it in; ``details`` is always a dict.
    """

    name = 'ValidationError'

    def __init__(self, message, details, **extra):
        super().__init__(message, statusCode=422, code=None, details=details, **extra)


class NotInFiberError(RuntimeError):
    """``await_`` was called outside a fiber, where it cannot suspend anything."""


class LoopError(RuntimeError):
    """The event loop was misused (re-entered, used from a foreign thread...)."""


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
