"""hasMany through: each source instance reaches its targets through a link model.

# LoopBack: RelationDefinition.hasMany with params.through, HasManyThrough.prototype.*,
#           throughKeys (lib/relation-definition.js)

``Physician.hasMany(Patient, {'through': Appointment})`` keeps two keys on
the through model (``appointment.physicianId -> physician.id``, the
relation's ``keyTo``; ``appointment.patientId -> patient.id``, its
``keyThrough``) and gives every physician an accessor ``physician.patients``:
a scope (relations/scope.py) over the *through* model, limited to
``{where: {physicianId: physician.id}}`` plus the relation's ``scope``, whose
query collects the belongsTo relation of the through model that points at
the target (``{collect: 'patient', include: 'patient'}``: juggler's find
then answers the patients instead of the appointments, dao/find.py).  As in
juggler, the accessor's ``count``, ``findOne``, ``build``, ``updateAll`` and
``destroyAll`` work on the through model (``physician.patients.count()``
counts appointments; ``destroyAll`` deletes the links, not the patients).

    physician.patients([filter], [options], [cb])   the patients; a filter
                                        applies to Patient (a second query)
    physician.patients.create(data | [data...])  a patient and its link
    physician.patients.add(patient | id, [data], [options], [cb])   the link
                                        (findOrCreate: a pair is linked once)
    physician.patients.remove(patient | id)      deletes the pair's links
    physician.patients.exists(patient | id)      a link exists (count > 0)
    physician.patients.findById(id, [filter|options])   404 unless linked
    physician.patients.updateById(id, data) / .destroy(id)   via findById / exists

The model also gets ``__link__patients`` (add) and ``__unlink__patients``
(remove), as juggler's prototype does, besides hasMany's helpers.

The keys of a link (juggler's throughKeys): a polymorphic relation uses its
``keyTo`` and ``keyThrough`` (the polymorphic foreign key when inverted);
between two models, the ``keyFrom`` of the through model's first belongsTo
to the source, then to the target; on one model (``User`` follows
``User``), the through model's belongsTo relations to the model, the one
whose key is ``keyTo`` first.

Deliberate fixes (docs/differences.md): a write (``create``, ``add``,
``remove``, ``updateById``, ``destroy``) from a source whose key is not set
is refused with ``RELATION_KEY_NOT_SET`` (juggler drops the undefined key
from the where: ``remove`` unlinks the target from every source, ``add``
writes a link without source); a through model without the belongsTo
relations the keys come from is an error (juggler writes a property named
``undefined``); both are reported before anything is written.
"""

from ..dao.helpers import invalid_id_error
from ..errors import LoopBackError, bad_request
from ..js.values import UNDEFINED
from ..promise import callback_and_promise
from . import cache
from .creation import find_or_create
from .definition import (MISSING, RELATION_CLASSES, RelationDefinition, camelize, id_name,
                         js_string, lookup_model, lookup_model_to, models_of,
                         normalize_relation_as, own_relations)
from .has_many import HasMany, _scope_filter, has_many_keys, install_has_many
from .relation import is_callback, prevent_fk_override, split_create_args, split_options_cb

__all__ = ['HasManyThrough', 'define_has_many_through', 'through_keys']


