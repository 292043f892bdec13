"""Model script: the port of common/models/order.js (empty in the example).

# LoopBack: module.exports = function(Order) { };
"""


def setup(Order):
    pass
