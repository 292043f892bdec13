"""The connector contract: what the data layer calls on a connector, and what
a connector declares it can do.

# LoopBack: loopback-connector's lib/connector.js (Connector), and the checks
#           juggler's lib/dao.js, lib/datasource.js and loopback-connector's
#           lib/transaction.js make on a connector

Every built-in connector is a :class:`Connector`: memory (connectors/memory/),
SQLite and PostgreSQL (connectors/sql/).  A new one (MySQL) subclasses it (or
:class:`~loopback_compat.connectors.sql.SqlConnector`, which implements the
whole contract over a SQL dialect), registers itself with
``lb.register_connector(name, cls)``, and is then ``lb.DataSource(name, ...)``.

Who calls what
==============
* the DAO (dao): every CRUD method below, with the model's name;
* relations and include: nothing directly -- they go through the DAO
  (``find``, ``findOrCreate``, ``destroy``...), so the contract below is all
  they rely on (hasOne ``create`` relies on ``atomicFindOrCreate``);
* the data source (datasource.py): ``define``, ``defineProperty``,
  ``getDefaultIdType``, ``connect``, ``disconnect`` and the optional
  operations (migration, ``isActual``, ``ping``, ``execute``, discovery);
* transactions (transaction.py): ``beginTransaction``, ``commit``, ``rollback``.

Conventions
===========
* ``model`` is the model's *name* (str); the class is in the definition
  ``define`` was given.
* ``options`` is a dict (possibly ``{'transaction': tx}``: run on
  ``tx.connection``); a connector passes it through and may ignore it.
* ``cb`` is an error-first callback, ``cb(err, *results)``, with ``err`` None
  on success.  It is **never called synchronously**: schedule it with
  ``lb.nextTick`` or post it from a worker thread to the loop (workers.py).
  A callback is called exactly once.
* Data given to a connector is sanitised and coerced by the DAO: plain dicts
  of property values (dates as ``datetime``); where clauses coerced to the
  property types; filters normalised by ``filters.normalize_filter`` (where,
  order as a list, limit, skip/offset, fields).  ``include`` is the DAO's job.
* Data handed back is plain dicts the connector does not keep a reference to
  (the caller may mutate them).
* Errors are LoopBackErrors (errors.py) with juggler's texts and status codes:
  duplicate id -> 409 ``Duplicate entry for <Model>.<idName>``; missing row
  on ``updateAttributes`` -> 404 ``Could not update attributes. Object with id
  <id> does not exist!``; on ``replaceById`` -> 404 ``Could not replace.
  Object with id <id> does not exist!``; an invalid query -> 400.  A storage
  fault is the connector's own error (the SQL connectors' are documented in
  their modules: 503 DB_UNAVAILABLE, WRITE_OUTCOME_UNKNOWN, QUERY_TIMEOUT).

Required methods and optional operations
========================================
The methods of :class:`Connector` are required: the data layer calls them
unconditionally.  The defaults here call back with juggler's error for a
connector that lacks them (``create() must be implemented by the connector``,
juggler's assertion; ``The connector X does not support replaceById
operation...`` for replaceById), except the set-up hooks, which do nothing.

Optional operations (:class:`OptionalOperations`) are *not* defined here: a
connector has one exactly when it implements its method(s) -- juggler's rule
(``if (connector.upsertWithWhere)``), so ``hasattr`` keeps answering as it
does for juggler's connectors.  Without one, the caller does what juggler
does:

    =========================  ==============================================
    capability                 caller without it
    =========================  ==============================================
    upsertWithWhere            DAO: juggler's find, then create/updateAttributes
    automigrate, autoupdate    ds.automigrate/autoupdate: nothing to do
    isActual                   ds.isActual: True
    ping                       ds.ping: discoverModelProperties('dummy'), else
                               'Not connected' unless connected
    execute                    ds.execute: NOT_IMPLEMENTED error
    discoverModelDefinitions,  ds.discover...: no answer (discoverSchemas:
    discoverModelProperties,   the generic discovery over the other three)
    discoverPrimaryKeys,
    discoverForeignKeys,
    discoverSchemas
    transactions               Model.beginTransaction: 'beginTransaction must
      (beginTransaction,       be function implemented by the connector'
       commit, rollback)       (ERR_ASSERTION)
    =========================  ==============================================

Declared properties (flags), False unless a connector sets them:

* ``handsOutCopies``: the rows ``all``/``findOrCreate`` call back with are
  made for that call, so the DAO keeps them as instance data without copying.
* ``atomicFindOrCreate``: ``findOrCreate`` looks up and inserts with no other
  write in between, even for concurrent calls in this process: hasOne
  ``create`` then needs no chain of its own (relations/creation.py).
* ``relational``: a relational database (``ds.isRelational()``; models get
  juggler's relational ``strict`` default).

``Connector.capabilities`` is the frozenset of the optional operations a
class implements and the flags it sets; callers test membership
(``'upsertWithWhere' in connector.capabilities``) or read the flag attribute.
It is computed when the class is created (:meth:`Connector.__init_subclass__`):
a class may state ``capabilities = frozenset({...})`` -- each stated operation
must then be implemented (TypeError otherwise) and each stated flag is set --
and an optional method a subclass adds counts without being stated.
Setting (or deleting) an optional method or a flag on an instance updates
that instance's ``capabilities``, as juggler's tests expect when they give a
connector object a ``ping`` or switch its ``upsertWithWhere`` off
(``ds.connector.upsertWithWhere = None``: the DAO then takes juggler's
generic path).

A connector object that is not a :class:`Connector` (duck-typed, as juggler
accepts) is given ``capabilities`` and the missing flags by the data source
(:func:`adopt`), from the methods it has then.
"""

