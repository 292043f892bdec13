"""belongsTo: the source holds the key of the instance it belongs to.

# LoopBack: RelationDefinition.belongsTo, BelongsTo.prototype.* (lib/relation-definition.js)

``Account.belongsTo(Supplier)`` gives relation ``supplier`` with foreign key
``supplierId`` on Account (relation name + 'Id'), and on every account:

    account.supplier(cb) / (True, cb) / () / (supplier)   as hasOne's accessor
    account.supplier.get([options], [cb])    always queries
    account.supplier.build(data) / .create(data, [options], [cb])
    account.supplier.update(data, [options], [cb])
    account.supplier.destroy([options], [cb])   unsets the FK and saves the
                                                source; the target is kept

Polymorphic (``Picture.belongsTo('imageable', polymorphic=True)``): the
target model is named by the discriminator property (``imageableType``) and
looked up at call time; there is no build/create.
"""

from ..errors import LoopBackError
from ..filters.merge import merge_query
from ..js.values import truthy
from ..promise import callback_and_promise
from . import cache
from .definition import (MISSING, RelationDefinition, camelize, define_foreign_key,
                         define_property, id_name, lookup_model, lookup_model_to, models_of,
                         normalize_polymorphic, normalize_relation_as, own_relations)
from .relation import (Relation, install_accessor, is_callback, options_done_promise,
                       split_create_args, split_related_args)


def define_belongs_to(model_from, model_to_ref, params):
    """Declare ``model_from`` belongsTo target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.belongsTo(modelFrom, modelToRef, params)

    Defaults: relation name = camelized target name; foreign key (on the
    source) = relation name + 'Id'; target key = the target's id.
    """
    if params.get('polymorphic'):
        name = params.get('as') or (model_to_ref if isinstance(model_to_ref, str) else None)
        polymorphic = normalize_polymorphic(params['polymorphic'], name)
        model_to = None
        pk = params.get('primaryKey') or params.get('idName') or 'id'
        fk = polymorphic['foreignKey']
        if polymorphic.get('idType'):
            define_property(model_from, fk, {'type': polymorphic['idType'], 'index': True})
        else:
            define_foreign_key(model_from, fk, model_from, pk)
        define_property(model_from, polymorphic['discriminator'],
                        {'type': 'string', 'index': True})
    else:
        polymorphic = None
        normalize_relation_as(params, model_to_ref)
        model_to = lookup_model_to(model_from, model_to_ref, params)
        pk = params.get('primaryKey') or id_name(model_to) or 'id'
        name = params.get('as') or camelize(model_to.modelName)
        fk = params.get('foreignKey') or name + 'Id'
        define_foreign_key(model_from, fk, model_to, pk)

    definition = RelationDefinition(
        name=name, type='belongsTo', modelFrom=model_from, keyFrom=fk, keyTo=pk,
        modelTo=model_to, multiple=False, properties=params.get('properties'),
        scope=params.get('scope'), options=params.get('options'),
        polymorphic=polymorphic, methods=params.get('methods'),
        relation_class=BelongsTo)
    own_relations(model_from)[name] = definition
    install_accessor(model_from, definition, BelongsTo, helpers=('get',))
    return definition


