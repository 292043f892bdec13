"""embedsMany: the owner keeps a list of target instances inside itself.

# LoopBack: RelationDefinition.embedsMany, EmbedsMany.prototype.* (lib/relation-definition.js)

``Person.embedsMany(Address)`` adds to Person the property ``addresses`` (a
list of Address, default ``[]``; stored with the person, as JSON on SQL)
and the relation ``addressList`` (relation name: ``<target>List``;
property: the camelized plural of the target, or ``property``), an instance
scope (relations/scope.py) whose queries read the embedded list:

    person.addressList()                    the list (the property's own list), synchronously
    person.addressList([filter], [options], cb)   the list; a ``where`` filters
                                            it, ``include`` (or the relation's
                                            scope's) loads the items' relations
    person.addressList.value()              as the no-argument call
    person.addressList.build(data)          a new item appended (``prepend``: first), not written
    person.addressList.create(data, [options], [cb])    build, validate, write the owner
    person.addressList.findById(id, [options], [cb]) / .get     the item or None (also returned)
    person.addressList.exists(id, [options], [cb])             True/False (also returned)
    person.addressList.updateById(id, data, [options], [cb]) / .set   (returns the item)
    person.addressList.destroy(id, [options], [cb]) / .unset          (returns the item)
    person.addressList.destroyAll([where], [options], [cb])  without cb: in memory only
    person.addressList.at(index, [cb])      the item at ``index`` (juggler's parseInt)
    person.addressList.add(ref | id, [data], [options], [cb])  (``options.belongsTo``)
    person.addressList.remove(ref | id, [options], [cb])

Ids: a number id (the target's id property) is the largest item id + 1;
another id comes from the embedded model's connector ``generateId`` (the
transient connector's 24 hex digits) when the data has none (or
``options.forceId``); ``options.persistent`` saves each new item in its own
model's storage first, and its id comes from there.

The owner validates its list, with juggler's messages (code):
``contains invalid item at index `<i>`: `<id>` is blank`` ('invalid', when
the target's connector cannot generate ids), ``contains duplicate `<id>```
('uniqueness', unless ``polymorphic``), ``contains invalid item: `<id>`
(`<name>` <message>)`` or ``... at index `<i>` (...)`` and ``contains
invalid item`` for an item that is no instance ('invalid', unless
``options.validate`` is False).

Observers of the embedded model see 'before save'/'after save' (create,
updateById) and 'before delete'/'after delete' (destroy/unset, remove).

Deliberate differences (docs/differences.md): a failed create, updateById,
destroy or destroyAll leaves the owner's list (and the item) as it was;
juggler keeps the change in memory.  ``create`` refuses a list or a scalar
(400) instead of building an item from its indexes.
"""

import re

from ..errors import LoopBackError, TypeError_, bad_request
from ..filters import make_matcher
from ..filters.merge import merge_query
from ..js.values import UNDEFINED, to_string, truthy
from ..promise import callback_and_promise
from . import cache
from .definition import (MISSING, RELATION_CLASSES, RelationDefinition, camelize,
                         define_property, id_equals, lookup_model_to, normalize_relation_as,
                         own_relations, plural_model_name)
from .embedded import (EmbeddedRelation, can_generate_id, generate_id, invalid_error,
                       invalid_reference, later, property_spec, target_id_name)
from .embeds_validation import define_validations
from .relation import (extend_scope_methods, is_callback, no_filter, relation_method,
                       scope_related, split_create_args, split_options_cb)

__all__ = ['EmbedsMany', 'define_embeds_many']


