"""The built-in Scope model (name, description), as LB3's ``scope.json``.

# LoopBack: loopback/common/models/scope.js, scope.json

Only the definition: ``Scope.checkPermission`` belongs to ACL enforcement,
not ported yet.
"""

from ._install import enable_remoting


def setup(Scope):
    enable_remoting(Scope)
