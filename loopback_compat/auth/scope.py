"""The built-in Scope model (name, description), as LB3's ``scope.json``,
and ``Scope.checkPermission``.

# LoopBack: loopback/common/models/scope.js, scope.json
"""

from ._install import enable_remoting, install


def _check_permission(Scope, scope, model, property, access_type, callback=None):
    """# LoopBack: Scope.checkPermission(scope, model, property, accessType, cb):
    ACL.checkPermission for the SCOPE principal of the scope named ``scope``."""
    from .access_context import Registry
    ACL = Registry(Scope).getModelByType('ACL')

    def found(err=None, row=None):
        if err:
            if callback:
                callback(err)
            return
        # LB3 reads scope.id of a scope that may not exist (a TypeError there)
        ACL.checkPermission('SCOPE', row.id if row is not None else None, model, property,
                            access_type, callback)
    Scope.findOne({'where': {'name': scope}}, found)


def setup(Scope):
    enable_remoting(Scope)
    install(Scope, statics={'checkPermission': _check_permission})
