"""Relations between models: every LoopBack relation type, named scopes and ``include``.

# LoopBack: lib/relations.js (RelationMixin), lib/scope.js, lib/include.js and
#           DataSource.prototype.defineRelations of loopback-datasource-juggler 3.x

Interface the data-source layer relies on:

- ``RelationMixin``: mixed into every model class; gives the classmethods
  ``hasOne``, ``belongsTo``, ``hasMany``, ``hasAndBelongsToMany``,
  ``referencesMany``, ``embedsOne``, ``embedsMany``, ``scope`` and
  ``include`` (used by ``find``), and ``Model.scopes``.
- ``define_relations(Model, relations)``: the ``relations`` block of a
  model definition (JSON form).
- ``define_scopes(Model, scopes)``: the ``scopes`` setting.
- ``model_defined(Model)``: called by the data source after each model is
  defined, so relations waiting for that target are completed.
"""

import warnings
import weakref

from ..errors import AssertionError_, LoopBackError
from .belongs_to import BelongsTo, define_belongs_to
from .definition import (RELATION_TYPES, RelationDefinition, camelize, js_string,
                         models_of, normalize_params)
from .embeds_many import EmbedsMany, define_embeds_many
from .embeds_one import EmbedsOne, define_embeds_one
from .has_and_belongs_to_many import define_has_and_belongs_to_many
from .has_many import HasMany, define_has_many
from .has_one import HasOne, define_has_one
from .include import include as _include
from .include import normalize_include
from .references_many import ReferencesMany, define_references_many
from .scope import NoScopes, ScopeDefinition, define_scope, define_scopes

__all__ = ['RelationMixin', 'RelationDefinition', 'HasOne', 'BelongsTo', 'HasMany',
           'EmbedsOne', 'EmbedsMany',
           'ScopeDefinition', 'define_relations', 'define_scopes', 'model_defined',
           'normalize_include', 'camelize']

# data source -> [(source model, relation name, relation dict, target name)]
_pending = weakref.WeakKeyDictionary()


