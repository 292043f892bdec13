"""hasMany: each source instance owns any number of target instances.

# LoopBack: RelationDefinition.hasMany, HasMany.prototype.* (lib/relation-definition.js)

``Customer.hasMany(Order)`` keeps the key on the target
(``order.customerId -> customer.id``) and gives every customer an accessor
``customer.orders``, a scope (relations/scope.py) over Order limited to
``{where: {customerId: customer.id}}`` plus the relation's ``scope``:

    customer.orders(cb)                 cached list (queries when nothing cached)
    customer.orders(True, cb)           always queries
    customer.orders({'where': ...}, cb) queries with the filter (not cached)
    customer.orders()                   the cached list, synchronously (None if none)
    customer.orders.find / findOne / count / updateAll / destroyAll  (the scope's)
    customer.orders.build(data)         a new, unsaved order with the FK set
    customer.orders.create(data | [data...], [options], [cb])
    customer.orders.findById(fk, [options], [cb])   404 / 400 as juggler
    customer.orders.exists(fk, [options], [cb])
    customer.orders.updateById(fk, data, [options], [cb])
    customer.orders.destroy(fk, [options], [cb])    (juggler's destroyById)

The model also gets juggler's ``__findById__orders``, ``__destroyById__orders``,
``__updateById__orders``, ``__exists__orders`` (and the scope's ``__get__``,
``__create__``, ``__delete__``, ``__update__``, ``__findOne__``,
``__count__``), which forward their arguments and return None.

``through`` (hasMany through, hasAndBelongsToMany) is has_many_through.py's.
Not here yet (issue 19): the function form of ``scopeMethods``.
"""

from functools import partial

from ..dao.helpers import invalid_id_error
from ..errors import LoopBackError, TypeError_
from ..js.values import UNDEFINED, to_string
from ..promise import callback_and_promise
from . import cache
from .definition import (MISSING, RELATION_CLASSES, RelationDefinition, camelize,
                         define_foreign_key, define_property, id_equals, id_name, js_string,
                         lookup_model_to, normalize_polymorphic, normalize_relation_as,
                         own_relations, plural_model_name)
from .relation import (Relation, forwarder, add_custom_methods, fetch_through_accessor,
                       is_callback, prevent_fk_override, relation_method, split_create_args,
                       split_options_cb)


def define_has_many(model_from, model_to_ref, params):
    """Declare ``model_from`` hasMany target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.hasMany(modelFrom, modelToRef, params)

    Defaults: relation name = camelized plural of the target's name
    (``chapters``); key on the source (``primaryKey``) = its id; foreign key
    = camelize(<source name>_id), added to the target (or retyped) with the
    source key's type.  A target given by name is looked up singularised
    (``Author.hasMany('readers')`` -> Reader).  ``polymorphic`` replaces the
    foreign key with its own and adds the discriminator property to the
    target; ``scopeMethods`` (a dict) adds custom methods.
    """
    if params.get('through'):
        from .has_many_through import define_has_many_through
        return define_has_many_through(model_from, model_to_ref, params)
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params, singularize=True)

    name, fk, key_through, pk, polymorphic = has_many_keys(model_from, model_to, params)
    if polymorphic is not None:
        define_property(model_to, polymorphic['discriminator'],
                        {'type': 'string', 'index': True})

    definition = RelationDefinition(
        name=name, type='hasMany', modelFrom=model_from, keyFrom=pk,
        modelTo=model_to, keyTo=fk, multiple=True,
        properties=params.get('properties'), scope=params.get('scope'),
        options=params.get('options'), polymorphic=polymorphic,
        relation_class=HasMany, keyThrough=key_through)
    own_relations(model_from)[name] = definition

    define_foreign_key(model_to, fk, model_from, pk)
    install_has_many(model_from, model_to, definition, params.get('scopeMethods'), HasMany,
                     _scope_filter, ('findById', 'updateById', 'exists', 'create', 'build'))
    return definition


