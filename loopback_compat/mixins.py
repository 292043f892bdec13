"""Mixins: named functions (or model classes) applied to model classes.

# LoopBack: lib/mixins.js (MixinProvider) and lib/jutil.js (mixin) of
#           loopback-datasource-juggler 3.x

Every :class:`~loopback_compat.model_builder.ModelBuilder` has a
:class:`MixinProvider` as ``builder.mixins``::

    def timestamps(Model, options):          # JS: function(Model, options) {...}
        Model.defineProperty('createdAt', {'type': 'date'})
    builder.mixins.define('TimeStamp', timestamps)

A model applies mixins through its ``mixins`` setting (``{'TimeStamp':
True}``, an options dict, or a list of options dicts to apply it several
times) or by calling ``Model.mixin('TimeStamp', options)``.  A function is
called as ``fn(Model, options)`` once the model is attached to a data
source (at once when it is already); a name that is no mixin but a model of
the builder mixes that model in; anything else is juggler's error
``Model "Item" uses unknown mixin: Name``.

``Model.mixin(OtherClass, options)`` (:func:`mix_into`) copies a class in:
the properties of a model class the target lacks (``defineProperty``), then
the attributes of the class the target does not define itself (its methods,
static or not; ``options['override']`` replaces the target's own too).  The
target lists what it mixed in in ``Model._mixins`` (its own list).
"""

from .errors import AssertionError_, LoopBackError
from .events import call_fitted

__all__ = ['MixinProvider', 'mix_into', 'is_model_class']

# Attributes of a model class that describe that class: never copied by a mixin.
_MODEL_INTERNALS = frozenset((
    'modelName', 'definition', 'settings', 'relations', 'getter', 'setter', 'dataSource',
    'modelBuilder', 'base', 'super_', 'validations', 'pluralModelName', 'http',
))


def is_model_class(value):
    """Whether ``value`` is a model class (juggler's isModelClass)."""
    from .model import ModelBase
    return isinstance(value, type) and issubclass(value, ModelBase)


class MixinProvider:
    """The mixins of a model builder, by name (``builder.mixins``).

    # LoopBack: new MixinProvider(modelBuilder)
    """

    def __init__(self, modelBuilder):
        self.modelBuilder = modelBuilder
        self.mixins = {}

    def define(self, name, mixin):
        """Register ``mixin`` (a function ``fn(Model, options)`` or a model
        class) under ``name``; a second definition replaces the first.

        # LoopBack: modelBuilder.mixins.define(name, mixin)
        """
        if not callable(mixin):
            raise AssertionError_('The mixin must be a function or model class',
                                  code='ERR_ASSERTION')
        if is_model_class(mixin):
            def apply_model(Model, options):
                Model.mixin(mixin, options)
            self.mixins[name] = apply_model
        else:
            self.mixins[name] = mixin

    def applyMixin(self, modelClass, name, options=None):
        """Apply the mixin ``name`` to ``modelClass``.

        # LoopBack: MixinProvider.prototype.applyMixin(modelClass, name, options)

        A function waits for the model's ``dataSourceAttached`` event when
        the model has no data source yet.  A name that is no mixin but a
        model of the builder is mixed in as a class; else LoopBackError
        ``Model "X" uses unknown mixin: Y``.
        """
        fn = self.mixins.get(name)
        if callable(fn):
            if getattr(modelClass, 'dataSource', None) is not None:
                call_fitted(fn, modelClass, options or {})
            else:
                modelClass.once('dataSourceAttached',
                                lambda *_: call_fitted(fn, modelClass, options or {}))
            return
        model = self.modelBuilder.getModel(name)
        if model is not None:
            modelClass.mixin(model, options)
            return
        raise LoopBackError('Model "%s" uses unknown mixin: %s' % (modelClass.modelName, name))


def mix_into(newClass, mixinClass, options=None):
    """Copy ``mixinClass`` into ``newClass`` (juggler's jutil.mixin).

    Records ``mixinClass`` in ``newClass._mixins`` (a class is mixed in once).
    Options: ``staticProperties`` / ``instanceProperties`` (default True:
    Python keeps both in the class, so either copies), ``override`` (default
    False: attributes ``newClass`` defines itself are kept).  Property
    descriptors and the attributes describing a model (its name,
    definition, settings...) are never copied; a model's properties come
    through ``defineProperty`` (Model.mixin).  Returns ``newClass``.
    """
    from .model import IdAlias, PropertyDescriptor
    own = newClass.__dict__.get('_mixins')
    if isinstance(own, list):
        if mixinClass in own:
            return newClass
        own.append(mixinClass)
    else:
        type.__setattr__(newClass, '_mixins', [mixinClass])
    options = options if isinstance(options, dict) else {}
    if options.get('staticProperties', True) is False and \
            options.get('instanceProperties', True) is False:
        return newClass
    override = bool(options.get('override'))
    source = getattr(mixinClass, '__dict__', None)
    if source is None:
        return newClass
    mixes_model = is_model_class(mixinClass)
    for name, value in list(source.items()):
        if name == '_mixins':
            if isinstance(value, list):
                target = newClass.__dict__['_mixins']
                for item in value:
                    if item not in target:
                        target.append(item)
            continue
        if name.startswith('__') or name in _MODEL_INTERNALS:
            continue
        if mixes_model and name.startswith('_'):
            continue   # the package's bookkeeping of that model class
        if isinstance(value, (PropertyDescriptor, IdAlias)):
            continue
        if override or name not in newClass.__dict__:
            type.__setattr__(newClass, name, value)
    return newClass
