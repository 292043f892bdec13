"""Boot script: the port of server/boot/role-resolver.js.

Registers the dynamic role ``teamMember``: a user is in it for a project when
the project's owner has a team row naming the user as a member.  Project's
``findById`` ACL allows that role.

# LoopBack: Role.registerResolver('teamMember', function(role, context, cb) {...})
"""

from loopback_compat.loop import nextTick


def boot(app):
    Role = app.models.Role

    def team_member(role, context, cb):
        def reject():
            nextTick(lambda: cb(None, False))

        # if the target model is not project
        if context.modelName != 'project':
            return reject()

        # do not allow anonymous users
        user_id = context.accessToken.userId
        if not user_id:
            return reject()

        # check if userId is in team table for the given project id
        def found(err, project=None):
            if err or not project:
                return reject()

            Team = app.models.Team

            def counted(err, count=None):
                if err:
                    print(err)
                    return cb(None, False)
                cb(None, count > 0)  # true = is a team member
            Team.count({'ownerId': project.ownerId, 'memberId': user_id}, counted)
        context.model.findById(context.modelId, found)
    Role.registerResolver('teamMember', team_member)
