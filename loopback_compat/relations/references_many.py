"""referencesMany: the source keeps the ids of its targets in a list property.

# LoopBack: RelationDefinition.referencesMany, ReferencesMany.prototype.*
#           (lib/relation-definition.js of loopback-datasource-juggler 3.x)

``Category.referencesMany(Job)`` adds to Category a property ``jobIds``
(``[<Job's id type>]``, default ``[]``), a validation refusing duplicate ids
(422 ``contains duplicate `Job` instance``, code ``uniqueness``), and an
accessor ``category.jobs``, an instance scope (relations/scope.py) over Job:

    category.jobs([filter], [options], [cb])   the jobs of jobIds, in its order
                                               (Job.findByIds); not cached
    category.jobs()                            the cached list (an include's), else None
    category.jobs.find([filter], [options], [cb])
    category.jobs.findById(fk, [options], [cb])   404 not found / 400 Key mismatch
    category.jobs.exists(fk, [options], [cb])      fk among jobIds (no query)
    category.jobs.updateById(fk, data, [options], [cb])
    category.jobs.destroy(fk, [options], [cb])     unlink, then delete the job
    category.jobs.at(index, [options], [cb])       findById(jobIds[index])
    category.jobs.build(data)                      an unsaved Job (``properties`` applied)
    category.jobs.create(data, [options], [cb])    save a Job, append its id, save jobIds
    category.jobs.add(job | id, [options], [cb])   append an existing job's id
    category.jobs.remove(job | id, [options], [cb])   drop an id; resolves the new jobIds
    category.jobs.count / findOne / updateAll / destroyAll   over the referenced jobs

Params as juggler's: ``as`` (default: the target's plural, camelized),
``foreignKey`` (default ``camelize(<Target>_ids)``), ``scope``, ``properties``,
``options`` (``prepend``: new ids go first; ``disableInclude``),
``scopeMethods`` (a dict of ``fn(relation, *args)``, or juggler's function
form ``fn(definition, scopeMethods, relationClass) -> [names]``).  The model
gets ``__findById__jobs``, ``__destroyById__jobs``, ``__updateById__jobs``,
``__link__jobs``, ``__unlink__jobs`` and the scope's ``__get__``/``__create__``/
``__delete__``/``__update__``/``__findOne__``/``__count__`` helpers.

Deliberate fixes (docs/differences.md): ``count``/``findOne``/``updateAll``/
``destroyAll`` reach only the referenced targets (juggler's reach every row of
the target model); ``add`` of an object or array that is no target instance is
a 400 ``INVALID_ID`` (juggler uses it as a where filter); a failed ``add``,
``remove``, ``create`` or ``destroy`` leaves the ids list (and the database) as
it was: juggler changes the list in place before it saves, creates the target
of an unsaved source before failing, and deletes a target it failed to unlink.
"""

from functools import partial

from ..dao.helpers import invalid_id_error
from ..errors import LoopBackError
from ..filters.merge import merge_query
from ..js.json import stringify
from ..js.values import UNDEFINED, to_number, to_string
from ..loop import nextTick
from ..promise import callback_and_promise
from . import cache
from .definition import (MISSING, RELATION_CLASSES, RelationDefinition, camelize,
                         define_property, id_name, js_string, lookup_model_to,
                         normalize_relation_as, own_relations, plural_model_name,
                         properties_of)
from .relation import (Relation, extend_scope_methods, fetch_through_accessor, is_callback,
                       no_filter, relation_method, scope_related, split_create_args,
                       split_options_cb)
from .scope_filters import user_filter

__all__ = ['ReferencesMany', 'define_references_many']


