"""Relation routes over REST beyond hasMany's: named scopes, nestRemoting, link/unlink/exists.

What LB3 generates for a model's ``scopes`` setting (static routes
``GET|POST|DELETE /stores/superStores``, ``GET /stores/superStores/count``),
for ``nestRemoting`` (``/books/{id}/pages/{nk}/notes[/{fk}]``,
``/images/{id}/book/pages``), for belongsTo/hasOne edge cases, and the
``/rel/{fk}`` routes of referencesMany and hasMany through.  Each ``RECORDED``
list is the conversation a LoopBack 3.28 app (juggler 3.36.1,
strong-remoting 3.17, strong-error-handler without debug) had under Node 20,
the models being those of LoopBack's test/fixtures/simple-integration-app
and of its relations.integration.js; the Python app must answer the same, in
order, on a fresh memory data source.  Most requests are hostile: another
parent's child by id, a foreign key moved by the body, a filter that tries to
leave the scope, ids that are objects, a missing parent, a nested getter
that finds nothing.  Where loopback_compat answers differently on purpose,
the row says so (docs/differences.md).
"""

import pytest

import loopback_compat as lb
from live import LiveApp
from loopback_compat.remoting.swagger import build_swagger


#: LB3's test/fixtures/simple-integration-app models the conversations use
FIXTURE_MODELS = [
    {'name': 'widget', 'properties': {'name': {'type': 'string', 'default': 'DefaultWidgetName'}},
     'relations': {'store': {'model': 'store', 'type': 'belongsTo'}}},
    {'name': 'store', 'properties': {},
     'scopes': {'superStores': {'where': {'size': 'super'}}},
     'relations': {'widgets': {'model': 'widget', 'type': 'hasMany'}}},
    {'name': 'customer', 'base': 'PersistedModel',
     'properties': {'name': {'type': 'string', 'required': True}},
     'relations': {'profile': {'type': 'hasOne', 'model': 'profile'}}},
    {'name': 'profile', 'base': 'PersistedModel', 'properties': {'points': {'type': 'number'}}},
    {'name': 'physician', 'properties': {'name': 'string'},
     'relations': {'patients': {'model': 'patient', 'type': 'hasMany', 'through': 'appointment',
                                'foreignKey': 'patientId'}}},
    {'name': 'patient', 'properties': {'name': 'string'},
     'options': {'relations': {'physicians': {'model': 'physician', 'type': 'hasMany',
                                              'through': 'appointment',
                                              'foreignKey': 'physicianId'}}}},
    {'name': 'appointment', 'properties': {'date': 'date'},
     'options': {'relations': {
         'physician': {'model': 'physician', 'type': 'belongsTo', 'foreignKey': 'physicianId'},
         'patient': {'model': 'patient', 'type': 'belongsTo', 'foreignKey': 'patientId'}}}},
]


def throws(page, options=None, cb=None):
    raise lb.LoopBackError('This should not crash the app')


def nested_models(app, model):
    """relations.integration.js's 'nested relations' models."""
    Book = model('Book', {'name': 'string'}, {'plural': 'books'})
    Page = model('Page', {'name': 'string'}, {'plural': 'pages'})
    Image = model('Image', {'name': 'string'}, {'plural': 'images'})
    Note = model('Note', {'text': 'string'}, {'plural': 'notes'})
    Chapter = model('Chapter', {'name': 'string'}, {'plural': 'chapters'})
    Book.hasMany(Page, {'options': {'nestRemoting': True}})
    Book.hasMany(Chapter)
    Page.hasMany(Note)
    Page.belongsTo(Book, {'options': {'nestRemoting': True}})
    Chapter.hasMany(Note)
    Image.belongsTo(Book)
    setattr(Page, '__throw__errors', throws)
    Page.remoteMethod('__throw__errors', {
        'isStatic': False, 'http': {'path': '/throws', 'verb': 'get'},
        'accepts': [{'arg': 'options', 'type': 'object', 'http': 'optionsFromRequest'}]})
    Book.nestRemoting('chapters')
    Image.nestRemoting('book')


def references_many_models(app, model):
    """relations.integration.js's referencesMany models."""
    recipe = model('recipe', {'name': 'string'})
    ingredient = model('ingredient', {'name': 'string'})
    photo = model('photo', {'name': 'string'})
    recipe.referencesMany(ingredient)
    recipe.hasOne(photo, {'as': 'picture', 'options': {'http': {'path': 'image'}}})


def habtm_models(app, model):
    """relations.integration.js's hasAndBelongsToMany models."""
    product = model('product', {'id': 'string', 'name': 'string'})
    category = model('category', {'id': 'string', 'name': 'string'})
    product.hasAndBelongsToMany(category)
    category.hasAndBelongsToMany(product)


