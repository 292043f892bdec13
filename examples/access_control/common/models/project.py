"""Model script: the port of common/models/project.js.

Three remote methods: ``listProjects`` (GET /api/projects/list-projects, every
project without its balance), ``donate`` and ``withdraw`` (POST
/api/projects/donate and /withdraw with ``id`` and ``amount``).  As in the
JavaScript, donate and withdraw answer before their ``save`` completes.

# LoopBack: module.exports = function(Project) { ... };
"""


def setup(Project):
    # listProjects
    def list_projects(cb):
        Project.find({'fields': {'balance': False}}, cb)
    Project.listProjects = list_projects
    Project.remoteMethod('listProjects', {
        'returns': {'arg': 'projects', 'type': 'array'},
        'http': {'path': '/list-projects', 'verb': 'get'},
    })

    # donate
    def donate(id, amount, cb):
        def found(err, project=None):
            if err:
                return cb(err)
            project.balance += amount
            project.save()
            cb(None, True)
        Project.findById(id, found)
    Project.donate = donate
    Project.remoteMethod('donate', {
        'accepts': [{'arg': 'id', 'type': 'number'},
                    {'arg': 'amount', 'type': 'number'}],
        'returns': {'arg': 'success', 'type': 'boolean'},
        'http': {'path': '/donate', 'verb': 'post'},
    })

    # withdraw
    def withdraw(id, amount, cb):
        def found(err, project=None):
            if err:
                return cb(err)
            project.balance = project.balance - amount \
                if project.balance >= amount else 0
            project.save()
            cb(None, True)
        Project.findById(id, found)
    Project.withdraw = withdraw
    Project.remoteMethod('withdraw', {
        'accepts': [{'arg': 'id', 'type': 'number'},
                    {'arg': 'amount', 'type': 'number'}],
        'returns': {'arg': 'success', 'type': 'boolean'},
        'http': {'path': '/withdraw', 'verb': 'post'},
    })
