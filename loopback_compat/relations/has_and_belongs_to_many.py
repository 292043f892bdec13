"""hasAndBelongsToMany: a hasMany through a link model made (or found) for it.

# LoopBack: RelationDefinition.hasAndBelongsToMany (lib/relation-definition.js)

``Article.hasAndBelongsToMany(Tag)`` is ``Article.hasMany(Tag, {through:
ArticleTag})`` where the through model is:

- ``params['through']`` when given;
- else a model named ``params['throughTable']``, defined (empty) on the
  source's data source;
- else the model ``ArticleTag`` or ``TagArticle`` when one is defined (names
  compared case-insensitively), else a new empty model ``ArticleTag``.

The through model then gets ``belongsTo(Article)`` (keyFrom ``articleId``)
and ``belongsTo(Tag)`` (``tagId``): the keys the links are written with.  A
polymorphic one (``{through: PictureLink, polymorphic: 'imageable'}``) gets
a polymorphic ``belongsTo('imageable')`` instead of the first, once.  As in
juggler, only ``as``, ``properties``, ``scope``, ``options`` and
``polymorphic`` reach the hasMany (``foreignKey``, ``keyThrough`` are not
passed on).  The accessor is hasMany through's (has_many_through.py).
"""

from ..errors import LoopBackError
from .definition import (camelize, lookup_model, lookup_model_to, models_of,
                         normalize_polymorphic, normalize_relation_as, plural_model_name)
from .has_many_through import define_has_many_through

__all__ = ['define_has_and_belongs_to_many']


def define_has_and_belongs_to_many(model_from, model_to_ref, params):
    """Declare ``model_from`` hasAndBelongsToMany target; returns the hasMany
    RelationDefinition (type ``hasMany``, with ``modelThrough``).

    # LoopBack: RelationDefinition.hasAndBelongsToMany(modelFrom, modelToRef, params)

    Error: ``Polymorphic relations need a through model`` for a polymorphic
    relation without ``through``.
    """
    normalize_relation_as(params, model_to_ref)
    model_to = lookup_model_to(model_from, model_to_ref, params, singularize=True)
    through = params.get('through')
    if not through:
        if params.get('polymorphic'):
            raise LoopBackError('Polymorphic relations need a through model')
        through = _auto_through(model_from, model_to, params.get('throughTable'))
    elif isinstance(through, str):
        found = lookup_model(models_of(model_from), through)
        if found is None:
            raise LoopBackError('Could not find the through model %s of a relation of %s'
                                % (through, model_from.modelName))
        through = found

    options = {'as': params.get('as'), 'through': through,
               'properties': params.get('properties'), 'scope': params.get('scope'),
               'options': params.get('options')}
    if params.get('polymorphic'):
        name = params.get('as') or camelize(plural_model_name(model_to))
        polymorphic = normalize_polymorphic(params['polymorphic'], name)
        options['polymorphic'] = polymorphic
        selector = polymorphic['selector']
        if not callable(getattr(through, selector, None)):    # declare once
            through.belongsTo(selector, {'polymorphic': True})
    else:
        through.belongsTo(model_from)
    through.belongsTo(model_to)
    return define_has_many_through(model_from, model_to, options)


def _auto_through(model_from, model_to, through_table):
    """The through model juggler picks or defines when none is given."""
    ds = model_from.dataSource
    if through_table:
        return ds.define(through_table)
    name = model_from.modelName + model_to.modelName
    models = models_of(model_from)
    return lookup_model(models, name) or \
        lookup_model(models, model_to.modelName + model_from.modelName) or ds.define(name)
