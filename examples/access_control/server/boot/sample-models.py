"""Boot script: the port of server/boot/sample-models.js.

Creates the users John, Jane and Bob (password ``opensesame``); project1
owned by John, whose team is John and Jane; project2 owned by Jane, whose
team is Jane; the role ``admin`` with Bob mapped to it (a USER principal).
Like the JavaScript it does not wait for its writes: the script returns at once.
"""


def boot(app):
    User = app.models.user
    Role = app.models.Role
    RoleMapping = app.models.RoleMapping
    Team = app.models.Team

    def users_created(err, users=None):
        if err:
            raise err

        print('Created users:', users)

        # create project 1 and make john the owner
        def project1_created(err, project=None):
            if err:
                raise err

            print('Created project:', project)

            # add team members
            def team_created(err, team=None):
                if err:
                    raise err

                print('Created team:', team)
            Team.create([
                {'ownerId': project.ownerId, 'memberId': users[0].id},
                {'ownerId': project.ownerId, 'memberId': users[1].id},
            ], team_created)
        users[0].projects.create({'name': 'project1', 'balance': 100}, project1_created)

        # create project 2 and make jane the owner
        def project2_created(err, project=None):
            if err:
                raise err

            print('Created project:', project)

            # add team members
            def team_created(err, team=None):
                if err:
                    raise err

                print('Created team:', team)
            Team.create({'ownerId': project.ownerId, 'memberId': users[1].id}, team_created)
        users[1].projects.create({'name': 'project2', 'balance': 100}, project2_created)

        # create the admin role
        def role_created(err, role=None):
            if err:
                raise err

            print('Created role:', role)

            # make bob an admin
            def principal_created(err, principal=None):
                if err:
                    raise err

                print('Created principal:', principal)
            role.principals.create({'principalType': RoleMapping.USER,
                                    'principalId': users[2].id}, principal_created)
        Role.create({'name': 'admin'}, role_created)

    User.create([
        {'username': 'John', 'email': 'john@doe.com', 'password': 'opensesame'},
        {'username': 'Jane', 'email': 'jane@doe.com', 'password': 'opensesame'},
        {'username': 'Bob', 'email': 'bob@projects.com', 'password': 'opensesame'},
    ], users_created)
