"""The per-instance relation object and the model property that makes it.

# LoopBack: Relation (lib/relation-definition.js) and the getter that
#           RelationDefinition.hasOne/belongsTo define on the prototype

Reading ``supplier.account`` builds a new relation object bound to that
instance.  The object is callable (``supplier.account(cb)``) and carries the
relation's methods (``get``, ``create``, ...), ``_targetClass``, and the
custom ``methods`` of the definition; a custom method ``fn`` is called as
``fn(accessor, *args)``, the accessor playing juggler's ``this``.
"""

import functools
import warnings

from ..errors import LoopBackError, RelationNameWarning, bad_request
from ..events import call_fitted
from ..promise import callback_and_promise, callback_done
from . import cache
from .definition import MISSING, RELATION_CLASSES, id_equals, js_string, share_method


def is_callback(value):
    """A function given where juggler tests ``typeof x === 'function'``."""
    return callable(value) and not isinstance(value, type)


class Relation:
    """Base of HasOne/BelongsTo: a definition bound to one model instance."""

    _kind = 'Relation'  # the name juggler's messages give: 'HasOne', 'BelongsTo'

    def __init__(self, definition, modelInstance):
        self.definition = definition
        self.modelInstance = modelInstance

    def __repr__(self):
        return '<%s %s of %r>' % (type(self).__name__, self.definition.name,
                                  self.modelInstance)

    @property
    def _targetClass(self):
        """The target model's name (juggler sets it on the accessor)."""
        model_to = self.definition.modelTo
        return model_to.modelName if model_to is not None else None

    def __getattr__(self, name):
        # Custom relation methods: looked up at call time, so methods added
        # later with definition.defineMethod are found too.
        if name.startswith('__'):
            raise AttributeError(name)
        methods = self.__dict__.get('definition').methods
        fn = methods.get(name)
        if callable(fn):
            # as JavaScript calls ``this.check()``: ``fn`` may declare fewer
            # parameters than (accessor, *args), or more (None)
            return functools.partial(_call_method, fn, self)
        raise AttributeError("%r relation has no method %r" % (
            self.__dict__.get('definition').name, name))

    def resetCache(self, value=None):
        """Store ``value`` in the instance's relation cache (falsy -> forget)."""
        cache.reset_cache(self.modelInstance, self.definition.name, value)

    def getCache(self):
        """The cached value, None when nothing is cached."""
        return cache.get_cache(self.modelInstance, self.definition.name)

    def _pk_value(self):
        return cache.read(self.modelInstance, self.definition.keyFrom)

    def _check_found(self, model_to, done):
        """The callback of the target lookup: cache and deliver a target whose
        key matches the source's, None when nothing was found.

        Error (400): ``Key mismatch: <From>.<keyFrom>: <v>, <To>.<keyTo>: <v>``.
        """
        definition = self.definition

        def found(err=None, target=None):
            if err is not None:
                return done(err)
            if target is None:
                return done(None, None)
            source_key = self._pk_value()
            target_key = cache.read(target, definition.keyTo)
            if (source_key is not None and target_key is not None
                    and (type(source_key) is type(target_key) and source_key == target_key
                         or js_string(source_key) == js_string(target_key))):
                self.resetCache(target)
                return done(None, target)
            done(bad_request('Key mismatch: %s.%s: %s, %s.%s: %s' % (
                definition.modelFrom.modelName, definition.keyFrom, js_string(source_key),
                model_to.modelName, definition.keyTo, js_string(target_key))))
        return found

    def getAsync(self, options=MISSING, cb=MISSING):
        """Deprecated alias of ``get`` (juggler prints a deprecation too)."""
        warnings.warn('%s method "getAsync()" is deprecated, use "get()" instead.'
                      % self._kind, DeprecationWarning, stacklevel=2)
        return self.get(options, cb)

    def _updater(self, data, options, done):
        """The callback that updates a fetched target with ``data``.

        # LoopBack: the shared body of hasOne/belongsTo ``update``
        Errors: ``<kind> relation <name> is empty`` when there is no target,
        then those of prevent_fk_override and ``updateAttributes``.
        """
        definition = self.definition

        def fetched(err=None, target=None):
            if not cache.is_model_instance(target):
                return done(LoopBackError('%s relation %s is empty' % (self._kind,
                                                                       definition.name)))
            fk_err = prevent_fk_override(target, data, definition.keyTo)
            if fk_err is not None:
                return done(fk_err)
            target._related_update(data, options, done)
        return fetched


