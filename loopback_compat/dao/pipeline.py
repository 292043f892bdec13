"""The write pipeline every DAO write goes through.

# LoopBack: the hook sequence of lib/dao.js's writes (create, save,
#           updateAttributes, replaceById, replaceOrCreate, upsert,
#           upsertWithWhere, findOrCreate, updateAll)

A write is one :class:`Write` object, made per call, that steps through
juggler's stages in juggler's order::

    access -> before save -> validate -> persist -> (connector) -> loaded -> after save

Each operation is a subclass (create.py, update.py, upsert.py) that
supplies what differs: the context each hook sees (``*_context()``, field
for field and in juggler's key order) and the work between the hooks (its
continuations).  It skips the stages juggler's operation does not have
(only upsert, upsertWithWhere, replaceOrCreate, findOrCreate and updateAll
ask ``access``; updateAll has no ``loaded``).  A step runs the observers
of its hook on a context built from the write's fields, reads back the
fields its operation takes from that context (an observer may have
replaced them), then calls its continuation; an observer's error goes to
the operation's callback instead.

**Quiet writes.**  When nobody observes any of the operation's hooks
(``hooks``, asked once per call through the cached :func:`observes`), the
write becomes its operation's quiet class (``Create.Quiet``...), made once
per operation, in which each step *is* its continuation: no context is
built, no observer chain entered and no call spent on the step.  A context
nobody observes would have handed back the very values it was built from,
so the continuations are the same code either way.

**Legacy model hooks.**  juggler's ``inst.trigger('create'|'save'|'update',
...)`` around the write (``Model.beforeSave = fn``..., hooks.py) are not a
step: they wrap ``write()`` (the work after validation, sanitising included,
so that what a before hook changed is written) in the continuations, which
the quiet class shares, so a write nobody observes still runs them.  An
operation names them in ``triggers``; a model that sets none of them costs
one look-up per hook name (as :func:`hooks.has_hooks`).
"""

from functools import partial

from .. import filters
from ..events import call_fitted
from ..hooks import names_of, trigger_nested
from ..observer import observes
from ..validations import Validatable, validation_error
from .helpers import coerce_data

# The operation hooks of a write, asked about together (one cached answer).
# frozensets: observes() keys its answers by them, and a frozenset hashes once
UPDATE_HOOKS = frozenset(('before save', 'persist', 'loaded', 'after save'))
ACCESS_AND_UPDATE_HOOKS = UPDATE_HOOKS | {'access'}
DELETE_HOOKS = frozenset(('access', 'before delete', 'after delete'))

_IS_VALID = Validatable.isValid


#: each hook step and the continuation it leads to (see "Quiet writes")
STEPS = (('access', 'accessed'), ('before_save', 'before_saved'), ('persist', 'send'),
         ('loaded', 'merge_loaded'))