def define_has_many_through(model_from, model_to_ref, params):
    """Declare ``model_from`` hasMany target through ``params['through']``.

    # LoopBack: RelationDefinition.hasMany(modelFrom, modelToRef, params) (params.through)

    Defaults as hasMany's: relation name = camelized plural of the target's
    name; ``keyTo`` (on the through model) = camelize(<source name>_id);
    ``keyThrough`` (on the through model) = camelize(<target name>_id).
    Nothing is added to the target; the through model gets its keys from
    its own belongsTo relations (hasAndBelongsToMany declares them).
    ``through`` is a model class, or the name of a defined model.
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params, singularize=True)
    through = _through_model(model_from, params['through'])

    name, fk, key_through, pk, polymorphic = has_many_keys(model_from, model_to, params)

    definition = RelationDefinition(
        name=name, type='hasMany', modelFrom=model_from, keyFrom=pk,
        modelTo=model_to, keyTo=fk, multiple=True,
        properties=params.get('properties'), scope=params.get('scope'),
        options=params.get('options'), polymorphic=polymorphic,
        relation_class=HasManyThrough, keyThrough=key_through, modelThrough=through)
    own_relations(model_from)[name] = definition
    install_has_many(model_from, through, definition, params.get('scopeMethods'), HasManyThrough,
                     _through_filter,
                     ('findById', 'updateById', 'exists', 'create', 'add', 'remove'), links=True)
    return definition


def _through_model(model_from, through):
    """The through model: a class, or a defined model's name (juggler only
    takes the class; the JSON relations block resolves names first)."""
    if isinstance(through, str):
        found = lookup_model(models_of(model_from), through)
        if found is None:
            raise LoopBackError('Could not find the through model %s of a relation of %s'
                                % (through, model_from.modelName))
        return found
    return through


def _through_filter(definition, source):
    """hasMany's filter on the through model, collecting its relation to the
    target: the through model's first belongsTo to the target keyed by
    ``keyThrough`` (any polymorphic belongsTo keyed so), else the camelized
    target name; an inverted polymorphic relation collects its selector."""
    if isinstance(source, type):
        # read on the class (juggler: the prototype, whose key is undefined)
        query = {'where': {definition.keyTo: UNDEFINED}}
    else:
        query = _scope_filter(definition, source)
    polymorphic = definition.polymorphic
    if isinstance(polymorphic, dict) and polymorphic.get('invert'):
        collect = polymorphic['selector']
    else:
        collect = _collected_relation(definition) or camelize(definition.modelTo.modelName)
    query['collect'] = collect
    query['include'] = collect
    return query


def _collected_relation(definition):
    for relation in (getattr(definition.modelThrough, 'relations', None) or {}).values():
        if relation.type != 'belongsTo' or relation.keyFrom != definition.keyThrough:
            continue
        if (relation.polymorphic and relation.modelTo is None) or \
                relation.modelTo is definition.modelTo:
            return relation.name
    return None


# ------------------------------------------------------------------ the keys

def _belongs_to_keys(through, model, key_to):
    """juggler's findBelongsTo: the ``keyFrom`` of each belongsTo of
    ``through`` to ``model`` (keyed on ``key_to``), in declaration order."""
    return [relation.keyFrom
            for relation in (getattr(through, 'relations', None) or {}).values()
            if relation.type == 'belongsTo' and relation.modelTo is model
            and (key_to is None or relation.keyTo == key_to)]


def through_keys(definition):
    """``(fk1, fk2)``: the through model's keys to the source and to the
    target; None where the through model has no belongsTo to give one.

    # LoopBack: throughKeys(definition)
    """
    through = definition.modelThrough
    pk2 = id_name(definition.modelTo)
    polymorphic = definition.polymorphic
    if isinstance(polymorphic, dict):
        fk2 = polymorphic['foreignKey'] if polymorphic.get('invert') else definition.keyThrough
        return definition.keyTo, fk2
    if definition.modelFrom is definition.modelTo:
        keys = _belongs_to_keys(through, definition.modelTo, pk2)
        # juggler sorts with a comparator that puts keyTo first (V8 keeps the
        # others in their order)
        keys = [k for k in keys if k == definition.keyTo] + \
            [k for k in keys if k != definition.keyTo]
        keys += [None, None]
        return keys[0], keys[1]
    fk1 = _belongs_to_keys(through, definition.modelFrom, definition.keyFrom)
    fk2 = _belongs_to_keys(through, definition.modelTo, pk2)
    return (fk1[0] if fk1 else None), (fk2[0] if fk2 else None)


# --------------------------------------------------------------- the relation

class HasManyThrough(HasMany):
    """The hasMany-through operations of one source instance (juggler's
    HasManyThrough, a HasMany: its cache methods are hasMany's)."""

    _kind = 'HasManyThrough'

    # -- links -------------------------------------------------------------------

    def add(self, acInst=None, data=MISSING, options=MISSING, cb=MISSING):
        """Link ``acInst`` (a target instance or its id); resolves with the
        through instance.

        # LoopBack: physician.patients.add(patient | id, [data], [options], [cb])

        ``data`` (modified in place, as juggler) is the through instance's
        data; the two keys and the relation's ``properties`` are set on it.
        The link is a ``findOrCreate`` on the pair (and the relation's
        scope): adding a linked pair again answers the existing link, and
        concurrent adds of one pair create one link.  An instance of the
        target joins the cached list.  Nothing checks that the target
        exists (juggler).
        """
        if is_callback(options) and cb in (MISSING, None):
            options, cb = MISSING, options
        if is_callback(data):
            data, cb = {}, data
        data = {} if data in (MISSING, None) else data
        done, promise = callback_and_promise(None if cb is MISSING else cb)
        (fk1, fk2, target_key), err = self._link_keys(acInst, 'add', write=True)
        if err is not None:
            done(err)
            return promise
        source_key = self._pk_value()
        query = {'where': {fk1: source_key, fk2: target_key}}
        self.definition.applyScope(self.modelInstance, query)
        if isinstance(data, dict) or cache.is_model_instance(data):
            data[fk1] = source_key
            data[fk2] = target_key
            self.definition.applyProperties(self.modelInstance, data)

        def linked(err=None, link=None, *_):
            if err is not None:
                return done(err)
            if isinstance(acInst, self.definition.modelTo):
                self.addToCache(acInst)
            done(None, link)
        find_or_create(self.definition.modelThrough, query, data,
                       {} if options is MISSING or options is None else options, linked)
        return promise

    def exists(self, acInst=None, options=MISSING, cb=MISSING):
        """True when ``acInst`` (an instance or id) is linked to this source.

        # LoopBack: physician.patients.exists(patient | id, [options], [cb])

        A count of the through rows of the pair (juggler); an unsaved
        source's key is left out, so any link of the target counts.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        (fk1, fk2, target_key), err = self._link_keys(acInst, 'exists')
        if err is not None:
            done(err)
            return promise
        query = {'where': {fk1: self._key_or_undefined(), fk2: target_key}}
        self.definition.applyScope(self.modelInstance, query)
        self.definition.modelThrough.count(
            query['where'], options,
            lambda err=None, n=None: done(err) if err is not None
            else done(None, isinstance(n, (int, float)) and n > 0))
        return promise

    def remove(self, acInst=None, options=MISSING, cb=MISSING):
        """Delete the links of ``acInst`` (an instance or id) to this source;
        resolves with nothing, also when there was no link.

        # LoopBack: physician.patients.remove(patient | id, [options], [cb])

        The target leaves the cached list; the target itself is kept.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        (fk1, fk2, target_key), err = self._link_keys(acInst, 'remove', write=True)
        if err is not None:
            done(err)
            return promise
        query = {'where': {fk1: self._pk_value(), fk2: target_key}}
        self.definition.applyScope(self.modelInstance, query)

        def removed(err=None, *_):
            if err is not None:
                return done(err)
            self.removeFromCache(target_key)
            done(None)
        self.definition.modelThrough.destroyAll(query['where'], options, removed)
        return promise

    # -- by target id ------------------------------------------------------------

    def findById(self, fkId=None, options=MISSING, cb=MISSING):
        """The linked target with id ``fkId``.

        # LoopBack: physician.patients.findById(fkId, [filter|options], [cb])

        Errors (404): ``No relation found in <Through> for (<From>.<key>,<To>.<fkId>)``
        when the pair has no link; ``No instance with id <fkId> found for
        <To>`` when the link's target is gone.  As juggler, the second
        argument is given to the target's ``findById`` as it is, so a
        filter with ``include`` or ``fields`` works as one.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        self._find_linked(fkId, options, done)
        return promise

    def _find_linked(self, fk_id, options, done):
        definition = self.definition
        model_to = definition.modelTo

        def found(err=None, inst=None, *_):
            if err is not None:
                return done(err)
            if inst is None:
                return done(LoopBackError('No instance with id %s found for %s'
                                          % (js_string(fk_id), model_to.modelName),
                                          statusCode=404))
            done(None, inst)

        def checked(err=None, linked=None):
            if err is not None:
                return done(err)
            if not linked:
                return done(LoopBackError('No relation found in %s for (%s.%s,%s.%s)' % (
                    definition.modelThrough.modelName, definition.modelFrom.modelName,
                    js_string(self._pk_value()), model_to.modelName, js_string(fk_id)),
                    statusCode=404))
            model_to.findById(fk_id, options, found)
        self.exists(fk_id, options, checked)

    def updateById(self, fkId=None, data=None, options=MISSING, cb=MISSING):
        """Update the linked target ``fkId`` with ``data``; resolves with it.

        # LoopBack: HasMany.prototype.updateById, whose findById is this one's

        Errors: findById's; ``Cannot override foreign key <keyTo> from
        undefined to <v>`` when ``data`` sets the relation's ``keyTo`` (a
        key of the through model, absent from the target).
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        err = self._link_keys(fkId, 'updateById', write=True)[1]
        if err is not None:
            done(err)
            return promise
        data = {} if data is None else data

        def found(err=None, inst=None):
            if err is not None:
                return done(err)
            fk_err = prevent_fk_override(inst, data, self.definition.keyTo)
            if fk_err is not None:
                return done(fk_err)
            inst._related_update(data, options, done)
        self._find_linked(fkId, options, found)
        return promise

    def destroyById(self, fkId=None, options=MISSING, cb=MISSING):
        """Unlink and delete the linked target ``fkId``; resolves with
        ``{'count': n}`` (the target's deleteById).

        # LoopBack: physician.patients.destroy(fkId, [options], [cb]) (HasManyThrough destroyById)

        Error (404): ``No record found in <Through> for (<From>.<key> ,<To>.<fkId>)``
        when the pair has no link.
        """
        options, cb = split_options_cb(options, cb)
        done, promise = callback_and_promise(cb)
        err = self._link_keys(fkId, 'destroy', write=True)[1]
        if err is not None:
            done(err)
            return promise
        definition = self.definition

        def removed(err=None, *_):
            if err is not None:
                return done(err)
            definition.modelTo.deleteById(
                fkId, options,
                lambda err=None, info=None, *_: done(err) if err is not None
                else done(None, info))

        def checked(err=None, linked=None):
            if err is not None:
                return done(err)
            if not linked:
                return done(LoopBackError('No record found in %s for (%s.%s ,%s.%s)' % (
                    definition.modelThrough.modelName, definition.modelFrom.modelName,
                    js_string(self._pk_value()), definition.modelTo.modelName,
                    js_string(fkId)), statusCode=404))
            self.remove(fkId, options, removed)
        self.exists(fkId, options, checked)
        return promise

    # -- new targets ---------------------------------------------------------------

    def create(self, data=MISSING, options=MISSING, cb=MISSING):
        """Create a target (or one per item of a list) and link each.

        # LoopBack: physician.patients.create(data | [data, ...], [options], [cb])

        The target is created first, then its link (a findOrCreate, as
        ``add``); when the link fails the new target is deleted again and
        the link's error is delivered.  Each created target joins the
        cached list.  Resolves with the target (or the list).
        """
        data, options, cb = split_create_args(data, options, cb)
        done, promise = callback_and_promise(cb)
        err = self._link_keys(MISSING, 'create', write=True)[1]
        if err is not None:
            done(err)
            return promise

        def created(err=None, target=None, *_):
            if err is not None:
                return done(err)
            if isinstance(target, list):
                return _map(target, lambda to, next_: self._link_new(to, options, next_),
                            done)
            self._link_new(target, options, done)
        self.definition.modelTo.create(data, options, created)
        return promise

    def _link_new(self, target, options, next_):
        definition = self.definition
        fk1, fk2 = through_keys(definition)
        source_key = self._pk_value()
        target_key = cache.read(target, id_name(definition.modelTo))
        link = {fk1: source_key, fk2: target_key}
        query = {'where': {fk1: source_key, fk2: target_key}}
        definition.applyProperties(self.modelInstance, link)
        definition.applyScope(self.modelInstance, query)

        def linked(err=None, *_):
            if err is None:
                self.addToCache(target)
                return next_(None, target)
            # juggler: undo the target's creation, then report the link's error
            target._related_destroy(options, lambda *_: next_(err))
        find_or_create(definition.modelThrough, query, link, options, linked)

    # -- helpers -------------------------------------------------------------------

    def _key_or_undefined(self):
        """The source key; unset, it is undefined (the DAO drops it from a where)."""
        key = self._pk_value()
        return UNDEFINED if key is None else key

    def _link_keys(self, target, method, write=False):
        """``((fk1, fk2, target key), err)`` for a call on ``target`` (an
        instance of the target model, or an id; MISSING: none, for create).

        The error refuses the call before anything is read or written: the
        through model lacks the belongsTo relations the keys come from; a
        write from a source whose key is not set; a target that is neither
        a target instance nor a scalar id (an object or list would act as a
        filter: ``remove({'gt': 0})`` would unlink every target, as dao's
        INVALID_ID fix); no target at all.
        """
        definition = self.definition
        fk1, fk2 = through_keys(definition)
        key = target
        if fk1 is None or fk2 is None:
            missing = definition.modelFrom if fk1 is None else definition.modelTo
            return (fk1, fk2, key), LoopBackError(
                'The through model %s of relation %s of %s has no belongsTo relation to %s '
                'to take its key from' % (definition.modelThrough.modelName, definition.name,
                                          definition.modelFrom.modelName, missing.modelName),
                code='THROUGH_KEY_NOT_FOUND')
        if write and self._pk_value() is None:
            return (fk1, fk2, key), LoopBackError(
                'Cannot %s %s of a %s whose %s is not set: its links would not name it'
                % (method, definition.name, definition.modelFrom.modelName,
                   definition.keyFrom), code='RELATION_KEY_NOT_SET')
        if target is MISSING and method == 'create':
            return (fk1, fk2, key), None
        model_to = definition.modelTo
        if isinstance(target, model_to):    # juggler: acInst instanceof modelTo
            key = cache.read(target, id_name(model_to))
        elif target is MISSING or target is None or target is UNDEFINED:
            return (fk1, fk2, None), bad_request(
                '%s.%s requires a %s or its id' % (definition.name, method,
                                                   model_to.modelName), code='INVALID_ID')
        return (fk1, fk2, key), invalid_id_error(model_to, key)


RELATION_CLASSES['hasManyThrough'] = HasManyThrough


def _map(items, worker, done):
    """async.map: ``worker(item, next)`` for all at once; ``done(err)`` at
    the first error, else ``done(None, results)`` in the items' order."""
    results = [None] * len(items)
    state = {'left': len(items), 'over': False}
    if not items:
        return done(None, results)

    def one(index):
        def next_(err=None, value=None):
            if state['over']:
                return
            if err is not None:
                state['over'] = True
                return done(err)
            results[index] = value
            state['left'] -= 1
            if state['left'] == 0:
                state['over'] = True
                done(None, results)
        return next_

    for index, item in enumerate(items):
        worker(item, one(index))
