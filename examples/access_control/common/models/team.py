"""Model script: the port of common/models/team.js (empty in the example).

# LoopBack: module.exports = function(Team) { };
"""


def setup(Team):
    pass
