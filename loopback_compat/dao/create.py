"""Model.create: one instance, or a list one by one.

# LoopBack: DataAccessObject.create (lib/dao.js)
"""

from ..errors import AssertionError_
from ..model import ModelBase
from .arguments import api
from .helpers import apply_defaults_on_writes, id_name, validation_setting
from .pipeline import Write


class CreateMixin:
    """``Model.create``."""

    @classmethod
    @api(None, cb_in_last=True)
    def create(cls, data, options, done):
        """Create one instance (or a list) and persist it.

        # LoopBack: Model.create([data], [options], [cb]) -> cb(err, instance)

        Hooks: before save (instance, isNewInstance), persist (data,
        currentInstance), loaded (data), after save (instance).  A list is
        created item by item; ``cb(errors, instances)`` where ``errors`` is
        None or a list with the error at the failing positions.
        """
        if data is None:
            data = {}
        if isinstance(data, list):
            create_many(cls, data, options, done)
        elif isinstance(data, (dict, ModelBase)):
            Create(cls, data, options, done)
        else:
            done(AssertionError_('The data argument must be an object or array',
                                 code='ERR_ASSERTION'))


def create_many(model, items, options, done):
    """create() of a list: every item at once; ``done(errors or None, results)``."""
    if not items:
        return done(None, [])
    results = [None] * len(items)
    errors = [None] * len(items)
    state = {'left': len(items)}

    def one(index, item):
        def cb(err=None, result=None, *_):
            errors[index] = err
            results[index] = result if result is not None else item
            state['left'] -= 1
            if state['left'] == 0:
                failed = any(e is not None for e in errors)
                done(errors if failed else None, results)
        Create(model, item if item is not None else {}, options, cb)

    for index, item in enumerate(items):
        one(index, item)


class Create(Write):
    """One new instance through the pipeline (create, and save/upsert/
    replaceOrCreate of an instance without an id): ``done(err, instance)``.

    # LoopBack: DataAccessObject.create's body for one item
    """

    __slots__ = ('id_name',)
    notify_option = True
    # juggler: obj.trigger('create', ... obj.trigger('save', ..., obj, cb), obj, cb)
    triggers = ('create', 'save')
    trigger_data = 'instance'

    def __init__(self, model, data, options, done):
        Write.__init__(self, model, options, done)
        self.id_name = pk = id_name(model)
        id_value = data[pk] if isinstance(data, ModelBase) else data.get(pk)
        try:
            obj = data if isinstance(data, model) and not id_value else model(data)
            enforced = {}
            model.applyProperties(enforced, obj)
            obj.setAttributes(enforced)
        except Exception as err:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(err)
        self.instance = obj
        self.is_new = True
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'instance': self.instance, 'isNewInstance': True,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        obj = self.instance
        data = obj.toObject(True)
        if validation_setting(self.model, self.options) is False:
            return self.write_hooked()
        self.validate(obj, data, self.write_hooked)

    def write(self):
        val = self.sanitized(self.instance.toObject(True))
        if val is None:
            return
        self.data = apply_defaults_on_writes(val, self.model)
        self.persist()

    def persist_context(self):
        return {'Model': self.model, 'data': self.data, 'isNewInstance': True,
                'currentInstance': self.instance, 'hookState': self.hook_state,
                'options': self.options}

    def send(self):
        model = self.model
        try:
            connector = model._connector()
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        connector.create(model.modelName, model._forDB(self.data), self.options, self.created)

    def created(self, err=None, id_value=None, rev=None):
        obj = self.instance
        slots = obj.__dict__   # __data and __persisted, without the accessors
        if id_value is not None:
            slots['__data'][self.id_name] = id_value
        if err is not None:
            return self.done(err, obj)
        slots['__persisted'] = True
        self.loaded()

    def merge_loaded(self):
        if self.model.settings.get('updateOnLoad'):
            self.instance.setAttributes(self.data)
        self.after_save(self.instance)   # (the after hooks first: saveDone, createDone)
