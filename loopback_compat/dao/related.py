"""The DAO's entry points for the relations package.

A relation method calls the target model's findOne / findOrCreate /
updateAttributes / destroy.  Through the public method each nested call
would add a loop turn before its callback (the public methods never call
back synchronously); juggler calls back in the same turn as the
connector.  These go straight to the method's work, unless the model
overrides (or a test patches) the public method, or the options are not a
dict (the public method reports that): then the public method is called,
so an override always sees the relation's call.
"""

from .. import filters
from ..errors import LoopBackError
from .delete import DeleteMixin, destroy_instance
from .find import FindMixin
from .helpers import is_object
from .update import UpdateAttributes, UpdateMixin
from .upsert import UpsertMixin, find_or_create


class RelatedMixin:
    """``_related_find_one``, ``_related_find_or_create``, ``_related_update``,
    ``_related_destroy`` and ``_find_or_create_is_atomic``."""

    @classmethod
    def _related_find_one(cls, query, options, cb):
        """``cls.findOne(query, options, cb)`` for a relation lookup.

        ``query`` is a dict the relation built for this call (its scope
        deep-copied in), so it is used as it is rather than copied again.
        """
        if type(options) is not dict or not _own_method(cls, 'findOne'):
            return cls.findOne(query, options, cb)
        if type(query) is not dict:
            try:
                query = filters.parse_filter(query)
            except LoopBackError as err:
                return cb(err)
        cls._find_one(query, options, cb)

    @classmethod
    def _find_or_create_is_atomic(cls):
        """Whether ``findOrCreate`` is the DAO's own, on a connector that declares
        its findOrCreate atomic (``atomicFindOrCreate``): then two of them for
        one query can never both create."""
        ds = cls.dataSource
        return ds is not None and ds.connector.atomicFindOrCreate and \
            _own_method(cls, 'findOrCreate')

    @classmethod
    def _related_find_or_create(cls, query, data, options, cb):
        """``cls.findOrCreate(query, data, options, cb)`` for hasOne create."""
        if type(options) is not dict or not _own_method(cls, 'findOrCreate'):
            return cls.findOrCreate(query, data, options, cb)
        find_or_create(cls, query, data, options, cb, fresh=True)

    def _related_update(self, data, options, cb):
        """``self.updateAttributes(data, options, cb)`` for a relation update."""
        # The model's own updateAttributes, asked of the class (no bound
        # method is made): an instance cannot hide it, ModelBase.__setattr__
        # keeps ``inst.updateAttributes = fn`` in __data, as a JS own property.
        if type(options) is not dict or not is_object(data) or \
                type(self).updateAttributes is not _DAO_UPDATE_ATTRIBUTES:
            return self.updateAttributes(data, options, cb)
        UpdateAttributes(self, data, options, cb)

    def _related_destroy(self, options, cb):
        """``self.destroy(options, cb)`` for a relation destroy.  ``cb`` takes
        ``(err, info, *more)``: it may be given the connector's answer as it
        is, extra results included (it drops them, as destroy would)."""
        if type(options) is not dict or type(self).destroy is not _DAO_DESTROY:
            return self.destroy(options, cb)   # overridden (see _related_update)
        destroy_instance(self, options, cb, False)


def _own_method(target, name):
    """True while ``target.<name>`` is DataAccessObject's own method."""
    return getattr(getattr(target, name, None), '__func__', None) is _DAO_FUNCTIONS.get(name)


_DAO_FUNCTIONS = {
    'findOne': FindMixin.__dict__['findOne'].__func__,
    'findOrCreate': UpsertMixin.__dict__['findOrCreate'].__func__,
    'updateAttributes': UpdateMixin.__dict__['updateAttributes'],
    'destroy': DeleteMixin.__dict__['destroy'],
}
_DAO_UPDATE_ATTRIBUTES = _DAO_FUNCTIONS['updateAttributes']
_DAO_DESTROY = _DAO_FUNCTIONS['destroy']
