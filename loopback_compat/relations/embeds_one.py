"""embedsOne: the owner keeps one instance of the target inside itself.

# LoopBack: RelationDefinition.embedsOne, EmbedsOne.prototype.* (lib/relation-definition.js)

``Person.embedsOne(Passport)`` adds to Person the property ``passport``
(typed by Passport; stored with the person, as JSON on SQL) and the relation
``passportItem`` (relation name: ``<target>Item``; property: the camelized
target name, or ``property``; ``_<property>`` when both would be equal):

    person.passportItem()                 the embedded instance (None if none), synchronously
    person.passportItem(cb)               the same, through cb
    person.passportItem(passport)         setter: a Passport replaces it (no write)
    person.passportItem.value()           as the no-argument call
    person.passportItem.build(data)       a new instance, set on the owner (no write)
    person.passportItem.create(data, [options], [cb])   build, validate, write the owner
    person.passportItem.update(data, [options], [cb])   patch it, validate, write the owner
    person.passportItem.destroy([options], [cb])        set it to null, write the owner

Params: ``as``, ``property``, ``default`` (True: an empty instance; a dict:
an instance of it), ``methods``, ``properties``, ``scope``, ``options``
(``persistent``: the embedded instance is also saved in its own model's
storage; ``forceId``; ``validate: False``; ``property``: settings merged
into the owner property's definition, e.g. ``{'postgresql': {'columnName':
...}}``).  The owner is validated with its embedded instance: an invalid one
fails the owner's validation with ``<relation> is invalid: `<name>` <message>``.

Observers of the embedded model see 'before save'/'after save' (create,
update) and 'before delete'/'after delete' (destroy), as juggler notifies them.

Deliberate difference (docs/differences.md): a create, update or destroy
that fails (an observer's error, an invalid instance, the owner's write)
leaves the owner's in-memory value as it was; juggler keeps the new value.
"""

from ..events import call_fitted
from ..js.values import UNDEFINED, truthy
from ..promise import callback_and_promise
from . import cache
from .definition import MISSING, RelationDefinition, camelize, define_property, \
    lookup_model_to, normalize_relation_as, own_relations
from .embedded import (EmbeddedRelation, can_generate_id, generate_id, invalid_error,
                       item_error_text, property_spec, target_id_name)
from .relation import (install_accessor, is_callback, split_create_args, split_options_cb,
                       split_related_args)

__all__ = ['EmbedsOne', 'define_embeds_one']


def define_embeds_one(model_from, model_to_ref, params):
    """Declare ``model_from`` embedsOne target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.embedsOne(modelFrom, modelToRef, params)
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params)
    name = params.get('as') or camelize(model_to.modelName) + 'Item'
    prop = params.get('property') or camelize(model_to.modelName)
    if name == prop:
        prop = '_' + prop   # juggler: the property cannot have the relation's name

    definition = RelationDefinition(
        name=name, type='embedsOne', modelFrom=model_from, keyFrom=prop,
        keyTo=target_id_name(model_to), modelTo=model_to, multiple=False,
        properties=params.get('properties'), scope=params.get('scope'),
        options=params.get('options'), methods=params.get('methods'),
        relation_class=EmbedsOne)
    definition.embed = True
    own_relations(model_from)[name] = definition

    spec = property_spec(params, model_to)
    default = params.get('default')
    if default is True:
        spec['default'] = _EmptyInstance(model_to)
    elif isinstance(default, dict):
        spec['default'] = _EmptyInstance(model_to, default)
    define_property(model_from, prop, spec)

    if definition.options.get('validate') is not False:
        model_from.validate(name, _validator(definition))
    install_accessor(model_from, definition, EmbedsOne,
                     helpers=('get', 'create', 'update', 'destroy'))
    return definition


class _EmptyInstance:
    """The property default ``function() { return new modelTo(def); }``."""

    def __init__(self, model_to, data=None):
        self.model_to = model_to
        self.data = data

    def __call__(self):
        return self.model_to(dict(self.data) if self.data is not None else {})


def _validator(definition):
    """The owner's validation of its embedded instance (named by the relation)."""
    def validate_embedded(owner, err):
        inst = cache.read(owner, definition.keyFrom)
        if isinstance(inst, definition.modelTo) and not inst.isValid():
            owner.errors.add(definition.name, 'is invalid: ' + item_error_text(inst), 'invalid')
            err(False)
    return validate_embedded


