"""The collector pause now lives in :mod:`loopback_compat.speedups.gc_pause`;
this module keeps the old import path working."""

__all__ = ['BATCH_MIN', 'gc_paused']

from .speedups.gc_pause import BATCH_MIN, gc_paused  # noqa: F401 - re-exported
