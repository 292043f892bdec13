"""Moved to :mod:`loopback_compat.js.safe_regex`; this name is the same module.

(``import loopback_compat.safe_regex`` gives the very module object, so its
settings, such as ``BUDGET_SECONDS``, are shared and patchable under either name.)
"""

import sys

from .js import safe_regex as _module

sys.modules[__name__] = _module
