"""PersistedModel's data access methods (statics and prototype).

# LoopBack: lib/dao.js (DataAccessObject) of loopback-datasource-juggler 3.x

Every method takes ``(args..., [options], [cb])``: ``options`` is a dict
(keyword arguments are merged into it), ``cb`` an error-first callback; the
callback may also be given in the place of ``options`` (or of the filter /
data argument where juggler allows that).  Without a callback the method
returns an ``lb.Promise`` of the first result.  Callbacks are never called
synchronously.  Bad arguments or filters are errors delivered through the
callback/promise (400 for malformed filters, as juggler).

Operation hooks are notified in juggler's order with juggler's context
fields (see observer.py); the connector is reached through the interface
documented in connectors/memory.py.

Methods that are both static and prototype in juggler (``remove``) or are
shared by class and instance (``getConnector``) are hybrid: read on the
class they are the static, on an instance the prototype method.

One operation family per module; imports go down the list:

    arguments.py   the one ([options], [cb]) prologue of every public method (``api``)
    helpers.py     ids, juggler's errors, data clean-up, validation settings
    pipeline.py    the write pipeline: access, before save, validate, persist,
                   loaded, after save (``Write``), with the quiet shortcut
    create.py      create
    update.py      save, updateAttributes, replaceById, updateAll
    upsert.py      upsert, upsertWithWhere, replaceOrCreate, findOrCreate
    find.py        find, findOne, findById, findByIds, exists, count, include glue
    delete.py      destroyAll, destroyById, destroy
    related.py     the entry points of the relations package (``_related_*``)
    default_scope.py  the ``scope`` setting merged into queries, its values
                   (and the ``properties`` setting) enforced on data

Differences from juggler: argument errors that juggler throws synchronously
(``assert``) are delivered through the callback/promise as AssertionError_;
``include`` is resolved after the instances are built (juggler's memory
connector resolves it on raw rows first), so the parent's ``loaded`` hooks
run before the related model's ``access`` hook; an unknown relation in
``include`` gives juggler's 'Relation "x" is not defined for Y model' as a
400 (juggler sets no statusCode, so LB3's REST answered 500: a deliberate fix).
"""

from .. import filters
from ..connectors.transaction import begin_transaction
from ..errors import LoopBackError, PKMissingError
from ..filters.coerce import coerce_only
from ..model import hybridmethod
from ..js.values import UNDEFINED as undefined
from . import default_scope
from .arguments import NOARG, options_and_cb
from .create import CreateMixin
from .delete import DeleteMixin
from .find import FindMixin
from .helpers import invalid_id_error
from .related import RelatedMixin
from .update import UpdateMixin
from .upsert import UpsertMixin

__all__ = ['DataAccessObject', 'PKMissingError', 'invalid_id_error']

_NOARG = NOARG   # the name this module's users knew


class DataAccessObject(CreateMixin, FindMixin, UpdateMixin, UpsertMixin, DeleteMixin,
                       RelatedMixin):
    """The persistence methods mixed into PersistedModel classes.

    Expects the model class to provide (ModelBase, ObserverMixin and the
    data source do): ``modelName``, ``definition``, ``settings``,
    ``dataSource``, ``notifyObserversOf`` and, for ``include``,
    ``include(instances, include, options, cb)``.
    """

    # -- connector --------------------------------------------------------

    @hybridmethod
    def getConnector(self_or_cls):
        return self_or_cls.getDataSource().connector

    @classmethod
    def beginTransaction(cls, options=None, cb=None, **kwargs):
        """Start a transaction on the model's connector: ``cb(err, tx)`` or a Promise.

        # LoopBack: Model.beginTransaction(options, cb) (juggler's TransactionMixin)
        ``options``: an isolation level ('READ COMMITTED' by default,
        'READ UNCOMMITTED', 'REPEATABLE READ', 'SERIALIZABLE') or a dict with
        ``isolationLevel`` and ``timeout`` (ms; the transaction rolls back by
        itself when still open then).  Pass ``{'transaction': tx}`` as the
        options of CRUD calls to run them inside; end it with
        ``tx.commit([cb])`` or ``tx.rollback([cb])``.  A connector without
        transactions (memory) gives juggler's error 'beginTransaction must
        be function implemented by the connector'.
        """
        connector = cls.dataSource.connector if cls.dataSource is not None else None
        return begin_transaction(connector, options, cb, **kwargs)

    @classmethod
    def _connector(cls):
        ds = cls.dataSource
        if ds is None:
            raise LoopBackError('Model %s is not attached to a data source' % cls.modelName)
        return ds.connector

    @classmethod
    def _info(cls):
        info = cls.__dict__.get('_filter_info')
        if info is None:
            ds = cls.dataSource
            info = filters.ModelInfo.from_definition(
                cls.definition.properties, cls.definition.idNames(), cls.modelName,
                cls.settings, ds.settings if ds is not None else None)
            cls._filter_info = info
        return info

    @classmethod
    def _getSetting(cls, key, options=None):
        """The method option, else the model setting, else the data source's.

        # LoopBack: Model._getSetting(key, options) (lib/model-utils.js)
        """
        if options and options.get(key, undefined) is not undefined:
            return options[key]
        value = cls.settings.get(key)
        if value is not None:
            return value
        ds = cls.dataSource
        return ds.settings.get(key) if ds is not None else None

    @classmethod
    def _forDB(cls, data):
        return data

    @classmethod
    def _normalize_query(cls, query, options=None):
        query = filters.parse_filter(query)
        return filters.normalize_filter(query, cls._info(), options)

    @classmethod
    def _normalize(cls, filter, options=None):
        """A normalised copy of ``filter`` (limit, skip, order, fields checked,
        where coerced); None for a falsy filter; a malformed one raises its
        400 LoopBackError.

        # LoopBack: Model._normalize(filter, options) (juggler normalises in place)
        """
        if not filters.js_truthy(filter):
            return None
        return filters.normalize_filter(filter, cls._info(), options)

    @classmethod
    def _coerce_where(cls, where, options=None):
        return filters.coerce_where(where, cls._info(), options)

    @classmethod
    def _coerce(cls, where, options=None):
        """A new where, its values coerced to the property types; unlike the
        DAO's own _coerce_where, not sanitised first (an undefined value stays).

        # LoopBack: Model._coerce(where, options) (juggler coerces in place and
        #           returns the where)
        """
        return coerce_only(where, cls._info(), options)

    @classmethod
    def lookupModel(cls, data):
        return cls

    # -- the default scope (dao/default_scope.py) ----------------------------

    @classmethod
    def defaultScope(cls, target=None, inst=None):
        """The ``scope`` setting (a function's answer for ``target``).

        # LoopBack: Model.defaultScope(target, inst)
        """
        return default_scope.default_scope(cls, target, inst)

    @classmethod
    def applyScope(cls, query, inst=None):
        """Merge the default scope into ``query`` (mutated).

        # LoopBack: Model.applyScope(query, inst)
        """
        default_scope.apply_scope(cls, query, inst)

    @classmethod
    def applyProperties(cls, data, inst=None):
        """Write the enforced values (``properties``/``attributes`` setting,
        else the default scope's where values) into ``data`` (mutated).

        # LoopBack: Model.applyProperties(data, inst)
        """
        default_scope.apply_properties(cls, data, inst)

    def reload(self, options=None, cb=None, **kw):
        """The instance as stored now (a new object), or None.

        # LoopBack: inst.reload([cb])
        """
        options, cb = options_and_cb(options, cb, kw)
        return type(self).findById(self.getId(), {}, options, cb)
