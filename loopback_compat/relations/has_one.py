"""hasOne: each source instance owns at most one target instance.

# LoopBack: RelationDefinition.hasOne, HasOne.prototype.* (lib/relation-definition.js)

``Supplier.hasOne(Account)`` keeps the key on the target
(``account.supplierId -> supplier.id``) and gives every supplier an accessor
``supplier.account``:

    supplier.account(cb)            cached lookup (queries when nothing cached)
    supplier.account(True, cb)      always queries (any truthy first argument)
    supplier.account()              the cached value, synchronously (None if none)
    supplier.account(account)       setter: sets account's FK, caches it, no write
    supplier.account.get([options], [cb])        always queries
    supplier.account.build(data)                 a new, unsaved target
    supplier.account.create(data, [options], [cb])
    supplier.account.update(data, [options], [cb])
    supplier.account.destroy([options], [cb])

Differences from juggler, on purpose: callbacks are never called
synchronously (juggler answers cached lookups synchronously); ``destroy``
forgets the cached target (juggler keeps serving the deleted row).
"""

from functools import partial

from ..errors import LoopBackError, TypeError_, bad_request
from ..js.values import truthy
from ..promise import callback_and_promise
from . import cache
from .creation import find_or_create
from .definition import (MISSING, RelationDefinition, camelize, define_foreign_key,
                         define_property, id_name,
                         lookup_model_to, normalize_polymorphic, normalize_relation_as,
                         own_relations)
from .relation import (Relation, install_accessor, is_callback, options_done_promise,
                       split_create_args, split_related_args)


