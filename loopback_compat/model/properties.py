"""Property descriptors: how a declared property is read and written on a model class.

# LoopBack: ModelClass.registerProperty(propertyName) in lib/model-builder.js
#           (the getter and setter it defines on ModelClass.prototype)

:func:`register_property` installs one :class:`PropertyDescriptor` per declared
property on the model class:

- reading ``inst.name`` calls the model's custom getter (``Model.getter[name]
  = fn`` is called as ``fn(inst)``) or returns the value kept in the
  instance's ``__data`` dict (None when absent);
- writing ``inst.name = value`` goes through ``ModelBase._set_property``
  (the custom setter, else juggler's coercion);
- read on the class, a descriptor yields whatever a base class defines under
  the same name, so a property called ``count`` does not hide ``Model.count``.
  :func:`shadowed_method` finds such a method from an instance.

:class:`IdAlias` is ``inst.id`` for a model whose id property has another
name; :class:`hybridmethod` binds to the class or to the instance, for
juggler's static and prototype methods of the same name.
"""


def data_of(inst):
    """The instance's ``__data`` dict (its property values)."""
    return inst.__dict__['__data']


class PropertyDescriptor:
    """Accessor for one declared property; coerces on assignment.

    Read on the class, it yields whatever the base classes define under the
    same name (so a property called ``count`` does not hide ``Model.count``).
    """

    def __init__(self, name, fallback=None):
        self.name = name
        self.fallback = fallback

    def __get__(self, inst, owner):
        if inst is None:
            if self.fallback is not None and hasattr(self.fallback, '__get__'):
                return self.fallback.__get__(None, owner)
            if self.fallback is not None:
                return self.fallback
            return self
        getter = owner.__dict__.get('getter')
        if getter and self.name in getter:
            return getter[self.name](inst)
        return inst.__dict__['__data'].get(self.name)

    def __set__(self, inst, value):
        inst._set_property(self.name, value)


class IdAlias:
    """``inst.id`` for a model whose id property has another name."""

    def __get__(self, inst, owner):
        if inst is None:
            return self
        id_names = owner.definition.idNames()
        data = inst.__dict__['__data']
        if len(id_names) == 1:
            return data.get(id_names[0])
        return {n: data.get(n) for n in id_names}

    def __set__(self, inst, value):
        id_names = type(inst).definition.idNames()
        if len(id_names) == 1:
            inst._set_property(id_names[0], value)


class hybridmethod:
    """A method bound to the class when read on the class, else to the instance.

    juggler has static and prototype methods of the same name
    (``Model.getDataSource()`` and ``inst.getDataSource()``).
    """

    def __init__(self, func):
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, inst, owner):
        return self.func.__get__(owner if inst is None else inst)


def register_property(cls, prop_name):
    """Install the accessor for one declared property on ``cls``."""
    fallback = None
    for klass in cls.__mro__[1:]:
        if prop_name in klass.__dict__:
            candidate = klass.__dict__[prop_name]
            if isinstance(candidate, PropertyDescriptor):
                fallback = candidate.fallback
            else:
                fallback = candidate
            break
    setattr(cls, prop_name, PropertyDescriptor(prop_name, fallback))


def shadowed_method(inst, name):
    """``inst``'s method ``name`` even when a declared property of that name
    hides it on the instance (``inst.toJSON`` is then the property's value,
    as in juggler); None when the class has no such method."""
    for klass in type(inst).__mro__:
        attr = klass.__dict__.get(name)
        if isinstance(attr, PropertyDescriptor):
            attr = attr.fallback
        if attr is not None and hasattr(attr, '__get__'):
            return attr.__get__(inst, type(inst))
    return None
