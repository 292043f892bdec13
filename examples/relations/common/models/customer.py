"""Model script: the port of common/models/customer.js (empty in the example).

# LoopBack: module.exports = function(Customer) { };
"""


def setup(Customer):
    pass
