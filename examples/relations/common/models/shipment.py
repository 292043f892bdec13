"""Model script: the port of common/models/shipment.js (empty in the example; its parameter is named Order there too).

# LoopBack: module.exports = function(Order) { };
"""


def setup(Order):
    pass
