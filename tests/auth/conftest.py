"""Fixtures for the built-in models: an app whose User, AccessToken, ACL, Role
and RoleMapping are LB3's, on the ``ds`` data source (every connector)."""

import os
import sys

import pytest

import loopback_compat as lb
from loopback_compat import auth

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))

AUTH_MODELS = ('User', 'AccessToken', 'ACL', 'RoleMapping', 'Role')


def build_auth_app(ds, user_settings=None):
    """A loopback() app with the auth models defined on ``ds``, auth enabled, tables made."""
    app = lb.loopback()
    app.dataSources['db'] = ds
    for name in AUTH_MODELS:
        overrides = {'options': dict(auth.definition(name).get('options') or {},
                                     **(user_settings or {}))} if name == 'User' else None
        model = auth.define_builtin(ds, name, overrides)
        app.model(model, {'dataSource': ds, 'public': name == 'User'})
    app.enableAuth()
    return app


@pytest.fixture
def auth_app(ds):
    app = build_auth_app(ds)
    lb.run(lambda: lb.await_(ds.automigrate(list(AUTH_MODELS))))
    return app