def embeds_models(app, model):
    """relations.integration.js's embedsOne and embedsMany models."""
    group = model('group', {'name': 'string'}, {'plural': 'groups'})
    poster = model('poster', {'url': 'string'})
    group.embedsOne(poster, {'as': 'cover'})
    todoList = model('todoList', {'name': 'string'}, {'plural': 'todo-lists'})
    todoItem = model('todoItem', {'content': 'string'}, {'forceId': False})
    todoList.embedsMany(todoItem, {'as': 'items'})


def app_setup(fixture_names, *extras):
    """A LiveApp setup: these fixture models, then the extra model sets."""
    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})

        def model(name, properties, settings=None):
            Model = ds.createModel(name, properties, settings or {})
            app.model(Model, dataSource='db')
            return Model

        for definition in FIXTURE_MODELS:
            if definition['name'] in fixture_names:
                app.model(ds.createModel(definition), dataSource='db')
        for extra in extras:
            extra(app, model)
        done()
    return setup


ALL = app_setup([m['name'] for m in FIXTURE_MODELS], nested_models, references_many_models,
                habtm_models, embeds_models)


@pytest.fixture
def live():
    app = LiveApp(ALL).start()
    yield app
    app.stop()


def replay(live, recorded):
    for method, path, body, status, expected in recorded:
        if isinstance(body, str):
            got = live.json(method, path, raw=body.encode(),
                            headers={'Content-Type': 'application/json'})
        else:
            got = live.json(method, path, body)
        assert got == (status, expected), (method, path, body)


