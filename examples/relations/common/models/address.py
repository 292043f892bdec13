"""Model script: the port of common/models/address.js (empty in the example).

# LoopBack: module.exports = function(Address) { };
"""


def setup(Address):
    pass
