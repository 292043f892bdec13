"""Port of juggler 3.36.1's test/helpers/hook-monitor.js.

# LoopBack: const HookMonitor = require('./helpers/hook-monitor');
#           hookMonitor = new HookMonitor({includeModelName: false});
#           hookMonitor.install(TestModel, ['access', 'before save']);
#           hookMonitor.names.should.eql(['access', 'before save']);

juggler's monitor wraps ``Model.notifyObserversOf`` and records every
notification, observed or not (juggler's DAO notifies every hook of an
operation).  loopback_compat's DAO skips the hook machinery of an operation
none of whose hooks is observed (docs/models.md, "Operation hooks"), so a
wrapper alone would see nothing on an unobserved model.  This monitor
therefore observes every operation with an observer that records its name
and calls ``next()``: the names come out in the order the hooks fire, once
per notification, as juggler's do.
"""

__all__ = ['HookMonitor', 'OPERATIONS']

#: every operation hook juggler's DAO notifies
OPERATIONS = ('access', 'before save', 'persist', 'loaded', 'after save',
              'before delete', 'after delete')


class HookMonitor:
    """``new HookMonitor({includeModelName})``: ``names`` lists the hooks fired."""

    def __init__(self, options=None, **kwargs):
        self.options = dict(options or {}, **kwargs)
        self.names = []

    def install(self, observed_model, hook_names=None):
        """Record the hooks of ``observed_model`` (only ``hook_names`` when a list)."""
        self.names = []
        prefix = observed_model.modelName + ':' if self.options.get('includeModelName') else ''

        def recorder(operation):
            def observer(ctx, next_):
                if not isinstance(hook_names, list) or operation in hook_names:
                    self.names.append(prefix + operation)
                next_()
            return observer

        for operation in OPERATIONS:
            observed_model.observe(operation, recorder(operation))

    def reset_names(self):
        self.names = []

    resetNames = reset_names