def define_embeds_many(model_from, model_to_ref, params):
    """Declare ``model_from`` embedsMany target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.embedsMany(modelFrom, modelToRef, params)
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params, singularize=True)
    name = params.get('as') or camelize(model_to.modelName) + 'List'
    prop = params.get('property') or camelize(plural_model_name(model_to))
    if name == prop:
        prop = '_' + prop   # juggler: the property cannot have the relation's name

    definition = RelationDefinition(
        name=name, type='embedsMany', modelFrom=model_from, keyFrom=prop,
        keyTo=target_id_name(model_to), modelTo=model_to, multiple=True,
        properties=params.get('properties'), scope=params.get('scope'),
        options=params.get('options'), relation_class=EmbedsMany)
    definition.embed = True
    own_relations(model_from)[name] = definition

    spec = property_spec(params, [model_to])
    if not definition.options.get('omitDefaultEmbeddedItem'):
        spec['default'] = _new_list
    define_property(model_from, prop, spec)
    define_validations(model_from, definition, polymorphic=bool(params.get('polymorphic')))
    _install(model_from, model_to, definition, params.get('scopeMethods'))
    return definition


def _new_list():
    return []


#: what _find_or_report answers once it gave the lookup's error to the callback
_REPORTED = object()


# ---------------------------------------------------------------- the accessor

#: accessor method -> EmbedsMany method (juggler's scopeMethods)
_METHODS = {'findById': 'findById', 'destroy': 'destroyById', 'updateById': 'updateById',
            'exists': 'exists', 'add': 'add', 'remove': 'remove', 'get': 'findById',
            'set': 'updateById', 'unset': 'destroyById', 'at': 'at', 'value': 'embeddedValue',
            'create': 'create', 'build': 'build'}

#: ``Model.__<op>__<relation>`` -> accessor method (besides the scope's own)
_HELPERS = {'destroyById': 'destroyById', 'updateById': 'updateById', 'link': 'add',
            'unlink': 'remove'}


def _install(model_from, model_to, definition, scope_methods):
    """The accessor: an instance scope over the target whose ``related`` reads
    the embedded list (juggler's ``defineScope(modelFrom.prototype, modelTo,
    name, fn, scopeMethods, options)`` and ``scopeDefinition.related = ...``)."""
    from .scope import define_scope
    name = definition.name
    methods = {key: relation_method(EmbedsMany, definition, method)
               for key, method in _METHODS.items()}
    if not definition.options.get('persistent'):
        methods['destroyAll'] = relation_method(EmbedsMany, definition, 'destroyAll')
    custom = extend_scope_methods(definition, methods, scope_methods, EmbedsMany)
    scope = define_scope(model_from, model_to, name, no_filter, methods, definition.options,
                         isStatic=False)
    scope.related = scope_related(EmbedsMany, definition)
    for op, method in _HELPERS.items():
        setattr(model_from, '__%s__%s' % (op, name),
                relation_method(EmbedsMany, definition, method))
    setattr(model_from, '__findById__%s' % name,
            relation_method(EmbedsMany, definition, 'findById'))
    for method_name in custom:
        fn = methods.get(method_name)
        if callable(fn) and getattr(fn, 'shared', False) is True:
            setattr(model_from, '__%s__%s' % (method_name, name), fn)


# ------------------------------------------------------------------ relation

class EmbedsMany(EmbeddedRelation):
    """The embedsMany operations of one owner (juggler's EmbedsMany)."""

    _kind = 'EmbedsMany'

    def embeddedList(self, modelInstance=None):
        """The owner's list (``[]`` when unset), each item prepared
        (prepareEmbeddedInstance).

        # LoopBack: EmbedsMany.prototype.embeddedList / embeddedValue([modelInstance])
        """
        owner = self.modelInstance if modelInstance is None else modelInstance
        items = cache.read(owner, self.definition.keyFrom)
        if not isinstance(items, list):
            items = []
        if items:
            relation = self if owner is self.modelInstance else type(self)(self.definition, owner)
            for item in items:
                relation.prepareEmbeddedInstance(item)
        return items

    embeddedValue = embeddedList

    # -- reading ----------------------------------------------------------------------

    def related(self, receiver, scopeParams=None, condOrRefresh=MISSING, options=MISSING,
                cb=MISSING):
        """The list, filtered by the call's ``where`` (and the relation's
        scope), through ``cb`` (else a promise); ``include`` loads the items'
        relations.  Order, limit and skip are not applied (as juggler).

        # LoopBack: EmbedsMany.prototype.related(receiver, scopeParams, [condOrRefresh],
        #           [options], cb)
        """
        if is_callback(condOrRefresh) and options in (MISSING, None) and cb in (MISSING, None):
            cb, condOrRefresh = condOrRefresh, False
        elif is_callback(options) and cb in (MISSING, None):
            cb, options = options, {}
        options = {} if options in (MISSING, None) else options
        done, promise = callback_and_promise(None if cb in (MISSING, None) else cb)
        cond = dict(condOrRefresh) if isinstance(condOrRefresh, dict) else {}
        items = self.embeddedList(receiver)
        definition = self.definition
        try:
            definition.applyScope(receiver, cond)
            params = _merge(cond, scopeParams)
            where = params.get('where')
            if isinstance(where, dict) and where:
                items = self._matching(items, where, True)
        except LoopBackError as err:
            done(err)
            return promise
        if truthy(params.get('include')):
            definition.modelTo.include(items, params['include'], options, done)
        else:
            done(None, items)
        return promise

    def _matching(self, items, where, keep):
        """The items that match ``where`` (``keep``), or those that do not."""
        info = getattr(self.definition.modelTo, '_info', None)
        match = make_matcher(where, info() if callable(info) else None)
        return [item for item in items if bool(match(_row(item))) is keep]

    def findById(self, fkId=MISSING, options=MISSING, cb=MISSING):
        """The item whose id equals ``fkId`` (numbers and strings loosely), or
        None; returned, and given to ``cb``.

        # LoopBack: person.addressList.findById(fkId, [options], [cb]) (alias get)
        """
        options, cb = split_options_cb(options, cb)
        item = self._find_or_report(fkId, cb)
        if item is _REPORTED:
            return None
        if cb is not None:
            callback_and_promise(cb)[0](None, item)
        return item

    get = findById

    def _find_or_report(self, fk_id, cb):
        """``_find(fk_id)``; its error (no id given) is raised without ``cb``
        (juggler throws) and given to ``cb`` otherwise: then _REPORTED."""
        try:
            return self._find(fk_id)
        except LoopBackError as err:
            if cb is None:
                raise
            callback_and_promise(cb)[0](err)
            return _REPORTED

    def _find(self, fk_id):
        if fk_id is MISSING or fk_id is None or fk_id is UNDEFINED:
            # juggler: fkId.toString() throws
            raise TypeError_("Cannot read properties of %s (reading 'toString')"
                             % ('null' if fk_id is None else 'undefined'))
        key = to_string(fk_id)
        pk = self.definition.keyTo
        for item in self.embeddedList():
            if id_equals(cache.read(item, pk), key):
                return item if isinstance(item, self.definition.modelTo) else None
        return None

    def exists(self, fkId=MISSING, options=MISSING, cb=MISSING):
        """Whether an item has the id ``fkId``; returned, and given to ``cb``.

        # LoopBack: person.addressList.exists(fkId, [options], [cb])
        """
        options, cb = split_options_cb(options, cb)
        model_to = self.definition.modelTo
        if cb is None:
            return isinstance(self.findById(fkId), model_to)
        done = callback_and_promise(cb)[0]
        inst = self.findById(fkId, options, lambda err=None, found=None:
                             done(err, isinstance(found, model_to)))
        return isinstance(inst, model_to)

    def at(self, index=None, cb=None):
        """The item at ``index`` (JavaScript's parseInt of it), or None;
        returned, and given to ``cb``.

        # LoopBack: person.addressList.at(index, [cb])
        """
        items = self.embeddedList()
        position = _parse_int(index)
        item = items[position] if position is not None and 0 <= position < len(items) else None
        item = item if isinstance(item, self.definition.modelTo) else None
        if is_callback(cb):
            callback_and_promise(cb)[0](None, item)
        return item

    # -- new items ------------------------------------------------------------------

    def build(self, data=None):
        """A new item appended to the owner's list (``options.prepend``:
        first); not written.

        # LoopBack: person.addressList.build(data)

        ``data`` gets the id (see the module docstring) and ``properties``
        (modified in place, as juggler).
        """
        definition = self.definition
        model_to = definition.modelTo
        options = definition.options
        data = _item_data(definition, data)
        pk = definition.keyTo
        pk_prop = model_to.definition.properties.get(pk) or {}
        items = self.embeddedList()
        assign = (options.get('forceId') or pk not in data or data[pk] is UNDEFINED) and \
            not options.get('persistent')
        if assign and pk_prop.get('type') == 'number':
            ids = [_number_or_zero(cache.read(item, pk)) for item in items]
            data[pk] = max(ids) + 1 if ids else 1
        elif assign and can_generate_id(model_to):
            data[pk] = generate_id(model_to, data, pk)
        definition.applyProperties(self.modelInstance, data)
        inst = model_to(data)
        if options.get('prepend'):
            items.insert(0, inst)
        else:
            items.append(inst)
        self.modelInstance[definition.keyFrom] = items
        self.prepareEmbeddedInstance(inst)
        return inst

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Build an item, validate it and write the owner; ``cb(err, item)``.

        # LoopBack: person.addressList.create([data], [options], [cb])

        Order: the item's validation (the ValidationError of the item), the
        embedded model's 'before save', the owner's write (a new owner is
        saved, a stored one updated: the owner's validation, duplicate ids
        included, applies), 'after save'.  With ``persistent`` the item is
        first saved in its own model.
        """
        data, options, cb = split_create_args(data, options, cb, undefined_cb_only=True)
        done, promise = callback_and_promise(cb)
        if not isinstance(data, dict) and not cache.is_model_instance(data):
            done(_not_an_object(self.definition, 'create', data))
            return promise
        done = self._restoring(done)
        inst = getattr(getattr(self.modelInstance, self.definition.name), 'build')(data)
        items = self.embeddedList()

        def written(err=None):
            done(err, None if err is not None else inst)

        if self.definition.options.get('persistent'):
            def saved(err=None, *_):
                if err is not None:
                    return done(err, inst)
                self._write_owner(items, options, written)
            inst.save(saved)
            return promise

        err = invalid_error(inst)
        if err is not None:
            later(done, err)
            return promise
        context = self._context(instance=inst, options=options, hookState={})

        def owner_written(err=None):
            if err is not None:
                return done(err, None)
            self._hook('after save', context, lambda: done(None, inst), done)
        self._hook('before save', context, lambda: self._write_owner(items, options,
                                                                      owner_written), done)
        return promise

    # -- changes ----------------------------------------------------------------------

    def updateById(self, fkId=MISSING, data=None, options=MISSING, cb=MISSING):
        """Patch the item ``fkId`` with ``data``, validate it and write the
        owner; ``cb(err, item)`` (``cb(None, None)`` when there is no such
        item).  Returns the item.  Without ``cb`` the item is changed in memory only.

        # LoopBack: person.addressList.updateById(fkId, data, [options], [cb]) (alias set)
        """
        if is_callback(options) and cb in (MISSING, None):
            cb, options = options, {}
        if is_callback(data):
            cb, data = data, {}
        options = {} if options in (MISSING, None) else options
        cb = None if cb is MISSING else cb
        data = {} if data is None else data
        items = self.embeddedList()
        inst = self._find_or_report(fkId, cb)
        if inst is _REPORTED:
            return None
        done = callback_and_promise(cb)[0] if cb is not None else _log_after_save
        if not isinstance(inst, self.definition.modelTo):
            if cb is not None:
                done(None, None)
            return inst
        hook_state = {}
        context = self._context(currentInstance=inst, data=data, options=options,
                                hookState=hook_state)
        snapshot = dict(cache.data_of(inst))

        def restore_then(err, *results):
            _restore(inst, snapshot)
            done(err, *results)

        def before_saved():
            inst.setAttributes(data)
            err = invalid_error(inst)
            if err is not None:
                return restore_then(err, inst) if cb is not None else _restore(inst, snapshot)
            after = self._context(instance=inst, options=options, hookState=hook_state)
            if cb is None:
                return self._hook('after save', after, _nothing, done)

            def written(err=None, *_):
                if err is not None:
                    return restore_then(err, inst)
                self._hook('after save', after, lambda: done(None, inst),
                           lambda err: done(err, inst))
            self.modelInstance.updateAttribute(self.definition.keyFrom, items, options, written)
        self._hook('before save', context, before_saved,
                   done if cb is not None else _log_after_save)
        return inst

    set = updateById

    def destroyById(self, fkId=MISSING, options=MISSING, cb=MISSING):
        """Take the item ``fkId`` (or the item given) out of the list and
        write the owner; ``cb(err)``.  Returns the item.  Without ``cb`` the
        list changes in memory only.

        # LoopBack: person.addressList.destroy(fkId, [options], [cb]) (alias unset)
        """
        options, cb = split_options_cb(options, cb)
        items = self.embeddedList()
        model_to = self.definition.modelTo
        if isinstance(fkId, model_to):
            inst = fkId
        else:
            inst = self._find_or_report(fkId, cb)
            if inst is _REPORTED:
                return None
        done = callback_and_promise(cb)[0] if cb is not None else _nothing
        if not isinstance(inst, model_to):
            if cb is not None:
                done(None)
            return inst
        context = self._context(instance=inst, options=options, hookState={})

        def before_deleted():
            index = _index_of(items, inst)
            if index >= 0:
                del items[index]
            if cb is None:
                return

            def written(err=None, *_):
                if err is not None:
                    if index >= 0:
                        items.insert(index, inst)
                        self._put_back(items)
                    return done(err)
                self._hook('after delete', context, lambda: done(None), done)
            self.modelInstance.updateAttribute(self.definition.keyFrom, items,
                                               context['options'], written)
        self._hook('before delete', context, before_deleted, done)
        return inst

    unset = destroyById

    def destroyAll(self, where=MISSING, options=MISSING, cb=MISSING):
        """Take the items matching ``where`` (all, without one) out of the
        list and write the owner; ``cb(err)``.  Without ``cb`` the list
        changes in memory only (as juggler).

        # LoopBack: person.addressList.destroyAll([where], [options], [cb])
        """
        if is_callback(options) and cb in (MISSING, None):
            cb, options = options, {}
        elif is_callback(where) and options in (MISSING, None) and cb in (MISSING, None):
            cb, where = where, {}
        options = {} if options in (MISSING, None) else options
        cb = None if cb is MISSING else cb
        items = self.embeddedList()
        done = callback_and_promise(cb)[0] if cb is not None else None
        try:
            if isinstance(where, dict) and where:
                kept = self._matching(items, where, False)
            else:
                kept = []
        except LoopBackError as err:
            if done is None:
                raise
            return done(err)
        if done is None:
            self.modelInstance.setAttribute(self.definition.keyFrom, kept)
            return None
        before = list(items)

        def written(err=None, *_):
            if err is not None:
                items[:] = before
                self._put_back(items)
            done(err)
        self.modelInstance.updateAttribute(self.definition.keyFrom, kept, options, written)
        return None

    # -- references (options.belongsTo) ------------------------------------------------

    def add(self, acInst=None, data=MISSING, options=MISSING, cb=MISSING):
        """Append an item that refers to ``acInst`` (an instance of the target
        of the item model's belongsTo ``options.belongsTo``, or its id) and
        save the owner; ``cb(err, item)``, ``cb(None, None)`` when no such
        instance exists.

        # LoopBack: person.addressList.add(acInst, [data], [options], [cb])
        """
        if is_callback(options) and cb is MISSING:
            cb, options = options, {}
        elif is_callback(data) and options is MISSING and cb is MISSING:
            cb, data = data, {}
        options = {} if options in (MISSING, None) else options
        done, promise = callback_and_promise(None if cb is MISSING else cb)
        belongs_to = self._reference()
        if belongs_to is None:
            done(invalid_reference(self.definition))
            return promise
        owner = self.modelInstance
        ref_name = self.definition.options['belongsTo']

        def found(err=None, ref=None, *_):
            if err is not None:
                return done(err)
            if not isinstance(ref, belongs_to.modelTo):
                return done(None, None)
            inst = self.build(data if isinstance(data, dict) else {})
            getattr(inst, ref_name)(ref)
            owner.save(lambda err=None, *_: done(err, None if err is not None else inst))
        belongs_to.modelTo.findOne(self._reference_filter(belongs_to, acInst), options, found)
        return promise

    def remove(self, acInst=None, options=MISSING, cb=MISSING):
        """Take out the items that refer to ``acInst`` (or its id) and save
        the owner; ``cb(err)``.

        # LoopBack: person.addressList.remove(acInst, [options], [cb])
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        belongs_to = self._reference()
        if belongs_to is None:
            done(invalid_reference(self.definition))
            return promise
        owner = self.modelInstance

        def found(err=None, items=None, *_):
            if err is not None:
                return done(err)
            for item in items or ():
                self.destroyById(item)
            owner.save(options, lambda err=None, *_: done(err))
        accessor = getattr(owner, self.definition.name)
        accessor(self._reference_filter(belongs_to, acInst), options, found)
        return promise

    def _reference(self):
        ref = self.definition.options.get('belongsTo')
        relations = getattr(self.definition.modelTo, 'relations', None) or {}
        return relations.get(ref) if isinstance(ref, str) else None

    def _reference_filter(self, belongs_to, ac_inst):
        pk = belongs_to.modelTo.definition.idName() or 'id'
        value = cache.read(ac_inst, pk) if isinstance(ac_inst, belongs_to.modelTo) else ac_inst
        query = {'where': {belongs_to.keyTo: value}}
        belongs_to.applyScope(self.modelInstance, query)
        return query

    # -- the owner --------------------------------------------------------------------

    def _parent_write(self, action, inst, done):
        """``inst.triggerParent``'s write: after the item's own save or
        destroy (which takes it out of the list), the owner is updated."""
        items = self.embeddedList()
        if action == 'destroy':
            index = _index_of(items, inst)
            if index >= 0:
                del items[index]
        self.modelInstance.updateAttribute(self.definition.keyFrom, items,
                                           lambda err=None, *_: done(err))

    def _restoring(self, done):
        """``done`` that first puts the owner's list back as it was when the
        operation failed (see the module docstring)."""
        data = cache.data_of(self.modelInstance)
        prop = self.definition.keyFrom
        before = data.get(prop, MISSING)
        items = list(before) if isinstance(before, list) else None

        def finish(err=None, *results):
            if err is not None:
                if before is MISSING:
                    data.pop(prop, None)
                else:
                    if items is not None:
                        before[:] = items
                    data[prop] = before
            done(err, *results)
        return finish

    def _put_back(self, items):
        cache.data_of(self.modelInstance)[self.definition.keyFrom] = items


RELATION_CLASSES['embedsMany'] = EmbedsMany


# ------------------------------------------------------------------ helpers

def _merge(cond, scope_params):
    return merge_query(cond, dict(scope_params) if isinstance(scope_params, dict) else {})


def _row(item):
    """What the where of a related() call is matched against."""
    if cache.is_model_instance(item):
        return cache.data_of(item)
    return item if isinstance(item, dict) else {}


def _item_data(definition, data):
    """build's data: a dict (the caller's, modified in place), an instance's data."""
    if data is None:
        return {}
    if isinstance(data, dict):
        return data
    if cache.is_model_instance(data):
        return data.toObject(False)
    raise _not_an_object(definition, 'build', data)


def _not_an_object(definition, method, data):
    return bad_request('EmbedsMany relation %s expects one object for %s, got %s; '
                       'pass a single dict' % (definition.name, method, type(data).__name__))


def _number_or_zero(value):
    """``typeof v === 'number' ? v : 0`` (NaN counts as 0 here: max() would keep it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return value
    return 0


_INT_PREFIX = re.compile(r'\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)')


def _parse_int(value):
    """JavaScript's ``parseInt(value)`` as an int, or None for NaN."""
    if value is None or value is MISSING:
        return None
    match = _INT_PREFIX.match(to_string(value))
    if match is None:
        return None
    sign, digits = match.groups()
    number = int(digits, 16) if digits[:2] in ('0x', '0X') else int(digits)
    return -number if sign == '-' else number


def _index_of(items, inst):
    """``items.indexOf(inst)``: by identity (instances compare by id here)."""
    for i, item in enumerate(items):
        if item is inst:
            return i
    return -1


def _restore(inst, snapshot):
    data = cache.data_of(inst)
    data.clear()
    data.update(snapshot)


def _nothing(*_args):
    return None


def _log_after_save(err=None, *_):
    """An 'after save' observer's error without a callback: juggler logs it."""
    if err is not None:
        import logging
        logging.getLogger('loopback_compat.relations').debug(
            'Unhandled error in "after save" hooks: %s', err)
