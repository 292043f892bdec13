"""Named scopes: ``Model.scope('active', {'where': {'active': True}})``.

# LoopBack: lib/scope.js (ScopeDefinition, defineScope) and
#           DataAccessObject.scope / DataSource.defineScopes of
#           loopback-datasource-juggler 3.x

The contract, for users and for the relations built on this module:

``define_scope(cls, targetClass, name, params, methods=None, options=None,
isStatic=None)`` (alias ``defineScope``) records a :class:`ScopeDefinition`
in ``cls.scopes[name]`` and returns it.  ``cls`` is always the model class;
``isStatic`` (default: ``options['isStatic'] is not False``) says whether
the scope lives on the class (``Station.active``, juggler's
``defineScope(Model, ...)``) or on its instances (``customer.orders``,
juggler's ``defineScope(Model.prototype, ...)``).

- ``params``: the scope's filter, a dict, or ``fn(receiver) -> dict``
  called each time the accessor is read (juggler calls it with ``this`` =
  the receiver).  The receiver is the class for a static scope, the
  instance for an instance scope.
- ``targetClass``: the model queried; None means the declaring class for a
  static scope; for an instance scope it stands for juggler's
  ``Model.prototype``, which is no model: then ``options['modelTo']`` must
  give the target.
- ``options['modelTo']``: ``fn(receiver) -> model class`` picking the target
  at call time (its falsy answer falls back to ``targetClass``).  A target
  that is not a model class raises ``Invalid target model for scope
  `Model.name`.`` (``Model.prototype.name`` for an instance scope) when the
  accessor is read, as juggler throws.
- ``methods``: ``{name: fn}`` put on the accessor, called as
  ``fn(receiver, *args)`` (juggler binds ``this`` to the receiver; as any
  user function, ``fn`` may declare fewer parameters).  They replace the
  accessor's own methods of the same name: hasMany passes its ``create``,
  ``build``, ``findById``, ``destroy``, ``updateById``, ``exists`` this way.
  ``definition.defineMethod(name, fn)`` adds one later; a ``value`` method
  answers the accessor called with no argument.
- ``definition.related(receiver, scopeParams, condOrRefresh, options, cb)``
  runs the query (merge the call's filter into the scope's, ``find`` on the
  target, cache the result on an instance receiver); a relation may replace
  it on its definition (``definition.related = fn``, called with the same
  arguments), as embedsMany and referencesMany do in juggler.

Reading ``Model.<name>`` (or ``inst.<name>``) gives a new :class:`ScopeAccessor`
bound to the receiver:

    Station.active([condOrRefresh], [options], [cb])
        True/False: refresh or not (a cached list answers when not);
        a filter: merged with the scope's (wheres ANDed), never cached
    Station.active()                     the cached list (None when none), synchronously
    Station.active.find([filter], [options], [cb])
    Station.active.findOne / findById / count / updateAll / destroyAll / build / create
    Station.active.subway(...)           scopes of the target model chain (filters merged)

Without ``cb`` each returns an ``lb.Promise``; errors (a malformed filter,
the target's own errors) reach the callback or the promise.  Only instance
receivers cache (juggler's ``__cachedRelations``); a static scope queries
every time.  ``Model.__get__<name>``, ``__create__``, ``__delete__``,
``__update__``, ``__findById__``, ``__findOne__`` and ``__count__`` forward
to the accessor and return None, as juggler's remoting helpers do.

Python spellings: a static scope may share its name with a property
(``Product.active`` is the scope, ``product.active`` the property value),
a relation or an instance method: instances keep reading what the class had
under that name.  Static scopes are not inherited by sub-models (juggler
defines them on the constructor only); ``Sub.scopes`` starts as a copy of
the base's.  Differences from juggler, on purpose: chaining
(``Station.active.subway``) merges into that accessor's copy of the filter
instead of the definition's (juggler rewrites ``active``'s filter for good);
callbacks are never called synchronously; the caller's filter and data are
not modified.
"""

import warnings
from functools import partial