# named scopes, nestRemoting, belongsTo and hasOne edges
RECORDED = [
    ('POST', '/api/stores', {'size': 'super', 'name': 'a'}, 200, {'id': 1, 'size': 'super', 'name': 'a'}),
    ('POST', '/api/stores', {'size': 'small', 'name': 'b'}, 200, {'id': 2, 'size': 'small', 'name': 'b'}),
    ('GET', '/api/stores/superStores', None, 200, [{'id': 1, 'size': 'super', 'name': 'a'}]),
    ('POST', '/api/stores/superStores', {'size': 'small', 'name': 'c'}, 200, {'id': 3, 'size': 'small', 'name': 'c'}),
    ('POST', '/api/stores/superStores', '[1]', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Some of array items are not an object.'}}),
    ('POST', '/api/stores/superStores', '"str"', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('GET', '/api/stores/superStores?filter=%7B%22where%22%3A%7B%22size%22%3A%22small%22%7D%7D', None, 200, []),
    ('GET', '/api/stores/superStores?filter=%7B%22where%22%3A%7B%22or%22%3A%5B%7B%22size%22%3A%22small%22%7D%5D%7D%7D', None, 200, []),
    ('GET', '/api/stores/superStores?filter=%5B1%5D', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('GET', '/api/stores/superStores/count', None, 200, {'count': 1}),
    ('GET', '/api/stores/superStores/count?where=%7B%22size%22%3A%22small%22%7D', None, 200, {'count': 0}),
    ('GET', '/api/stores/superStores/1', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'Shared class "store" has no method handling GET /superStores/1'}}),
    ('DELETE', '/api/stores/superStores', None, 204, None),
    ('GET', '/api/stores', None, 200, [{'id': 2, 'size': 'small', 'name': 'b'}, {'id': 3, 'size': 'small', 'name': 'c'}]),
    ('POST', '/api/books', {'name': 'Book 1'}, 200, {'name': 'Book 1', 'id': 1}),
    ('POST', '/api/books', {'name': 'Book 2'}, 200, {'name': 'Book 2', 'id': 2}),
    ('POST', '/api/books/1/pages', {'name': 'Page 1'}, 200, {'name': 'Page 1', 'id': 1, 'bookId': 1}),
    ('POST', '/api/books/2/pages', {'name': 'Page 2'}, 200, {'name': 'Page 2', 'id': 2, 'bookId': 2}),
    ('POST', '/api/pages/1/notes', {'text': 'Page Note 1'}, 200, {'text': 'Page Note 1', 'id': 1, 'pageId': 1}),
    ('POST', '/api/pages/2/notes', {'text': 'Page Note 2'}, 200, {'text': 'Page Note 2', 'id': 2, 'pageId': 2}),
    ('POST', '/api/images', {'name': 'Cover 1', 'bookId': 1}, 200, {'name': 'Cover 1', 'id': 1, 'bookId': 1}),
    ('POST', '/api/images', {'name': 'No book'}, 200, {'name': 'No book', 'id': 2}),
    ('GET', '/api/books/1/pages/1/notes', None, 200, [{'text': 'Page Note 1', 'id': 1, 'pageId': 1}]),
    ('GET', '/api/books/1/pages/1/notes/1', None, 200, {'text': 'Page Note 1', 'id': 1, 'pageId': 1}),
    ('GET', '/api/books/1/pages/2/notes', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/books/1/pages/2/notes/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/books/1/pages/999/notes', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 999 found for Page'}}),
    ('GET', '/api/books/1/pages/abc/notes', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id abc found for Page'}}),
    ('GET', '/api/books/1/pages/1/notes/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Note'}}),
    ('GET', '/api/books/1/pages/1/notes?filter=%7B%22where%22%3A%7B%22pageId%22%3A2%7D%7D', None, 200, []),
    ('GET', '/api/books/1/pages/1/notes/count?where=%7B%22pageId%22%3A2%7D', None, 200, {'count': 0}),
    ('POST', '/api/books/1/pages/1/notes', {'text': 'hostile', 'pageId': 2}, 200, {'text': 'hostile', 'id': 3, 'pageId': 1}),
    ('PUT', '/api/books/1/pages/1/notes/1', {'text': 'moved', 'pageId': 2}, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('PUT', '/api/books/1/pages/1/notes/2', {'text': 'x'}, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Note'}}),
    ('DELETE', '/api/books/1/pages/1/notes/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Note'}}),
    ('DELETE', '/api/books/1/pages/2/notes', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/pages/2/notes', None, 200, [{'text': 'Page Note 2', 'id': 2, 'pageId': 2}]),
    ('GET', '/api/books/1/pages/1/book', None, 200, {'name': 'Book 1', 'id': 1}),
    ('GET', '/api/books/1/pages/1/throws', None, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('GET', '/api/books/1/pages/2/throws', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/pages/1/book/pages/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/images/1/book/pages', None, 200, [{'name': 'Page 1', 'id': 1, 'bookId': 1}]),
    ('GET', '/api/images/1/book/pages/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 2 found for Page'}}),
    ('GET', '/api/images/2/book/pages', None, 200, None),
    ('GET', '/api/images/2/book/pages/1', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'Unknown "Page" id "1".', 'code': 'MODEL_NOT_FOUND'}}),
    ('GET', '/api/images/2/book/pages/count', None, 200, {'count': None}),
    ('GET', '/api/images/999/book/pages', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('POST', '/api/images/1/book/pages', {'name': 'via image', 'bookId': 2}, 200, {'name': 'via image', 'id': 3, 'bookId': 1}),
    ('GET', '/api/books/unknown/pages/1/notes', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id unknown', 'code': 'MODEL_NOT_FOUND'}}),
    ('DELETE', '/api/books/1/pages/1/notes', None, 204, None),
    ('GET', '/api/notes', None, 200, [{'text': 'Page Note 2', 'id': 2, 'pageId': 2}]),
    ('GET', '/api/pages', None, 200, [{'name': 'Page 1', 'id': 1, 'bookId': 1}, {'name': 'Page 2', 'id': 2, 'bookId': 2}, {'name': 'via image', 'id': 3, 'bookId': 1}]),
    ('POST', '/api/widgets', {'name': 'orphan'}, 200, {'name': 'orphan', 'id': 1}),
    ('GET', '/api/widgets/1/store', None, 200, {}),
    ('GET', '/api/widgets/999/store', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('POST', '/api/customers', {'name': 'John'}, 200, {'name': 'John', 'id': 1}),
    ('POST', '/api/customers', {'name': 'Jane'}, 200, {'name': 'Jane', 'id': 2}),
    ('POST', '/api/customers/1/profile', {'points': 10, 'customerId': 2}, 200, {'points': 10, 'id': 1, 'customerId': 1}),
    ('GET', '/api/customers/2/profile', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No "profile" instance(s) found', 'code': 'MODEL_NOT_FOUND'}}),
    ('PUT', '/api/customers/1/profile', {'points': 11, 'customerId': 2}, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('PUT', '/api/customers/2/profile', {'points': 11}, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('DELETE', '/api/customers/2/profile', None, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('POST', '/api/customers/999/profile', {'points': 1}, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('GET', '/api/profiles', None, 200, [{'points': 10, 'id': 1, 'customerId': 1}]),
    # deliberate fix (docs/differences.md): an object id is a 400 INVALID_ID; LB3 took
    # {"gt": 0} as a where filter and answered page 1's notes (200)
    ('GET', '/api/books/1/pages/%7B%22gt%22%3A0%7D/notes', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Invalid id {"gt":0} for Page: an id must be a string or a number, not an object', 'code': 'INVALID_ID'}}),
    ('GET', '/api/books/2/pages/%5B1%5D/notes', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Invalid id [1] for Page: an id must be a string or a number, not an array', 'code': 'INVALID_ID'}}),
]


def test_named_scopes_nested_routes_belongs_to_has_one_as_lb3_answered(live):
    replay(live, RECORDED)


RECORDED_REFERENCES_MANY = [
    ('POST', '/api/ingredients', {'name': 'Sugar'}, 200, {'name': 'Sugar', 'id': 1}),
    ('POST', '/api/ingredients', {'name': 'Salt'}, 200, {'name': 'Salt', 'id': 2}),
    ('POST', '/api/recipes', {'name': 'Recipe'}, 200, {'name': 'Recipe', 'id': 1, 'ingredientIds': []}),
    ('POST', '/api/recipes/1/ingredients', {'name': 'Chocolate'}, 200, {'name': 'Chocolate', 'id': 3}),
    ('GET', '/api/recipes/1/ingredients/1', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Key mismatch: recipe.ingredientIds: [3], ingredient.id: 1'}}),
    ('PUT', '/api/recipes/1/ingredients/1', {'name': 'hacked'}, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Key mismatch: recipe.ingredientIds: [3], ingredient.id: 1'}}),
    ('DELETE', '/api/recipes/1/ingredients/1', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Key mismatch: recipe.ingredientIds: [3], ingredient.id: 1'}}),
    ('HEAD', '/api/recipes/1/ingredients/rel/1', None, 500, None),
    ('HEAD', '/api/recipes/1/ingredients/rel/3', None, 500, None),
    ('PUT', '/api/recipes/1/ingredients/rel/999', None, 200, None),
    ('PUT', '/api/recipes/1/ingredients/rel/2', None, 200, {'name': 'Salt', 'id': 2}),
    ('PUT', '/api/recipes/1/ingredients/rel/2', None, 422, {'error': {'statusCode': 422, 'name': 'ValidationError', 'message': 'The `recipe` instance is not valid. Details: `ingredients` contains duplicate `ingredient` instance (value: undefined).', 'details': {'context': 'recipe', 'codes': {'ingredients': ['uniqueness']}, 'messages': {'ingredients': ['contains duplicate `ingredient` instance']}}}}),
    # deliberate fix (docs/differences.md): an object id is a 400; LB3 linked the first
    # ingredient matching the object as a where filter (200 {'name': 'Sugar', 'id': 1})
    ('PUT', '/api/recipes/1/ingredients/rel/%7B%22gt%22%3A0%7D', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Invalid id {"gt":0} for ingredient: an id must be a string or a number, not an object', 'code': 'INVALID_ID'}}),
    ('GET', '/api/recipes/1', None, 200, {'name': 'Recipe', 'id': 1, 'ingredientIds': [3, 2]}),  # LB3: [3, 2, 1]
    ('GET', '/api/recipes/1/ingredients/count', None, 200, {'count': 2}),  # LB3: 3
    ('DELETE', '/api/recipes/1/ingredients/rel/1', None, 204, None),
    ('DELETE', '/api/recipes/1/ingredients/rel/1', None, 204, None),
    ('GET', '/api/recipes/1/ingredients', None, 200, [{'name': 'Chocolate', 'id': 3}, {'name': 'Salt', 'id': 2}]),
    ('GET', '/api/ingredients', None, 200, [{'name': 'Sugar', 'id': 1}, {'name': 'Salt', 'id': 2}, {'name': 'Chocolate', 'id': 3}]),
    ('GET', '/api/recipes/1/image', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No "photo" instance(s) found', 'code': 'MODEL_NOT_FOUND'}}),
    ('POST', '/api/recipes/1/image', {'name': 'Photo 1'}, 200, {'name': 'Photo 1', 'id': 1, 'recipeId': 1}),
    ('GET', '/api/recipes/1/image', None, 200, {'name': 'Photo 1', 'id': 1, 'recipeId': 1}),
    ('GET', '/api/recipes/1/picture', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'Shared class "recipe" has no method handling GET /1/picture'}}),
]


def test_references_many_routes_as_lb3_answered(live):
    replay(live, RECORDED_REFERENCES_MANY)


RECORDED_THROUGH = [
    ('POST', '/api/physicians', {'name': 'ph1'}, 200, {'name': 'ph1', 'id': 1}),
    ('POST', '/api/physicians', {'name': 'ph2'}, 200, {'name': 'ph2', 'id': 2}),
    ('POST', '/api/physicians/1/patients', {'name': 'pa1'}, 200, {'name': 'pa1', 'id': 1}),
    ('POST', '/api/physicians/2/patients', {'name': 'pa2'}, 200, {'name': 'pa2', 'id': 2}),
    ('GET', '/api/appointments', None, 200, [{'id': 1, 'physicianId': 1, 'patientId': 1}, {'id': 2, 'physicianId': 2, 'patientId': 2}]),
    ('GET', '/api/physicians/1/patients', None, 200, [{'name': 'pa1', 'id': 1}]),
    ('GET', '/api/physicians/1/patients/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No relation found in appointment for (physician.1,patient.2)'}}),
    ('PUT', '/api/physicians/1/patients/2', {'name': 'hacked'}, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No relation found in appointment for (physician.1,patient.2)'}}),
    ('DELETE', '/api/physicians/1/patients/2', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No record found in appointment for (physician.1 ,patient.2)'}}),
    ('HEAD', '/api/physicians/1/patients/rel/2', None, 404, None),
    ('HEAD', '/api/physicians/1/patients/rel/1', None, 200, None),
    ('PUT', '/api/physicians/1/patients/rel/999', None, 200, {'id': 3, 'physicianId': 1, 'patientId': 999}),
    ('PUT', '/api/physicians/1/patients/rel/2', {'physicianId': 2, 'patientId': 1, 'date': '2020-01-01'}, 200, {'date': '2020-01-01T00:00:00.000Z', 'id': 4, 'physicianId': 1, 'patientId': 2}),
    ('GET', '/api/appointments', None, 200, [{'id': 1, 'physicianId': 1, 'patientId': 1}, {'id': 2, 'physicianId': 2, 'patientId': 2}, {'id': 3, 'physicianId': 1, 'patientId': 999}, {'date': '2020-01-01T00:00:00.000Z', 'id': 4, 'physicianId': 1, 'patientId': 2}]),
    ('GET', '/api/physicians/1/patients/count', None, 200, {'count': 1}),
    ('DELETE', '/api/physicians/1/patients/rel/2', None, 204, None),
    ('DELETE', '/api/physicians/1/patients/rel/2', None, 204, None),
    # deliberate fix: an object id is a 400 (LB3: the first patient of physician 1, 200)
    ('GET', '/api/physicians/1/patients/%7B%22gt%22%3A0%7D', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Invalid id {"gt":0} for patient: an id must be a string or a number, not an object', 'code': 'INVALID_ID'}}),
    ('DELETE', '/api/physicians/1/patients', None, 204, None),
    ('GET', '/api/patients', None, 200, [{'name': 'pa1', 'id': 1}, {'name': 'pa2', 'id': 2}]),
    ('GET', '/api/appointments', None, 200, [{'id': 2, 'physicianId': 2, 'patientId': 2}, {'id': 3, 'physicianId': 1, 'patientId': 999}]),
    ('POST', '/api/categories', {'name': 'c1'}, 200, {'id': 1, 'name': 'c1'}),
    ('POST', '/api/categories/1/products', {'name': 'p1'}, 200, {'id': 1, 'name': 'p1'}),
    ('GET', '/api/categories/1/products', None, 200, [{'id': 1, 'name': 'p1'}]),
    ('GET', '/api/categories/findOne?filter[where][id]=1&filter[include]=products', None, 200, {'id': 1, 'name': 'c1', 'products': [{'id': 1, 'name': 'p1'}]}),
    ('GET', '/api/products', None, 200, [{'id': 1, 'name': 'p1'}]),
]


def test_has_many_through_and_habtm_routes_as_lb3_answered(live):
    replay(live, RECORDED_THROUGH)


RECORDED_EMBEDS = [
    ('POST', '/api/groups', {'name': 'Group 1'}, 200, {'name': 'Group 1', 'id': 1}),
    ('POST', '/api/groups', {'name': 'Group 2'}, 200, {'name': 'Group 2', 'id': 2}),
    ('GET', '/api/groups/1/cover', None, 204, None),
    ('PUT', '/api/groups/1/cover', {'url': 'u0'}, 200, {'url': 'u0'}),
    ('DELETE', '/api/groups/1/cover', None, 204, None),
    ('POST', '/api/groups/1/cover', {'url': 'u1'}, 200, {'url': 'u1'}),
    ('POST', '/api/groups/1/cover', {'url': 'u2'}, 200, {'url': 'u2'}),
    ('GET', '/api/groups/1/cover', None, 200, {'url': 'u2'}),
    ('PUT', '/api/groups/1/cover', {'url': 'u3', 'id': 7}, 422, {'error': {'statusCode': 422, 'name': 'ValidationError', 'message': "The `group` instance is not valid. Details: `cover` is invalid: `id` can't be set (value: undefined).", 'details': {'context': 'group', 'codes': {'cover': ['invalid']}, 'messages': {'cover': ["is invalid: `id` can't be set"]}}}}),
    ('GET', '/api/groups/1', None, 200, {'name': 'Group 1', 'id': 1, 'poster': {'url': 'u2'}}),
    ('GET', '/api/groups/999/cover', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('POST', '/api/groups/2/cover', '[1]', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('POST', '/api/groups/2/cover', [{'url': 'a'}], 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('DELETE', '/api/groups/1/cover', None, 204, None),
    ('DELETE', '/api/groups/1/cover', None, 204, None),
    ('GET', '/api/groups/1/cover', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No "poster" instance(s) found', 'code': 'MODEL_NOT_FOUND'}}),
    ('POST', '/api/todo-lists', {'name': 'List A'}, 200, {'name': 'List A', 'id': 1, 'todoItems': []}),
    ('POST', '/api/todo-lists', {'name': 'List B'}, 200, {'name': 'List B', 'id': 2, 'todoItems': []}),
    ('POST', '/api/todo-lists/1/items', {'content': 'Todo 1'}, 200, {'content': 'Todo 1', 'id': 1}),
    ('POST', '/api/todo-lists/1/items', {'content': 'Todo 2'}, 200, {'content': 'Todo 2', 'id': 2}),
    ('POST', '/api/todo-lists/2/items', {'content': 'B1'}, 200, {'content': 'B1', 'id': 1}),
    ('POST', '/api/todo-lists/1/items', {'content': 'dup', 'id': 1}, 422, {'error': {'statusCode': 422, 'name': 'ValidationError', 'message': "The `todoList` instance is not valid. Details: `todoItems` contains duplicate `id` (value: [\n  { content: 'Todo 1', id...]).", 'details': {'context': 'todoList', 'codes': {'todoItems': ['uniqueness']}, 'messages': {'todoItems': ['contains duplicate `id`']}}}}),
    # an array body is refused (LB3 stores one item whose properties are '0' and '1')
    ('POST', '/api/todo-lists/1/items', [{'content': 'A3'}, {'content': 'A4'}], 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'EmbedsMany relation items expects one object for create, got list; pass a single dict'}}),
    ('GET', '/api/todo-lists/1/items', None, 200, [{'content': 'Todo 1', 'id': 1}, {'content': 'Todo 2', 'id': 2}]),
    ('GET', '/api/todo-lists/1/items/count', None, 200, {'count': 0}),
    ('GET', '/api/todo-lists/1/items/count?where=%7B%22content%22%3A%22Todo%201%22%7D', None, 200, {'count': 0}),
    ('GET', '/api/todo-lists/1/items/abc', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'Unknown "todoItem" id "abc".', 'code': 'MODEL_NOT_FOUND'}}),
    ('GET', '/api/todo-lists/1/items/%7B%22gt%22%3A0%7D', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'Unknown "todoItem" id "{"gt":0}".', 'code': 'MODEL_NOT_FOUND'}}),
    ('PUT', '/api/todo-lists/1/items/1', {'content': 'T1b', 'id': 9}, 200, {'content': 'T1b', 'id': 9}),
    ('PUT', '/api/todo-lists/1/items/99', {'content': 'x'}, 200, None),
    ('DELETE', '/api/todo-lists/1/items/99', None, 204, None),
    ('GET', '/api/todo-lists/2/items', None, 200, [{'content': 'B1', 'id': 1}]),
    ('GET', '/api/todo-lists/1', None, 200, {'name': 'List A', 'id': 1, 'todoItems': [{'content': 'T1b', 'id': 9}, {'content': 'Todo 2', 'id': 2}]}),
    ('DELETE', '/api/todo-lists/1/items', None, 204, None),
    ('GET', '/api/todo-lists/1/items', None, 200, []),
    ('GET', '/api/todo-lists/999/items', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
]


def test_embeds_routes_as_lb3_answered(live):
    replay(live, RECORDED_EMBEDS)


def test_nested_hooks_and_options(live):
    """The target's hooks on exactly ``prototype.__findById__notes`` run for the nested
    route too (LB3's listenerTree hand-over); the nested getter gets the request's options."""
    seen = []

    def define(done):
        Page = live.app.models.Page
        Page.beforeRemote('prototype.__findById__notes',
                          lambda ctx, result, next_: (ctx.res.set('x-before', 'before'), next_()))
        Page.beforeRemote('prototype.*',
                          lambda ctx, result, next_: (ctx.res.set('x-wildcard', 'yes'), next_()))
        Page.afterRemote('prototype.__findById__notes',
                         lambda ctx, result, next_: (ctx.res.set('x-after', 'after'), next_()))
        Page.observe('access', lambda ctx, next_: (seen.append(ctx.options), next_()))
        done()
    live.on_loop(define)
    assert live.json('POST', '/api/books', {'name': 'b'})[0] == 200
    assert live.json('POST', '/api/books/1/pages', {'name': 'p'})[0] == 200
    assert live.json('POST', '/api/pages/1/notes', {'text': 'n'})[0] == 200
    status, headers, _ = live.request('GET', '/api/books/1/pages/1/notes/1')
    assert status == 200
    assert headers.get('x-before') == 'before' and headers.get('x-after') == 'after'
    assert 'x-wildcard' not in headers          # only the exact method's listeners (as LB3)
    assert 'accessToken' in seen[-1] and seen[-1]['accessToken'] is None
    # a hook that fails stops the nested call, as the target's own route
    live.on_loop(lambda done: (live.app.models.Page.beforeRemote(
        'prototype.__findById__notes',
        lambda ctx, result, next_: next_(lb.LoopBackError('denied', statusCode=403))), done()))
    assert live.json('GET', '/api/books/1/pages/1/notes/1') == (403, {'error': {
        'statusCode': 403, 'name': 'Error', 'message': 'denied'}})
    assert live.json('GET', '/api/pages/1/notes/1')[0] == 403


def test_nest_remoting_errors_and_options(live):
    """An unknown relation raises; a relation is nested once; pathName/paramName/hooks."""
    app = live.app

    def check(done):
        Book = app.models.Book
        with pytest.raises(lb.LoopBackError) as info:
            Book.nestRemoting('nope')
        assert info.value.message == 'Relation `nope` does not exist for model `Book`'
        Image = app.models.Image
        before = [m.name for m in Image.sharedClass.methods()]
        Image.nestRemoting('book')                                   # once only
        assert [m.name for m in Image.sharedClass.methods()] == before
        Note = app.models.Note
        Note.belongsTo(app.models.Page, {'as': 'page'})
        Note.nestRemoting('page', {'pathName': 'leaf', 'hooks': False},
                          lambda method, relation: method.name == '__get__notes' and 'leafNotes')
        done([(m.name, m.http) for m in Note.sharedClass.methods() if m.name == 'leafNotes'])
    assert live.on_loop(check) == [('leafNotes', [{'verb': 'get', 'path': '/leaf/notes'}])]
    assert live.json('POST', '/api/books', {'name': 'b'})[0] == 200
    assert live.json('POST', '/api/books/1/pages', {'name': 'p'})[0] == 200
    assert live.json('POST', '/api/pages/1/notes', {'text': 'n'})[0] == 200
    assert live.json('GET', '/api/notes/1/leaf/notes') == (
        200, [{'text': 'n', 'id': 1, 'pageId': 1}])


SWAGGER = {'/books/{id}/pages/{nk}/notes/{fk}': {'get': {'deprecated': False,
                                               'operationId': 'Book.prototype.__findById__pages__notes',
                                               'parameters': [{'description': 'Book id',
                                                               'format': 'JSON',
                                                               'in': 'path',
                                                               'name': 'id',
                                                               'required': True,
                                                               'type': 'string'},
                                                              {'description': 'Foreign key for '
                                                                              'pages.',
                                                               'format': 'JSON',
                                                               'in': 'path',
                                                               'name': 'nk',
                                                               'required': True,
                                                               'type': 'string'},
                                                              {'description': 'Foreign key for '
                                                                              'notes',
                                                               'format': 'JSON',
                                                               'in': 'path',
                                                               'name': 'fk',
                                                               'required': True,
                                                               'type': 'string'}],
                                               'responses': {'200': {'description': 'Request '
                                                                                    'was '
                                                                                    'successful',
                                                                     'schema': {'$ref': '#/definitions/Note'}}},
                                               'summary': 'Find a related item by id for '
                                                          'notes.',
                                               'tags': ['Book']}},
 '/images/{id}/book/pages': {'get': {'deprecated': False,
                                     'operationId': 'Image.prototype.__get__book__pages',
                                     'parameters': [{'description': 'Image id',
                                                     'format': 'JSON',
                                                     'in': 'path',
                                                     'name': 'id',
                                                     'required': True,
                                                     'type': 'string'},
                                                    {'format': 'JSON',
                                                     'in': 'query',
                                                     'name': 'filter',
                                                     'required': False,
                                                     'type': 'string'}],
                                     'responses': {'200': {'description': 'Request was '
                                                                          'successful',
                                                           'schema': {'items': {'$ref': '#/definitions/Page'},
                                                                      'type': 'array'}}},
                                     'summary': 'Queries pages of Book.',
                                     'tags': ['Image']}},
 '/recipes/{id}/ingredients/rel/{fk}': {'delete': {'deprecated': False,
                                                   'operationId': 'recipe.prototype.__unlink__ingredients',
                                                   'parameters': [{'description': 'recipe id',
                                                                   'format': 'JSON',
                                                                   'in': 'path',
                                                                   'name': 'id',
                                                                   'required': True,
                                                                   'type': 'string'},
                                                                  {'description': 'Foreign key '
                                                                                  'for '
                                                                                  'ingredients',
                                                                   'format': 'JSON',
                                                                   'in': 'path',
                                                                   'name': 'fk',
                                                                   'required': True,
                                                                   'type': 'string'}],
                                                   'responses': {'204': {'description': 'Request '
                                                                                        'was '
                                                                                        'successful'}},
                                                   'summary': 'Remove the ingredients relation '
                                                              'to an item by id.',
                                                   'tags': ['recipe']},
                                        'head': {'deprecated': False,
                                                 'operationId': 'recipe.prototype.__exists__ingredients',
                                                 'parameters': [{'description': 'recipe id',
                                                                 'format': 'JSON',
                                                                 'in': 'path',
                                                                 'name': 'id',
                                                                 'required': True,
                                                                 'type': 'string'},
                                                                {'description': 'Foreign key '
                                                                                'for '
                                                                                'ingredients',
                                                                 'format': 'JSON',
                                                                 'in': 'path',
                                                                 'name': 'fk',
                                                                 'required': True,
                                                                 'type': 'string'}],
                                                 'responses': {'200': {'description': 'Request '
                                                                                      'was '
                                                                                      'successful',
                                                                       'schema': {'type': 'boolean'}}},
                                                 'summary': 'Check the existence of '
                                                            'ingredients relation to an item '
                                                            'by id.',
                                                 'tags': ['recipe']},
                                        'put': {'deprecated': False,
                                                'operationId': 'recipe.prototype.__link__ingredients',
                                                'parameters': [{'description': 'recipe id',
                                                                'format': 'JSON',
                                                                'in': 'path',
                                                                'name': 'id',
                                                                'required': True,
                                                                'type': 'string'},
                                                               {'description': 'Foreign key '
                                                                               'for '
                                                                               'ingredients',
                                                                'format': 'JSON',
                                                                'in': 'path',
                                                                'name': 'fk',
                                                                'required': True,
                                                                'type': 'string'}],
                                                'responses': {'200': {'description': 'Request '
                                                                                     'was '
                                                                                     'successful',
                                                                      'schema': {'$ref': '#/definitions/ingredient'}}},
                                                'summary': 'Add a related item by id for '
                                                           'ingredients.',
                                                'tags': ['recipe']}},
 '/stores/superStores': {'delete': {'deprecated': False,
                                    'operationId': 'store.__delete__superStores',
                                    'parameters': [],
                                    'responses': {'204': {'description': 'Request was '
                                                                         'successful'}},
                                    'summary': 'Deletes all superStores of this model.',
                                    'tags': ['store']},
                         'get': {'deprecated': False,
                                 'operationId': 'store.__get__superStores',
                                 'parameters': [{'format': 'JSON',
                                                 'in': 'query',
                                                 'name': 'filter',
                                                 'required': False,
                                                 'type': 'string'}],
                                 'responses': {'200': {'description': 'Request was successful',
                                                       'schema': {'items': {'$ref': '#/definitions/store'},
                                                                  'type': 'array'}}},
                                 'summary': 'Queries superStores of store.',
                                 'tags': ['store']},
                         'post': {'deprecated': False,
                                  'operationId': 'store.__create__superStores',
                                  'parameters': [{'in': 'body',
                                                  'name': 'data',
                                                  'required': False,
                                                  'schema': {'$ref': '#/definitions/store'}}],
                                  'responses': {'200': {'description': 'Request was successful',
                                                        'schema': {'$ref': '#/definitions/store'}}},
                                  'summary': 'Creates a new instance in superStores of this '
                                             'model.',
                                  'tags': ['store']}},
 '/stores/superStores/count': {'get': {'deprecated': False,
                                       'operationId': 'store.__count__superStores',
                                       'parameters': [{'description': 'Criteria to match model '
                                                                      'instances',
                                                       'format': 'JSON',
                                                       'in': 'query',
                                                       'name': 'where',
                                                       'required': False,
                                                       'type': 'string'}],
                                       'responses': {'200': {'description': 'Request was '
                                                                            'successful',
                                                             'schema': {'properties': {'count': {'format': 'double',
                                                                                                 'type': 'number'}},
                                                                        'type': 'object'}}},
                                       'summary': 'Counts superStores of store.',
                                       'tags': ['store']}}}


def test_swagger_entries_as_lb3(live):
    """The swagger.json operations of the new routes, as loopback-swagger 5.9 describes them."""
    status, doc = live.json('GET', '/explorer/swagger.json')
    assert status == 200
    for path, ops in SWAGGER.items():
        for verb, op in ops.items():
            assert doc['paths'][path][verb] == op, (verb, path)
    # the PersistedModel a polymorphic belongsTo returns has its definition
    app = live.app

    def poly(done):
        Pic = app.dataSources.db.createModel('Picture', {'name': 'string'})
        app.model(Pic, dataSource='db')
        Pic.belongsTo('imageable', {'polymorphic': True})
        done(build_swagger(app))
    doc = live.on_loop(poly)
    get = doc['paths']['/Pictures/{id}/imageable']['get']
    assert get['responses']['200']['schema'] == {'$ref': '#/definitions/PersistedModel'}
    assert doc['definitions']['PersistedModel'] == {
        'properties': {'id': {'type': 'number', 'format': 'double'}},
        'additionalProperties': False}