class BelongsTo(Relation):
    """``account.supplier``: the belongsTo relation bound to one account."""

    _kind = 'BelongsTo'

    def __getattr__(self, name):
        # A polymorphic belongsTo has no create/build (juggler leaves them off).
        if name in ('create', 'build') and not self._polymorphic():
            return getattr(self, '_' + name)
        return super().__getattr__(name)

    @property
    def _targetClass(self):
        if self._polymorphic():
            return None
        return self.definition.modelTo.modelName

    def _polymorphic(self):
        return isinstance(self.definition.polymorphic, dict)

    def _fk_value(self):
        return cache.read(self.modelInstance, self.definition.keyFrom)

    # -- the accessor itself --------------------------------------------------

    def __call__(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        return self.related(condOrRefresh, options, cb)

    def related(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        """Getter (sync or async) or setter, by argument shape, as juggler.

        # LoopBack: account.supplier([refresh|filter], [options], [cb])

        Unlike hasOne, a filter object given as first argument is merged into
        the query.  With no foreign key set the callback gets no result.
        """
        definition = self.definition
        condOrRefresh, new_value, options, cb = split_related_args(condOrRefresh, options, cb)

        if new_value is not MISSING:
            self.modelInstance[definition.keyFrom] = cache.read(new_value, definition.keyTo)
            if self._polymorphic():
                self.modelInstance[definition.polymorphic['discriminator']] = \
                    type(new_value).modelName
            definition.applyProperties(self.modelInstance, new_value)
            self.resetCache(new_value)
            return None
        if is_callback(cb):
            done, _ = callback_and_promise(cb)
            scope_query = condOrRefresh if isinstance(condOrRefresh, dict) else None
            return self._load(condOrRefresh is not MISSING and truthy(condOrRefresh),
                              scope_query, options, done)
        if condOrRefresh is MISSING:
            return self.getCache()
        # juggler's setter tail: it stores `undefined` as the foreign key.
        self.modelInstance[definition.keyFrom] = None
        self.resetCache(None)
        return None

    def _target_model(self):
        """The target class; for a polymorphic relation, named by the discriminator."""
        definition = self.definition
        if not self._polymorphic():
            return definition.modelTo, None
        discriminator = definition.polymorphic['discriminator']
        type_name = cache.read(self.modelInstance, discriminator)
        if not isinstance(type_name, str):
            return None, LoopBackError('Polymorphic model not found: `%s` not set'
                                       % discriminator)
        model = lookup_model(models_of(definition.modelFrom), type_name.lower())
        if model is None:
            return None, LoopBackError('Polymorphic model not found: `%s`'
                                       % type_name.lower())
        return model, None

    def _load(self, refresh, scope_query, options, done):
        definition = self.definition
        model_to, err = self._target_model()
        if err is not None:
            done(err)
            return None
        cached = None if refresh else self.getCache()
        if cache.is_model_instance(cached):
            done(None, cached)
            return cached
        fk_value = self._fk_value()
        if fk_value is None:
            done(None)
            return None
        query = {'where': {definition.keyTo: fk_value}}
        definition.applyScope(self.modelInstance, query)
        if scope_query:
            merge_query(query, dict(scope_query))
        fields = query.get('fields')
        if isinstance(fields, list) and definition.keyTo not in fields:
            fields.append(definition.keyTo)
        model_to._related_find_one(query, options, self._check_found(model_to, done))
        return fk_value


    # -- methods on the accessor -----------------------------------------------

    def get(self, options=MISSING, cb=MISSING):
        """Always query the database; resolves with the target or None.

        # LoopBack: account.supplier.get([options], [cb])
        """
        options, done, promise = options_done_promise(options, cb)
        self._load(True, None, options, done)
        return promise

    def _build(self, data=None):
        """A new target with ``properties`` applied; not saved.

        # LoopBack: account.supplier.build(data)
        """
        data = {} if data is None else data
        self.definition.applyProperties(self.modelInstance, data)
        return self.definition.modelTo(data)

    def _create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Create the target, point the source at it and save the source.

        # LoopBack: account.supplier.create(data, [options], [cb])

        An unsaved source is not saved (only its foreign key is set).
        Resolves with the new target, which is then cached.
        """
        data, options, cb = split_create_args(data, options, cb)
        done, promise = callback_and_promise(cb)
        definition = self.definition
        source = self.modelInstance
        definition.applyProperties(source, data)

        def created(err=None, target=None, *rest):
            if err is not None:
                return done(err)
            source[definition.keyFrom] = cache.read(target, definition.keyTo)
            if source.isNewRecord():
                self.resetCache(target)
                return done(None, target)

            def saved(err=None, *rest):
                if err is not None:
                    return done(err)
                self.resetCache(target)
                done(None, target)
            source.save(options, saved)

        definition.modelTo.create(data, options, created)
        return promise

    def update(self, data=None, options=MISSING, cb=MISSING):
        """Update the target (always looked up again first).

        # LoopBack: account.supplier.update(data, [options], [cb])

        Errors: ``BelongsTo relation <name> is empty``; ``Cannot override
        foreign key <pk> ...`` when ``data`` changes the target's key.
        """
        options, done, promise = options_done_promise(options, cb)
        data = {} if data is None else data
        # juggler fetches with the options object as "refresh", which is truthy.
        self._load(True, options, options, self._updater(data, options, done))
        return promise

    def destroy(self, options=MISSING, cb=MISSING):
        """Detach: set the source's foreign key to None and save the source.

        # LoopBack: account.supplier.destroy([options], [cb])

        The target itself is not deleted (juggler's behaviour).  Resolves
        with the saved source.  Error ``BelongsTo relation <name> is empty``.
        """
        options, done, promise = options_done_promise(options, cb)
        definition = self.definition
        source = self.modelInstance

        def fetched(err=None, target=None):
            if not cache.is_model_instance(target):
                return done(LoopBackError('BelongsTo relation %s is empty' % definition.name))
            source[definition.keyFrom] = None

            def saved(err=None, instance=None, *rest):
                if err is not None:
                    return done(err)
                done(None, instance)
            source.save(options, saved)

        self._load(True, options, options, fetched)
        return promise