def _call_method(fn, accessor, *args, **kwargs):
    """A custom relation method: ``fn(accessor, *args)`` (accessor = juggler's ``this``)."""
    if kwargs:
        return fn(accessor, *args, **kwargs)
    return call_fitted(fn, accessor, *args)


class RelationProperty:
    """Class attribute ``Model.<relation>``: a new accessor on every read.

    On the class itself (``Supplier.account``) it gives an accessor bound to
    no instance, enough for ``Supplier.account._targetClass``.
    """

    def __init__(self, definition, relation_class):
        self.definition = definition
        self.relation_class = relation_class

    def __get__(self, instance, owner=None):
        return self.relation_class(self.definition, instance)

    def __set__(self, instance, value):
        raise AttributeError(
            'cannot assign to relation %r; call %s(instance) to set it'
            % (self.definition.name, self.definition.name))


def install_accessor(model, definition, relation_class, helpers=('get',)):
    """Define the relation property and juggler's ``__<op>__<name>`` helpers.

    The helpers forward every argument to the accessor (or one of its
    methods) and return None, as juggler's remoting wrappers do.
    """
    name = definition.name
    if name in model.definition.properties:
        # juggler accepts this silently and the relation hides the property.
        warnings.warn(
            'Relation "%s" of model %s has the same name as one of its properties: the '
            'relation hides the property. Give the relation another name with the "as" '
            'option (as_=...).' % (name, model.modelName), RelationNameWarning, stacklevel=4)
    setattr(model, name, RelationProperty(definition, relation_class))
    for op in helpers:
        setattr(model, '__%s__%s' % (op, name), forwarder(name, op))


def forwarder(name, op):
    def forward(self, *args, **kwargs):
        accessor = getattr(self, name)
        target = accessor if op == 'get' else getattr(accessor, op)
        target(*args, **kwargs)
    forward.__name__ = '__%s__%s' % (op, name)
    return forward


# ------------------------------------------- the scope methods of a multiple relation

def relation_method(relation_class, definition, method):
    """``fn(source, *args)``: ``relation_class(definition, source).<method>(*args)``.

    # LoopBack: scopeMethod(definition, methodName) (a new relation object per call)
    The accessor methods of hasMany, hasMany through, referencesMany and embedsMany.
    """
    def call(source, *args, **kwargs):
        return getattr(relation_class(definition, source), method)(*args, **kwargs)
    call.__name__ = method
    return call


def custom_method(relation_class, definition, fn):
    """A user's method of a multiple relation: ``fn(relation, *args)``, a new
    ``relation_class(definition, source)`` playing juggler's ``this``.

    # LoopBack: createFunc of extendScopeMethods; the function defineMethod gives the scope
    """
    def call(source, *args, **kwargs):
        relation = relation_class(definition, source)
        if kwargs:
            return fn(relation, *args, **kwargs)
        return call_fitted(fn, relation, *args)
    call.__name__ = getattr(fn, '__name__', 'method')
    return call


def add_custom_methods(definition, methods, ext, relation_class):
    """The dict form of ``scopeMethods``: each callable ``ext[key]`` becomes
    ``methods[key]`` (see :func:`custom_method`), marked shared like ``fn``;
    returns their names.  (``ext`` must have ``items()``.)"""
    names = []
    for key, fn in ext.items():
        if not callable(fn):
            continue
        methods[key] = custom_method(relation_class, definition, fn)
        if getattr(fn, 'shared', False):
            share_method(methods[key], fn)
        names.append(key)
    return names


def extend_scope_methods(definition, methods, ext, relation_class):
    """juggler's ``extendScopeMethods``: the names of the custom methods.

    # LoopBack: extendScopeMethods(definition, scopeMethods, ext)
    A dict is :func:`add_custom_methods`; a function is called
    ``ext(definition, methods, relation_class)`` and may change ``methods``
    (its entries are called ``fn(source, *args)``); its answer is taken as
    ``[].concat(answer || [])``.
    """
    if isinstance(ext, dict):
        return add_custom_methods(definition, methods, ext, relation_class)
    if is_callback(ext):
        names = call_fitted(ext, definition, methods, relation_class)
        if isinstance(names, str):
            return [names]
        return list(names) if isinstance(names, (list, tuple)) else []
    return []


def no_filter(_receiver=None):
    """The own filter of a scope whose ``related`` does the work (referencesMany,
    embedsMany): none (juggler's ``function() { return {}; }``)."""
    return {}


def scope_related(relation_class, definition):
    """The scope definition's ``related(receiver, scopeParams, condOrRefresh,
    options, cb)``: ``relation_class(definition, receiver).related(receiver, ...)``.

    # LoopBack: scopeDefinition.related = scopeMethods.related (referencesMany, embedsMany)
    """
    def related(receiver, *args, **kwargs):
        return relation_class(definition, receiver).related(receiver, *args, **kwargs)
    return related


