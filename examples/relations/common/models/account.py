"""Model script: the port of common/models/account.js (empty in the example).

# LoopBack: module.exports = function(Account) { };
"""


def setup(Account):
    pass