import datetime as _dt

import types

from ..errors import AssertionError_, LoopBackError
from ..js.values import UNDEFINED
from ..loop import nextTick
from ..observer import ConnectorObservers
from ..types import to_iso

#: optional operation -> the methods that implement it
OPTIONAL_OPERATIONS = {
    'upsertWithWhere': ('upsertWithWhere',),
    'automigrate': ('automigrate',),
    'autoupdate': ('autoupdate',),
    'isActual': ('isActual',),
    'ping': ('ping',),
    'execute': ('execute',),
    'discoverModelDefinitions': ('discoverModelDefinitions',),
    'discoverModelProperties': ('discoverModelProperties',),
    'discoverPrimaryKeys': ('discoverPrimaryKeys',),
    'discoverForeignKeys': ('discoverForeignKeys',),
    'discoverSchemas': ('discoverSchemas',),
    'transactions': ('beginTransaction', 'commit', 'rollback'),
    'buildNearFilter': ('buildNearFilter',),
}

#: declared properties of a connector (boolean class attributes)
FLAGS = ('handsOutCopies', 'atomicFindOrCreate', 'relational')

#: every name ``capabilities`` may hold
CAPABILITIES = frozenset(OPTIONAL_OPERATIONS) | frozenset(FLAGS)

# attributes whose setting on an instance changes its capabilities
_CAPABILITY_ATTRIBUTES = frozenset(
    name for methods in OPTIONAL_OPERATIONS.values() for name in methods) | frozenset(FLAGS)

#: the required methods the DAO calls (the contract test checks their signatures)
CRUD_METHODS = ('create', 'save', 'find', 'exists', 'all', 'count', 'update', 'updateAll',
                'updateAttributes', 'replaceById', 'updateOrCreate', 'replaceOrCreate',
                'findOrCreate', 'destroy', 'destroyAll')

#: the required set-up methods the data source calls
SETUP_METHODS = ('connect', 'disconnect', 'define', 'defineProperty', 'getDefaultIdType',
                 'getTypes')


def _implements(obj, operation):
    return all(callable(getattr(obj, name, None)) for name in OPTIONAL_OPERATIONS[operation])


def capabilities_of(obj):
    """The capabilities ``obj`` (a connector class or instance) has by its
    attributes: the optional operations it implements and the flags it sets."""
    found = {op for op in OPTIONAL_OPERATIONS if _implements(obj, op)}
    found.update(flag for flag in FLAGS if getattr(obj, flag, False))
    return frozenset(found)