def define_scope_method(definition, name, fn):
    """``definition.defineMethod(name, fn)`` for a multiple relation: a method
    of the relation's scope, called with a new relation object of the
    definition's type first (juggler's ``RelationClasses[definition.type]``:
    a hasMany through gets a HasMany, as in juggler); returns the method.

    # LoopBack: RelationDefinition.prototype.defineMethod (definition.multiple)
    Error: ``Unknown relation scope: <name>``.
    """
    scope = (getattr(definition.modelFrom, 'scopes', None) or {}).get(definition.name)
    if scope is None:
        raise LoopBackError('Unknown relation scope: %s' % definition.name)
    method = custom_method(RELATION_CLASSES[definition.type], definition, fn)
    scope.defineMethod(name, method)
    return method


def fetch_through_accessor(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING):
    """Call the accessor with these arguments (a helper for custom methods).

    # LoopBack: Relation.prototype.fetch(condOrRefresh, [options], cb)
    The ``fetch`` of the multiple relations (HasMany, ReferencesMany).
    """
    accessor = getattr(self.modelInstance, self.definition.name)
    args = [a for a in (condOrRefresh, options, cb) if a is not MISSING]
    return accessor(*args)


def split_options_cb(options, cb):
    """``(options, cb)`` -> ``(options, cb)`` with ``fn(options=cb)`` shifted.

    # LoopBack: if (typeof options === 'function' && cb === undefined) { cb = options; options = {}; }
    """
    if is_callback(options) and cb in (MISSING, None):
        return {}, options
    if options is MISSING or options is None:
        options = {}
    return options, (None if cb is MISSING else cb)


def options_done_promise(options, cb):
    """``(options, done, promise)`` for an accessor method taking
    ``([options], [cb])``: split_options_cb, then callback_and_promise.

    The usual call, ``rel.op(cb)``, is told apart here without calling
    split_options_cb (a relation call is a few microseconds; two calls of
    argument shuffling were a tenth of it).
    """
    if cb is MISSING and callable(options) and not isinstance(options, type):
        return {}, callback_done(options), None
    options, cb = split_options_cb(options, cb)
    done, promise = callback_and_promise(cb)
    return options, done, promise


def split_related_args(condOrRefresh, options, cb):
    """The accessor's ``([refresh|instance], [options], [cb])`` shapes.

    # LoopBack: the argument shuffle at the top of hasOne/belongsTo's related()
    Returns ``(condOrRefresh, new_value, options, cb)``: ``new_value`` is the
    instance given alone (the setter form), else MISSING; options default to {}.
    """
    new_value = MISSING
    if cache.is_model_instance(condOrRefresh) and options is MISSING and cb is MISSING:
        new_value, condOrRefresh = condOrRefresh, False
    elif is_callback(condOrRefresh) and options is MISSING and cb is MISSING:
        cb, condOrRefresh = condOrRefresh, False
    elif is_callback(options) and cb is MISSING:
        cb, options = options, {}
    if options is MISSING or options is None:
        options = {}
    return condOrRefresh, new_value, options, cb


def split_create_args(data, options, cb, undefined_cb_only=False):
    """``create([data], [options], [cb])`` -> ``(data, options, cb)``.

    A callback may stand in the options or the data place; missing data and
    options become {}; a missing cb becomes None.  ``undefined_cb_only``:
    a callback in the options place moves only when cb is missing, not None
    (juggler's ``cb === undefined`` of hasMany, embedsOne/embedsMany and
    referencesMany create; hasOne, belongsTo and hasMany through also move
    it past a None cb).
    """
    # cb first: once a callback is found, the second test is not made
    if (cb is MISSING or (cb is None and not undefined_cb_only)) and is_callback(options):
        cb, options = options, {}
    if cb in (MISSING, None) and is_callback(data):
        cb, data = data, {}
    options = {} if options in (MISSING, None) else options
    data = {} if data in (MISSING, None) else data
    return data, options, (None if cb is MISSING else cb)


def prevent_fk_override(target, data, fk):
    """The error juggler gives when an update would move the target to another source."""
    if not fk or not isinstance(data, dict) or fk not in data:
        return None
    new, old = data[fk], cache.read(target, fk)
    if id_equals(new, old):
        return None
    return LoopBackError('Cannot override foreign key %s from %s to %s' % (
        fk, js_string(old), 'null' if new is None else js_string(new)))
