"""belongsTo, the counterpart of hasOne, and the polymorphic pair.

Ports juggler's describe('polymorphic hasOne') and describe('polymorphic
hasOne with non standard ids') (test/relations.test.js), which exercise
both sides, plus belongsTo's own accessor methods.
"""

import pytest

import loopback_compat as lb


def supplier_account(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Supplier.hasOne(Account)
    Account.belongsTo(Supplier)
    return Supplier, Account


# -- definition --------------------------------------------------------------------

def test_belongs_to_defaults(ds):
    Supplier, Account = supplier_account(ds)
    rel = Account.relations['supplier']
    assert rel.toJSON() == {
        'name': 'supplier', 'type': 'belongsTo', 'modelFrom': 'Account',
        'keyFrom': 'supplierId', 'modelTo': 'Supplier', 'keyTo': 'id', 'multiple': False}
    assert Account.supplier._targetClass == 'Supplier'
    assert callable(Account.__get__supplier)


def test_belongs_to_foreign_key_from_relation_name(ds):
    User = ds.createModel('User', {'name': 'string'})
    Post = ds.createModel('Post', {'title': 'string'})
    rel = Post.belongsTo(User, as_='author')
    assert (rel.name, rel.keyFrom) == ('author', 'authorId')
    assert Post.definition.properties['authorId']['type'] == 'number'
    named = Post.belongsTo('owner', {'model': User})
    assert (named.name, named.keyFrom, named.modelTo) == ('owner', 'ownerId', User)


# -- accessor ----------------------------------------------------------------------

@pytest.mark.lb_fiber
def test_getter_get_and_cache(ds, errback):
    Supplier, Account = supplier_account(ds)
    s = lb.await_(Supplier.create({'name': 'Acme'}))
    act = lb.await_(s.account.create({'acctmgr': 'm'}))
    account = lb.await_(Account.findById(act.id))
    assert account.supplier() is None
    out = errback(account.supplier)
    assert out.returned == s.id and out.result.name == 'Acme'
    assert isinstance(out.result, Supplier) and out.sync is False
    assert account.supplier() is out.result
    assert errback(account.supplier).result is out.result
    assert lb.await_(account.supplier.get()).name == 'Acme'


@pytest.mark.lb_fiber
def test_getter_without_foreign_key_gives_nothing(ds, errback):
    Supplier, Account = supplier_account(ds)
    account = lb.await_(Account.create({'acctmgr': 'alone'}))
    out = errback(account.supplier)
    assert out.err is None and out.result is None


def test_setter_sets_the_foreign_key(ds):
    Supplier, Account = supplier_account(ds)
    s = Supplier({'name': 'x', 'id': 7})
    account = Account({'acctmgr': 'm'})
    account.supplier(s)
    assert account.supplierId == 7 and account.supplier() is s


@pytest.mark.lb_fiber
def test_build_and_create(ds, errback):
    Supplier, Account = supplier_account(ds)
    account = lb.await_(Account.create({'acctmgr': 'm'}))
    built = account.supplier.build({'name': 'b'})
    assert isinstance(built, Supplier) and built.isNewRecord()
    out = errback(account.supplier.create, {'name': 'New'})
    created = out.result
    assert out.err is None and created.name == 'New'
    assert account.supplierId == created.id
    assert account.supplier() is created
    stored = lb.await_(Account.findById(account.id))
    assert stored.supplierId == created.id


@pytest.mark.lb_fiber
def test_update(ds, errback):
    Supplier, Account = supplier_account(ds)
    s = lb.await_(Supplier.create({'name': 'Acme'}))
    account = lb.await_(Account.create({'acctmgr': 'm', 'supplierId': s.id}))
    out = errback(account.supplier.update, {'name': 'Acme 2'})
    assert out.err is None and out.result.name == 'Acme 2'
    assert lb.await_(Supplier.findById(s.id)).name == 'Acme 2'
    bad = errback(account.supplier.update, {'id': 99})
    assert bad.err.message == 'Cannot override foreign key id from %s to 99' % s.id
    lone = lb.await_(Account.create({'acctmgr': 'alone'}))
    empty = errback(lone.supplier.update, {'name': 'x'})
    assert empty.err.message == 'BelongsTo relation supplier is empty'


@pytest.mark.lb_fiber
def test_destroy_detaches_without_deleting_the_target(ds, errback):
    Supplier, Account = supplier_account(ds)
    s = lb.await_(Supplier.create({'name': 'Acme'}))
    account = lb.await_(Account.create({'acctmgr': 'm', 'supplierId': s.id}))
    out = errback(account.supplier.destroy)
    assert out.err is None and out.result is account
    assert account.supplierId is None
    assert lb.await_(Account.findById(account.id)).supplierId is None
    assert lb.await_(Supplier.count()) == 1
    again = errback(account.supplier.destroy)
    assert again.err.message == 'BelongsTo relation supplier is empty'


@pytest.mark.lb_fiber
def test_include_belongs_to(ds):
    Supplier, Account = supplier_account(ds)
    s = lb.await_(Supplier.create({'name': 'Acme'}))
    lb.await_(Account.create({'acctmgr': 'with', 'supplierId': s.id}))
    lb.await_(Account.create({'acctmgr': 'without'}))
    accounts = lb.await_(Account.find({'include': 'supplier', 'order': 'id'}))
    assert [a.toJSON().get('supplier', {}).get('name') for a in accounts] == \
        ['Acme', None]
    assert accounts[0].supplier().name == 'Acme'
    assert accounts[1].supplier() is None


# -- describe('polymorphic hasOne') ------------------------------------------------

@pytest.fixture
def poly(ds):
    Picture = ds.createModel('Picture', {'name': str})
    Article = ds.createModel('Article', {'name': str})
    Employee = ds.createModel('Employee', {'name': str})
    Article.hasOne(Picture, {'as': 'packshot', 'polymorphic': 'imageable'})
    Employee.hasOne(Picture, {'as': 'mugshot', 'polymorphic': 'imageable'})
    Picture.belongsTo('imageable', {'polymorphic': True})
    return Picture, Article, Employee


def seed_polymorphic(Article, Employee):
    """Inside a fiber: Article 1 with 'Packshot', Employee 1 with 'Mugshot'."""
    article = lb.await_(Article.create({'name': 'Article 1'}))
    packshot = lb.await_(article.packshot.create({'name': 'Packshot'}))
    employee = lb.await_(Employee.create({'name': 'Employee 1'}))
    mugshot = lb.await_(employee.mugshot.create({'name': 'Mugshot'}))
    return article, packshot, employee, mugshot


@pytest.mark.lb_fiber
def test_should_create_polymorphic_relation(poly, errback):
    Picture, Article, Employee = poly
    article = lb.await_(Article.create({'name': 'Article 1'}))
    out = errback(article.packshot.create, {'name': 'Packshot'})
    pic = out.result
    assert out.err is None and pic is not None
    assert pic.imageableId == article.id and pic.imageableType == 'Article'
    # ... with promises
    article2 = lb.await_(Article.create({'name': 'Article 1'}))
    pic2 = lb.await_(article2.packshot.create({'name': 'Packshot'}))
    assert pic2.imageableId == article2.id and pic2.imageableType == 'Article'
    # ... - reader (an Employee)
    employee = lb.await_(Employee.create({'name': 'Employee 1'}))
    mug = errback(employee.mugshot.create, {'name': 'Mugshot'}).result
    assert mug.imageableId == employee.id and mug.imageableType == 'Employee'


@pytest.mark.lb_fiber
def test_article_and_employee_with_same_id_each_own_a_picture(poly):
    Picture, Article, Employee = poly
    article, packshot, employee, mugshot = seed_polymorphic(Article, Employee)
    assert article.id == employee.id
    assert packshot.imageableId == mugshot.imageableId
    assert lb.await_(Picture.count()) == 2


@pytest.mark.lb_fiber
def test_should_find_polymorphic_relation(poly, errback):
    Picture, Article, Employee = poly
    seed_polymorphic(Article, Employee)
    article = lb.await_(Article.findOne())
    out = errback(article.packshot)
    pic = out.result
    assert article.packshot() is pic
    assert pic.name == 'Packshot'
    assert str(pic.imageableId) == str(article.id)
    assert pic.imageableType == 'Article'
    employee = lb.await_(Employee.findOne())
    mug = errback(employee.mugshot).result
    assert mug.name == 'Mugshot' and mug.imageableType == 'Employee'
    assert str(mug.imageableId) == str(employee.id)
    # ... with promises - employee
    got = lb.await_(lb.await_(Employee.findOne()).mugshot.get())
    assert got.name == 'Mugshot' and got.imageableType == 'Employee'


@pytest.mark.lb_fiber
def test_should_include_polymorphic_relation(poly):
    Picture, Article, Employee = poly
    seed_polymorphic(Article, Employee)
    article = lb.await_(Article.findOne({'include': 'packshot'}))
    assert article.packshot().name == 'Packshot'
    employee = lb.await_(Employee.findOne({'include': 'mugshot'}))
    assert employee.mugshot().name == 'Mugshot'


@pytest.mark.lb_fiber
def test_should_find_inverse_polymorphic_relation(poly, errback):
    Picture, Article, Employee = poly
    seed_polymorphic(Article, Employee)
    pic = lb.await_(Picture.findOne({'where': {'name': 'Packshot'}}))
    imageable = errback(pic.imageable).result
    assert isinstance(imageable, Article) and imageable.name == 'Article 1'
    pic = lb.await_(Picture.findOne({'where': {'name': 'Mugshot'}}))
    imageable = errback(pic.imageable).result
    assert isinstance(imageable, Employee) and imageable.name == 'Employee 1'


@pytest.mark.lb_fiber
def test_should_include_inverse_polymorphic_relation(poly):
    Picture, Article, Employee = poly
    seed_polymorphic(Article, Employee)
    pic = lb.await_(Picture.findOne({'where': {'name': 'Packshot'}, 'include': 'imageable'}))
    assert isinstance(pic.imageable(), Article)
    assert pic.imageable().name == 'Article 1'
    pics = lb.await_(Picture.find({'include': 'imageable', 'order': 'id'}))
    assert [type(p.imageable()).modelName for p in pics] == ['Article', 'Employee']


def test_polymorphic_belongs_to_has_no_build_or_create(poly):
    Picture, _, _ = poly
    accessor = Picture({'name': 'p'}).imageable
    assert accessor._targetClass is None
    for name in ('build', 'create'):
        with pytest.raises(AttributeError):
            getattr(accessor, name)


@pytest.mark.lb_fiber
def test_polymorphic_getter_without_discriminator(poly, errback):
    Picture, _, _ = poly
    pic = lb.await_(Picture.create({'name': 'loose', 'imageableId': 1}))
    out = errback(pic.imageable)
    assert out.err.message == 'Polymorphic model not found: `imageableType` not set'


# -- describe('polymorphic hasOne with non standard ids') ----------------------------

@pytest.fixture
def poly_ids(ds):
    Picture = ds.createModel('Picture', {'name': str})
    Article = ds.createModel('Article', {
        'username': {'type': str, 'id': True, 'generated': True}, 'name': str})
    Employee = ds.createModel('Employee', {
        'username': {'type': str, 'id': True, 'generated': True}, 'name': str})
    custom = {'foreignKey': 'oid', 'discriminator': 'type'}
    Article.hasOne(Picture, as_='packshot', polymorphic=dict(custom))
    Employee.hasOne(Picture, as_='mugshot', polymorphic=dict(custom))
    Picture.belongsTo('imageable', idName='username', polymorphic=dict(
        custom, idType=Article.definition.properties['username']['type']))
    return Picture, Article, Employee


@pytest.mark.lb_fiber
def test_non_standard_ids_create(poly_ids, errback):
    Picture, Article, Employee = poly_ids
    article = lb.await_(Article.create({'name': 'Article 1'}))
    pic = errback(article.packshot.create, {'name': 'Packshot'}).result
    assert str(pic.oid) == str(article.username) and pic.type == 'Article'
    article2 = lb.await_(Article.create({'name': 'Article 1'}))
    pic2 = lb.await_(article2.packshot.create({'name': 'Packshot'}))
    assert str(pic2.oid) == str(article2.username) and pic2.type == 'Article'
    employee = lb.await_(Employee.create({'name': 'Employee 1'}))
    mug = errback(employee.mugshot.create, {'name': 'Mugshot'}).result
    assert str(mug.oid) == str(employee.username) and mug.type == 'Employee'


@pytest.mark.lb_fiber
def test_non_standard_ids_find_both_ways(poly_ids, errback):
    Picture, Article, Employee = poly_ids
    article = lb.await_(Article.create({'name': 'Article 1'}))
    lb.await_(article.packshot.create({'name': 'Packshot'}))
    employee = lb.await_(Employee.create({'name': 'Employee 1'}))
    lb.await_(employee.mugshot.create({'name': 'Mugshot'}))

    found = lb.await_(Article.findOne())
    pic = errback(found.packshot).result
    assert found.packshot() is pic
    assert pic.name == 'Packshot' and pic.type == 'Article'
    assert str(pic.oid) == str(found.username)
    mug = errback(lb.await_(Employee.findOne()).mugshot).result
    assert mug.name == 'Mugshot' and mug.type == 'Employee'

    p = lb.await_(Picture.findOne({'where': {'name': 'Packshot'}}))
    owner = errback(p.imageable).result
    assert isinstance(owner, Article) and owner.name == 'Article 1'
    p = lb.await_(Picture.findOne({'where': {'name': 'Mugshot'}}))
    owner = errback(p.imageable).result
    assert isinstance(owner, Employee) and owner.name == 'Employee 1'


@pytest.mark.lb_fiber
def test_non_standard_ids_include_both_ways(poly_ids):
    Picture, Article, Employee = poly_ids
    employee = lb.await_(Employee.create({'name': 'Employee 1'}))
    lb.await_(employee.mugshot.create({'name': 'Mugshot'}))
    found = lb.await_(Employee.findOne({'include': 'mugshot'}))
    assert found.mugshot().name == 'Mugshot'
    pic = lb.await_(Picture.findOne({'where': {'name': 'Mugshot'}, 'include': 'imageable'}))
    assert isinstance(pic.imageable(), Employee)
    assert pic.imageable().name == 'Employee 1'