def define_references_many(model_from, model_to_ref, params):
    """Declare ``model_from`` referencesMany target; returns the RelationDefinition.

    # LoopBack: RelationDefinition.referencesMany(modelFrom, modelToRef, params)

    A target given by name is looked up singularised (``'jobs'`` -> Job).
    The ids property replaces a property of the same name.
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params, singularize=True)
    name = params.get('as') or camelize(plural_model_name(model_to))
    fk = params.get('foreignKey') or camelize(model_to.modelName + '_ids')
    pk = id_name(model_to) or 'id'
    pk_prop = properties_of(model_to).get(pk)
    if pk_prop is None:
        raise LoopBackError('referencesMany relation %s of %s: model %s has no id property %s'
                            % (name, model_from.modelName, model_to.modelName, pk))

    definition = RelationDefinition(
        name=name, type='referencesMany', modelFrom=model_from, keyFrom=fk,
        modelTo=model_to, keyTo=pk, multiple=True, properties=params.get('properties'),
        scope=params.get('scope'), options=params.get('options'),
        relation_class=ReferencesMany)
    own_relations(model_from)[name] = definition

    define_property(model_from, fk, {'type': [pk_prop['type']], 'default': _empty_ids})
    model_from.validate(name, partial(_validate_ids, definition), {'code': 'uniqueness'})
    _install(model_from, model_to, definition, params.get('scopeMethods'))
    return definition


def _empty_ids():
    """The ids property's default: a new list each time (juggler: ``function() { return []; }``)."""
    return []


def _validate_ids(definition, inst, err):
    """juggler's validation: the ids hold no duplicate (``idEquals``), else the
    relation's error ``contains duplicate `<Target>` instance`` (uniqueness)."""
    ids = cache.read(inst, definition.keyFrom)
    if isinstance(ids, list) and has_duplicate(ids):
        inst.errors.add(definition.name, 'contains duplicate `%s` instance'
                        % definition.modelTo.modelName, 'uniqueness')
        err(False)


# ---------------------------------------------------------------- id equality

def has_duplicate(ids):
    """Whether an id of ``ids`` equals an earlier one by juggler's ``idEquals``.

    idEquals: ``===``; a number and a string compare with ``==`` (1 and '1');
    anything else compares by its JSON text (NaN and null are both 'null').
    In one pass: each id is looked up in the JSON texts, and in the numbers
    (and numeric strings) seen before.
    """
    texts, numbers, string_numbers = set(), set(), set()
    for value in ids:
        text = _json_text(value)
        if text in texts:
            return True
        if _is_number(value):
            if value == value and value in string_numbers:
                return True
            numbers.add(value)
        elif isinstance(value, str):
            number = to_number(value)
            if number == number and number in numbers:
                return True
            string_numbers.add(number)
        texts.add(text)
    return False


def id_equals(a, b):
    """juggler's ``utils.idEquals(a, b)``."""
    if a is b or (type(a) is type(b) and _scalar(a) and a == b):
        return True
    if _is_number(a) and isinstance(b, str):
        return a == to_number(b)
    if isinstance(a, str) and _is_number(b):
        return to_number(a) == b
    return _json_text(a) == _json_text(b)


def find_index(ids, target):
    """juggler's ``utils.findIndexOf(ids, target, idEquals)``: -1 when absent."""
    for index, value in enumerate(ids):
        if id_equals(value, target):
            return index
    return -1


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar(value):
    return isinstance(value, (str, int, float, bool))


def _json_text(value):
    """``JSON.stringify(value)`` for comparing ids (undefined -> None)."""
    if value is None or value is UNDEFINED:
        return 'null' if value is None else None
    try:
        return stringify(value)
    except (TypeError, ValueError):
        return repr(value)


def _fk_text(value):
    """A value as juggler's messages print it (``%s`` of strong-globalize:
    objects and null as JSON)."""
    if value is None or isinstance(value, (list, dict)):
        return _json_text(value)
    return js_string(value)


# ------------------------------------------------------------------ accessor

def _install(model_from, model_to, definition, scope_methods):
    """The accessor (an instance scope over the target whose ``related`` is
    the relation's) and the model's ``__<op>__<name>`` methods, in juggler's
    order: the scope's helpers replace ``__findById__`` as in juggler."""
    from .scope import define_scope
    name = definition.name
    methods = {method: relation_method(ReferencesMany, definition, method)
               for method in ('findById', 'updateById', 'exists', 'add', 'remove', 'at')}
    methods['destroy'] = relation_method(ReferencesMany, definition, 'destroyById')
    for op, method in (('findById', 'findById'), ('destroyById', 'destroy'),
                       ('updateById', 'updateById'), ('link', 'add'), ('unlink', 'remove')):
        setattr(model_from, '__%s__%s' % (op, name), methods[method])
    for method in ('create', 'build', 'related'):
        methods[method] = relation_method(ReferencesMany, definition, method)
    for method in ('count', 'findOne', 'updateAll', 'destroyAll'):
        methods[method] = _referenced_only(definition, method)
    for method_name in extend_scope_methods(definition, methods, scope_methods, ReferencesMany):
        method = methods.get(method_name)
        if callable(method) and getattr(method, 'shared', False) is True:
            setattr(model_from, '__%s__%s' % (method_name, name), method)
    scope = define_scope(model_from, model_to, name, no_filter, methods,
                         definition.options, isStatic=False)
    # juggler: scopeDefinition.related = scopeMethods.related
    scope.related = scope_related(ReferencesMany, definition)