def has_many_keys(model_from, model_to, params):
    """juggler hasMany's names and keys: ``(name, fk, keyThrough, pk, polymorphic)``.

    # LoopBack: the defaults at the top of RelationDefinition.hasMany (with or without through)
    name = the target's plural, camelized; fk (``keyTo``) =
    camelize(<source name>_id); keyThrough = camelize(<target name>_id); pk
    (``keyFrom``) = the source's id.  ``polymorphic`` (normalised, else
    None) replaces fk with its foreign key, or keyThrough when ``invert``.
    """
    name = params.get('as') or camelize(plural_model_name(model_to))
    fk = params.get('foreignKey') or camelize(model_from.modelName + '_id')
    key_through = params.get('keyThrough') or camelize(model_to.modelName + '_id')
    pk = params.get('primaryKey') or id_name(model_from) or 'id'
    polymorphic = None
    if params.get('polymorphic'):
        polymorphic = normalize_polymorphic(params['polymorphic'], name)
        if params.get('invert'):
            polymorphic['invert'] = True
            key_through = polymorphic['foreignKey']
        else:
            fk = polymorphic['foreignKey']
    return name, fk, key_through, pk, polymorphic


def install_has_many(model_from, scope_model, definition, scope_methods, relation_class,
                     filter_fn, method_names, links=False):
    """The accessor, an instance scope over ``scope_model`` (the target; the
    through model for hasMany through) whose filter is
    ``filter_fn(definition, source)``, and the ``__<op>__<name>`` helpers.

    # LoopBack: defineScope(modelFrom.prototype, params.through || modelTo, name, fn,
    #           scopeMethods) in RelationDefinition.hasMany
    ``method_names`` are the ``relation_class`` methods the accessor gets
    besides ``destroy`` (destroyById) and the keyed ``destroyAll``/
    ``updateAll``; ``links`` adds ``__link__<name>``/``__unlink__<name>``
    (add/remove).
    """
    from .scope import define_scope
    name = definition.name
    methods = {method: relation_method(relation_class, definition, method)
               for method in method_names}
    methods['destroy'] = relation_method(relation_class, definition, 'destroyById')
    methods['destroyAll'] = _keyed_write(definition, 'destroyAll')
    methods['updateAll'] = _keyed_write(definition, 'updateAll')
    add_custom_methods(definition, methods, scope_methods or {}, relation_class)
    define_scope(model_from, scope_model, name, partial(filter_fn, definition), methods,
                 definition.options, isStatic=False)
    for op, method in (('findById', 'findById'), ('destroyById', 'destroy'),
                       ('updateById', 'updateById'), ('exists', 'exists')):
        setattr(model_from, '__%s__%s' % (op, name), forwarder(name, method))
    if links:
        # juggler puts the methods themselves there (they return the promise)
        setattr(model_from, '__link__' + name, methods['add'])
        setattr(model_from, '__unlink__' + name, methods['remove'])
    for method_name, fn in methods.items():
        if getattr(fn, 'shared', False) is True:
            setattr(model_from, '__%s__%s' % (method_name, name), fn)


def _scope_filter(definition, source):
    """The accessor's filter for ``source``: ``{where: {fk: source[pk]}}``
    and the relation's scope (juggler's ``params`` function of defineScope).
    An unsaved source's key is undefined: the DAO drops it from the where."""
    key = cache.read(source, definition.keyFrom)
    query = {'where': {definition.keyTo: UNDEFINED if key is None else key}}
    definition.applyScope(source, query)
    return query


