"""The built-in ACL model: its definition and constants.

# LoopBack: loopback/common/models/acl.js, acl.json

The definition (model, property, accessType, permission, principalType,
principalId) is LB3's ``acl.json``; the constants are LB3's.  ACL matching
(``checkPermission``, ``checkAccessForContext``) is not ported yet: no
request is refused by an ACL (see docs/auth.md).
"""

from ._install import enable_remoting, install

CONSTANTS = {
    'ALL': '*', 'DEFAULT': 'DEFAULT',
    'ALLOW': 'ALLOW', 'ALARM': 'ALARM', 'AUDIT': 'AUDIT', 'DENY': 'DENY',
    'READ': 'READ', 'REPLICATE': 'REPLICATE', 'WRITE': 'WRITE', 'EXECUTE': 'EXECUTE',
    'USER': 'USER', 'APP': 'APP', 'APPLICATION': 'APP', 'ROLE': 'ROLE', 'SCOPE': 'SCOPE',
}


def setup(ACL):
    """# LoopBack: ACL's constants (acl.js)."""
    enable_remoting(ACL)
    install(ACL, constants=CONSTANTS)