def define_has_one(model_from, model_to_ref, params):
    """Declare ``model_from`` hasOne target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.hasOne(modelFrom, modelToRef, params)

    Defaults: relation name = camelized target model name; key on the source
    (``primaryKey``) = its id; foreign key = camelize(<source name>_id).  The
    foreign key is added to the target (or retyped) with the source key's
    type.  ``polymorphic`` replaces the foreign key with its own and adds
    the discriminator property to the target.
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params)

    pk = params.get('primaryKey') or id_name(model_from) or 'id'
    name = params.get('as') or camelize(model_to.modelName)
    fk = params.get('foreignKey') or camelize(model_from.modelName + '_id')

    polymorphic = None
    if params.get('polymorphic'):
        polymorphic = normalize_polymorphic(params['polymorphic'], name)
        fk = polymorphic['foreignKey']
        if not params.get('through'):
            define_property(model_to, polymorphic['discriminator'],
                            {'type': 'string', 'index': True})

    definition = RelationDefinition(
        name=name, type='hasOne', modelFrom=model_from, keyFrom=pk,
        modelTo=model_to, keyTo=fk, multiple=False,
        properties=params.get('properties'), scope=params.get('scope'),
        options=params.get('options'), polymorphic=polymorphic,
        methods=params.get('methods'), relation_class=HasOne)
    own_relations(model_from)[name] = definition

    define_foreign_key(model_to, fk, model_from, pk)
    install_accessor(model_from, definition, HasOne,
                     helpers=('get', 'create', 'update', 'destroy'))
    return definition


class HasOne(Relation):
    """``supplier.account``: the hasOne relation bound to one supplier."""

    _kind = 'HasOne'

    # -- the accessor itself --------------------------------------------------

    def __call__(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        return self.related(condOrRefresh, options, cb)

    def related(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        """Getter (sync or async) or setter, by argument shape, as juggler.

        # LoopBack: supplier.account([refresh], [options], [cb])

        Returns what juggler returns: the cached value when answering from
        the cache, else the source's key value (the lookup goes on in the
        background); the synchronous getter returns the cache (None when
        nothing is cached).  A filter object as first argument only forces
        a refresh; it is not applied.  A lookup that finds nothing answers
        None and leaves the cache as it was.
        """
        condOrRefresh, new_value, options, cb = split_related_args(condOrRefresh, options, cb)

        if new_value is not MISSING:
            new_value[self.definition.keyTo] = self._pk_value()
            self.resetCache(new_value)
            return None
        if is_callback(cb):
            done, _ = callback_and_promise(cb)
            return self._load(condOrRefresh is not MISSING and truthy(condOrRefresh), options, done)
        if condOrRefresh is MISSING:
            return self.getCache()
        # juggler falls into its setter with nothing to set and throws.
        raise TypeError_("Cannot set properties of undefined (setting '%s')"
                         % self.definition.keyTo)

    def _load(self, refresh, options, done):
        """Deliver the target to ``done(err, target)``; returns juggler's value."""
        name = self.definition.name
        if not refresh and cache.has_cache(self.modelInstance, name):
            cached = cache.get_cache(self.modelInstance, name)
            done(None, cached)
            return cached
        value = self._pk_value()
        query = self._where_for_source(value)
        self.definition.applyScope(self.modelInstance, query)
        model_to = self.definition.modelTo
        model_to._related_find_one(query, options, self._check_found(model_to, done))
        return value

    def _where_for_source(self, value=MISSING):
        """``{where: {fk: source key}}``; an unset key matches anything (juggler
        drops undefined where-values)."""
        if value is MISSING:
            value = self._pk_value()
        where = {} if value is None else {self.definition.keyTo: value}
        return {'where': where}


    def fetch(self, options, done):
        """The target from the cache, else from the database (used by update/destroy)."""
        cached = cache.cached_relations(self.modelInstance)
        name = self.definition.name
        if name in cached:
            return done(None, cached[name])
        self._load(False, options, done)

    # -- methods on the accessor -----------------------------------------------

    def get(self, options=MISSING, cb=MISSING):
        """Always query the database; resolves with the target or None.

        # LoopBack: supplier.account.get([options], [cb])

        As in juggler, ``options`` is accepted but not passed on.
        """
        options, done, promise = options_done_promise(options, cb)
        self._load(True, {}, done)
        return promise

    def build(self, data=None):
        """A new target with the foreign key (and ``properties``) set; not saved.

        # LoopBack: supplier.account.build(data)

        ``data`` is modified in place (the FK overrides a given value) as in
        juggler.  The relation cache is not touched.
        """
        data = {} if data is None else data
        self._set_fk(data)
        self.definition.applyProperties(self.modelInstance, data)
        return self.definition.modelTo(data)

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Create the target unless one exists (within the relation's scope).

        # LoopBack: supplier.account.create(data, [options], [cb])

        ``data`` gets the foreign key and ``properties`` (modified in place,
        as in juggler).  When a target already exists the error is
        ``HasOne relation cannot create more than one instance of <Target>``
        (no statusCode).  Atomic: of concurrent creates for one source, one
        succeeds.  On success the new target is cached.
        """
        data, options, cb = split_create_args(data, options, cb)
        done, promise = callback_and_promise(cb)
        if isinstance(data, (list, tuple, str, int, float, bool)):
            # juggler would store a list's items under keys "0", "1"...; LB3's
            # REST layer answers such a body with 400: refuse it here too.
            done(bad_request('HasOne relation %s expects one object for create, got %s; '
                             'pass a single dict' % (self.definition.name, type(data).__name__)))
            return promise

        value = self._pk_value()
        self._set_fk(data, value)
        query = self._where_for_source(value)
        self.definition.applyScope(self.modelInstance, query)
        self.definition.applyProperties(self.modelInstance, data)
        model_to = self.definition.modelTo

        def created(err=None, target=None, was_created=None):
            if err is not None:
                return done(err)
            if was_created:
                self.resetCache(target)
                return done(None, target)
            done(LoopBackError('HasOne relation cannot create more than one instance of %s'
                               % model_to.modelName))

        find_or_create(model_to, query, data, options, created)
        return promise

    def update(self, data=None, options=MISSING, cb=MISSING):
        """Update the target found through the cache (or a lookup).

        # LoopBack: supplier.account.update(data, [options], [cb])

        Errors: ``HasOne relation <name> is empty`` when there is no target;
        ``Cannot override foreign key <fk> from <old> to <new>`` when ``data``
        changes the foreign key; otherwise those of ``updateAttributes``.
        """
        options, done, promise = options_done_promise(options, cb)
        data = {} if data is None else data
        self.fetch({}, self._updater(data, options, done))
        return promise

    def destroy(self, options=MISSING, cb=MISSING):
        """Delete the target; resolves with ``{'count': n}``.

        # LoopBack: supplier.account.destroy([options], [cb])

        Error ``HasOne relation <name> is empty`` when there is no target.
        Unlike juggler, a successful destroy forgets the cached target, so
        the next ``supplier.account(cb)`` queries again.
        """
        options, done, promise = options_done_promise(options, cb)
        cached = cache.cached_relations(self.modelInstance)
        name = self.definition.name
        if name in cached:   # fetch's answer from the cache, without its callback
            self._destroy_target(cached[name], cached, options, done)
        else:
            self.fetch({}, lambda err=None, target=None:
                       self._destroy_target(target, cached, options, done))
        return promise

    def _destroy_target(self, target, cached, options, done):
        """destroy, once fetched: the target's own destroy, then forget it
        (``cached``: the source's relation cache)."""
        name = self.definition.name
        if not cache.is_model_instance(target):
            return done(LoopBackError('HasOne relation %s is empty' % name))
        target._related_destroy(options, partial(_forget_after, cached, name, done))

    # -- helpers ------------------------------------------------------------------

    def _set_fk(self, data, value=MISSING):
        """``data[fk] = source key`` (``value``, when the caller read it already);
        an unset key leaves the FK unset (undefined)."""
        if value is MISSING:
            value = self._pk_value()
        fk = self.definition.keyTo
        if value is None and isinstance(data, dict):
            data.pop(fk, None)
        else:
            data[fk] = value


def _forget_after(cached, name, done, err=None, info=None, *_):
    """``done(err)`` or, the target first forgotten from the relation cache
    ``cached`` (reset_cache(source, name, None)), ``done(None, info)``: a
    connector's extra results are dropped, as destroy drops them."""
    if err is not None:
        return done(err)
    cached.pop(name, None)
    done(None, info)
