"""The built-in Role model: its definition (name, description, created,
modified; ``principals`` hasMany RoleMapping) and LB3's role constants.

# LoopBack: loopback/common/models/role.js, role.json

``Role.isInRole``, ``Role.registerResolver`` and the dynamic roles'
resolvers are not ported yet (ACL enforcement, docs/auth.md).
"""

from ._install import enable_remoting, install

CONSTANTS = {
    'OWNER': '$owner', 'RELATED': '$related', 'AUTHENTICATED': '$authenticated',
    'UNAUTHENTICATED': '$unauthenticated', 'EVERYONE': '$everyone',
}


def setup(Role):
    """# LoopBack: Role's constants (role.js)."""
    enable_remoting(Role)
    install(Role, constants=CONSTANTS)
