"""The built-in RoleMapping model: a principal (USER, APP, ROLE) mapped to a
role (``role`` belongsTo Role).

# LoopBack: loopback/common/models/role-mapping.js, role-mapping.json
"""

from ._install import enable_remoting, install

CONSTANTS = {'USER': 'USER', 'APP': 'APP', 'APPLICATION': 'APP', 'ROLE': 'ROLE'}


def setup(RoleMapping):
    """# LoopBack: RoleMapping's principal-type constants (role-mapping.js)."""
    enable_remoting(RoleMapping)
    install(RoleMapping, constants=CONSTANTS)
