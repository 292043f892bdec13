"""Boot script: the port of server/boot/authentication.js.

# LoopBack: module.exports = function enableAuthentication(server) { server.enableAuth(); };
"""


def boot(server):
    # enable authentication
    server.enableAuth()
