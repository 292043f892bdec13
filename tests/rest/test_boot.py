"""lb.boot: LB3 project layouts (config overlays, datasources, model-config, scripts).

Layouts are written to a temporary folder; the booted app is checked directly
and, where it matters, over HTTP.
"""

import json
import os

import pytest

import loopback_compat as lb
from loopback_compat import LoopBackError
from live import LiveApp

SUPPLIER = {'name': 'Supplier', 'base': 'PersistedModel', 'idInjection': True,
            'properties': {'name': {'type': 'string', 'required': True}},
            'relations': {'account': {'type': 'hasOne', 'model': 'Account',
                                      'foreignKey': 'supplierId'}}}
ACCOUNT = {'name': 'Account', 'base': 'PersistedModel',
           'properties': {'acctmgr': 'string', 'supplierId': 'number'}}


def write(root, rel, content):
    path = os.path.join(str(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as fh:
        fh.write(content if isinstance(content, str) else json.dumps(content))
    return path


def layout(root, config=None, datasources=None, model_config=None, models=None):
    write(root, 'server/config.json', config or {'restApiRoot': '/api', 'port': 3000})
    write(root, 'server/datasources.json', datasources or {'db': {'name': 'db',
                                                                  'connector': 'memory'}})
    write(root, 'server/model-config.json', model_config or {
        '_meta': {'sources': ['loopback/common/models', '../common/models', './models']},
        'Supplier': {'dataSource': 'db', 'public': True},
        'Account': {'dataSource': 'db', 'public': True}})
    for name, definition in (models or {'supplier': SUPPLIER, 'account': ACCOUNT}).items():
        write(root, 'common/models/%s.json' % name, definition)
    return os.path.join(str(root), 'server')


def boot_sync(root, **kwargs):
    app = lb.loopback()
    lb.boot(app, str(root), **kwargs)
    return app


def test_config_overlays_and_env_host_port(tmp_path, monkeypatch):
    monkeypatch.setenv('NODE_ENV', 'staging')
    monkeypatch.delenv('PORT', raising=False)
    layout(tmp_path, config={'restApiRoot': '/api', 'port': 3000, 'host': '0.0.0.0',
                             'remoting': {'json': {'limit': '100kb', 'strict': False}},
                             'custom': {'a': 1, 'b': 2}})
    write(tmp_path, 'server/config.local.json', {'custom': {'b': 20, 'c': 30}})
    write(tmp_path, 'server/config.staging.json', {'port': 4000, 'custom': {'c': 300}})
    write(tmp_path, 'server/config.production.json', {'port': 9999})
    app = boot_sync(tmp_path)
    assert app.get('port') == 4000
    assert app.get('custom') == {'a': 1, 'b': 20, 'c': 300}
    assert app.get('remoting')['json']['limit'] == '100kb'
    monkeypatch.setenv('PORT', '5050')
    assert boot_sync(tmp_path).get('port') == 5050


def test_datasource_placeholders(tmp_path, monkeypatch):
    monkeypatch.setenv('DB_LABEL', 'from-env')
    layout(tmp_path, config={'restApiRoot': '/api', 'dbTimeout': 1500},
           datasources={'db': {'name': 'db', 'connector': 'memory', 'label': '${DB_LABEL}',
                               'timeout': '${dbTimeout}', 'url': 'mem://${DB_LABEL}/x',
                               'missing': '${NOT_SET_ANYWHERE}'}})
    app = boot_sync(tmp_path)
    settings = app.dataSources.db.settings
    assert settings['label'] == 'from-env'
    assert settings['timeout'] == 1500              # a whole placeholder keeps the type
    assert settings['url'] == 'mem://from-env/x'
    assert settings['missing'] == '${NOT_SET_ANYWHERE}'


def test_model_config_public_options_and_file_names(tmp_path):
    layout(tmp_path, model_config={
        '_meta': {'sources': ['../common/models']},
        'Supplier': {'dataSource': 'db', 'options': {'plural': 'vendors'}},
        'Account': {'dataSource': 'db', 'public': False},
        'AuditEntry': {'dataSource': None}},
        models={'supplier': SUPPLIER, 'account': ACCOUNT,
                'audit-entry': {'properties': {'what': 'string'}},
                '_draft': {'name': 'Draft'}})
    app = boot_sync(tmp_path)
    assert app.models.Supplier.settings['plural'] == 'vendors'
    assert app.models.AuditEntry.modelName == 'AuditEntry'       # from audit-entry.json
    assert 'Draft' not in app.models
    assert [m.modelName for m in app.public_models()] == ['Supplier', 'AuditEntry']
    assert app.models.Supplier.relations['account'].modelTo is app.models.Account


def test_relations_to_models_on_another_data_source(tmp_path):
    """LB3 builds every model of the app with the registry's one model builder
    (app.registry.modelBuilder), so a `db` model's relations find their
    targets on `transient` whichever is defined first."""
    layout(tmp_path,
           datasources={'db': {'name': 'db', 'connector': 'memory'},
                        'transient': {'name': 'transient', 'connector': 'transient'}},
           model_config={'_meta': {'sources': ['../common/models']},
                         'Customer': {'dataSource': 'db'},
                         'Address': {'dataSource': 'transient', 'public': False},
                         'Email': {'dataSource': 'transient', 'public': False},
                         'Order': {'dataSource': 'db'}},
           models={'customer': {'name': 'Customer', 'properties': {'name': 'string'},
                                'relations': {
                                    'address': {'type': 'embedsOne', 'model': 'Address',
                                                'property': 'billingAddress'},
                                    'emails': {'type': 'embedsMany', 'model': 'Email',
                                               'property': 'emailList'},
                                    'orders': {'type': 'hasMany', 'model': 'Order'}}},
                   'address': {'name': 'Address', 'base': 'Model',
                               'properties': {'street': 'string'}},
                   'email': {'name': 'Email', 'base': 'Model',
                             'properties': {'address': 'string'}},
                   'order': {'name': 'Order', 'relations': {
                       'customer': {'type': 'belongsTo', 'model': 'Customer'}}}})
    app = boot_sync(tmp_path)
    Customer = app.models.Customer
    assert Customer.relations['address'].modelTo is app.models.Address
    assert Customer.relations['emails'].modelTo is app.models.Email
    assert Customer.relations['orders'].modelTo is app.models.Order
    assert app.models.Address.dataSource is app.dataSources.transient
    assert Customer.dataSource is app.dataSources.db
    # one builder for the app's models, as LB3's registry
    assert app.dataSources.db.modelBuilder is app.dataSources.transient.modelBuilder
    assert Customer({'name': 'Larry'}).toJSON() == {'name': 'Larry', 'emailList': []}


@pytest.mark.parametrize('model_config, message', [
    ({'Nope': {'dataSource': 'db'}}, 'Model not found: Nope'),
    ({'Supplier': {'dataSource': 'nodb'}, 'Account': {'dataSource': 'db'}},
     'Supplier is referencing a dataSource that does not exist: "nodb"'),
    ({'Supplier': {'dataSource': 'db', 'properties': {}}},
     'The data in model-config.json is in the unsupported 1.x format.'),
])
def test_model_config_errors_reach_the_callback(tmp_path, model_config, message):
    model_config = dict(model_config, _meta={'sources': ['../common/models']})
    layout(tmp_path, model_config=model_config)
    errors = []

    def main():
        lb.boot(lb.loopback(), str(tmp_path), lambda err=None: errors.append(err))
    lb.run(main)
    assert [str(e) for e in errors] == [message]
    with pytest.raises(LoopBackError) as info:
        boot_sync(tmp_path)
    assert str(info.value) == message


def test_model_script_runs_before_the_model_joins_the_app(tmp_path):
    layout(tmp_path)
    write(tmp_path, 'common/models/supplier.py', '''
SEEN = []

def setup(Supplier):
    SEEN.append((Supplier.modelName, Supplier.__dict__.get('app')))
    Supplier.seen = SEEN

    def hello(name, cb):
        cb(None, 'hello ' + name)
    Supplier.hello = hello
    Supplier.remoteMethod('hello', {'accepts': {'arg': 'name', 'type': 'string'},
                                    'returns': {'arg': 'msg', 'type': 'string'},
                                    'http': {'verb': 'get'}})
''')
    live = LiveApp(lambda app, done: lb.boot(app, str(tmp_path), done)).start()
    try:
        assert live.app.models.Supplier.seen == [('Supplier', None)]
        assert live.json('GET', '/api/Suppliers/hello?name=bob') == (200, {'msg': 'hello bob'})
    finally:
        live.stop()


def test_mixins_from_the_mixin_folders(tmp_path):
    supplier = dict(SUPPLIER, mixins={'TimeStamp': {'field': 'stamp'}, 'Audit': True})
    layout(tmp_path, models={'supplier': supplier, 'account': ACCOUNT}, model_config={
        '_meta': {'sources': ['../common/models'],
                  'mixins': ['loopback/common/mixins', '../common/mixins', './mixins']},
        'Supplier': {'dataSource': 'db'}, 'Account': {'dataSource': 'db'}})
    write(tmp_path, 'common/mixins/time-stamp.py', """
def setup(Model, options):
    Model.defineProperty(options['field'], {'type': 'date'})
""")
    write(tmp_path, 'server/mixins/audit.py', """
def setup(Model):          # fewer parameters than passed, as JavaScript allows
    Model.audited = True
""")
    write(tmp_path, 'server/mixins/unused.py', 'raise RuntimeError("only used mixins load")')
    app = boot_sync(tmp_path)
    Supplier = app.models.Supplier
    assert Supplier.definition.properties['stamp'] == {'type': 'date'}
    assert Supplier.audited is True
    assert 'stamp' not in app.models.Account.definition.properties


def test_an_unknown_mixin_stops_boot(tmp_path):
    supplier = dict(SUPPLIER, mixins={'Nope': True})
    layout(tmp_path, models={'supplier': supplier, 'account': ACCOUNT})
    with pytest.raises(LoopBackError) as info:
        boot_sync(tmp_path)
    assert str(info.value) == 'Model "Supplier" uses unknown mixin: Nope'


def test_boot_scripts_run_in_order_sync_async_and_promises(tmp_path):
    layout(tmp_path)
    write(tmp_path, 'server/boot/b-async.py', '''
import loopback_compat as lb

def boot(app, cb):
    def later():
        app.get('order').append('b')
        cb()
    lb.setTimeout(later, 20)
''')
    write(tmp_path, 'server/boot/a-sync.py', '''
def boot(app):
    app.set('order', ['a'])
''')
    write(tmp_path, 'server/boot/c-promise.py', '''
def boot(app):
    return app.models.Supplier.create({'name': 'seeded'}).then(
        lambda s: app.get('order').append('c%d' % s.id))
''')
    write(tmp_path, 'server/boot/_skipped.py', 'def boot(app):\n    raise RuntimeError("no")\n')
    app = boot_sync(tmp_path)            # outside a loop: returns once all scripts finished
    assert app.get('order') == ['a', 'b', 'c1']
    assert app.booted


def test_boot_script_error_stops_boot(tmp_path):
    layout(tmp_path)
    write(tmp_path, 'server/boot/a.py', 'def boot(app, cb):\n    cb(Exception("bad script"))\n')
    write(tmp_path, 'server/boot/b.py', 'def boot(app):\n    app.set("ran_b", True)\n')
    outcome = []

    def main():
        app = lb.loopback()
        promise = lb.boot(app, str(tmp_path))
        promise.then(lambda v: outcome.append('ok'), lambda e: outcome.append((str(e), app)))
    lb.run(main)
    assert outcome[0][0] == 'bad script'
    assert outcome[0][1].get('ran_b') is None


def test_middleware_and_component_config(tmp_path):
    layout(tmp_path, config={'restApiRoot': '/rest'})
    write(tmp_path, 'server/middleware.json', {
        'routes': {'loopback#rest': {'paths': ['${restApiRoot}']}},
        'final:after': {'strong-error-handler': {'params': {'debug': True, 'log': False}}}})
    write(tmp_path, 'server/component-config.json',
          {'loopback-component-explorer': {'mountPath': '/docs'}})
    live = LiveApp(lambda app, done: lb.boot(app, str(tmp_path), done)).start()
    try:
        assert live.json('GET', '/rest/Suppliers') == (200, [])
        status, doc = live.json('GET', '/docs/swagger.json')
        assert status == 200 and doc['basePath'] == '/rest'
        live.json('POST', '/rest/Suppliers', {'name': 's'})
        live.json('POST', '/rest/Suppliers/1/account', {})
        status, body = live.json('POST', '/rest/Suppliers/1/account', {})
        assert status == 500 and 'stack' in body['error']        # debug from middleware.json
    finally:
        live.stop()


def test_example_app_boots_and_serves(example_app):
    status, created = example_app.json('POST', '/api/Suppliers', {'name': 'acme'})
    assert (status, created) == (200, {'name': 'acme', 'id': 1})
    status, root = example_app.json('GET', '/')
    assert status == 200 and set(root) == {'started', 'uptime'}