class RelationMixin:
    """Relation classmethods for model classes."""

    #: juggler's ``Model.scopes``: name -> ScopeDefinition ({} for a model without scopes)
    scopes = NoScopes()

    @classmethod
    def hasOne(cls, modelTo, params=None, **kwargs):
        """Declare a hasOne relation; returns its RelationDefinition.

        # LoopBack: Supplier.hasOne(Account, {foreignKey: 'supplierId', as: 'account'})

        ``params`` is a dict and/or keyword arguments (``as_`` for ``as``):
        as, model, foreignKey, primaryKey, properties, scope, options,
        polymorphic, methods.  ``modelTo`` is a model class or its name.
        """
        return define_has_one(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def belongsTo(cls, modelTo, params=None, **kwargs):
        """Declare a belongsTo relation; returns its RelationDefinition.

        # LoopBack: Account.belongsTo(Supplier, {foreignKey: 'supplierId', as: 'supplier'})
        """
        return define_belongs_to(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def hasMany(cls, modelTo, params=None, **kwargs):
        """Declare a hasMany relation; returns its RelationDefinition.

        # LoopBack: Customer.hasMany(Order, {foreignKey: 'customerId', as: 'orders'})

        ``params``: as, model, foreignKey, primaryKey, properties, scope,
        options, polymorphic, invert, scopeMethods; through and keyThrough
        (hasMany through, relations/has_many_through.py).
        """
        return define_has_many(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def hasAndBelongsToMany(cls, modelTo, params=None, **kwargs):
        """Declare a hasAndBelongsToMany relation: a hasMany through a link
        model (``through``, else one named by ``throughTable``, else
        ``<Source><Target>`` found or defined); returns its RelationDefinition.

        # LoopBack: Article.hasAndBelongsToMany(Tag, {through: ArticleTag})

        See relations/has_and_belongs_to_many.py (params: as, model, through,
        throughTable, properties, scope, options, polymorphic).
        """
        return define_has_and_belongs_to_many(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def embedsOne(cls, modelTo, params=None, **kwargs):
        """Declare an embedsOne relation; returns its RelationDefinition.

        # LoopBack: Person.embedsOne(Passport, {as: 'passportItem', property: 'passport'})

        See relations/embeds_one.py (params: as, property, default,
        methods, properties, scope, options).
        """
        return define_embeds_one(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def embedsMany(cls, modelTo, params=None, **kwargs):
        """Declare an embedsMany relation; returns its RelationDefinition.

        # LoopBack: Person.embedsMany(Address, {as: 'addressList', property: 'addresses'})

        See relations/embeds_many.py (params: as, property, properties,
        scope, options, polymorphic, scopeMethods).
        """
        return define_embeds_many(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def referencesMany(cls, modelTo, params=None, **kwargs):
        """Declare a referencesMany relation; returns its RelationDefinition.

        # LoopBack: Category.referencesMany(Job, {as: 'jobs', foreignKey: 'jobIds'})

        See relations/references_many.py (params: as, model, foreignKey,
        properties, scope, options, scopeMethods).
        """
        return define_references_many(cls, modelTo, normalize_params(params, kwargs))

    @classmethod
    def scope(cls, name, query=None, targetClass=None, methods=None, options=None, **kwargs):
        """Define a named scope; returns its ScopeDefinition (see relations/scope.py).

        # LoopBack: Model.scope(name, query, [targetClass], [methods], [options])

        ``Model.scope('active', {'where': {'active': True}})`` adds
        ``Model.active([filter], [options], [cb])`` and its methods (find,
        findOne, findById, count, build, create, updateAll, destroyAll).
        ``query`` is a filter or ``fn(receiver) -> filter``; ``targetClass``
        the model queried (this one by default); ``methods`` are put on the
        accessor and called with the receiver first.  Options (a dict or
        keyword arguments): ``isStatic=False`` puts the scope on instances
        (``inst.name(...)``); ``modelTo=fn(receiver)`` picks the target
        model at call time.
        """
        if kwargs:
            options = dict(options or {}, **kwargs)
        static = not (isinstance(options, dict) and options.get('isStatic') is False)
        if targetClass is None and static:
            targetClass = cls
        return define_scope(cls, targetClass, name, query, methods, options, isStatic=static)

    @classmethod
    def include(cls, objects, include, options=None, cb=None):
        """Load related instances for ``objects`` in batched queries.

        # LoopBack: Model.include(objects, include, [options], cb)
        """
        return _include(cls, objects, include, options, cb)


def define_relations(model, relations):
    """Set up the ``relations`` block of a model definition.

    # LoopBack: dataSource.defineRelations(modelClass, relations)

    Each entry ``name -> {type, model, foreignKey, ...}`` becomes
    ``Model.<type>(name, {..., as: name, model: Target})``, so the JSON key
    is always the relation name.  A relation whose target (or ``through``
    model) is not defined yet is set up once they are (see
    :func:`model_defined`).  Raises ``Invalid relation type: <type>`` (an
    AssertionError) for a type not spelt exactly as LoopBack's.
    """
    for name, spec in (relations or {}).items():
        spec = dict(spec or {})
        _validate(name, spec)
        _setup_when_defined(model, name, spec)


def _setup_when_defined(model, name, spec):
    """Set the relation up now, or wait for the first model it names
    (``model``, then ``through``) that is not defined yet."""
    resolved = {}
    for key in ('model', 'through'):
        ref = spec.get(key)
        if isinstance(ref, str):
            found = _find_model(model, ref)
            if found is None:
                _pending.setdefault(_registry(model), []).append((model, name, spec, ref))
                return
            resolved[key] = found
    spec = dict(spec, **resolved)
    _setup(model, name, spec, spec.get('model'))


def model_defined(model):
    """Complete the relations that were waiting for ``model`` to be defined."""
    registry = _registry(model)
    waiting = _pending.get(registry) if registry is not None else None
    if not waiting:
        return
    ready = [entry for entry in waiting if _matches(model, entry[3])]
    if not ready:
        return
    _pending[registry] = [entry for entry in waiting if entry not in ready]
    for source, name, spec, _waiting_for in ready:
        _setup_when_defined(source, name, spec)


def _registry(model):
    """Where a waiting relation is kept: the model builder of the model's data
    source, which data sources may share (juggler's ``getModel(name, true)``
    placeholder is the builder's: a target attached to another data source of
    that builder, a transient one for embedded models, completes it)."""
    ds = getattr(model, 'dataSource', None)
    return getattr(ds, 'modelBuilder', None) or ds


def _matches(model, name):
    return model.modelName == name


def _find_model(model, name):
    """The model defined under exactly ``name``, or None (the relation waits).

    juggler's ``defineRelations`` takes a JSON relation's ``model`` and
    ``through`` with ``getModel(name, true)``: the exact name, a placeholder
    until a model of that name is defined; the case-insensitive
    ``lookupModel`` is only for relations declared in code.  So a ``user``
    model whose ``accessTokens`` relation names its own ``accessToken``
    model gets that model, not the built-in ``AccessToken``.
    """
    models = models_of(model)
    return models.get(name) if isinstance(name, str) else None


def _setup(model, name, spec, target):
    params = dict(spec)
    params['as'] = name
    params['model'] = target
    kind = params.pop('type')
    method = {'hasOne': define_has_one, 'belongsTo': define_belongs_to,
              'referencesMany': define_references_many,
              'hasMany': define_has_many, 'embedsOne': define_embeds_one,
              'embedsMany': define_embeds_many}.get(kind)
    if kind == 'hasAndBelongsToMany':
        method = define_has_and_belongs_to_many
    if method is None:
        raise LoopBackError('Relation type %s is not supported yet (relation %s of %s)'
                            % (kind, name, model.modelName))
    method(model, name, params)


def _validate(name, spec):
    """juggler's ``validateRelation``: exact type, name, polymorphic shape."""
    kind = spec.get('type')
    if kind not in RELATION_TYPES:
        raise AssertionError_('Invalid relation type: %s' % js_string(kind), code='ERR_ASSERTION')
    if name == 'trigger':
        raise AssertionError_('Invalid relation name: %s' % name, code='ERR_ASSERTION')
    poly = spec.get('polymorphic')
    poly_dict = poly if isinstance(poly, dict) else {}
    msg = code = None
    if not poly and kind == 'belongsTo' and not spec.get('model'):
        msg, code = '%s relation: %s requires param `model`' % (kind, name), \
            'BELONGS_TO_MISSING_MODEL'
    if poly and kind == 'belongsTo' and spec.get('model'):
        msg, code = 'polymorphic %s relation: %s does not expect param `model`' % (kind, name), \
            'POLYMORPHIC_BELONGS_TO_MODEL'
    if poly and kind != 'belongsTo' and not spec.get('model'):
        msg, code = 'polymorphic %s relation: %s requires param `model`' % (kind, name), \
            'POLYMORPHIC_NOT_BELONGS_TO_MISSING_MODEL'
    if poly_dict.get('foreignKey') and not poly_dict.get('discriminator'):
        msg, code = ('polymorphic %s relation: %s requires param `polymorphic.discriminator` '
                     'when param `polymorphic.foreignKey` is provided' % (kind, name),
                     'POLYMORPHIC_MISSING_DISCRIMINATOR')
    if poly_dict.get('discriminator') and not poly_dict.get('foreignKey'):
        msg, code = ('polymorphic %s relation: %s requires param `polymorphic.foreignKey` '
                     'when param `polymorphic.discriminator` is provided' % (kind, name),
                     'POLYMORPHIC_MISSING_FOREIGN_KEY')
    if poly_dict.get('as') and poly_dict.get('foreignKey'):
        msg, code = ('polymorphic %s relation: %s does not expect param `polymorphic.as` '
                     'when defing custom `foreignKey`/`discriminator` ' % (kind, name),
                     'POLYMORPHIC_EXTRANEOUS_AS')
    if poly_dict.get('selector') and poly_dict.get('foreignKey'):
        msg, code = ('polymorphic %s relation: %s does not expect param `polymorphic.selector` '
                     'when defing custom `foreignKey`/`discriminator` ' % (kind, name),
                     'POLYMORPHIC_EXTRANEOUS_SELECTOR')
    if msg:
        raise LoopBackError(msg, details={'code': code, 'rType': kind, 'rName': name})
    if poly_dict.get('as'):
        warnings.warn('WARNING: polymorphic %s relation: %s uses keyword `polymorphic.as` which '
                      'will be DEPRECATED in LoopBack.next, refer to this doc for replacement '
                      'solutions (https://loopback.io/doc/en/lb3/Polymorphic-relations.html'
                      '#deprecated-polymorphic-as)' % (kind, name), DeprecationWarning,
                      stacklevel=4)
