"""Model script: the port of common/models/email-address.js (empty in the example).

# LoopBack: module.exports = function(EmailAddress) { };
"""


def setup(EmailAddress):
    pass
