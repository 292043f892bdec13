"""Model script: the port of common/models/user.js (empty in the example).

# LoopBack: module.exports = function(User) { };
"""


def setup(User):
    pass
