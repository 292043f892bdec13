"""What embedsOne and embedsMany share: the owner's property, the embedded
instances' link to their owner, id generation and the validation texts.

# LoopBack: RelationDefinition.embedsOne/embedsMany (the property and the
#           validations they define), EmbedsOne/EmbedsMany.prototype.
#           prepareEmbeddedInstance (lib/relation-definition.js)

An embedded relation keeps its target data *inside* the owner: ``Person.
embedsOne(Passport)`` adds the property ``passport`` (typed by Passport,
model/sub_models.py) and ``Person.embedsMany(Address)`` the property
``addresses`` (a list of Address); the owner's own writes store them.

:meth:`EmbeddedRelation.prepareEmbeddedInstance` links an embedded instance
to its owner as juggler does: it counts as stored (``isNewRecord()`` is
False; with ``options.persistent``, only when it has an id) and gets
``inst.triggerParent(action, cb)``, which writes the owner after the
instance's own ``save`` or ``destroy`` (hooks.trigger calls it inside the
'save'/'destroy' legacy-hook work, where juggler's wrapped ``inst.trigger``
does).  Errors of that owner write are ignored, as juggler ignores them.
"""

from ..errors import LoopBackError
from ..js.values import to_string, truthy
from ..loop import nextTick
from ..validations import validation_error
from . import cache
from .definition import id_name
from .relation import Relation

__all__ = ['EmbeddedRelation', 'property_spec', 'generate_id', 'can_generate_id',
           'item_error_text', 'first_error', 'invalid_error']


def property_spec(params, type_):
    """The owner property's definition: ``options.property`` (column settings
    and the like) with ``type`` set (juggler's ``Object.assign(options.
    property || {}, {type: modelTo})``; the caller's dict is not changed)."""
    options = params.get('options') or {}
    spec = options.get('property') if isinstance(options, dict) else None
    spec = dict(spec) if isinstance(spec, dict) else {}
    spec['type'] = type_
    return spec


def target_connector(model_to):
    """The connector of the embedded model's data source (None when unattached)."""
    ds = getattr(model_to, 'dataSource', None)
    return getattr(ds, 'connector', None) if ds is not None else None


def can_generate_id(model_to):
    """juggler's ``typeof modelTo.dataSource.connector.generateId === 'function'``
    (the transient connector has one; memory and SQL have none)."""
    return callable(getattr(target_connector(model_to), 'generateId', None))


def generate_id(model_to, data, pk):
    """``connector.generateId(modelName, data, pk)`` of the embedded model's data source."""
    return target_connector(model_to).generateId(model_to.modelName, data, pk)


def target_id_name(model_to):
    """``modelTo.dataSource.idName(modelTo.modelName) || 'id'``."""
    return id_name(model_to) or 'id'


def first_error(inst):
    """``(name, text)`` of an invalid instance's first error: juggler reads
    ``Object.keys(inst.errors)[0]`` and prints its messages as JavaScript
    prints an array (joined by ',')."""
    errors = getattr(inst, 'errors', None) or {}
    for name, messages in errors.items():
        if isinstance(messages, (list, tuple)):
            return name, ','.join('' if m is None else to_string(m) for m in messages)
        return name, to_string(messages)
    return 'undefined', 'undefined'


def item_error_text(inst):
    """The text juggler puts after an embedded item's name: '`name` can't be blank'."""
    name, text = first_error(inst)
    return '`%s` %s' % (name, text)


def is_model_instance(value):
    return cache.is_model_instance(value)


class EmbeddedRelation(Relation):
    """Base of EmbedsOne and EmbedsMany: one owner instance's embedded relation."""

    # -- juggler's prepareEmbeddedInstance ----------------------------------------

    def prepareEmbeddedInstance(self, inst):
        """Link ``inst`` to the owner (see the module docstring).

        # LoopBack: EmbedsOne/EmbedsMany.prototype.prepareEmbeddedInstance(inst)
        """
        if not is_model_instance(inst):
            return
        definition = self.definition
        if definition.options.get('persistent'):
            inst.__dict__['__persisted'] = truthy(cache.read(inst, definition.keyTo))
        else:
            inst.__dict__['__persisted'] = True
        link = inst.__dict__.get('triggerParent')
        if type(link) is _ParentLink and link.owner is self.modelInstance and \
                link.definition is definition:
            return   # linked already (embeddedList() prepares every item on each call)
        inst.__dict__['triggerParent'] = _ParentLink(definition, self.modelInstance, inst,
                                                     type(self))

    # -- writing the owner ----------------------------------------------------------

    def _write_owner(self, value, options, done):
        """juggler's ``updateEmbedded``: a new owner is saved (with the value
        set), a stored one gets ``updateAttribute(property, value)``."""
        owner = self.modelInstance
        prop = self.definition.keyFrom
        if owner.isNewRecord():
            owner.setAttribute(prop, value)
            owner.save(options, lambda err=None, *_: done(err))
        else:
            owner.updateAttribute(prop, value, options, lambda err=None, *_: done(err))

    def _hook(self, hook, context, then, done):
        """Run the embedded model's ``hook`` observers on ``context``; their
        error goes to ``done``, else ``then()``."""
        def after(err=None, *_):
            if err is not None:
                return done(err)
            then()
        self.definition.modelTo.notifyObserversOf(hook, context, after)

    def _context(self, **fields):
        return dict({'Model': self.definition.modelTo}, **fields)


def invalid_error(inst):
    """The ValidationError of ``inst`` when it is invalid, else None."""
    if inst.isValid():
        return None
    return validation_error(inst)


def later(done, *args):
    """``process.nextTick(() => done(...args))``."""
    nextTick(done, *args)


def invalid_reference(definition):
    """juggler's ``new Error('Invalid reference: ' + defOpts.belongsTo || '(none)')``
    (its precedence prints 'undefined' for a missing option)."""
    ref = definition.options.get('belongsTo')
    return LoopBackError('Invalid reference: %s' % ('undefined' if ref is None else
                                                     to_string(ref)))


class _ParentLink:
    """``inst.triggerParent(actionName, callback)``: after the embedded
    instance's own save (or destroy), write the owner.

    # LoopBack: inst.triggerParent of prepareEmbeddedInstance
    ``callback(err, owner)``; actions other than 'save' and 'destroy' only
    call back on the next tick.
    """

    __slots__ = ('definition', 'owner', 'inst', 'relation_class')

    def __init__(self, definition, owner, inst, relation_class):
        self.definition = definition
        self.owner = owner
        self.inst = inst
        self.relation_class = relation_class

    def __call__(self, actionName, callback=None):
        callback = callback or _ignore
        if actionName not in ('save', 'destroy'):
            return nextTick(callback)
        relation = self.relation_class(self.definition, self.owner)
        relation._parent_write(actionName, self.inst,
                               lambda err=None, *_: callback(err, None if err else self.owner))


def _ignore(*_args):
    return None