class Write:
    """One call of a write operation on its way through juggler's pipeline.

    ``model``, ``options``, ``done`` (the operation's callback) and
    ``hook_state`` (the ``ctx.hookState`` every hook of the call shares).
    ``query``, ``where``, ``data``, ``instance`` and ``is_new`` are the
    write's current values of those context fields: a step builds its
    context from them, and after the observers ran, reads back the fields
    its operation takes from that context (``reads``).

    A subclass names its continuations after the steps they follow:
    ``accessed``, ``before_saved``, ``send`` (after 'persist': the
    connector call) and ``merge_loaded``; it then calls ``after_save``.
    """

    __slots__ = ('model', 'options', 'done', 'hook_state',
                 'query', 'where', 'data', 'instance', 'is_new', 'finish')

    #: the hooks whose observers the write notifies (all of them, or none)
    hooks = UPDATE_HOOKS
    #: the context fields each step reads back once its observers ran
    reads = {'access': ('query',), 'before save': (), 'persist': ('data',),
             'loaded': ('data',)}
    #: ``options.notify === false`` skips 'after save' (create and upsert only, as juggler)
    notify_option = False
    #: True on the quiet class of each operation
    quiet = False
    #: the legacy model hook actions juggler triggers around ``write()``,
    #: outermost first (create: ``('create', 'save')``), and the field of the
    #: write given to their before hooks as ``data``
    triggers = ()
    trigger_data = 'data'
    #: save runs its after hooks once 'after save' ran, the others before it
    after_hooks_last = False
    #: every hook name of ``triggers`` (set from them)
    trigger_names = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.quiet:
            return
        cls.trigger_names = names_of(*cls.triggers)
        # the quiet class: each step of the operation is its continuation
        shortcuts = {step: getattr(cls, then) for step, then in STEPS if hasattr(cls, then)}
        cls.Quiet = type(cls.__name__ + 'Quiet', (cls,), dict(
            shortcuts, __slots__=(), quiet=True, __module__=cls.__module__,
            __doc__='%s when nobody observes its hooks.' % cls.__name__))

    def __init__(self, model, options, done):
        if not observes(model, self.hooks):
            self.__class__ = self.Quiet
        self.model = model
        self.options = options
        self.done = done
        self.hook_state = {}
        self.query = self.where = self.data = self.instance = self.is_new = None
        self.finish = None

    # -- the steps, in juggler's order -----------------------------------

    def access(self):
        """'access': observers see ``{Model, query, hookState, options}``."""
        self.notify('access', {'Model': self.model, 'query': self.query,
                               'hookState': self.hook_state, 'options': self.options},
                    self.accessed)

    def before_save(self):
        """'before save', on the operation's ``before_save_context()``."""
        self.notify('before save', self.before_save_context(), self.before_saved)

    def validate(self, inst, data, then, on_invalid=None):
        """juggler's ``inst.isValid(cb, data, options)``: ``then()`` when valid;
        otherwise ``on_invalid()``, by default the ValidationError (and the
        instance) to the operation's callback.  The model's own isValid
        calls back in the same turn when every validator is synchronous
        (juggler's saves go on in that turn too); an override of isValid (a
        model's, or ``inst.isValid = fn`` on the instance: juggler calls
        ``inst.isValid``) is called as ``isValid(cb, data, options)``.  An
        exception a legacy validate hook or an override raises before the
        verdict goes to the operation's callback."""
        verdict = partial(self._validated, inst, then, on_invalid)
        if type(inst).isValid is _IS_VALID and 'isValid' not in inst.__dict__:
            inst._check_validity(verdict, data, self.options, self.done)
        else:
            self._validate_by_override(inst, verdict, data)

    def _validate_by_override(self, inst, verdict, data):
        called = []

        def cb(*valid):
            called.append(True)
            verdict(*valid)
        try:
            call_fitted(inst.isValid, cb, data, self.options)
        except Exception as exc:  # noqa: BLE001 - an error before the verdict ends the write
            if called:
                raise   # from the rest of the write (or save({throws: true}))
            self.done(exc)

    def _validated(self, inst, then, on_invalid, valid=None, *_):
        # (a beforeValidate hook's next(err, ...) reaches here: juggler's
        # isValid callback takes its first argument as the verdict)
        if valid:
            return then()
        if on_invalid is not None:
            return on_invalid()
        self.done(validation_error(inst), inst)

    def write_hooked(self):
        """``write()`` inside the legacy model hooks of ``triggers``, when the
        model sets any (juggler's nested ``inst.trigger(...)``): a before hook's
        ``next(err)`` ends the write with ``done(err)``; the after hooks run
        from :meth:`after_save`."""
        model = self.model
        for name in self.trigger_names:   # hooks.has_hooks, inlined: every write asks
            if getattr(model, name):
                break
        else:
            inst = self.instance
            if inst is None or 'triggerParent' not in inst.__dict__:
                return self.write()
            # an embedded instance: its owner is written inside the triggers
            # (hooks.trigger, relations/embedded.py)
        trigger_nested(self.instance, self.triggers, getattr(self, self.trigger_data),
                       self._write_in_hooks, self.done, self.done)

    def _write_in_hooks(self, finish):
        self.finish = finish
        self.write()

    def persist(self):
        """'persist', on the operation's ``persist_context()`` (``data`` as it
        will be written); then ``send()`` calls the connector."""
        self.notify('persist', self.persist_context(), self.send)

    def loaded(self):
        """'loaded', on ``loaded_context()``: the data the connector returned."""
        self.notify('loaded', self.loaded_context(), self.merge_loaded)

    def after_save(self, inst, *results):
        """'after save' on ``after_save_context(inst)``, then ``done(err, inst,
        *results)``: juggler hands the instance over even with an observer's
        error.  (updateAll hands over its info in the place of the instance.)

        The after hooks of :meth:`write_hooked`'s triggers run first
        (create, updateAttributes), or between 'after save' and ``done``
        when ``after_hooks_last`` (save), unless 'after save' failed."""
        finish = self.finish
        if finish is not None:
            self.finish = None
            if not self.after_hooks_last:
                return finish(partial(self.after_save, inst, *results))
            self.done = partial(_after_hooks_then, finish, self.done)
        if self.quiet or self.notify_option and self.options.get('notify') is False:
            return self.done(None, inst, *results)
        self.model.notifyObserversOf('after save', self.after_save_context(inst),
                                     partial(_hand_over, self.done, inst, results))

    # -- the contexts (the operation's own, where they differ) ---------------

    def loaded_context(self):
        return {'Model': self.model, 'data': self.data, 'isNewInstance': self.is_new,
                'hookState': self.hook_state, 'options': self.options}

    def after_save_context(self, inst):
        return {'Model': self.model, 'instance': inst, 'isNewInstance': self.is_new,
                'hookState': self.hook_state, 'options': self.options}

    # -- shared parts ---------------------------------------------------------

    def notify(self, hook, ctx, then):
        """Run the observers of ``hook`` on ``ctx``; then read back the fields
        of ``reads[hook]`` and call ``then()``, or report their error."""
        self.model.notifyObserversOf(hook, ctx, partial(_go_on, self, hook, then))

    def write(self):
        """The data as :meth:`sanitized`, then 'persist' (an operation that
        builds its data otherwise has its own)."""
        data = self.sanitized(self.data)
        if data is None:
            return
        self.data = data
        self.persist()

    def write_coerced(self):
        """True once ``where`` is coerced and ``data`` sanitised and coerced to
        the property types (updateAll, upsertWithWhere); False when one of
        them failed, its error gone to the operation's callback."""
        model = self.model
        try:
            self.where = model._coerce_where(self.where or {}, self.options)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            self.done(exc)
            return False
        data = self.sanitized(self.data)
        if data is None:
            return False
        try:
            self.data = coerce_data(model, data, self.options)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            self.done(exc)
            return False
        return True

    def persist_context(self):
        """'persist' of an upsert: ``{Model, where, data, currentInstance,
        hookState, options}`` (the other writes have their own)."""
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'currentInstance': self.instance, 'hookState': self.hook_state,
                'options': self.options}

    def saved(self, err=None, row=None, info=None):
        """The connector's answer to an upsert: ``row`` becomes the data,
        ``info.isNewInstance`` says whether it was created; then 'loaded'."""
        if err is not None:
            return self.done(err)
        self.data = row
        self.is_new = (info or {}).get('isNewInstance')
        self.loaded()

    def sanitized(self, data):
        """Data to write without undefined values, depth-checked (juggler's
        ``_sanitizeData``), or None once its error (the 400
        QUERY_OBJECT_TOO_DEEP) went to the operation's callback."""
        if not isinstance(data, dict):
            return data
        try:
            return filters.sanitize_data(data, self.model._info(), self.options)
        except Exception as err:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            self.done(err)
            return None

    def loaded_instance(self, inst):
        """The instance a write reports once 'loaded' ran.

        juggler: a plain row from the observers is merged into ``inst``; an
        instance of the model put in ``ctx.data`` replaces it.
        """
        data = self.data
        if data is not None and not isinstance(data, self.model):
            inst._initProperties(data, {'persisted': True})
        elif data is not None:
            return data
        return inst


def _go_on(write, hook, then, err=None, ctx=None):
    if err is not None:
        return write.done(err)
    for name in write.reads[hook]:
        setattr(write, name, ctx.get(name))
    then()


def _hand_over(done, inst, results, err=None, ctx=None):
    done(err, inst, *results)


def _after_hooks_then(finish, done, err=None, inst=None, *results):
    if err is not None:
        return done(err, inst, *results)
    finish(lambda: done(None, inst, *results))
