"""Port of juggler 3.36.1's test/helpers/context-test-helpers.js and uid-generator.js.

# LoopBack: const {ContextRecorder, deepCloneToObject, aCtxForModel} =
#             require('./helpers/context-test-helpers');
#           const uid = require('./helpers/uid-generator');

A recorded hook context and an expected one both go through
:func:`deep_clone_to_object`, as juggler's tests do, and are compared with
``==`` (should.js's ``eql``).

Python spellings:

- a ctx (:class:`~loopback_compat.observer.HookContext`) becomes a dict of the
  fields the operation set (``Model``, ``hookState``, ``options``...);
- JavaScript's ``undefined`` (``lb.undefined``) becomes None, as juggler's
  helper turns it into null ("RDBMSs return null");
- a model instance becomes ``toObject(True)``.  juggler's ``toObject`` lists
  every declared property, an unset one as ``undefined`` (then null here);
  loopback_compat's leaves unset ones out (docs/differences.md, "Python
  spellings"), so the clone puts them back as None: both sides of a
  comparison then have juggler's shape;
- a model class becomes ``'[ModelCtor Name]'``.
"""

import loopback_compat as lb
from loopback_compat.model import ModelBase
from loopback_compat.observer import HookContext

__all__ = ['ContextRecorder', 'deep_clone_to_object', 'a_ctx_for_model', 'uid']


class ContextRecorder:
    """``new ContextRecorder(initialValue)``: ``records`` is ``initial`` until a
    hook runs, then the clone of its context, then a list of clones."""

    def __init__(self, initial_value):
        self.records = initial_value

    def record_and_next(self, transform_fn=None):
        """An observer ``fn(ctx, next)`` that calls ``transform_fn(ctx)`` first,
        records a deep clone of the context (with ``hookState.test = True``)
        and calls ``next()``."""
        def observer(context, next_):
            if callable(transform_fn):
                transform_fn(context)
            context = deep_clone_to_object(context)
            context['hookState']['test'] = True
            if isinstance(self.records, str):
                self.records = context
                return next_()
            if not isinstance(self.records, list):
                self.records = [self.records]
            self.records.append(context)
            next_()
        return observer

    # juggler's spelling
    recordAndNext = record_and_next


def _is_model_class(value):
    return isinstance(value, type) and issubclass(value, ModelBase)


def deep_clone_to_object(obj):
    """traverse(obj).map(...) of juggler's helper (see the module docstring)."""
    if obj is lb.undefined or obj is None:
        return None
    if isinstance(obj, HookContext):
        return {key: deep_clone_to_object(obj[key]) for key in obj.keys()}
    if isinstance(obj, ModelBase):
        data = obj.toObject(True)
        for name in type(obj).definition.properties:
            data.setdefault(name, None)   # juggler: listed as undefined -> null
        return deep_clone_to_object(data)
    if _is_model_class(obj):
        return '[ModelCtor %s]' % obj.modelName
    if isinstance(obj, dict):
        return {key: deep_clone_to_object(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [deep_clone_to_object(value) for value in obj]
    return obj


# juggler's spelling
deepCloneToObject = deep_clone_to_object


def a_ctx_for_model(test_model, ctx):
    """``aCtxForModel(TestModel, ctx)``: the expected context of a hook of
    ``test_model``: Model set, ``hookState`` defaulting to ``{test: true}``,
    ``options`` to ``{}``, deep-cloned."""
    ctx = dict(ctx)
    ctx['Model'] = test_model
    if not ctx.get('hookState'):
        ctx['hookState'] = {}
    if 'test' not in ctx['hookState']:
        ctx['hookState']['test'] = True
    if not ctx.get('options'):
        ctx['options'] = {}
    return deep_clone_to_object(ctx)


aCtxForModel = a_ctx_for_model


class _UidGenerator:
    """test/helpers/uid-generator.js: string ids '1', '2', ... (``default: uid.next``)."""

    def __init__(self):
        self.last_id = 0

    def next(self):
        self.last_id += 1
        return self.last()

    def last(self):
        return str(self.last_id)

    def reset(self):
        self.last_id = 0


uid = _UidGenerator()
