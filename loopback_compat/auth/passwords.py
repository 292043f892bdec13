"""Password hashing for the User model: bcrypt, as LB3.

# LoopBack: user.js (User.hashPassword, User.validatePassword,
#           User.prototype.hasPassword; bcrypt or bcryptjs)

Hashes are bcrypt's modular crypt strings, so the ``$2a$`` hashes LB3's
bcryptjs wrote and the ``$2b$`` ones node.bcrypt wrote verify here (a
ported app keeps its users' passwords on the same database), and the
``$2b$`` hashes written here verify in LB3.  The cost is the model's
``saltWorkFactor`` setting (LB3's default 10).

Checking a password runs on the worker pool (bcrypt at cost 10 takes tens of
milliseconds; the loop keeps serving meanwhile), as node.bcrypt's
``compare`` runs on libuv's pool.  Hashing in the ``password`` setter is
synchronous, as LB3's ``hashSync``.
"""

from ..errors import LoopBackError
from ..workers import default_pool

#: bcrypt reads 72 bytes; LB3 refuses longer passwords (MAX_PASSWORD_LENGTH)
MAX_PASSWORD_LENGTH = 72
SALT_WORK_FACTOR = 10


def is_hash(value):
    """True for a bcrypt hash LB3's setter stores as given (``$2a$``/``$2b$``, 60 chars)."""
    return isinstance(value, str) and len(value) == 60 and value[:4] in ('$2a$', '$2b$')


def validate_password(plain):
    """Raise LB3's 422 INVALID_PASSWORD / PASSWORD_TOO_LONG for an unusable password.

    # LoopBack: User.validatePassword(plain)
    """
    if not plain or not isinstance(plain, str):
        raise LoopBackError('Invalid password.', statusCode=422, code='INVALID_PASSWORD')
    length = len(plain.encode('utf-8', 'surrogatepass'))
    if length > MAX_PASSWORD_LENGTH:
        raise LoopBackError('The password entered was too long. Max length is %d (entered %d)'
                            % (MAX_PASSWORD_LENGTH, length),
                            statusCode=422, code='PASSWORD_TOO_LONG')


def hash_password(plain, rounds=None):
    """A bcrypt hash of ``plain`` (validated first).

    # LoopBack: User.hashPassword(plain)
    """
    validate_password(plain)
    bcrypt = _bcrypt()
    salt = bcrypt.gensalt(rounds=int(rounds or SALT_WORK_FACTOR))
    return bcrypt.hashpw(plain.encode('utf-8', 'surrogatepass'), salt).decode('ascii')


def _check(plain, hashed):
    data = plain.encode('utf-8', 'surrogatepass')
    if len(data) > MAX_PASSWORD_LENGTH:
        # Deliberate: bcryptjs compares the first 72 bytes only; a password
        # that long can never have been set (validate_password), so no match.
        return False
    try:
        return _bcrypt().checkpw(data, hashed.encode('ascii'))
    except ValueError:            # not a bcrypt hash: no match
        return False


def check_password(plain, hashed, done):
    """``done(err, matches)`` on the loop: whether ``plain`` matches bcrypt ``hashed``.

    Anything but two strings is ``done(err)`` (bcryptjs' "Illegal arguments"),
    which login reports as LOGIN_FAILED.
    """
    if not isinstance(plain, str) or not isinstance(hashed, str):
        err = LoopBackError('Illegal arguments: %s, %s'
                            % (_js_type(plain), _js_type(hashed)))
        return default_pool().submit(_raise, (err,), done)
    default_pool().submit(_check, (plain, hashed), done)
    return None


def _bcrypt():
    # imported on first use: the package imports (and serves models without
    # users) even where the bcrypt wheel is missing
    import bcrypt
    return bcrypt


def _raise(err):
    raise err


def _js_type(value):
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    if isinstance(value, str):
        return 'string'
    return 'object'            # null, objects and arrays: JavaScript's typeof