def _keyed_write(definition, method):
    """The scope's ``destroyAll``/``updateAll``, refused for a source whose key
    is not set.

    Deliberate fix: juggler drops the undefined key from the scope's where,
    so ``Book().chapters.destroyAll()`` deletes every Chapter; here it calls
    back with an error instead (reads keep juggler's answer).
    """
    def call(source, *args, **kwargs):
        from .scope import ScopeAccessor
        accessor = getattr(source, definition.name)
        if cache.read(source, definition.keyFrom) is None:
            cb = args[-1] if args and is_callback(args[-1]) else kwargs.get('cb')
            done, promise = callback_and_promise(cb)
            done(LoopBackError(
                'Cannot %s the %s of a %s whose %s is not set: it would apply to every %s'
                % (method, definition.name, definition.modelFrom.modelName,
                   definition.keyFrom, definition.modelTo.modelName),
                code='RELATION_KEY_NOT_SET'))
            return promise
        return getattr(ScopeAccessor, method)(accessor, *args, **kwargs)
    call.__name__ = method
    return call


class HasMany(Relation):
    """The hasMany operations of one source instance (juggler's HasMany).

    The accessor ``customer.orders`` is the relation's scope
    (relations/scope.py) with these methods on it.
    """

    _kind = 'HasMany'

    # -- the relation cache: a list once loaded ----------------------------------

    def removeFromCache(self, id):
        """Drop the cached target with id ``id``; returns [it] or None.

        # LoopBack: HasMany.prototype.removeFromCache(id)
        """
        cached = cache.get_cache(self.modelInstance, self.definition.name)
        id_prop = id_name(self.definition.modelTo)
        if isinstance(cached, list):
            for i, item in enumerate(cached):
                if id_equals(cache.read(item, id_prop), id):
                    return [cached.pop(i)]
        return None

    def addToCache(self, inst):
        """Put ``inst`` in the cached list (replacing the one with its id);
        starts the list when nothing was cached.

        # LoopBack: HasMany.prototype.addToCache(inst)
        """
        if not inst:
            return
        relations = cache.cached_relations(self.modelInstance)
        name = self.definition.name
        cached = relations.get(name, MISSING)
        if cached is MISSING:
            cached = relations[name] = []
        if not isinstance(cached, list):
            return
        id_prop = id_name(self.definition.modelTo)
        inst_id = cache.read(inst, id_prop)
        for i, item in enumerate(cached):
            if id_equals(cache.read(item, id_prop), inst_id):
                cached[i] = inst
                return
        cached.append(inst)

    # -- by foreign key ------------------------------------------------------------

    def findById(self, fkId=None, options=MISSING, cb=MISSING):
        """The target with id ``fkId`` that belongs to this source.

        # LoopBack: customer.orders.findById(fkId, [options], [cb])

        Errors: 404 ``No instance with id <fkId> found for <Target>``; 400
        ``Key mismatch: <From>.<pk>: <v>, <To>.<fk>: <v>`` when the row found
        belongs elsewhere; 400 ``INVALID_ID`` for an object or list id (as
        the DAO's findById: an id is a scalar, docs/differences.md).  An
        unsaved source (no key) resolves with None without a query, as
        juggler does for an undefined key.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        self._find_by_id(fkId, options, done)
        return promise

    def _find_by_id(self, fk_id, options, done):
        definition = self.definition
        model_to = definition.modelTo
        fk, pk = definition.keyTo, definition.keyFrom
        source_key = self._pk_value()
        if source_key is None:
            return done(None, None)
        bad_id = invalid_id_error(model_to, fk_id)
        if bad_id is not None:   # deliberate fix #5 of docs/differences.md, as findById's
            return done(bad_id)
        query = {'where': {id_name(model_to): fk_id, fk: source_key}}
        definition.applyScope(self.modelInstance, query)

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            if inst is None:
                return done(LoopBackError('No instance with id %s found for %s'
                                          % (to_string(fk_id), model_to.modelName),
                                          statusCode=404))
            target_key = cache.read(inst, fk)
            if target_key is not None and id_equals(target_key, source_key):
                return done(None, inst)
            done(LoopBackError('Key mismatch: %s.%s: %s, %s.%s: %s' % (
                definition.modelFrom.modelName, pk, js_string(source_key),
                model_to.modelName, fk, js_string(target_key)), statusCode=400))
        model_to._related_find_one(query, options, found)

    def exists(self, fkId=None, options=MISSING, cb=MISSING):
        """True when the target ``fkId`` belongs to this source.

        # LoopBack: customer.orders.exists(fkId, [options], [cb])

        As juggler, a missing target is findById's 404 error (not False);
        an unsaved source answers False.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        source_key = self._pk_value()
        fk = self.definition.keyTo

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            if inst is None:
                return done(None, False)
            target_key = cache.read(inst, fk)
            done(None, bool(target_key) and js_string(target_key) == js_string(source_key))
        # juggler calls findById without the options
        self._find_by_id(fkId, {}, found)
        return promise

    def updateById(self, fkId=None, data=None, options=MISSING, cb=MISSING):
        """Update the target ``fkId`` with ``data``; resolves with it.

        # LoopBack: customer.orders.updateById(fkId, data, [options], [cb])

        Errors: findById's; ``Cannot override foreign key <fk> from <old> to
        <new>`` when ``data`` moves it to another source.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        data = {} if data is None else data
        fk = self.definition.keyTo

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            if inst is None:
                return done(_undefined_target('updateAttributes'))
            fk_err = prevent_fk_override(inst, data, fk)
            if fk_err is not None:
                return done(fk_err)
            inst._related_update(data, options, done)
        self._find_by_id(fkId, options, found)
        return promise

    def destroyById(self, fkId=None, options=MISSING, cb=MISSING):
        """Delete the target ``fkId`` (and forget it from the cached list).

        # LoopBack: customer.orders.destroy(fkId, [options], [cb]) (HasMany destroyById)

        Resolves with ``{'count': n}``; errors are findById's.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            self.removeFromCache(fkId)
            if inst is None:
                return done(_undefined_target('destroy'))
            inst._related_destroy(options, lambda err=None, info=None, *_:
                                  done(err) if err is not None else done(None, info))
        self._find_by_id(fkId, options, found)
        return promise

    # -- new targets ---------------------------------------------------------------

    def build(self, data=None):
        """A new target with the foreign key (and ``properties``) set; not saved.

        # LoopBack: customer.orders.build(data)

        ``data`` is modified in place (the FK overrides a given value).
        """
        data = {} if data is None else data
        self._set_fk(data)
        self.definition.applyProperties(self.modelInstance, data)
        return self.definition.modelTo(data)

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Create one target, or several from a list; each is added to the cache.

        # LoopBack: customer.orders.create(data | [data, ...], [options], [cb])

        Each item gets the foreign key and ``properties`` (modified in
        place, as in juggler).  Resolves with the new instance (or list).
        """
        data, options, cb = split_create_args(data, options, cb, undefined_cb_only=True)
        done, promise = callback_and_promise(cb)
        source_key = self._pk_value()
        for item in (data if isinstance(data, list) else (data,)):
            if isinstance(item, dict) or cache.is_model_instance(item):
                self._set_fk(item, source_key)
                self.definition.applyProperties(self.modelInstance, item)

        def created(err=None, target=None, *_):
            if err is not None:
                return done(err)
            for inst in (target if isinstance(target, list) else (target,)):
                self.addToCache(inst)
            done(None, target)
        self.definition.modelTo.create(data, options, created)
        return promise

    # -- helpers -------------------------------------------------------------------

    fetch = fetch_through_accessor

    def _set_fk(self, data, value=MISSING):
        """``data[fk] = source key``; an unset key leaves the FK unset (undefined)."""
        if value is MISSING:
            value = self._pk_value()
        fk = self.definition.keyTo
        if value is None and isinstance(data, dict):
            data.pop(fk, None)
        else:
            data[fk] = value


RELATION_CLASSES['hasMany'] = HasMany


def _undefined_target(method):
    """What juggler throws when it calls ``inst.<method>`` on the undefined
    instance findById gives an unsaved source (delivered, not thrown)."""
    return TypeError_("Cannot read properties of undefined (reading '%s')" % method)