def adopt(connector):
    """Give a connector that is not a :class:`Connector` what callers read:
    ``capabilities`` (from its methods), the flags it lacks (False) and the
    observer methods it lacks (juggler mixes ObserverMixin into every
    connector object)."""
    if isinstance(connector, Connector):
        return connector
    for flag in FLAGS:
        if not hasattr(connector, flag):
            setattr(connector, flag, False)
    for name in _OBSERVER_METHODS:
        if not hasattr(connector, name):
            try:
                setattr(connector, name, types.MethodType(getattr(ConnectorObservers, name),
                                                          connector))
            except (AttributeError, TypeError):
                break       # an object that takes no attributes: no observers
    connector.capabilities = capabilities_of(connector)
    return connector


_OBSERVER_METHODS = ('_connector_observers', 'observe', 'removeObserver', 'clearObservers',
                     'notifyObserversOf', 'notifyObserversAround')


def json_default(value):
    """``json.dumps`` fallback for stored data: dates as ISO text (as
    JavaScript's JSON.stringify writes them), bytes as lists of numbers, model
    instances as their data (``toObject(False)``), ``undefined`` as null."""
    if isinstance(value, _dt.datetime):
        return to_iso(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if hasattr(value, '_initProperties'):
        # a model instance (an embedded model's): all its data, hidden
        # properties included (its toJSON would drop them from storage)
        return value.toObject(False)
    if hasattr(value, 'toJSON'):
        return value.toJSON()
    if value is UNDEFINED:
        return None
    raise TypeError('%r is not JSON serializable' % (value,))


def _must_implement(method, cb):
    # juggler asserts these on the connector; delivered through the callback
    # here (juggler throws synchronously).
    nextTick(cb, AssertionError_('%s() must be implemented by the connector' % method,
                                 code='ERR_ASSERTION'))


class Connector(ConnectorObservers):
    """The base class of connectors: the required methods, with defaults.

    # LoopBack: loopback-connector's Connector (util.inherits(Memory, Connector))

    Every connector object also has juggler's observer methods
    (:class:`~loopback_compat.observer.ConnectorObservers`: ``observe``,
    ``notifyObserversOf``, ``notifyObserversAround``...), with observers of
    its own: ``connector.observe('before execute', fn(ctx, next))``.

    Constructed as ``cls(settings, data_source)`` by the data source, with
    the data source's settings (``settings['connector']`` is the name it was
    asked for).  Attributes: ``name`` (the connector's name, e.g. 'memory';
    the data source's name when it has none), ``settings`` (a dict),
    ``dataSource``, ``capabilities`` and the flags (see the module docstring).
    """

    name = None
    capabilities = frozenset()
    handsOutCopies = False
    atomicFindOrCreate = False
    relational = False

    def __init__(self, settings=None, data_source=None):
        self.settings = dict(settings or {})
        self.dataSource = data_source

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        stated = cls.__dict__.get('capabilities')
        if stated is not None:
            unknown = set(stated) - CAPABILITIES
            if unknown:
                raise TypeError('%s.capabilities: unknown %s (known: %s)' % (
                    cls.__name__, ', '.join(sorted(unknown)), ', '.join(sorted(CAPABILITIES))))
            for op in sorted(set(stated) & set(OPTIONAL_OPERATIONS)):
                if not _implements(cls, op):
                    raise TypeError('%s declares %r but does not implement %s' % (
                        cls.__name__, op, ', '.join(OPTIONAL_OPERATIONS[op])))
            for flag in FLAGS:
                if flag in stated:
                    if cls.__dict__.get(flag, True) is False:
                        raise TypeError('%s declares %r and sets %s = False'
                                        % (cls.__name__, flag, flag))
                    setattr(cls, flag, True)
        cls.capabilities = capabilities_of(cls)

    def __setattr__(self, name, value):
        # juggler's tests switch a connector's methods on and off per object
        # (``ds.connector.ping = fn``, ``ds.connector.upsertWithWhere = false``):
        # the object's capabilities follow.  Nothing sets these on a hot path.
        object.__setattr__(self, name, value)
        if name in _CAPABILITY_ATTRIBUTES:
            object.__setattr__(self, 'capabilities', capabilities_of(self))

    def __delattr__(self, name):
        object.__delattr__(self, name)
        if name in _CAPABILITY_ATTRIBUTES:
            object.__setattr__(self, 'capabilities', capabilities_of(self))

    # -- set-up (the data source calls these) ------------------------------

    def connect(self, cb=None):
        """Open the storage: ``cb(err)``.  Default: nothing to open."""
        if cb:
            nextTick(cb, None)

    def disconnect(self, cb=None):
        """Close connections and release resources: ``cb(err)``.  Default:
        nothing to close.  Operations after it may reconnect."""
        if cb:
            nextTick(cb, None)

    def define(self, definition):
        """A model was attached: ``definition = {'model': cls, 'properties':
        dict, 'settings': dict}`` (synchronous; create nothing yet -- storage
        is made by ``automigrate``/``autoupdate``, or lazily)."""

    def defineProperty(self, model, name, spec):
        """Property ``name`` (``spec``: its definition dict) was added to
        ``model`` (a name) after ``define``: forget what was cached about it."""

    def getDefaultIdType(self):
        """The LoopBack type name of generated ids ('number' for memory and SQL).

        # LoopBack: Connector.prototype.getDefaultIdType (String)
        """
        return 'string'

    def getTypes(self):
        """# LoopBack: Connector.prototype.getTypes -- e.g. ['db', 'rdbms', 'sql']"""
        return ['db', 'nosql']

    # -- CRUD (the DAO calls these) ----------------------------------------

    def create(self, model, data, options, cb):
        """Insert ``data``, generating the id when it has none: ``cb(err, id)``.

        ``data`` carries the id afterwards (the connector sets it in the dict
        it was given).  An id already stored is 409 ``Duplicate entry for
        <Model>.<idName>``.
        """
        _must_implement('create', cb)

    def save(self, model, data, options, cb):
        """Merge ``data`` into the row with ``data``'s id, inserting when there
        is none: ``cb(err, row, {'isNewInstance': bool})``."""
        _must_implement('save', cb)

    def find(self, model, id_value, options, cb):
        """The row with id ``id_value``: ``cb(err, row or None)``."""
        _must_implement('find', cb)

    def exists(self, model, id_value, options, cb):
        """``cb(err, bool)``: whether a row has id ``id_value``."""
        _must_implement('exists', cb)

    def all(self, model, flt, options, cb):
        """The rows a normalised filter selects: ``cb(err, [row, ...])``.

        ``flt`` has ``where``, ``order`` (default: by id ascending),
        ``skip``/``offset``, ``limit`` and ``fields`` (only those properties
        in each row).  With ``handsOutCopies`` the rows are fresh for this
        call.
        """
        _must_implement('all', cb)

    def count(self, model, where, options, cb):
        """``cb(err, n)``: how many rows match ``where`` (None: all)."""
        _must_implement('count', cb)

    def updateAll(self, model, where, data, options, cb):
        """Set ``data``'s properties on every row matching ``where`` (ids are
        never changed): ``cb(err, {'count': n})``."""
        _must_implement('update', cb)

    def update(self, model, where, data, options, cb):
        """The name the DAO calls ``updateAll`` by (juggler's
        ``connector.update``); connectors make it an alias of theirs."""
        self.updateAll(model, where, data, options, cb)

    def updateAttributes(self, model, id_value, data, options, cb):
        """Merge ``data`` into the row with id ``id_value``: ``cb(err, row)``;
        404 ``Could not update attributes. Object with id <id> does not
        exist!`` when there is none."""
        _must_implement('updateAttributes', cb)

    def replaceById(self, model, id_value, data, options, cb):
        """Replace the row with id ``id_value`` by ``data`` (properties not in
        ``data`` are gone): ``cb(err, row)``; 404 ``Could not replace. Object
        with id <id> does not exist!`` when there is none."""
        nextTick(cb, LoopBackError(
            'The connector %s does not support replaceById operation. This is not a bug in '
            'LoopBack. Please contact the authors of the connector, preferably via GitHub '
            'issues.' % self.name))

    def updateOrCreate(self, model, data, options, cb):
        """Merge ``data`` into the row with ``data``'s id, or insert it:
        ``cb(err, row, {'isNewInstance': bool})``, atomically."""
        _must_implement('updateOrCreate', cb)

    def replaceOrCreate(self, model, data, options, cb):
        """Replace the row with ``data``'s id by ``data``, or insert it:
        ``cb(err, row, {'isNewInstance': bool})``, atomically."""
        _must_implement('replaceOrCreate', cb)

    def findOrCreate(self, model, flt, data, options, cb):
        """The first row ``flt`` selects, else ``data`` inserted:
        ``cb(err, row, created)``.  Atomic: two calls for one query never
        both create (the memory connector in one synchronous step, the SQL
        connectors under a lock on the query); ``atomicFindOrCreate`` says
        so for concurrent calls within this process."""
        _must_implement('findOrCreate', cb)

    def destroy(self, model, id_value, options, cb):
        """Delete the row with id ``id_value``: ``cb(err, {'count': 0 or 1})``."""
        _must_implement('destroy', cb)

    def destroyAll(self, model, where, options, cb):
        """Delete every row matching ``where`` (None: all): ``cb(err, {'count': n})``."""
        _must_implement('destroyAll', cb)


class OptionalOperations:
    """The optional operations' signatures and contracts.

    Documentation, and the reference of the contract test: never a base
    class.  A connector has one of these exactly when it implements it (see
    the module docstring for what callers do without it).
    """

    def upsertWithWhere(self, model, where, data, options, cb):
        """Update the one row matching ``where`` with ``data``, or insert
        ``data`` when none does: ``cb(err, row, {'isNewInstance': bool})``;
        400 ``There are multiple instances found.Upsert Operation will not be
        performed!`` when several match."""

    def automigrate(self, models=None, cb=None):
        """(Re)create the storage of ``models`` (names; None: all attached),
        dropping their data: ``cb(err)``.  A name not attached is the error
        ``Cannot migrate models not attached to this datasource: <names>``."""

    def autoupdate(self, models=None, cb=None):
        """Create missing storage and bring existing storage up to date,
        keeping the data: ``cb(err)``."""

    def isActual(self, models=None, cb=None):
        """``cb(err, bool)``: True when ``autoupdate`` would change nothing."""

    def ping(self, cb=None):
        """``cb(err)`` once the storage answers."""

    def execute(self, sql, params=None, options=None, cb=None):
        """Run a native command with bound parameters: ``cb(err, result)``
        (the SQL connectors: rows as lists, or ``{'count': n}``)."""

    def discoverModelDefinitions(self, options=None, cb=None):
        """``cb(err, [{'type': 'table'|'view', 'name', 'owner'}])``."""

    def discoverModelProperties(self, table_name, options=None, cb=None):
        """``cb(err, [{owner, tableName, columnName, dataType, dataLength,
        dataPrecision, dataScale, nullable, type}])``."""

    def discoverPrimaryKeys(self, table_name, options=None, cb=None):
        """``cb(err, [{owner, tableName, columnName, keySeq, pkName}])``."""

    def discoverForeignKeys(self, table_name, options=None, cb=None):
        """``cb(err, [{fkOwner, fkName, fkTableName, fkColumnName, keySeq,
        pkOwner, pkName, pkTableName, pkColumnName}])``."""

    def discoverSchemas(self, table_name, options=None, cb=None):
        """``cb(err, {'owner.table': model definition})`` (replaces the data
        source's generic discovery over the three above)."""

    def beginTransaction(self, isolation_level, cb):
        """Start a transaction: ``cb(err, connection)``; ``isolation_level``
        is one of transaction.Transaction's levels.  Every operation whose
        options carry ``{'transaction': tx}`` then runs on
        ``tx.connection``."""

    def commit(self, connection, cb):
        """Commit the transaction ``beginTransaction`` opened: ``cb(err)``."""

    def rollback(self, connection, cb):
        """Roll it back: ``cb(err)`` (a connection already gone is rolled back)."""

    def buildNearFilter(self, filter, near):
        """Take the ``near`` clauses of a find (``geo.nearFilter(where)``) into
        the query the connector runs, before the 'access' hook (juggler's
        memory connector does nothing here: its ``all`` applies them).  A
        connector without it gets juggler's generic path: the DAO reads every
        row and filters them in memory (dao/near.py)."""