class EmbedsOne(EmbeddedRelation):
    """``person.passportItem``: the embedsOne relation of one owner."""

    _kind = 'EmbedsOne'

    def __getattr__(self, name):
        # custom methods (``methods``, definition.defineMethod), called with
        # the relation as juggler's ``this``, fitted to what they declare
        if name.startswith('__'):
            raise AttributeError(name)
        fn = self.__dict__['definition'].methods.get(name)
        if callable(fn):
            return lambda *args, **kwargs: (fn(self, *args, **kwargs) if kwargs
                                             else call_fitted(fn, self, *args))
        return super().__getattr__(name)

    # -- the accessor itself ------------------------------------------------------

    def __call__(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        return self.related(condOrRefresh, options, cb)

    def related(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
        """Getter (sync or through ``cb``) or setter, by argument shape.

        # LoopBack: person.passportItem([condOrRefresh], [options], [cb])

        An instance of another model given to the setter is ignored, as in
        juggler.  Called with arguments but no callback, juggler answers
        nothing; here the call returns a promise of the embedded instance.
        """
        condOrRefresh, new_value, options, cb = split_related_args(condOrRefresh, options, cb)
        definition = self.definition
        if new_value is not MISSING:
            if isinstance(new_value, definition.modelTo):
                definition.applyProperties(self.modelInstance, new_value)
                self.modelInstance.setAttribute(definition.keyFrom, new_value)
            return None
        embedded = self.embeddedValue()
        if cache.is_model_instance(embedded):
            embedded.__dict__['__persisted'] = True   # (juggler, even when persistent)
        if is_callback(cb) or condOrRefresh is not MISSING:
            done, promise = callback_and_promise(cb if is_callback(cb) else None)
            done(None, embedded)
            return promise
        return embedded

    def embeddedValue(self, modelInstance=None):
        """The embedded instance (prepared, see prepareEmbeddedInstance).

        # LoopBack: EmbedsOne.prototype.embeddedValue([modelInstance])
        """
        owner = self.modelInstance if modelInstance is None else modelInstance
        value = cache.read(owner, self.definition.keyFrom)
        self.prepareEmbeddedInstance(value)
        return value

    value = embeddedValue

    # -- new instances ------------------------------------------------------------

    def build(self, data=None):
        """A new instance from ``data``, set on the owner (not written).

        # LoopBack: person.passportItem.build(data)

        ``properties`` are copied onto ``data`` (modified in place, as
        juggler); an id is generated (the embedded model's connector's
        ``generateId``) when the id property is ``generated`` and ``data``
        has none (or ``forceId``), unless ``persistent``.
        """
        definition = self.definition
        model_to = definition.modelTo
        data = {} if data is None else data
        definition.applyProperties(self.modelInstance, data)
        pk = definition.keyTo
        pk_prop = model_to.definition.properties.get(pk)
        assign = definition.options.get('forceId') or _undefined_in(data, pk)
        assign = assign and not definition.options.get('persistent') and \
            bool(pk_prop and pk_prop.get('generated'))
        if assign and can_generate_id(model_to):
            data[pk] = generate_id(model_to, data, pk)
        inst = model_to(data)
        self.modelInstance[definition.keyFrom] = inst
        self.prepareEmbeddedInstance(inst)
        return inst

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Build an instance, validate it and write the owner; ``cb(err, inst)``.

        # LoopBack: person.passportItem.create([data], [options], [cb])

        Order: 'before save' of the embedded model, its validation (the
        ValidationError of the embedded instance), the owner's write (a new
        owner is saved, a stored one updated), 'after save'.  With
        ``persistent`` the instance is first saved in its own model.
        """
        data, options, cb = split_create_args(data, options, cb, undefined_cb_only=True)
        data = data if truthy(data) else {}
        done, promise = callback_and_promise(cb)
        before = cache.data_of(self.modelInstance).get(self.definition.keyFrom, MISSING)
        inst = self.build(data)
        done = self._restoring(before, done)

        def written(err=None):
            done(err, None if err is not None else inst)

        if self.definition.options.get('persistent'):
            def saved(err=None, *_):
                if err is not None:
                    return done(err, inst)
                self._write_owner(inst, options, written)
            inst.save(options, saved)
            return promise

        context = self._context(instance=inst, options=options, hookState={})

        def validated():
            err = invalid_error(inst)
            if err is not None:
                return done(err)

            def owner_written(err=None):
                if err is not None:
                    return done(err)
                context['instance'] = inst
                self._hook('after save', context, lambda: done(None, inst), done)
            self._write_owner(inst, options, owner_written)
        self._hook('before save', context, validated, done)
        return promise

    # -- changes --------------------------------------------------------------------

    def update(self, data=None, options=MISSING, cb=MISSING):
        """Patch the embedded instance with ``data`` and save the owner;
        ``cb(err, inst)``.

        # LoopBack: person.passportItem.update(data, [options], [cb])

        With no embedded instance yet: ``create(data, cb)``, or without a
        callback ``build(data)`` (which is returned, as juggler does).
        """
        options, cb = split_options_cb(options, cb)
        if cache.is_model_instance(data):
            data = data.toObject()
        data = {} if data is None else data
        definition = self.definition
        inst = self.embeddedValue()
        if not isinstance(inst, definition.modelTo):
            if cb is not None:
                return self.create(data, cb)
            return self.build(data)
        done, promise = callback_and_promise(cb)
        hook_state = {}
        context = self._context(currentInstance=inst, data=data, options=options,
                                hookState=hook_state)
        snapshot = dict(cache.data_of(inst))

        def before_saved():
            inst.setAttributes(context['data'])
            err = invalid_error(inst)
            if err is not None:
                _restore(inst, snapshot)
                return done(err)

            def saved(err=None, owner=None, *_):
                if err is not None:
                    _restore(inst, snapshot)
                    return done(err)
                value = cache.read(owner, definition.keyFrom) if owner is not None else inst
                after = self._context(instance=value, options=options, hookState=hook_state)
                self._hook('after save', after, lambda: done(None, after['instance']), done)
            self.modelInstance.save(saved)   # (juggler passes no options here)
        self._hook('before save', context, before_saved, done)
        return promise

    def destroy(self, options=MISSING, cb=MISSING):
        """Set the embedded instance to null and save the owner; ``cb(err)``.

        # LoopBack: person.passportItem.destroy([options], [cb])

        Observers of the embedded model see 'before delete' and 'after delete'.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        definition = self.definition
        owner = self.modelInstance
        inst = cache.read(owner, definition.keyFrom)
        if not truthy(inst):
            done(None)
            return promise
        owner.unsetAttribute(definition.keyFrom, True)
        done = self._restoring(inst, done)
        context = self._context(instance=inst, options=options, hookState={})

        def saved(err=None, *_):
            if err is not None:
                return done(err)
            self._hook('after delete', context, lambda: done(None), done)
        self._hook('before delete', context, lambda: owner.save(saved), done)
        return promise

    # -- the embedded instance's own save/destroy ------------------------------------

    def _parent_write(self, action, inst, done):
        """``inst.triggerParent``'s write: after a save, the owner is updated
        with its embedded value; after a destroy, the value is set to null
        and the owner saved."""
        owner = self.modelInstance
        prop = self.definition.keyFrom
        if action == 'save':
            owner.updateAttribute(prop, self.embeddedValue(), lambda err=None, *_: done(err))
        else:
            owner.unsetAttribute(prop, True)
            owner.save(lambda err=None, *_: done(err))

    def _restoring(self, before, done):
        """``done`` that first puts ``before`` back as the owner's value when
        the operation failed (see the module docstring)."""
        owner = self.modelInstance
        prop = self.definition.keyFrom

        def finish(err=None, *results):
            if err is not None:
                data = cache.data_of(owner)
                if before is MISSING:
                    data.pop(prop, None)
                else:
                    data[prop] = before
            done(err, *results)
        return finish


def _undefined_in(data, key):
    """``data[key] === undefined`` for a dict or an instance."""
    if isinstance(data, dict):
        return key not in data or data[key] is UNDEFINED
    return key not in cache.data_of(data)


def _restore(inst, snapshot):
    """Put an embedded instance's data back as it was before a failed change."""
    data = cache.data_of(inst)
    data.clear()
    data.update(snapshot)
