"""The one argument prologue of the DAO's public methods.

# LoopBack: the argument handling at the top of each method of lib/dao.js

Every public method takes ``(args..., [options], [cb], **options)``:

- ``options`` is a dict; keyword arguments are merged into it (a Python
  spelling of an options object).  A model instance or a list passes, as
  JavaScript objects pass juggler's check (:func:`object_as_options`);
  anything else is juggler's assertion 'The options argument must be an
  object', delivered through the callback or promise (juggler throws it).
- ``cb`` is an error-first callback, called on a later tick; without one
  the method returns an ``lb.Promise`` of the first result.  A ``cb`` that
  is neither None nor callable is juggler's 'The cb argument must be a
  function', raised at once (as juggler's assert is).
- A function in the place of ``options`` is the callback; so is one in the
  place of the last leading argument when nothing follows it (``find(cb)``,
  ``create(data, cb)``, ``findByIds(ids, cb)``) where juggler allows it.
  Methods whose shuffle is their own (``findById``, ``findOrCreate``,
  ``updateAll``) pass it as ``shift``.

:func:`api` turns a method body ``body(self, *args, options, done)`` into
that public method; ``done(err, *results)`` is the callback or the
promise's settler.  The body reports argument errors through ``done``.
It runs once the model's data source is connected, connecting it first
when it is not (juggler's ``stillConnecting(dataSource, this, arguments)``
at the top of each DAO method).
"""

import inspect
from functools import partial

from ..errors import AssertionError_
from ..model import ModelBase
from ..promise import callback_and_promise, callback_done

#: "not given", for the arguments juggler tells apart from undefined
NOARG = object()

#: a leading argument without a default (Python's TypeError when missing)
REQUIRED = object()


def options_and_cb(options, cb, extra):
    """``(options, cb)``: a callable ``options`` is the callback; keyword
    options are merged into the options dict."""
    if cb is None and callable(options) and not isinstance(options, dict):
        cb, options = options, None
    if options is None:
        options = {}
    if extra and isinstance(options, dict):
        options.update(extra)
    return options, cb


def begin(options, cb, extra):
    """``(options, done, promise)`` for an API call; options None when invalid.

    An options argument that is not a dict is juggler's assertion error,
    delivered through ``done``.  ``promise`` is None when there is a callback.
    """
    if cb is None and not extra and (options is None or callable(options)
                                     and not isinstance(options, dict)):
        # the usual calls, (data) and (data, cb): options_and_cb's answer
        if options is None:
            done, promise = callback_and_promise(None)
            return {}, done, promise
        return {}, callback_done(options), None   # options is the callback
    options, cb = options_and_cb(options, cb, extra)
    done, promise = callback_and_promise(cb)
    if not isinstance(options, dict):
        options = object_as_options(options)
        if options is None:
            done(AssertionError_('The options argument must be an object',
                                 code='ERR_ASSERTION'))
            return None, done, promise
        options.update(extra)
    return options, done, promise


def object_as_options(value):
    """The options dict of a JavaScript object that is no dict, else None.

    juggler only asserts ``typeof options === 'object'``: a model instance
    (``post.save(post, cb)``) is read for its properties (a copy here: the
    method's writes to its options stay off the instance), an array has no
    option names.  Strings, numbers and booleans stay the assertion.
    """
    if isinstance(value, ModelBase):
        return value.toObject(False)
    if isinstance(value, (list, tuple)):
        return {}
    return None


def api(*defaults, cb_in_last=False, shift=None, results_as_list=False):
    """Make ``body(self, *leading, options, done)`` a public DAO method.

    ``defaults``: one per leading argument (:data:`REQUIRED` for none).
    ``cb_in_last``: a callable last leading argument, with no options and no
    callback after it, is the callback.  ``shift(*leading, options, cb)``:
    the method's own argument shuffle, returning the same tuple.
    ``results_as_list``: the promise (no callback) resolves with all the
    results as a list (findOrCreate's ``[instance, created]``).

    The public method takes the body's name, docstring and leading
    parameter names (``Model.findById(id=1)`` works); it returns the promise
    (None with a callback).

    Connect on demand (juggler's ``stillConnecting``): when the model's data
    source is not connected, the body waits for it (``ds.ready``: connects,
    or fails after ``settings.connectionTimeout`` ms with 'Timeout in
    connecting after N ms', or with the connection's error, through
    ``done``).  A connected data source costs the read of ``connected``.
    """
    arity = len(defaults)
    if shift is not None and arity != 2:
        raise ValueError('shift is for methods with two leading arguments')

    def decorate(body):
        names = body.__code__.co_varnames[1:1 + arity]   # the leading parameters
        if arity == 0:
            def method(self, options=None, cb=None, **kw):
                options, done, promise = begin(options, cb, kw)
                if options is not None:
                    ds = self.dataSource
                    if ds is None or ds.connected:
                        body(self, options, done)
                    else:
                        ds.ready(body, self, options, done)
                return promise
        elif arity == 1:
            def method(self, arg=defaults[0], options=None, cb=None, **kw):
                if kw and names[0] in kw:
                    arg = kw.pop(names[0])
                if cb is None and options is None and cb_in_last and callable(arg):
                    cb, arg = arg, None
                options, done, promise = begin(options, cb, kw)
                if options is not None:
                    ds = self.dataSource
                    if ds is None or ds.connected:
                        body(self, arg, options, done)
                    else:
                        ds.ready(body, self, arg, options, done)
                return promise
        elif arity == 2:
            def method(self, first=defaults[0], second=defaults[1], options=None, cb=None,
                       **kw):
                if kw and (names[0] in kw or names[1] in kw):
                    first = kw.pop(names[0], first)
                    second = kw.pop(names[1], second)
                if first is REQUIRED:
                    raise TypeError('%s() missing 1 required positional argument'
                                    % body.__name__)
                if shift is not None:
                    first, second, options, cb = shift(first, second, options, cb)
                elif cb is None and options is None and cb_in_last and callable(second):
                    cb, second = second, None
                options, done, promise = begin(options, cb, kw)
                if results_as_list and promise is not None:
                    done = partial(_results_as_list, done)
                if options is not None:
                    ds = self.dataSource
                    if ds is None or ds.connected:
                        body(self, first, second, options, done)
                    else:
                        ds.ready(body, self, first, second, options, done)
                return promise
        else:
            raise ValueError('api() takes up to two leading arguments')
        method.__name__ = method.__qualname__ = body.__name__
        method.__doc__ = body.__doc__
        method.__module__ = body.__module__
        method.__signature__ = _signature(names, defaults)
        method.body = body
        return method
    return decorate


def _signature(names, defaults):
    """``(self, <names>, options=None, cb=None, **options)`` for help() and inspect."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [inspect.Parameter('self', kind)]
    params += [inspect.Parameter(name, kind) if default is REQUIRED else
               inspect.Parameter(name, kind, default=None if default is NOARG else default)
               for name, default in zip(names, defaults)]
    params += [inspect.Parameter('options', kind, default=None),
               inspect.Parameter('cb', kind, default=None),
               inspect.Parameter('kwargs', inspect.Parameter.VAR_KEYWORD)]
    return inspect.Signature(params)


def _results_as_list(settle, err=None, *results):
    settle(err, list(results))