from ..errors import LoopBackError
from ..events import call_fitted
from ..filters.merge import merge_query
from ..filters.normalize import parse_filter
from ..js.values import UNDEFINED, to_string, truthy
from ..promise import callback_and_promise
from . import cache
from .definition import MISSING, camelize
from .relation import is_callback
from .scope_filters import (and_where, collected_scope, find_collected, get_key,
                            merge_user_filter, scope_query, set_scope_values_from_where,
                            user_filter)

__all__ = ['NoScopes', 'ScopeAccessor', 'ScopeDefinition', 'ScopeProperty', 'define_scope',
           'defineScope', 'define_scopes', 'own_scopes', 'set_scope_values_from_where']


# ------------------------------------------------------------------ arguments

def _absent(value):
    """Not given: juggler's ``undefined``; None too in the options and cb places
    (the Python spelling of "nothing here")."""
    return value is MISSING or value is None or value is UNDEFINED


def _options(options, kwargs=None):
    """``options || {}``, keyword options merged in (a new dict)."""
    if options is MISSING or not truthy(options):
        options = {}
    if kwargs and isinstance(options, dict):
        options = dict(options, **kwargs)
    return options


def _cb(cb):
    return None if _absent(cb) else cb


def _where_args(where, options, cb, kwargs):
    """``([where], [options], [cb])`` of destroyAll and count -> ``(where,
    options, cb)``: a callback in the where place, or in the options place
    when cb is absent, moves to cb; options as :func:`_options`."""
    if is_callback(where):
        cb, where = where, {}
    elif is_callback(options) and _absent(cb):
        cb, options = options, {}
    return where, _options(options, kwargs), _cb(cb)


def _fail(cb, err):
    """Deliver ``err`` through ``cb`` or a rejected promise (returned)."""
    done, promise = callback_and_promise(cb)
    done(err)
    return promise


# -------------------------------------------------------------- the definition

class ScopeDefinition:
    """One named scope, as stored in ``Model.scopes[name]``.

    # LoopBack: new ScopeDefinition({isStatic, modelFrom, modelTo, name, params,
    #           methods, options}) (lib/scope.js)

    ``modelFrom`` is the declaring model class (juggler keeps the prototype
    for an instance scope: ``isStatic`` tells them apart here); ``modelTo``
    the target class, None for an instance scope declared without one.
    """

    def __init__(self, isStatic, modelFrom, modelTo, name, params, methods=None, options=None):
        self.isStatic = isStatic
        self.modelFrom = modelFrom
        self.modelTo = modelTo
        self.name = name
        self.params = params
        self.methods = dict(methods) if isinstance(methods, dict) else {}
        self.options = options if isinstance(options, dict) else {}
        self.accessor_class = type('ScopeAccessor_' + str(name), (ScopeAccessor,), {})
        for key, fn in self.methods.items():
            self._install(key, fn)

    def __repr__(self):
        return '<ScopeDefinition %s of %s>' % (self.name, _model_name(self.modelFrom))

    def targetModel(self, receiver):
        """The model this scope queries for ``receiver``.

        # LoopBack: ScopeDefinition.prototype.targetModel(receiver)
        Raises ``Invalid target model for scope `Model.name`.`` when it is
        not a model class (juggler throws).
        """
        pick = self.options.get('modelTo')
        model_to = self.modelTo
        if is_callback(pick):
            model_to = call_fitted(pick, receiver) or model_to
        if not _is_model_class(model_to):
            raise LoopBackError('Invalid target model for scope `%s%s%s`.' % (
                _model_name(self.modelFrom), '.' if self.isStatic else '.prototype.',
                self.name))
        return model_to

    def related(self, receiver, scopeParams, condOrRefresh=MISSING, options=MISSING,
                cb=MISSING):
        """Query the scope for ``receiver``: ``cb(err, instances)`` or a promise.

        # LoopBack: ScopeDefinition.prototype.related(receiver, scopeParams,
        #           [condOrRefresh], [options], cb)

        ``condOrRefresh``: a boolean (refresh or not: an instance receiver's
        cached list answers when it has one and no refresh is asked), else a
        filter merged into ``scopeParams`` (a fresh query, not cached).  A
        query of an instance receiver without a filter caches its result.
        """
        if is_callback(condOrRefresh) and _absent(options) and _absent(cb):
            cb, options, condOrRefresh = condOrRefresh, {}, MISSING
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options)
        cond, refresh = {}, False
        save_on_cache = cache.is_model_instance(receiver)
        if condOrRefresh is not MISSING and condOrRefresh is not UNDEFINED:
            if isinstance(condOrRefresh, bool):
                refresh = condOrRefresh
            else:
                cond, refresh, save_on_cache = condOrRefresh, True, False
        cb = _cb(cb)
        if not refresh and cache.is_model_instance(receiver) and \
                cache.has_cache(receiver, self.name):
            done, promise = callback_and_promise(cb)
            done(None, cache.get_cache(receiver, self.name))
            return promise
        try:
            params = scope_query(user_filter(cond), scopeParams)
        except LoopBackError as err:
            return _fail(cb, err)
        target = self.targetModel(receiver)
        done, promise = callback_and_promise(cb)
        on_related = collected_scope(params)
        name = self.name

        def found(err=None, data=None):
            if err is None and save_on_cache:
                cache.set_cache(receiver, name, data)
            if err is not None or on_related is None:
                return done(err, data)
            find_collected(target, on_related, data, options, done)
        target.find(params, options, found)
        return promise

    def defineMethod(self, name, fn):
        """Add a method to the scope's accessors; returns ``fn``.

        # LoopBack: ScopeDefinition.prototype.defineMethod(name, fn)
        """
        self.methods[name] = fn
        self._install(name, fn)
        return fn

    def _install(self, name, fn):
        if callable(fn):
            setattr(self.accessor_class, name, _ReceiverMethod(fn))


