"""The C-level bulk loops now live in :mod:`loopback_compat.speedups.bulk`;
this module keeps the old import path working."""

__all__ = ['new_dicts', 'new_instances', 'set_in_each', 'slots_of', 'without_none_pairs']

from .speedups.bulk import (  # noqa: F401 - re-exported
    new_dicts, new_instances, set_in_each, slots_of, without_none_pairs)
