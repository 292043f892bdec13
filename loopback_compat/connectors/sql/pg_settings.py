"""The PostgreSQL connector's settings: time limits and the libpq connection string.

# LoopBack: loopback-connector-postgresql passes its settings to node-postgres
#           (connectionTimeoutMillis, statement_timeout, query_timeout, keepAlive...)

The settings are listed in postgresql.py's docstring; here they become
seconds (:func:`time_limits`) and a libpq conninfo string
(:func:`conninfo_from_settings`).
"""

import math

from .pg_pool import _driver


def _setting(settings, names, scale, default):
    """The first of ``names`` that is set, times its unit's ``scale`` (a number)."""
    for name, unit in zip(names, scale):
        value = settings.get(name)
        if value not in (None, ''):
            return float(value) * unit
    return default


def time_limits(settings):
    """{connect, acquire, statement, query} in seconds (statement/query None: no limit)."""
    connect = _setting(settings, ('connectTimeout', 'connectionTimeoutMillis'), (1, 0.001), 5.0)
    acquire = _setting(settings, ('poolTimeout', 'acquireTimeout'), (1, 0.001), 5.0)
    statement = _setting(settings, ('statementTimeout', 'statement_timeout'),
                         (0.001, 0.001), 30.0)
    query = _setting(settings, ('queryTimeout', 'query_timeout'), (0.001, 0.001),
                     statement + 5.0 if statement else 0.0)
    return {'connect': connect, 'acquire': acquire, 'statement': statement or None,
            'query': query or None}


def conninfo_from_settings(settings):
    """A libpq connection string from LoopBack's settings keys (url wins).

    Adds ``connect_timeout``, ``application_name`` and TCP keepalives; a
    value the url already has is kept unless a setting says otherwise.
    """
    psycopg = _driver()['psycopg']
    url = settings.get('url') or settings.get('connectionString')
    in_url = psycopg.conninfo.conninfo_to_dict(url) if url else {}
    params = {}
    for key, names in (('host', ('host', 'hostname')), ('port', ('port',)),
                       ('dbname', ('database', 'db')), ('user', ('user', 'username')),
                       ('password', ('password',))):
        for name in names:
            if settings.get(name) not in (None, ''):
                params[key] = str(settings[name])
                break
    if settings.get('ssl') and 'sslmode' not in in_url:
        params['sslmode'] = 'require'
    explicit = _setting(settings, ('connectTimeout', 'connectionTimeoutMillis'), (1, 0.001), None)
    if explicit is not None or 'connect_timeout' not in in_url:
        params['connect_timeout'] = str(max(1, int(math.ceil(time_limits(settings)['connect']))))
    name = settings.get('application_name') or settings.get('applicationName')
    if name:
        params['application_name'] = str(name)
    if settings.get('keepAlive', True) is False:
        params['keepalives'] = '0'
    elif 'keepalives' not in in_url:
        params['keepalives'] = '1'
        idle = _setting(settings, ('keepAliveInitialDelayMillis',), (0.001,), 10.0)
        params.setdefault('keepalives_idle', str(max(1, int(idle))))
        for key, value in (('keepalives_interval', '5'), ('keepalives_count', '3')):
            if key not in in_url:
                params[key] = value
    return psycopg.conninfo.make_conninfo(url or '', **params)