def _model_name(model):
    return getattr(model, 'modelName', None) or getattr(model, '__name__', str(model))


_model_base = []


def _is_model_class(value):
    """juggler's ``modelTo.prototype instanceof ModelBaseClass``."""
    if not _model_base:
        from ..model.instance import ModelBase   # the model layer imports this package
        _model_base.append(ModelBase)
    return isinstance(value, type) and issubclass(value, _model_base[0])


# ---------------------------------------------------------------- accessors

class _ReceiverMethod:
    """A custom scope method on the accessor: ``fn(receiver, *args)``."""

    __slots__ = ('fn',)

    def __init__(self, fn):
        self.fn = fn

    def __get__(self, accessor, owner=None):
        if accessor is None:
            return self.fn
        return partial(_call_with_receiver, self.fn, accessor._receiver)


def _call_with_receiver(fn, receiver, *args, **kwargs):
    if kwargs:
        return fn(receiver, *args, **kwargs)
    return call_fitted(fn, receiver, *args)


class ScopeAccessor:
    """The value of ``Model.<scope>``: callable, with the scope's methods.

    # LoopBack: the function ``f`` the scope's getter builds (lib/scope.js)

    Attributes as juggler's: ``_receiver``, ``_scope`` (the filter; the
    definition's own dict until chained), ``_targetClass`` (the target
    model's name).  Each definition has its own subclass, which carries the
    definition's custom methods.
    """

    def __init__(self, definition, receiver):
        self._definition = definition
        self._receiver = receiver
        target = definition.targetModel(receiver)
        self._targetModel = target
        params = definition.params
        self._scope = call_fitted(params, receiver) if is_callback(params) else params
        self._targetClass = target.modelName
        collect = get_key(self._scope, 'collect')
        if truthy(collect):
            relation = (getattr(target, 'relations', None) or {}).get(collect)
            model_to = getattr(relation, 'modelTo', None)
            self._targetClass = getattr(model_to, 'modelName', None) or \
                camelize(to_string(collect), False)

    def __repr__(self):
        return '<scope %s of %r>' % (self._definition.name, self._receiver)

    def __getattr__(self, name):
        # Methods put in definition.methods after the definition was made,
        # then the scopes of the target model: chaining merges their filter.
        if name.startswith('__') or '_definition' not in self.__dict__:
            raise AttributeError(name)
        definition = self.__dict__['_definition']
        fn = definition.methods.get(name)
        if callable(fn):
            return partial(_call_with_receiver, fn, self._receiver)
        if definition.modelTo is not None and \
                name in (getattr(definition.modelTo, '_scopeMeta', None) or {}):
            update = (getattr(self._targetModel, '_scopeMeta', None) or {}).get(name)
            if isinstance(self._scope, dict) and isinstance(update, dict):
                self._scope = merge_query(dict(self._scope), update)
            return self
        raise AttributeError('scope %r has no method or scope %r' % (definition.name, name))

    def __call__(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([condOrRefresh], [options], [cb])``: the scope's instances.

        With no argument: the cached list of an instance receiver (None when
        nothing is cached), synchronously, as juggler.
        """
        if condOrRefresh is MISSING and options is MISSING and cb is MISSING and not kwargs:
            value = self._definition.methods.get('value')
            if callable(value):
                return getattr(self, 'value')(self._receiver)
            if cache.is_model_instance(self._receiver):
                return cache.get_cache(self._receiver, self._definition.name)
            return None
        if is_callback(condOrRefresh) and _absent(options) and _absent(cb):
            cb, options, condOrRefresh = condOrRefresh, {}, MISSING
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options, kwargs)
        scope = self._scope
        if truthy(get_key(scope, 'collect')) and isinstance(condOrRefresh, (dict, list)):
            # a through relation: the call's filter is for the related model
            self._scope = scope = dict(scope, include={'relation': scope['collect'],
                                                       'scope': condOrRefresh})
            condOrRefresh = {}
        return self._definition.related(self._receiver, scope, condOrRefresh, options, cb)

    def find(self, condOrRefresh=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([filter], [options], [cb])``: as the accessor; ``find(cb)`` always queries."""
        if is_callback(condOrRefresh) and _absent(options) and _absent(cb):
            cb, options, condOrRefresh = condOrRefresh, {}, {}
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options, kwargs)
        return self._definition.related(self._receiver, self._scope, condOrRefresh, options, cb)

    def getAsync(self, *args, **kwargs):
        """Deprecated alias of ``find``."""
        warnings.warn('Scope method "getAsync()" is deprecated, use "find()" instead.',
                      DeprecationWarning, stacklevel=2)
        return self.find(*args, **kwargs)

    def _target(self):
        return self._definition.targetModel(self._receiver)

    def _scoped_where(self):
        """A copy of the scope's where ({} when none)."""
        where = get_key(self._scope, 'where')
        return parse_filter(where) if truthy(where) and isinstance(where, dict) else {}

    def build(self, data=MISSING):
        """A new, unsaved target instance with the scope's fixed values.

        # LoopBack: build(data): setScopeValuesFromWhere(data, scope.where), new Model(data)
        """
        target = self._target()
        if data is MISSING or not truthy(data):
            data = {}
        elif cache.is_model_instance(data):
            data = dict(cache.data_of(data))
        elif isinstance(data, dict):
            data = dict(data)
        where = get_key(self._scope, 'where')
        if isinstance(data, dict):
            set_scope_values_from_where(data, where if truthy(where) else {}, target)
        return target(data)

    def create(self, data=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([data], [options], [cb])``: ``build(data).save(options, cb)``."""
        if is_callback(data) and _absent(options) and _absent(cb):
            cb, data = data, {}
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options, kwargs)
        return self.build(data).save(options, _cb(cb))

    def destroyAll(self, where=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([where], [options], [cb])``: delete the scope's instances matching ``where``."""
        where, options, cb = _where_args(where, options, cb, kwargs)
        return self._target().destroyAll(self._where(where), options, cb)

    def updateAll(self, where=MISSING, data=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([where], data, [options], [cb])``; ``updateAll(data, cb)`` updates them all."""
        if is_callback(data) and _absent(options) and _absent(cb):
            cb, data, where, options = data, where, {}, {}
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options, kwargs)
        data = None if data is MISSING else data
        return self._target().updateAll(self._where(where), data, options, _cb(cb))

    def findById(self, id, filter=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``(id, [filter], [options], [cb])``: the scope's instance with ``id``, or None.

        As juggler, ``findById(id, filter, cb)`` takes a filter without
        include or fields as the options.
        """
        if _absent(options) and _absent(cb):
            if is_callback(filter):
                cb, filter = filter, {}
        elif _absent(cb) and is_callback(options):
            cb, options = options, {}
            if isinstance(filter, dict) and not (truthy(filter.get('include'))
                                                 or truthy(filter.get('fields'))):
                options, filter = filter, {}
        options = _options(options, kwargs)
        id_name = self._target().definition.idName() or 'id'
        query = merge_user_filter({'where': {id_name: id}},
                                  filter if filter is not MISSING else {})
        return self.findOne(query, options, _cb(cb))

    def findOne(self, filter=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([filter], [options], [cb])``: the first instance of the scope matching ``filter``."""
        if is_callback(filter):
            cb, filter, options = filter, {}, {}
        elif is_callback(options) and _absent(cb):
            cb, options = options, {}
        options = _options(options, kwargs)
        query = merge_user_filter({'where': self._scoped_where()},
                                  filter if filter is not MISSING else {})
        return self._target().findOne(query, options, _cb(cb))

    def count(self, where=MISSING, options=MISSING, cb=MISSING, **kwargs):
        """``([where], [options], [cb])``: how many instances of the scope match ``where``."""
        where, options, cb = _where_args(where, options, cb, kwargs)
        return self._target().count(self._where(where), options, cb)

    def _where(self, where):
        """``mergeQuery({where: scope.where}, {where: where || {}}).where``."""
        return and_where(self._scoped_where(), where if where is not MISSING else {})


# ------------------------------------------------------------ class attributes

class ScopeProperty:
    """``Model.<scope>``: a new accessor on every read.

    A static scope answers on its own class; read on an instance (or on a
    sub-model, which juggler does not give the scope) it gives what the
    class had under that name before (``shadowed``: a property, a relation,
    a method), else no attribute.  An instance scope answers on instances;
    read on the class it gives this descriptor (``.definition``).
    """

    def __init__(self, definition, shadowed=None):
        self.definition = definition
        self.shadowed = shadowed

    def __get__(self, inst, owner=None):
        definition = self.definition
        if definition.isStatic:
            if inst is None and owner is definition.modelFrom:
                return definition.accessor_class(definition, owner)
            shadowed = self.shadowed
            if shadowed is None:
                raise AttributeError(definition.name)
            if hasattr(shadowed, '__get__'):
                return shadowed.__get__(inst, owner)
            return shadowed
        if inst is None:
            return self
        return definition.accessor_class(definition, inst)

    @property
    def _targetClass(self):
        """The target model's name, as on an accessor (None when picked per
        receiver).  As juggler's getter read on the prototype, a filter
        function is asked with the model class as receiver (one that needs
        an instance leaves the target's name): a filter collecting a
        relation of the target (hasMany through) names that relation's model."""
        definition = self.definition
        name = getattr(definition.modelTo, 'modelName', None)
        params = definition.params
        if name is None or not is_callback(params):
            return name
        try:
            collect = get_key(call_fitted(params, definition.modelFrom), 'collect')
        except Exception:  # noqa: BLE001 - a filter function that needs an instance
            return name
        if not truthy(collect):
            return name
        relation = (getattr(definition.modelTo, 'relations', None) or {}).get(collect)
        model_to = getattr(relation, 'modelTo', None)
        return getattr(model_to, 'modelName', None) or camelize(to_string(collect), False)


class _ClassValue:
    """A static of one model class (``Model.scopes``): its instances, and its
    sub-models, see what the class had under that name before."""

    def __init__(self, value, owner, shadowed=None):
        self.value = value
        self.owner = owner
        self.shadowed = shadowed

    def __get__(self, inst, owner=None):
        if inst is None and (owner is self.owner or self.shadowed is None):
            return self.value
        if self.shadowed is None:
            raise AttributeError('scopes')
        if hasattr(self.shadowed, '__get__'):
            return self.shadowed.__get__(inst, owner)
        return self.shadowed


class NoScopes:
    """``Model.scopes`` of a model without scopes: an empty dict (juggler: undefined)."""

    def __get__(self, inst, owner=None):
        if inst is not None:
            raise AttributeError('scopes')
        return {}


def _shadowed(cls, name):
    """What ``cls`` itself has under ``name``, seen through a scope put there."""
    current = cls.__dict__.get(name)
    if isinstance(current, (ScopeProperty, _ClassValue)):
        return current.shadowed
    return current


def own_scopes(cls):
    """``cls.scopes`` as a dict owned by ``cls`` (starting as a copy of its base's)."""
    holder = cls.__dict__.get('scopes')
    if isinstance(holder, _ClassValue) and holder.owner is cls:
        return holder.value
    inherited = getattr(cls, 'scopes', None)
    scopes = dict(inherited) if isinstance(inherited, dict) else {}
    type.__setattr__(cls, 'scopes', _ClassValue(scopes, cls, _shadowed(cls, 'scopes')))
    return scopes


def _own_scope_meta(cls):
    """``cls._scopeMeta``: the filters of the scopes a chain may add."""
    meta = cls.__dict__.get('_scopeMeta')
    if not isinstance(meta, dict):
        inherited = getattr(cls, '_scopeMeta', None)
        meta = dict(inherited) if isinstance(inherited, dict) else {}
        type.__setattr__(cls, '_scopeMeta', meta)
    return meta


# ------------------------------------------------------------------- defining

def define_scope(cls, targetClass, name, params, methods=None, options=None, isStatic=None):
    """Define scope ``name`` on model class ``cls``; returns its ScopeDefinition.

    # LoopBack: defineScope(cls, targetClass, name, params, methods, options)
    See the module docstring for the arguments.
    """
    options = options if isinstance(options, dict) else {}
    if isStatic is None:
        isStatic = options.get('isStatic') is not False
    meta = _own_scope_meta(cls)
    if cls is targetClass and isStatic:
        meta[name] = params
    elif targetClass is not None:
        _own_scope_meta(targetClass)
    model_to = targetClass if targetClass is not None else (cls if isStatic else None)
    definition = ScopeDefinition(bool(isStatic), cls, model_to, name, params, methods, options)
    own_scopes(cls)[name] = definition
    shadowed = _shadowed(cls, name) if isStatic else None
    setattr(cls, name, ScopeProperty(definition, shadowed))
    for op in _FORWARDED:
        setattr(cls, '__%s__%s' % (op, name), _Forwarder(name, op))
    return definition


defineScope = define_scope


def define_scopes(model, scopes):
    """The ``scopes`` setting: each ``name -> filter`` becomes a static scope.

    # LoopBack: dataSource.defineScopes(modelClass, scopes)
    The entry's ``options`` are the scope's options.
    """
    if not isinstance(scopes, dict):
        return
    for name, params in scopes.items():
        define_scope(model, model, name, params, {}, get_key(params, 'options'), isStatic=True)


#: the remoting helpers juggler defines: ``__<op>__<name>`` -> the accessor's method
_FORWARDED = {'get': None, 'create': 'create', 'delete': 'destroyAll', 'update': 'updateAll',
              'findById': 'findById', 'findOne': 'findOne', 'count': 'count'}


class _Forwarder:
    """``Model.__<op>__<scope>(...)``: the accessor's method, returning None."""

    def __init__(self, name, op):
        self.name = name
        self.method = _FORWARDED[op]

    def __get__(self, inst, owner=None):
        return partial(_forward, owner if inst is None else inst, self.name, self.method)


def _forward(receiver, name, method, *args, **kwargs):
    accessor = getattr(receiver, name)
    target = accessor if method is None else getattr(accessor, method)
    target(*args, **kwargs)