def _referenced_only(definition, method):
    """The scope's ``count``/``findOne``/``updateAll``/``destroyAll``, limited to
    the source's targets (deliberate fix: juggler's scope has no filter, so
    ``category.jobs.destroyAll()`` deletes every Job)."""
    from .scope import ScopeAccessor

    def call(source, *args, **kwargs):
        accessor = getattr(source, definition.name)
        query = {'where': {definition.keyTo: {'inq': list(_ids_of(source, definition))}}}
        definition.applyScope(source, query)
        accessor._scope = merge_query(query, accessor._scope or {})
        return getattr(ScopeAccessor, method)(accessor, *args, **kwargs)
    call.__name__ = method
    return call


def _ids_of(source, definition):
    """``source[fk] || []`` (the stored list itself, so that it can be changed in place)."""
    ids = cache.read(source, definition.keyFrom)
    return ids if isinstance(ids, list) else []


# ----------------------------------------------------------- the relation object

class ReferencesMany(Relation):
    """The referencesMany operations of one source instance (juggler's ReferencesMany)."""

    _kind = 'ReferencesMany'

    def _ids(self):
        return _ids_of(self.modelInstance, self.definition)

    # -- reading ---------------------------------------------------------------

    def related(self, receiver, scopeParams=None, condOrRefresh=MISSING, options=MISSING,
                cb=MISSING):
        """The targets of ``receiver``'s ids, in their order (``findByIds``).

        # LoopBack: ReferencesMany.prototype.related(receiver, scopeParams,
        #           condOrRefresh, options, cb)

        A filter is merged in (never cached); a boolean (refresh) queries
        the same way (juggler throws a TypeError for ``true``); a filter
        that is no object (nor JSON text) is a 400, as a scope's.
        """
        if is_callback(condOrRefresh) and options is MISSING and cb is MISSING:
            cb, condOrRefresh = condOrRefresh, MISSING
        elif is_callback(options) and cb is MISSING:
            cb, options = options, {}
        options = {} if options in (MISSING, None, UNDEFINED) else options
        cb = None if cb is MISSING else cb
        refresh = condOrRefresh in (MISSING, None, UNDEFINED) or isinstance(condOrRefresh, bool)
        try:
            cond = {} if refresh else user_filter(condOrRefresh)
        except LoopBackError as err:
            done, promise = callback_and_promise(cb)
            done(err)
            return promise
        ids = list(_ids_of(receiver, self.definition))
        self.definition.applyScope(receiver, cond)
        params = merge_query(cond, scopeParams or {})
        return self.definition.modelTo.findByIds(ids, params, options, cb)

    def findById(self, fkId=None, options=MISSING, cb=MISSING):
        """The target ``fkId`` when the source references it.

        # LoopBack: category.jobs.findById(fkId, [options], [cb])

        Errors: 404 ``No instance with id <fkId> found for <Target>``; 400
        ``Key mismatch: <Source>.<fk>: <ids as JSON>, <Target>.<pk>: <id>``.
        An object id is used as its ``String()``, as juggler does.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        self._find_by_id(fkId, options, done)
        return promise

    def _find_by_id(self, fk_id, options, done):
        definition = self.definition
        model_to = definition.modelTo
        pk, fk = definition.keyTo, definition.keyFrom
        if isinstance(fk_id, (dict, list, tuple)) or cache.is_model_instance(fk_id):
            fk_id = to_string(fk_id)   # juggler: fkId.toString() (mongodb)
        source = self.modelInstance
        query = {}
        definition.applyScope(source, query)

        def found(err=None, instances=None):
            if err is not None:
                return done(err)
            inst = instances[0] if instances else None
            if inst is None:
                return done(LoopBackError('No instance with id %s found for %s'
                                          % (js_string(fk_id), model_to.modelName),
                                          statusCode=404))
            ids = self._ids()
            if find_index(ids, cache.read(inst, pk)) > -1:
                return done(None, inst)
            done(LoopBackError('Key mismatch: %s.%s: %s, %s.%s: %s' % (
                definition.modelFrom.modelName, fk, _fk_text(cache.read(source, fk)),
                model_to.modelName, pk, _fk_text(cache.read(inst, pk))), statusCode=400))
        model_to.findByIds([UNDEFINED if fk_id is None else fk_id], query, options, found)

    def exists(self, fkId=None, options=MISSING, cb=MISSING):
        """Whether the source references ``fkId`` (the ids only, no query).

        # LoopBack: category.jobs.exists(fkId, [options], [cb])
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        nextTick(done, None, find_index(self._ids(), fkId) > -1)
        return promise

    def at(self, index=None, options=MISSING, cb=MISSING):
        """``findById(ids[index])``; an index past the end (or negative, or no
        index) asks for an undefined id: 404.

        # LoopBack: category.jobs.at(index, [options], [cb])
        """
        options, cb = split_options_cb(options, cb)
        ids = self._ids()
        position = _array_index(index)
        fk_id = ids[position] if position is not None and position < len(ids) else None
        done, promise = callback_and_promise(cb)
        self._find_by_id(fk_id, options, done)
        return promise

    # -- writing the targets ------------------------------------------------------

    def updateById(self, fkId=None, data=MISSING, options=MISSING, cb=MISSING):
        """Update the referenced target ``fkId``; resolves with it.

        # LoopBack: category.jobs.updateById(fkId, data, [options], [cb])
        """
        if is_callback(options) and cb is MISSING:
            cb, options = options, {}
        elif is_callback(data) and options is MISSING and cb is MISSING:
            cb, data = data, {}
        options, cb = split_options_cb(options, cb)
        data = {} if data in (MISSING, None) else data
        done, promise = callback_and_promise(cb)

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            inst.updateAttributes(data, options, done)
        self._find_by_id(fkId, options, found)
        return promise

    def destroyById(self, fkId=None, options=MISSING, cb=MISSING):
        """Unlink the target ``fkId``, then delete it; resolves with ``{'count': n}``.

        # LoopBack: category.jobs.destroy(fkId, [options], [cb]) (destroyById)

        As juggler, the lookup and the delete run without ``options``.  An
        unlink that fails is the error, and the target is kept (juggler
        deletes it anyway).
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)

        def found(err=None, inst=None):
            if err is not None:
                return done(err)

            def removed(err=None, ids=None):
                if err is not None:
                    return done(err)
                inst.destroy(done)
            self.remove(inst, removed)
        self._find_by_id(fkId, {}, found)
        return promise

    # -- new targets and links ----------------------------------------------------

    def build(self, data=None):
        """A new, unsaved target with ``properties`` applied (``data`` is changed in place).

        # LoopBack: category.jobs.build(data)
        """
        data = {} if data is None else data
        self.definition.applyProperties(self.modelInstance, data)
        return self.definition.modelTo(data)

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Save a new target (the accessor's ``build``), then add its id and
        save the source's ids; resolves with the target.

        # LoopBack: category.jobs.create(data, [options], [cb])

        An unsaved source is refused before anything is written (juggler
        saves the target, then fails: 'You must provide an id when updating
        attributes!').  When saving the ids fails, the new target is deleted
        again and the ids list is as it was.
        """
        data, options, cb = split_create_args(data, options, cb, undefined_cb_only=True)
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        source = self.modelInstance
        if not self._source_saved():
            done(_unsaved_source_error())
            return promise
        try:
            inst = getattr(source, self.definition.name).build(data)
        except LoopBackError as err:
            done(err)
            return promise

        def saved(err=None, target=None, *_):
            if err is not None:
                return done(err, target)

            def linked(err=None, target=None):
                if err is None:
                    return done(None, target)
                target_inst = inst if target is None else target
                target_inst.destroy(lambda *_: done(err))
            self._link(target if target is not None else inst, options, linked)
        inst.save(options, saved)
        return promise

    def add(self, acInst=None, options=MISSING, cb=MISSING):
        """Add an existing target (an instance, or its id, looked up within the
        relation's scope) to the ids and save them; resolves with the target,
        or None when no target has that id.

        # LoopBack: category.jobs.add(job | id, [options], [cb])

        Errors: a 422 ValidationError when the target is referenced already
        (the ids are then as they were); 400 ``INVALID_ID`` for an object or
        array that is no target instance (juggler makes it a where filter).
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        definition = self.definition
        if isinstance(acInst, definition.modelTo):
            self._link(acInst, options, done)
            return promise
        bad = invalid_id_error(definition.modelTo, acInst)
        if bad is not None:
            done(bad)
            return promise
        if acInst is None or acInst is UNDEFINED:
            nextTick(done, None, None)   # juggler: where {id: null} finds nothing
            return promise
        query = {'where': {definition.keyTo: acInst}}
        definition.applyScope(self.modelInstance, query)

        def found(err=None, inst=None):
            if err is not None or inst is None:
                return done(err, None)
            self._link(inst, options, done)
        definition.modelTo.findOne(query, options, found)
        return promise

    def remove(self, acInst=None, options=MISSING, cb=MISSING):
        """Drop a target (an instance, or an id) from the ids and save them;
        resolves with the ids list (unchanged, without a write, when it was
        not there).

        # LoopBack: category.jobs.remove(job | id, [options], [cb])
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        definition = self.definition
        source = self.modelInstance
        fk = definition.keyFrom
        ids = cache.read(source, fk)
        if not isinstance(ids, list):
            ids = []
        target_id = cache.read(acInst, definition.keyTo) \
            if isinstance(acInst, definition.modelTo) else acInst
        index = find_index(ids, target_id)
        if index < 0:
            nextTick(done, None, ids)
            return promise
        removed = ids.pop(index)

        def saved(err=None, inst=None, *_):
            if err is not None:
                current = _stored_ids(source, fk)
                current.insert(min(index, len(current)), removed)
                return done(err)
            current = cache.read(inst, fk)
            done(None, current if current is not None else [])
        source.updateAttribute(fk, ids, options, saved)
        return promise

    # -- helpers -------------------------------------------------------------------

    def _link(self, target, options, done):
        """Put ``target``'s id in the source's ids (first with ``options.prepend``,
        in the stored list itself, as juggler) and save them; ``done(err, target)``.
        When the save fails, that id is taken out again."""
        definition = self.definition
        source = self.modelInstance
        fk = definition.keyFrom
        target_id = cache.read(target, definition.keyTo)
        if isinstance(target_id, (dict, list)) or cache.is_model_instance(target_id):
            target_id = to_string(target_id)   # juggler: id.toString() (mongodb)
        ids = cache.read(source, fk)
        if not isinstance(ids, list):
            ids = []
        prepend = bool(definition.options.get('prepend'))
        if prepend:
            ids.insert(0, target_id)
        else:
            ids.append(target_id)

        def saved(err=None, *_):
            if err is None:
                return done(None, target)
            _take_out(_stored_ids(source, fk), target_id, prepend)
            done(err, None)
        source.updateAttribute(fk, ids, options, saved)

    def _source_saved(self):
        source = self.modelInstance
        model = type(source)
        source_id = cache.read(source, id_name(model) or 'id')
        return source_id is not None and not source.isNewRecord()

    fetch = fetch_through_accessor


RELATION_CLASSES['referencesMany'] = ReferencesMany


def _stored_ids(source, fk):
    """The source's ids list as stored now (a list put there if it has none)."""
    data = cache.data_of(source)
    ids = data.get(fk)
    if not isinstance(ids, list):
        ids = data[fk] = []
    return ids


def _take_out(ids, value, first):
    """Remove the occurrence of ``value`` that _link put in ``ids``."""
    positions = [i for i, v in enumerate(ids) if v is value or v == value]
    if positions:
        del ids[positions[0] if first else positions[-1]]


def _unsaved_source_error():
    """updateAttribute's error for a source without an id (juggler's text)."""
    return LoopBackError('You must provide an id when updating attributes!')


def _array_index(index):
    """``ids[index]`` as JavaScript reads it: the position, or None (undefined)."""
    if isinstance(index, bool):
        return None
    if isinstance(index, int):
        return index if index >= 0 else None
    if isinstance(index, float):
        return int(index) if index.is_integer() and index >= 0 else None
    if isinstance(index, str) and index.isdigit() and (index == '0' or index[0] != '0'):
        return int(index)
    return None

