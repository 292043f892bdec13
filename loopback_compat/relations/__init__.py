"""Relations (hasOne, belongsTo) and include — placeholder being filled in.

Interface the data-source layer relies on:
- ``RelationMixin``: mixed into every model class; gives ``hasOne``,
  ``belongsTo`` and the ``include`` classmethod used by ``find``.
- ``define_relations(Model, relations)``: the ``relations`` block of a
  model definition.
- ``model_defined(Model)``: called by the data source after each model is
  defined, so relations waiting for that target can be completed.
"""


class RelationMixin:
    pass


def define_relations(model, relations):
    pass


def model_defined(model):
    pass
