"""Remote hooks: ``before``/``after``/``afterError`` listeners matched by method name.

# LoopBack: strong-remoting RemoteObjects#before/after/afterError, execHooks

Hooks are registered against a pattern of dot-separated segments such as
``Supplier.create``, ``Supplier.prototype.__get__account``, ``Supplier.*``
(one segment: every static method) or ``Supplier.prototype.*`` and ``**``
(any number of segments).  They run in series in registration order, each as
``fn(ctx, next, method)``; ``next(err)`` stops the chain with an error, a
returned Promise is awaited, and a raised exception counts as ``next(err)``.
"""

from ..promise import is_thenable


def pattern_matches(pattern, name):
    return _match(pattern.split('.'), name.split('.'))


def _match(pat, parts):
    if not pat:
        return not parts
    head = pat[0]
    if head == '**':
        return any(_match(pat[1:], parts[i:]) for i in range(len(parts) + 1))
    if not parts:
        return False
    if head == '*' or head == parts[0]:
        return _match(pat[1:], parts[1:])
    return False


class HookRegistry:
    """The hooks of one app (``app.remotes()``)."""

    def __init__(self):
        self._hooks = {'before': [], 'after': [], 'afterError': []}

    def before(self, pattern, fn):
        """# LoopBack: app.remotes().before('Supplier.create', fn(ctx, next))"""
        self._add('before', pattern, lambda ctx, next_, method: fn(ctx, next_))

    def after(self, pattern, fn):
        self._add('after', pattern, lambda ctx, next_, method: fn(ctx, next_))

    def afterError(self, pattern, fn):
        self._add('afterError', pattern, lambda ctx, next_, method: fn(ctx, next_))

    def _add(self, when, pattern, hook):
        """Register ``hook(ctx, next, method)`` for ``when`` on ``pattern``."""
        self._hooks[when].append((pattern, hook))

    def matching(self, when, string_name):
        return [fn for pattern, fn in self._hooks[when] if pattern_matches(pattern, string_name)]

    def exec_hooks(self, when, method, ctx, done):
        """Run the ``when`` hooks for ``method`` in series, then ``done(err)``."""
        self._run_series(self.matching(when, method.stringName), method, ctx, done)

    def exec_listeners(self, when, string_name, method, ctx, done):
        """Run the hooks registered for exactly ``string_name`` (no wildcard), then ``done(err)``.

        # LoopBack: listenerTree[when][Model].prototype[name]._listeners(ctx, next)
        (how ``nestRemoting`` hands a nested call to the target model's hooks).
        """
        stack = [fn for pattern, fn in self._hooks[when] if pattern == string_name]
        self._run_series(stack, method, ctx, done)

    def _run_series(self, stack, method, ctx, done):
        index = [0]
        finished = [False]

        def finish(err=None):
            if not finished[0]:
                finished[0] = True
                done(err)

        def step(err=None):
            if err:
                return finish(err)
            if finished[0]:
                return
            if index[0] >= len(stack):
                return finish()
            fn = stack[index[0]]
            index[0] += 1
            called = [False]

            def next_(err=None):
                if called[0]:
                    return
                called[0] = True
                step(err)

            try:
                result = fn(ctx, next_, method)
            except Exception as exc:
                return finish(exc)
            if is_thenable(result):
                result.then(lambda _v: next_(), lambda e: finish(e))

        step()
