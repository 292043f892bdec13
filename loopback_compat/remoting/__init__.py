"""The REST API LoopBack 3 generates: shared classes, routing, coercion, errors, hooks.

# LoopBack: strong-remoting 3.x + strong-error-handler, as wired by loopback 3.x
"""

from .hooks import HookRegistry
from .model_api import attach_hooks, enable_remoting
from .rest import RestAdapter
from .shared_class import SharedClass, shared_class_for
