"""Port of juggler 3.36.1's test/relations.test.js (see conftest.py for the conventions).

Ported so far (issue 19, hasMany): the describe blocks ``hasMany`` (with its
``with scope``), ``hasMany with properties``, ``hasMany with scope and
properties``, ``relations validation``, ``polymorphic hasMany``, ``hasMany
with primaryKey different from model PK``, ``custom relation/scope methods``
and ``relation names``; then (issue 19, hasMany through) ``hasMany
through`` (with its paging and options describes), ``hasMany through -
collect``, ``hasMany through - customized relation name and foreign key``,
``hasMany through bi-directional relations on the same model``, ``hasMany
through - between same models``, ``polymorphic hasAndBelongsToMany through``
and ``hasAndBelongsToMany``, appended at the end.  The other blocks
(polymorphic hasOne, belongsTo, hasOne, embedsOne, embedsMany,
referencesMany, ...) are left for later; the hasOne and belongsTo ones are
covered by tests/relations/.

mocha runs the cases of a describe in order on shared models and data; each
case here starts from a fresh data source, runs its describe's ``before``
(a ``given_*`` helper) and first replays the cases before it that left data
or declarations it depends on (``replay``).

Spellings: ``Book.prototype.chapters`` is the class attribute
``Book.chapters``; ``Category.prototype['__summarize__jobs']`` is
``getattr(Category, '__summarize__jobs')``.  A custom relation method is
called ``fn(relation, *args)``, the relation object playing juggler's
``this`` (docs/differences.md).  A relation ``scope`` function is called
``fn(instance, filter)``: juggler's ``this`` there (the relation definition)
is reached through a closure.  juggler's ``process.once('deprecation')`` is a
DeprecationWarning.
"""

import warnings

import pytest

import loopback_compat as lb
from loopback_compat.promise import callback_and_promise
from loopback_compat.testing import callback_outcome, rejection

pytestmark = pytest.mark.lb_fiber

CAPABILITIES = {
    # juggler's test/init.js leaves adhocSort unset for memory; the SQL
    # connectors' test suites do not set it either
    'memory': {},
    'sqlite': {},
    'postgresql': {},
}


def capability(db, name):
    return CAPABILITIES[db.settings.get('connector')].get(name)


def it_if(db, cond, name):
    """bdd.itIf(cond, name) on a connector flag."""
    if not cond:
        pytest.skip('[UNSUPPORTED] - %s (connectorCapabilities of the %s connector)'
                    % (name, db.settings.get('connector')))


def ok(fn, *args):
    """``fn(*args, cb)``: the callback's first result, asserting no error."""
    out = callback_outcome(fn, *args)
    assert out.err is None, out.err
    return out.result


def replay(m, *cases):
    """Run the cases mocha ran before this one in its describe, on the same data."""
    for case in cases:
        case(m)


class Models:
    """The module-level ``let`` variables juggler's describes share."""

    def __init__(self, db):
        self.db = db


# ---------------------------------------------------------------------------
# relations / hasMany

def given_has_many(db):
    """describe('hasMany')'s before."""
    m = Models(db)
    m.Book = db.define('Book', {'name': str, 'type': str})
    m.Chapter = db.define('Chapter', {'name': {'type': str, 'index': True},
                                      'bookType': str})
    m.Author = db.define('Author', {'name': str})
    m.Reader = db.define('Reader', {'name': str})
    assert callback_outcome(db.automigrate, ['Book', 'Chapter', 'Author', 'Reader']).err is None
    return m


def has_many_can_be_declared_in_different_ways(m):
    Book, Chapter, Author, Reader = m.Book, m.Chapter, m.Author, m.Reader
    Book.hasMany(Chapter)
    Book.hasMany(Reader, {'as': 'users'})
    Book.hasMany(Author, {'foreignKey': 'projectId'})
    b = Book()
    assert callable(b.chapters)
    assert callable(b.users)
    assert callable(b.authors)
    # juggler: Object.keys((new Chapter).toObject()) lists the foreign key as
    # undefined; toObject() leaves out properties never set
    # (docs/differences.md, Python spellings): the property is declared
    assert 'bookId' in Chapter.definition.properties
    assert 'projectId' in Author.definition.properties
    assert callback_outcome(m.db.automigrate, ['Book', 'Chapter', 'Author', 'Reader']).err is None


def redefine(db, name, properties):
    """``db.define`` of a model the describe defined already (juggler
    replaces it silently; loopback_compat warns)."""
    with pytest.warns(lb.ModelRedefinedWarning):
        return db.define(name, properties)


def has_many_can_be_declared_in_short_form(m):
    m.Author = redefine(m.db, 'Author', {'name': str})
    m.Reader = redefine(m.db, 'Reader', {'name': str})
    m.Author.hasMany('readers')
    assert callable(m.Author().readers)
    assert 'authorId' in m.Reader.definition.properties   # (see above)
    assert callback_outcome(m.db.autoupdate, ['Author', 'Reader']).err is None


def test_relations__has_many__can_be_declared_in_different_ways(db):
    m = given_has_many(db)
    has_many_can_be_declared_in_different_ways(m)


def test_relations__has_many__can_be_declared_in_short_form(db):
    m = given_has_many(db)
    replay(m, has_many_can_be_declared_in_different_ways)
    has_many_can_be_declared_in_short_form(m)


# -- relations / hasMany / with scope -------------------------------------------

def given_with_scope(db):
    """The describe's before, after the two cases before it; then describe('with
    scope')'s own before."""
    m = given_has_many(db)
    replay(m, has_many_can_be_declared_in_different_ways, has_many_can_be_declared_in_short_form)
    m.Book.hasMany(m.Chapter)
    return m


def create_three_chapters(book, names=('a', 'z', 'c')):
    """The nested ``book.chapters.create`` calls of the cases; the first chapter's id."""
    first = ok(book.chapters.create, {'name': names[0]})
    for name in names[1:]:
        ok(book.chapters.create, {'name': name})
    return first.id


def test_relations__has_many__with_scope__should_build_record_on_scope(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    chaps = book.chapters
    c = chaps.build()
    assert c.bookId == book.id
    assert callback_outcome(c.save).err is None


def test_relations__has_many__with_scope__should_create_record_on_scope(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    err, (c,), _ = callback_outcome(book.chapters.create)
    assert err is None
    assert c is not None
    assert c.bookId == book.id


def test_relations__has_many__with_scope__should_not_update_fk(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    c = ok(book.chapters.create, {'name': 'chapter 1'})
    assert c is not None
    assert c.bookId == book.id
    assert c.name == 'chapter 1'
    out = callback_outcome(book.chapters.updateById, c.id, {'name': 'chapter 0', 'bookId': 10})
    assert out.err is not None
    assert out.err.message.startswith('Cannot override foreign key')


def test_relations__has_many__with_scope__should_create_record_on_scope_with_promises(db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    c = lb.await_(book.chapters.create())
    assert c is not None
    assert c.bookId == book.id


CHAPTERS = [{'name': 'a'}, {'name': 'z'}, {'name': 'c'}]


def test_relations__has_many__with_scope__should_create_a_batch_of_records_on_scope(db):
    m = given_with_scope(db)
    chapters = [dict(c) for c in CHAPTERS]
    book = ok(m.Book.create)
    err, (chs,), _ = callback_outcome(book.chapters.create, chapters)
    assert err is None
    assert chs is not None
    assert len(chs) == len(chapters)
    for c in chs:
        assert c.bookId == book.id


def test_relations__has_many__with_scope__should_create_a_batch_of_records_on_scope_with_promises(
        db):
    m = given_with_scope(db)
    chapters = [dict(c) for c in CHAPTERS]
    book = ok(m.Book.create)
    chs = lb.await_(book.chapters.create(chapters))
    assert chs is not None
    assert len(chs) == len(chapters)
    for c in chs:
        assert c.bookId == book.id


def assert_acz(c):
    acz = ['a', 'c', 'z']
    assert c[0].name in acz
    assert c[1].name in acz
    assert c[2].name in acz


def test_relations__has_many__with_scope__should_fetch_all_scoped_instances(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    create_three_chapters(book)
    err, (ch,), _ = callback_outcome(book.chapters)
    assert err is None
    assert ch is not None
    assert len(ch) == 3

    chapters = book.chapters()
    assert chapters == ch

    e, (c,), _ = callback_outcome(book.chapters)
    assert e is None
    assert c is not None
    assert len(ch) == 3
    assert_acz(c)


def test_relations__has_many__with_scope__should_fetch_all_scoped_instances_with_promises(db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    lb.await_(book.chapters.create({'name': 'a'}))
    lb.await_(book.chapters.create({'name': 'z'}))
    lb.await_(book.chapters.create({'name': 'c'}))
    ch = lb.await_(book.chapters.find())
    assert ch is not None
    assert len(ch) == 3
    chapters = book.chapters()
    assert chapters == ch
    c = lb.await_(book.chapters.find())
    assert c is not None
    assert len(ch) == 3
    assert_acz(c)


def test_relations__has_many__with_scope__should_fetch_all_scoped_instances_with_find_with_callback_and_condition(
        db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    create_three_chapters(book)
    err, (ch,), _ = callback_outcome(book.chapters)
    assert err is None
    assert ch is not None
    assert len(ch) == 3

    chapters = book.chapters()
    assert chapters == ch
    e, (c,), _ = callback_outcome(book.chapters.find)
    assert e is None
    assert c is not None
    assert len(ch) == 3
    assert_acz(c)


def test_relations__has_many__with_scope__should_fetch_all_scoped_instances_with_find_with_callback_and_no_condition(
        db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    create_three_chapters(book)
    err, (ch,), _ = callback_outcome(book.chapters)
    assert err is None
    assert ch is not None
    assert len(ch) == 3

    chapters = book.chapters()
    assert chapters == ch

    e, (c,), _ = callback_outcome(book.chapters.find)
    assert e is None
    assert c is not None
    assert len(c) is not None
    assert len(c) == 3
    assert_acz(c)


def test_relations__has_many__with_scope__should_find_scoped_record(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    id_ = create_three_chapters(book)
    err, (ch,), _ = callback_outcome(book.chapters.findById, id_)
    assert err is None
    assert ch is not None
    assert ch.id == id_


def test_relations__has_many__with_scope__should_find_scoped_record_with_promises(db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    id_ = lb.await_(book.chapters.create({'name': 'a'})).id
    lb.await_(book.chapters.create({'name': 'z'}))
    lb.await_(book.chapters.create({'name': 'c'}))
    ch = lb.await_(book.chapters.findById(id_))
    assert ch is not None
    assert ch.id == id_


def test_relations__has_many__with_scope__should_count_scoped_records_all_and_filtered(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    create_three_chapters(book, ('a', 'b', 'c'))
    err, (count,), _ = callback_outcome(book.chapters.count)
    assert err is None
    assert count == 3
    err, (count,), _ = callback_outcome(book.chapters.count, {'name': 'b'})
    assert err is None
    assert count == 1


def test_relations__has_many__with_scope__should_count_scoped_records_all_and_filtered_with_promises(
        db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    lb.await_(book.chapters.create({'name': 'a'}))
    lb.await_(book.chapters.create({'name': 'b'}))
    lb.await_(book.chapters.create({'name': 'c'}))
    assert lb.await_(book.chapters.count()) == 3
    assert lb.await_(book.chapters.count({'name': 'b'})) == 1


def test_relations__has_many__with_scope__should_set_targetclass_on_scope_property(db):
    m = given_with_scope(db)
    assert m.Book.chapters._targetClass == 'Chapter'


def test_relations__has_many__with_scope__should_update_scoped_record(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    id_ = ok(book.chapters.create, {'name': 'a'}).id
    callback_outcome(book.chapters.updateById, id_, {'name': 'aa'})
    err, (ch,), _ = callback_outcome(book.chapters.findById, id_)
    assert err is None
    assert ch is not None
    assert ch.id == id_
    assert ch.name == 'aa'


def test_relations__has_many__with_scope__should_update_scoped_record_with_promises(db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    id_ = lb.await_(book.chapters.create({'name': 'a'})).id
    lb.await_(book.chapters.updateById(id_, {'name': 'aa'}))
    ch = lb.await_(book.chapters.findById(id_))
    assert ch is not None
    assert ch.id == id_
    assert ch.name == 'aa'


def test_relations__has_many__with_scope__should_destroy_scoped_record(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    id_ = ok(book.chapters.create, {'name': 'a'}).id
    callback_outcome(book.chapters.destroy, id_)
    err, _, _ = callback_outcome(book.chapters.findById, id_)
    assert err is not None


def test_relations__has_many__with_scope__should_destroy_scoped_record_with_promises(db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    id_ = lb.await_(book.chapters.create({'name': 'a'})).id
    lb.await_(book.chapters.destroy(id_))
    err = rejection(book.chapters.findById(id_))
    assert err is not None


def test_relations__has_many__with_scope__should_check_existence_of_a_scoped_record(db):
    m = given_with_scope(db)
    book = ok(m.Book.create)
    id_ = create_three_chapters(book)
    err, (flag,), _ = callback_outcome(book.chapters.exists, id_)
    assert err is None
    assert flag is True


def test_relations__has_many__with_scope__should_check_existence_of_a_scoped_record_with_promises(
        db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create())
    id_ = lb.await_(book.chapters.create({'name': 'a'})).id
    lb.await_(book.chapters.create({'name': 'z'}))
    lb.await_(book.chapters.create({'name': 'c'}))
    assert lb.await_(book.chapters.exists(id_)) is True


def test_relations__has_many__with_scope__should_check_ignore_related_data_on_creation_array(db):
    m = given_with_scope(db)
    err, (book,), _ = callback_outcome(m.Book.create, {'chapters': []})
    assert err is None
    assert callable(book.chapters)
    obj = book.toObject()
    assert obj.get('chapters') is None


def test_relations__has_many__with_scope__should_check_ignore_related_data_on_creation_with_promises_array(
        db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create({'chapters': []}))
    assert callable(book.chapters)
    obj = book.toObject()
    assert obj.get('chapters') is None


def test_relations__has_many__with_scope__should_check_ignore_related_data_on_creation_object(db):
    m = given_with_scope(db)
    err, (book,), _ = callback_outcome(m.Book.create, {'chapters': {}})
    assert err is None
    assert callable(book.chapters)
    obj = book.toObject()
    assert obj.get('chapters') is None


def test_relations__has_many__with_scope__should_check_ignore_related_data_on_creation_with_promises_object(
        db):
    m = given_with_scope(db)
    book = lb.await_(m.Book.create({'chapters': {}}))
    assert callable(book.chapters)
    obj = book.toObject()
    assert obj.get('chapters') is None


# ---------------------------------------------------------------------------
# relations / hasMany with properties

def given_has_many_with_properties(db):
    m = Models(db)
    m.Book = db.define('Book', {'name': str, 'type': str})
    m.Chapter = db.define('Chapter', {'name': {'type': str, 'index': True},
                                      'bookType': str})
    m.Book.hasMany(m.Chapter, {'properties': {'type': 'bookType'}})
    assert callback_outcome(db.automigrate, ['Book', 'Chapter']).err is None
    return m


def test_relations__has_many_with_properties__should_create_record_on_scope(db):
    m = given_has_many_with_properties(db)
    book = ok(m.Book.create, {'type': 'fiction'})
    err, (c,), _ = callback_outcome(book.chapters.create)
    assert err is None
    assert c is not None
    assert c.bookId == book.id
    assert c.bookType == 'fiction'


def test_relations__has_many_with_properties__should_create_record_on_scope_with_promises(db):
    m = given_has_many_with_properties(db)
    book = lb.await_(m.Book.create({'type': 'fiction'}))
    c = lb.await_(book.chapters.create())
    assert c is not None
    assert c.bookId == book.id
    assert c.bookType == 'fiction'


# ---------------------------------------------------------------------------
# relations / hasMany with scope and properties

def scope_and_properties_can_be_declared_with_properties(m):
    m.Category = m.db.define('Category', {'name': str, 'jobType': str})
    m.Job = m.db.define('Job', {'name': str, 'type': str})

    def properties(inst, target=None):
        if not inst.jobType:
            return None  # skip
        return {'type': inst.jobType}

    def scope(inst, filter):
        mapped = properties(inst)  # re-use properties (juggler: this.properties(inst))
        if mapped:
            return {'where': mapped}
        return None

    m.Category.hasMany(m.Job, {'properties': properties, 'scope': scope})
    assert callback_outcome(m.db.automigrate, ['Category', 'Job']).err is None


def scope_and_properties_should_create_record_on_scope(m):
    err, (c,), _ = callback_outcome(m.Category.create)
    assert err is None
    err, (p,), _ = callback_outcome(c.jobs.create, {'type': 'book'})
    assert err is None
    assert p.categoryId == c.id
    assert p.type == 'book'
    err, (p,), _ = callback_outcome(c.jobs.create, {'type': 'widget'})
    assert err is None
    assert p.categoryId == c.id
    assert p.type == 'widget'


def scope_and_properties_should_create_record_on_scope_with_promises(m):
    c = lb.await_(m.Category.create())
    p = lb.await_(c.jobs.create({'type': 'book'}))
    assert p.categoryId == c.id
    assert p.type == 'book'
    p = lb.await_(c.jobs.create({'type': 'widget'}))
    assert p.categoryId == c.id
    assert p.type == 'widget'


def scope_and_properties_should_create_record_on_scope_properties(m):
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    c.jobType = 'tool'  # temporary
    err, (p,), _ = callback_outcome(c.jobs.create)
    assert p.categoryId == c.id
    assert p.type == 'tool'


def scope_and_properties_should_delete_records_on_scope_scoped(m):
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    c.jobType = 'tool'  # temporary, for scoping
    err, _, _ = callback_outcome(c.jobs.destroyAll)
    assert err is None


def given_scope_and_properties(db, *cases):
    """describe('hasMany with scope and properties') has no before: its first
    case declares the models; then the given cases before this one."""
    m = Models(db)
    replay(m, scope_and_properties_can_be_declared_with_properties, *cases)
    return m


CREATED = (scope_and_properties_should_create_record_on_scope,
           scope_and_properties_should_create_record_on_scope_with_promises)


def test_relations__has_many_with_scope_and_properties__can_be_declared_with_properties(db):
    given_scope_and_properties(db)


def test_relations__has_many_with_scope_and_properties__should_create_record_on_scope(db):
    m = given_scope_and_properties(db)
    scope_and_properties_should_create_record_on_scope(m)


def test_relations__has_many_with_scope_and_properties__should_create_record_on_scope_with_promises(
        db):
    m = given_scope_and_properties(db, scope_and_properties_should_create_record_on_scope)
    scope_and_properties_should_create_record_on_scope_with_promises(m)


def test_relations__has_many_with_scope_and_properties__should_find_records_on_scope(db):
    m = given_scope_and_properties(db, *CREATED)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    err, (jobs,), _ = callback_outcome(c.jobs)
    assert err is None
    assert len(jobs) == 2


def test_relations__has_many_with_scope_and_properties__should_find_records_on_scope_with_promises(
        db):
    m = given_scope_and_properties(db, *CREATED)
    c = lb.await_(m.Category.findOne())
    jobs = lb.await_(c.jobs.find())
    assert len(jobs) == 2


def test_relations__has_many_with_scope_and_properties__should_find_record_on_scope_filtered(db):
    m = given_scope_and_properties(db, *CREATED)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    err, (jobs,), _ = callback_outcome(c.jobs, {'where': {'type': 'book'}})
    assert err is None
    assert len(jobs) == 1
    assert jobs[0].type == 'book'


def test_relations__has_many_with_scope_and_properties__should_find_record_on_scope_with_promises_filtered(
        db):
    m = given_scope_and_properties(db, *CREATED)
    c = lb.await_(m.Category.findOne())
    jobs = lb.await_(c.jobs.find({'where': {'type': 'book'}}))
    assert len(jobs) == 1
    assert jobs[0].type == 'book'


def test_relations__has_many_with_scope_and_properties__should_create_record_on_scope_properties(
        db):
    m = given_scope_and_properties(db, *CREATED)
    scope_and_properties_should_create_record_on_scope_properties(m)


def test_relations__has_many_with_scope_and_properties__should_find_records_on_scope_2(db):
    """The second ``it('should find records on scope')`` of the describe."""
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    err, (jobs,), _ = callback_outcome(c.jobs)
    assert err is None
    assert len(jobs) == 3


def test_relations__has_many_with_scope_and_properties__should_find_record_on_scope_scoped(db):
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    c.jobType = 'book'  # temporary, for scoping
    err, (jobs,), _ = callback_outcome(c.jobs)
    assert err is None
    assert len(jobs) == 1
    assert jobs[0].type == 'book'


def test_relations__has_many_with_scope_and_properties__should_find_record_on_scope_scoped_2(db):
    """The second ``it('should find record on scope - scoped')`` of the describe."""
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    c.jobType = 'tool'  # temporary, for scoping
    err, (jobs,), _ = callback_outcome(c.jobs)
    assert err is None
    assert len(jobs) == 1
    assert jobs[0].type == 'tool'


def test_relations__has_many_with_scope_and_properties__should_find_count_of_records_on_scope_scoped(
        db):
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    c.jobType = 'tool'  # temporary, for scoping
    err, (count,), _ = callback_outcome(c.jobs.count)
    assert err is None
    assert count == 1


def test_relations__has_many_with_scope_and_properties__should_delete_records_on_scope_scoped(
        db):
    # bdd.itIf(connectorCapabilities.deleteWithOtherThanId !== false): runs
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties)
    scope_and_properties_should_delete_records_on_scope_scoped(m)


def test_relations__has_many_with_scope_and_properties__should_find_record_on_scope_verify(db):
    # bdd.itIf(connectorCapabilities.deleteWithOtherThanId !== false): runs
    m = given_scope_and_properties(db, *CREATED,
                                   scope_and_properties_should_create_record_on_scope_properties,
                                   scope_and_properties_should_delete_records_on_scope_scoped)
    err, (c,), _ = callback_outcome(m.Category.findOne)
    assert err is None
    err, (jobs,), _ = callback_outcome(c.jobs)
    assert err is None
    assert len(jobs) == 2


# ---------------------------------------------------------------------------
# relations / relations validation

def define_rejected(db, name, relations):
    """``db.define(name, {name: String}, {relations})`` must throw; its error."""
    with pytest.raises(Exception) as info:
        db.define(name, {'name': str}, {'relations': relations})
    return info.value


def test_relations__relations_validation__rejects_belongsto_relation_if_model_is_not_provided(db):
    err = define_rejected(db, 'Picture', {
        'author': {'type': 'belongsTo', 'foreignKey': 'authorId'},
    })
    assert err.details == {'code': 'BELONGS_TO_MISSING_MODEL', 'rType': 'belongsTo',
                           'rName': 'author'}


def test_relations__relations_validation__rejects_polymorphic_belongsto_relation_if_model_is_provided(db):
    err = define_rejected(db, 'Picture', {
        'imageable': {'type': 'belongsTo', 'model': 'Picture', 'polymorphic': True},
    })
    assert err.details == {'code': 'POLYMORPHIC_BELONGS_TO_MODEL', 'rType': 'belongsTo',
                           'rName': 'imageable'}


def test_relations__relations_validation__rejects_polymorphic_non_belongsto_relation_if_model_is_not_provided(
        db):
    # (juggler's case also passes when nothing is thrown: it checks the
    # module's unset Picture there; the port requires the error)
    err = define_rejected(db, 'Picture', {
        'pictures': {'type': 'hasMany', 'polymorphic': 'imageable'},
    })
    assert err.details == {'code': 'POLYMORPHIC_NOT_BELONGS_TO_MISSING_MODEL', 'rType': 'hasMany',
                           'rName': 'pictures'}


def test_relations__relations_validation__rejects_polymorphic_relation_if_foreignkey_is_provided_but_discriminator_is_missing(
        db):
    err = define_rejected(db, 'Picture', {
        'pictures': {'type': 'hasMany', 'model': 'Picture',
                     'polymorphic': {'foreignKey': 'imageableId'}},
    })
    assert err.details == {'code': 'POLYMORPHIC_MISSING_DISCRIMINATOR', 'rType': 'hasMany',
                           'rName': 'pictures'}


def test_relations__relations_validation__rejects_polymorphic_relation_if_discriminator_is_provided_but_foreignkey_is_missing(
        db):
    err = define_rejected(db, 'Picture', {
        'pictures': {'type': 'hasMany', 'model': 'Picture',
                     'polymorphic': {'discriminator': 'imageableType'}},
    })
    assert err.details == {'code': 'POLYMORPHIC_MISSING_FOREIGN_KEY', 'rType': 'hasMany',
                           'rName': 'pictures'}


def test_relations__relations_validation__rejects_polymorphic_relation_if_polymorphic_as_is_provided_along_with_custom_foreignkey_discriminator(
        db):
    err = define_rejected(db, 'Picture', {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': {
            'as': 'image', 'foreignKey': 'imageableId', 'discriminator': 'imageableType',
        }},
    })
    assert err.details == {'code': 'POLYMORPHIC_EXTRANEOUS_AS', 'rType': 'hasMany',
                           'rName': 'pictures'}


def test_relations__relations_validation__rejects_polymorphic_relation_if_polymorphic_selector_is_provided_along_with_custom_foreignkey_discriminator(
        db):
    err = define_rejected(db, 'Picture', {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': {
            'selector': 'image', 'foreignKey': 'imageableId', 'discriminator': 'imageableType',
        }},
    })
    assert err.details == {'code': 'POLYMORPHIC_EXTRANEOUS_SELECTOR', 'rType': 'hasMany',
                           'rName': 'pictures'}


def test_relations__relations_validation__warns_on_use_of_deprecated_polymorphic_as_keyword_in_polymorphic_relation(
        db):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        db.define('Picture', {'name': str}, {'relations': {
            'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': {'as': 'imageable'}},
        }})
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    message = messages[0] if messages else 'deprecation not reported'
    assert 'keyword `polymorphic.as` which will be DEPRECATED in LoopBack.next' in message


# ---------------------------------------------------------------------------
# relations / polymorphic hasMany

POLY_PICTURE_JSON = {
    'name': 'imageable',
    'type': 'belongsTo',
    'modelFrom': 'Picture',
    'keyFrom': 'imageableId',
    'modelTo': '<polymorphic>',
    'keyTo': 'id',
    'multiple': False,
    'polymorphic': {
        'selector': 'imageable',
        'foreignKey': 'imageableId',
        'discriminator': 'imageableType',
    },
}


def poly_pictures_json(model_from):
    return {
        'name': 'pictures',
        'type': 'hasMany',
        'modelFrom': model_from,
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'imageableId',
        'multiple': True,
        'polymorphic': {
            'selector': 'imageable',
            'foreignKey': 'imageableId',
            'discriminator': 'imageableType',
        },
    }


def given_polymorphic_has_many(db):
    m = Models(db)
    m.Picture = db.define('Picture', {'name': str})
    m.Article = db.define('Article', {'name': str})
    m.Employee = db.define('Employee', {'name': str})
    assert callback_outcome(db.automigrate, ['Picture', 'Article', 'Employee']).err is None
    return m


def poly_can_be_declared_using_default_polymorphic_selector(m):
    m.Article.hasMany(m.Picture, {'polymorphic': 'imageable'})
    m.Employee.hasMany(m.Picture, {'polymorphic': {  # alt syntax
        'foreignKey': 'imageableId',
        'discriminator': 'imageableType',
    }})
    m.Picture.belongsTo('imageable', {'polymorphic': True})

    assert m.Article.relations['pictures'].toJSON() == poly_pictures_json('Article')
    assert m.Picture.relations['imageable'].toJSON() == POLY_PICTURE_JSON
    assert callback_outcome(m.db.automigrate, ['Picture', 'Article', 'Employee']).err is None


def poly_should_create_polymorphic_relation_article(m):
    err, (article,), _ = callback_outcome(m.Article.create, {'name': 'Article 1'})
    assert err is None
    err, (pics,), _ = callback_outcome(article.pictures.create, {'name': 'Article Pic'})
    assert err is None
    assert pics is not None
    assert pics.imageableId == article.id
    assert pics.imageableType == 'Article'


def poly_should_create_polymorphic_relation_employee(m):
    err, (employee,), _ = callback_outcome(m.Employee.create, {'name': 'Employee 1'})
    assert err is None
    err, (pics,), _ = callback_outcome(employee.pictures.create, {'name': 'Employee Pic'})
    assert err is None
    assert pics is not None
    assert pics.imageableId == employee.id
    assert pics.imageableType == 'Employee'


def poly_should_assign_a_polymorphic_relation(m):
    err, (article,), _ = callback_outcome(m.Article.create, {'name': 'Article 2'})
    assert err is None
    p = m.Picture({'name': 'Sample'})
    p.imageable(article)  # assign
    assert p.imageableId == article.id
    assert p.imageableType == 'Article'
    assert callback_outcome(p.save).err is None


POLY_CREATED = (poly_can_be_declared_using_default_polymorphic_selector,
                poly_should_create_polymorphic_relation_article,
                poly_should_create_polymorphic_relation_employee)


def given_poly(db, *cases):
    m = given_polymorphic_has_many(db)
    replay(m, *cases)
    return m


def test_relations__polymorphic_has_many__can_be_declared_with_model_json_definition_when_related_model_is_already_attached():
    ds = lb.DataSource('memory')

    # by defining Picture model before Article model we make sure Picture IS
    # already attached when defining Article. This way, datasource.defineRelations
    # WILL NOT use the async listener to call hasMany relation method
    Picture = ds.define('Picture', {'name': str}, {'relations': {
        'imageable': {'type': 'belongsTo', 'polymorphic': True},
    }})
    Article = ds.define('Article', {'name': str}, {'relations': {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': 'imageable'},
    }})

    assert Article.relations['pictures']
    assert Article.relations['pictures'].toJSON() == poly_pictures_json('Article')
    assert Picture.relations['imageable']
    assert Picture.relations['imageable'].toJSON() == POLY_PICTURE_JSON


def test_relations__polymorphic_has_many__can_be_declared_with_model_json_definition_when_related_model_is_not_yet_attached():
    ds = lb.DataSource('memory')

    # by defining Author model before Picture model we make sure Picture IS NOT
    # already attached when defining Author. This way, datasource.defineRelations
    # WILL use the async listener to call hasMany relation method
    Author = ds.define('Author', {'name': str}, {'relations': {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': 'imageable'},
    }})
    Picture = ds.define('Picture', {'name': str}, {'relations': {
        'imageable': {'type': 'belongsTo', 'polymorphic': True},
    }})

    assert Author.relations['pictures']
    assert Author.relations['pictures'].toJSON() == poly_pictures_json('Author')
    assert Picture.relations['imageable']
    assert Picture.relations['imageable'].toJSON() == POLY_PICTURE_JSON


def test_relations__polymorphic_has_many__can_be_declared_using_default_polymorphic_selector(db):
    m = given_poly(db)
    poly_can_be_declared_using_default_polymorphic_selector(m)


def test_relations__polymorphic_has_many__should_create_polymorphic_relation_article(db):
    m = given_poly(db, poly_can_be_declared_using_default_polymorphic_selector)
    poly_should_create_polymorphic_relation_article(m)


def test_relations__polymorphic_has_many__should_create_polymorphic_relation_employee(db):
    m = given_poly(db, *POLY_CREATED[:2])
    poly_should_create_polymorphic_relation_employee(m)


def test_relations__polymorphic_has_many__should_find_polymorphic_items_article(db):
    m = given_poly(db, *POLY_CREATED)
    err, (article,), _ = callback_outcome(m.Article.findOne)
    assert err is None
    if not article:
        return
    err, (pics,), _ = callback_outcome(article.pictures)
    assert err is None

    pictures = article.pictures()
    assert pictures == pics

    assert len(pics) == 1
    assert pics[0].name == 'Article Pic'


def test_relations__polymorphic_has_many__should_find_polymorphic_items_employee(db):
    m = given_poly(db, *POLY_CREATED)
    err, (employee,), _ = callback_outcome(m.Employee.findOne)
    assert err is None
    err, (pics,), _ = callback_outcome(employee.pictures)
    assert err is None
    assert len(pics) == 1
    assert pics[0].name == 'Employee Pic'


def test_relations__polymorphic_has_many__should_find_the_inverse_of_polymorphic_relation_article(
        db):
    m = given_poly(db, *POLY_CREATED)
    err, (pics,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Article Pic'}})
    assert err is None
    assert pics.imageableType == 'Article'
    err, (imageable,), _ = callback_outcome(pics.imageable)
    assert err is None
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 1'


def test_relations__polymorphic_has_many__should_find_the_inverse_of_polymorphic_relation_employee(
        db):
    m = given_poly(db, *POLY_CREATED)
    err, (pics,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Employee Pic'}})
    assert err is None
    assert pics.imageableType == 'Employee'
    err, (imageable,), _ = callback_outcome(pics.imageable)
    assert err is None
    assert isinstance(imageable, m.Employee)
    assert imageable.name == 'Employee 1'


def test_relations__polymorphic_has_many__should_include_the_inverse_of_polymorphic_relation(db):
    it_if(db, capability(db, 'adhocSort') is not False,
          'should include the inverse of polymorphic relation')
    m = given_poly(db, *POLY_CREATED)
    err, (pics,), _ = callback_outcome(m.Picture.find, {'include': 'imageable'})
    assert err is None
    assert len(pics) == 2
    actual = [{'imageName': pic.name, 'name': pic.imageable().name} for pic in pics]
    expected = [{'name': 'Article 1', 'imageName': 'Article Pic'},
                {'name': 'Employee 1', 'imageName': 'Employee Pic'}]
    for item in expected:
        assert item in actual


def test_relations__polymorphic_has_many__should_include_the_inverse_of_polymorphic_relation_w_o_adhocsort(
        db):
    it_if(db, capability(db, 'adhocSort') is False,
          'should include the inverse of polymorphic relation w/o adhocSort')
    m = given_poly(db, *POLY_CREATED)
    err, (pics,), _ = callback_outcome(m.Picture.find, {'include': 'imageable'})
    assert err is None
    assert len(pics) == 2
    names = ['Article Pic', 'Employee Pic']
    imageables = ['Article 1', 'Employee 1']
    assert pics[0].name in names
    assert pics[1].name in names
    assert pics[0].imageable().name in imageables
    assert pics[1].imageable().name in imageables


def test_relations__polymorphic_has_many__should_assign_a_polymorphic_relation(db):
    m = given_poly(db, *POLY_CREATED)
    poly_should_assign_a_polymorphic_relation(m)


def test_relations__polymorphic_has_many__should_find_polymorphic_items_article_2(db):
    """The second ``it('should find polymorphic items - article')``."""
    m = given_poly(db, *POLY_CREATED, poly_should_assign_a_polymorphic_relation)
    err, (article,), _ = callback_outcome(m.Article.findOne, {'where': {'name': 'Article 2'}})
    assert err is None
    err, (pics,), _ = callback_outcome(article.pictures)
    assert err is None
    assert len(pics) == 1
    assert pics[0].name == 'Sample'


def test_relations__polymorphic_has_many__should_find_the_inverse_of_polymorphic_relation_article_2(
        db):
    """The second ``it('should find the inverse of polymorphic relation - article')``."""
    m = given_poly(db, *POLY_CREATED, poly_should_assign_a_polymorphic_relation)
    err, (p,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Sample'}})
    assert err is None
    assert p.imageableType == 'Article'
    err, (imageable,), _ = callback_outcome(p.imageable)
    assert err is None
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 2'


def test_relations__polymorphic_has_many__should_include_the_inverse_of_polymorphic_relation_article(
        db):
    m = given_poly(db, *POLY_CREATED, poly_should_assign_a_polymorphic_relation)
    err, (p,), _ = callback_outcome(m.Picture.findOne,
                                    {'where': {'name': 'Sample'}, 'include': 'imageable'})
    assert err is None
    imageable = p.imageable()
    assert imageable is not None
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 2'


def test_relations__polymorphic_has_many__can_be_declared_using_custom_foreignkey_discriminator(
        db):
    m = given_poly(db, *POLY_CREATED, poly_should_assign_a_polymorphic_relation)
    custom = {'foreignKey': 'imageId', 'discriminator': 'imageType'}
    m.Article.hasMany(m.Picture, {'polymorphic': dict(custom)})
    m.Employee.hasMany(m.Picture, {'polymorphic': dict(custom)})  # alt syntax
    m.Picture.belongsTo('imageable', {'polymorphic': dict(custom)})

    assert m.Article.relations['pictures'].toJSON() == {
        'name': 'pictures',
        'type': 'hasMany',
        'modelFrom': 'Article',
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'imageId',
        'multiple': True,
        'polymorphic': {
            'selector': 'pictures',
            'foreignKey': 'imageId',
            'discriminator': 'imageType',
        },
    }
    assert m.Picture.relations['imageable'].toJSON() == {
        'name': 'imageable',
        'type': 'belongsTo',
        'modelFrom': 'Picture',
        'keyFrom': 'imageId',
        'modelTo': '<polymorphic>',
        'keyTo': 'id',
        'multiple': False,
        'polymorphic': {
            'selector': 'imageable',
            'foreignKey': 'imageId',
            'discriminator': 'imageType',
        },
    }
    assert callback_outcome(m.db.automigrate, ['Picture', 'Article', 'Employee']).err is None


# ---------------------------------------------------------------------------
# relations / hasMany with primaryKey different from model PK

COMPANY_ID = 'Company1'


def given_primary_key(db):
    m = Models(db)
    m.Employee = db.define('Employee', {'name': str, 'companyId': str})
    m.Boss = db.define('Boss', {'address': str, 'companyId': str})
    return m


def primary_key_relation_can_be_declared_with_primarykey(m):
    m.Boss.hasMany(m.Employee, {
        'primaryKey': 'companyId',
        'foreignKey': 'companyId',
    })
    assert callable(m.Boss().employees)


def test_relations__has_many_with_primarykey_different_from_model_pk__relation_can_be_declared_with_primarykey(
        db):
    m = given_primary_key(db)
    primary_key_relation_can_be_declared_with_primarykey(m)


def test_relations__has_many_with_primarykey_different_from_model_pk__can_be_used_to_query_employees_for_boss(
        db):
    m = given_primary_key(db)
    replay(m, primary_key_relation_can_be_declared_with_primarykey)
    lb.await_(db.automigrate(['Employee', 'Boss']))
    boss = lb.await_(m.Boss.create({'address': 'testAddress', 'companyId': COMPANY_ID}))
    assert boss is not None
    assert boss.employees is not None
    employees = lb.await_(boss.employees.create([{'name': 'a01'}, {'name': 'a02'}]))
    assert employees is not None
    employees = lb.await_(boss.employees())
    employee = employees[0]
    assert employee is not None
    assert len(employees) == 2
    assert isinstance(employee, m.Employee)
    assert employee.companyId == boss.companyId


def test_relations__has_many_with_primarykey_different_from_model_pk__can_be_used_to_query_employees_for_boss2(
        db):
    m = given_primary_key(db)
    replay(m, primary_key_relation_can_be_declared_with_primarykey)
    lb.await_(db.automigrate(['Employee', 'Boss']))
    boss = lb.await_(m.Boss.create({'address': 'testAddress', 'companyId': COMPANY_ID}))
    employee = lb.await_(m.Employee.create({'name': 'a01', 'companyId': COMPANY_ID}))
    assert employee is not None
    employees = lb.await_(boss.employees.find())
    assert employees is not None
    assert len(employees) == 1


# ---------------------------------------------------------------------------
# relations / custom relation/scope methods

def given_custom_methods(db):
    m = Models(db)
    m.Category = db.define('Category', {'name': str})
    m.Job = db.define('Job', {'name': str})
    assert callback_outcome(db.automigrate, ['Job', 'Category']).err is None
    return m


def custom_methods_can_be_declared(m):
    relation = m.Category.hasMany(m.Job)

    def summarize(rel, cb=None):
        cb, promise = callback_and_promise(cb)
        model_instance = rel.modelInstance

        def fetched(err, items=None):
            if err:
                return cb(err, [])
            summary = []
            for item in items:
                obj = item.toObject()
                obj['categoryName'] = model_instance.name
                summary.append(obj)
            cb(None, summary)
        rel.fetch(fetched)
        return promise

    summarize.shared = True  # remoting
    summarize.http = {'verb': 'get', 'path': '/jobs/summary'}

    relation.defineMethod('summarize', summarize)

    method = getattr(m.Category, '__summarize__jobs')
    assert callable(method)
    assert getattr(method, 'shared', None) is not None
    assert method.http == summarize.http

    assert callback_outcome(m.db.automigrate, ['Job', 'Category']).err is None


def custom_methods_should_setup_test_records(m):
    err, (cat,), _ = callback_outcome(m.Category.create, {'name': 'Category A'})
    m.categoryId = cat.id
    callback_outcome(cat.jobs.create, {'name': 'Job 1'})
    callback_outcome(cat.jobs.create, {'name': 'Job 2'})


def given_custom(db, *cases):
    m = given_custom_methods(db)
    replay(m, *cases)
    return m


def summary_matches(summary, category_id):
    category_id_str = str(category_id)
    expected = [
        {'name': 'Job 1', 'categoryId': category_id_str, 'categoryName': 'Category A'},
        {'name': 'Job 2', 'categoryId': category_id_str, 'categoryName': 'Category A'},
    ]
    result = []
    for item in summary:
        item.pop('id', None)
        item['categoryId'] = str(item['categoryId'])
        result.append(item)
    # order-independent match
    assert sorted(result, key=lambda x: x['name']) == expected


def test_relations__custom_relation_scope_methods__can_be_declared(db):
    m = given_custom(db)
    custom_methods_can_be_declared(m)


def test_relations__custom_relation_scope_methods__should_setup_test_records(db):
    m = given_custom(db, custom_methods_can_be_declared)
    custom_methods_should_setup_test_records(m)


def test_relations__custom_relation_scope_methods__should_allow_custom_scope_methods_summarize(db):
    m = given_custom(db, custom_methods_can_be_declared, custom_methods_should_setup_test_records)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    err, (summary,), _ = callback_outcome(cat.jobs.summarize)
    assert err is None
    summary_matches(summary, m.categoryId)


def test_relations__custom_relation_scope_methods__should_allow_custom_scope_methods_with_promises_summarize(
        db):
    m = given_custom(db, custom_methods_can_be_declared, custom_methods_should_setup_test_records)
    cat = lb.await_(m.Category.findOne())
    summary = lb.await_(cat.jobs.summarize())
    summary_matches(summary, m.categoryId)


# ---------------------------------------------------------------------------
# relations / relation names

def test_relations__relation_names__throws_error_when_a_relation_name_is_trigger(db):
    db.define('Chapter', {'name': str})
    with pytest.raises(Exception, match='Invalid relation name: trigger'):
        db.define('Book', {'name': str}, {'relations': {
            'trigger': {'model': 'Chapter', 'type': 'hasMany'},
        }})


# ---------------------------------------------------------------------------
# relations / hasMany through
#
# mocha's beforeEach empties Appointment, Physician and Patient before each
# case: each case here starts from a fresh data source instead.

def appointment_date_default():
    """``default: function() { return new Date(); }``."""
    import datetime
    return datetime.datetime.now(datetime.timezone.utc)


def given_has_many_through(db):
    """describe('hasMany through')'s before."""
    m = Models(db)
    m.Physician = db.define('Physician', {'name': str})
    m.Patient = db.define('Patient', {'name': str, 'age': 'number', 'realm': str,
                                      'sequence': {'type': 'number', 'index': True}})
    m.Appointment = db.define('Appointment', {'date': {'type': 'date',
                                                       'default': appointment_date_default}})
    m.Address = db.define('Address', {'name': str})

    m.Physician.hasMany(m.Patient, {'through': m.Appointment})
    m.Patient.hasMany(m.Physician, {'through': m.Appointment})
    m.Patient.belongsTo(m.Address)
    m.Appointment.belongsTo(m.Patient)
    m.Appointment.belongsTo(m.Physician)
    assert callback_outcome(db.automigrate,
                            ['Physician', 'Patient', 'Appointment', 'Address']).err is None
    return m


def test_relations__has_many_through__should_build_record_on_scope(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    patient = physician.patients.build()
    assert patient.physicianId == physician.id
    assert callback_outcome(patient.save).err is None


def appointments_of(m, physician, patient):
    return ok(m.Appointment.find, {'where': {'physicianId': physician.id,
                                             'patientId': patient.id}})


def test_relations__has_many_through__should_create_record_on_scope(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    patient = ok(physician.patients.create)
    assert patient is not None
    assert len(appointments_of(m, physician, patient)) == 1


def test_relations__has_many_through__should_create_record_on_scope_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    patient = lb.await_(physician.patients.create())
    assert patient is not None
    apps = lb.await_(m.Appointment.find({'where': {'physicianId': physician.id,
                                                   'patientId': patient.id}}))
    assert len(apps) == 1


def test_relations__has_many_through__should_create_multiple_records_on_scope(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    patients = ok(physician.patients.create, [{}, {}])
    assert patients is not None
    assert len(patients) == 2
    for patient in patients:
        assert len(appointments_of(m, physician, patient)) == 1


def test_relations__has_many_through__should_create_multiple_records_on_scope_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    patients = lb.await_(physician.patients.create([{}, {}]))
    assert patients is not None
    assert len(patients) == 2
    for patient in patients:
        apps = lb.await_(m.Appointment.find({'where': {'physicianId': physician.id,
                                                       'patientId': patient.id}}))
        assert len(apps) == 1


def create_three_patients(physician, names=('a', 'z', 'c')):
    """The nested ``physician.patients.create`` calls; the first patient's id."""
    first = ok(physician.patients.create, {'name': names[0]})
    for name in names[1:]:
        ok(physician.patients.create, {'name': name})
    return first.id


def test_relations__has_many_through__should_fetch_all_scoped_instances(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    create_three_patients(physician)
    err, (ch,), _ = callback_outcome(physician.patients)
    patients = physician.patients()
    assert patients == ch
    assert err is None
    assert ch is not None
    assert len(ch) == 3


def test_relations__has_many_through__should_fetch_all_scoped_instances_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    lb.await_(physician.patients.create({'name': 'a'}))
    lb.await_(physician.patients.create({'name': 'z'}))
    lb.await_(physician.patients.create({'name': 'c'}))
    ch = lb.await_(physician.patients.find())
    patients = physician.patients()
    assert patients is ch     # should.equal: the cached list itself
    assert ch is not None
    assert len(ch) == 3


# -- relations / hasMany through / fetch scoped instances with paging filters ----

def given_paging(db):
    """The describe's before, then its beforeEach (createSampleData)."""
    m = given_has_many_through(db)
    result = ok(m.Physician.create)
    p = ok(result.patients.create, {'name': 'a', 'age': '10', 'sequence': 1})
    m.samplePatientId = p.id
    ok(result.patients.create, {'name': 'z', 'age': '20', 'sequence': 2})
    ok(result.patients.create, {'name': 'c', 'sequence': 3})
    m.physician = result
    return m


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_skip__skips_the_first_patient(
        db):
    it_if(db, capability(db, 'supportPagination') is not False, 'skips the first patient')
    m = given_paging(db)
    ch = ok(m.physician.patients, {'skip': 1, 'order': 'sequence'})
    assert ch is not None
    assert len(ch) == 2
    assert ch[0].name == 'z'
    assert ch[1].name == 'c'


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_order__orders_the_result_by_patient_name(
        db):
    m = given_paging(db)
    adhoc = capability(db, 'adhocSort') is not False
    ch = ok(m.physician.patients, {'order': 'name DESC'} if adhoc else {})
    assert ch is not None
    assert len(ch) == 3
    if adhoc:
        assert [c.name for c in ch] == ['z', 'c', 'a']
    else:
        assert all(c.name in ('a', 'c', 'z') for c in ch)


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_limit__limits_to_1_result(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients, {'limit': 1, 'order': 'sequence'})
    assert ch is not None
    assert len(ch) == 1
    if capability(db, 'adhocSort') is not False:
        assert ch[0].name == 'a'
    else:
        assert ch[0].name in ('a', 'c', 'z')


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_fields__includes_field_name_but_not_age(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients, {'fields': {'name': True, 'age': False},
                                   'order': 'sequence'})
    assert ch is not None
    assert ch[0].name is not None
    if capability(db, 'adhocSort') is not False:
        assert ch[0].name == 'a'
    else:
        assert ch[0].name in ('a', 'c', 'z')
    assert ch[0].age is None


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_include__returns_physicians_included_in_patient(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients, {'include': 'physicians'})
    assert len(ch) == 3
    assert ch[0].physicians is not None


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_where__returns_patient_where_id_equal_to_samplepatientid(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients, {'where': {'id': m.samplePatientId}})
    assert ch is not None
    assert len(ch) == 1
    assert ch[0].id == m.samplePatientId


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_where__returns_patient_where_name_equal_to_samplepatient_name(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients, {'where': {'name': 'a'}})
    assert ch is not None
    assert len(ch) == 1
    assert ch[0].name == 'a'


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_where__returns_patients_where_id_in_an_array(
        db):
    m = given_paging(db)
    p = ok(m.physician.patients.create, {'name': 'b'})
    id_arr = [m.samplePatientId, p.id]
    ch = ok(m.physician.patients, {'where': {'id': {'inq': id_arr}}})
    assert ch is not None
    assert len(ch) == 2
    assert ch[0].id in id_arr
    assert ch[1].id in id_arr


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__with_filter_where__returns_empty_result_when_patientid_does_not_belongs_to_physician(
        db):
    m = given_paging(db)
    p = ok(m.Patient.create, {'name': 'x'})
    assert p is not None
    ch = ok(m.physician.patients, {'where': {'id': p.id}})
    assert ch is not None
    assert len(ch) == 0


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__findbyid_with_filter_include__returns_patient_where_id_equal_to_samplepatientidwith_included_physicians(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients.findById, m.samplePatientId, {'include': 'physicians'})
    assert ch is not None
    assert ch.id == m.samplePatientId
    assert ch.physicians is not None


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__findbyid_with_filter_fields__returns_patient_where_id_equal_to_samplepatientidwith_field_name_but_not_age(
        db):
    m = given_paging(db)
    ch = ok(m.physician.patients.findById, m.samplePatientId,
            {'fields': {'name': True, 'age': False}})
    assert ch is not None
    assert ch.name is not None
    assert ch.name == 'a'
    assert ch.age is None


def test_relations__has_many_through__fetch_scoped_instances_with_paging_filters__findbyid_with_include_filter_that_contains_string_fields__should_accept_string_and_convert_it_to_array(
        db):
    m = given_paging(db)
    physician_id = m.physician.id
    result = ok(m.Physician.findById, physician_id,
                {'include': {'relation': 'patients', 'scope': {'fields': 'name'}}})
    assert result is not None
    assert result.id == physician_id
    assert result.patients is not None
    assert isinstance(result.patients(), list)
    assert result.patients()[0] is not None
    assert result.patients()[0].name is not None
    assert result.patients()[0].age is None


# -- relations / hasMany through / find over related model with options ---------

def before_access_fn(ctx, next_):
    ctx.query['where']['realm'] = ctx.options.get('realm')
    next_()


def test_relations__has_many_through__find_over_related_model_with_options__should_find_be_filtered_from_option(
        db):
    m = given_has_many_through(db)
    m.Physician.observe('access', before_access_fn)
    m.Patient.observe('access', before_access_fn)
    physician = ok(m.Physician.create)
    ok(physician.patients.create, {'name': 'a', 'realm': 'test'})
    ok(physician.patients.create, {'name': 'z', 'realm': 'test'})
    ok(physician.patients.create, {'name': 'c', 'realm': 'anotherRealm'})
    records = ok(physician.patients, {'order': 'name ASC'}, {'realm': 'test'})
    assert records is not None
    assert len(records) == 2
    actual = sorted('%s:%s' % (r.name, r.realm) for r in records)
    assert actual == sorted(['a:test', 'z:test'])
    # mocha's after
    m.Physician.clearObservers('access')
    m.Patient.clearObservers('access')


# -- relations / hasMany through (continued) -------------------------------------

def test_relations__has_many_through__should_find_scoped_record(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    id_ = create_three_patients(physician)
    ch = ok(physician.patients.findById, id_)
    assert ch is not None
    assert ch.id == id_


def test_relations__has_many_through__should_find_scoped_record_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    id_ = lb.await_(physician.patients.create({'name': 'a'})).id
    lb.await_(physician.patients.create({'name': 'z'}))
    lb.await_(physician.patients.create({'name': 'c'}))
    # juggler's verify passes a callback here (its promise is not used)
    ch = ok(physician.patients.findById, id_)
    assert ch is not None
    assert ch.id == id_


def patient_with_address(m):
    physician = ok(m.Physician.create)
    patient = ok(physician.patients.create, {'name': 'a'})
    address = ok(m.Address.create, {'name': 'z'})
    patient.address(address)
    assert callback_outcome(patient.save).err is None
    return physician, address


def test_relations__has_many_through__should_allow_to_use_include_syntax_on_related_data(db):
    m = given_has_many_through(db)
    physician, address = patient_with_address(m)
    ch = ok(physician.patients, {'include': 'address'})
    assert ch is not None
    assert len(ch) == 1
    assert ch[0].addressId == address.id
    found = ch[0].address()
    assert found is not None
    assert isinstance(found, m.Address)
    assert found.name == 'z'


def test_relations__has_many_through__should_allow_to_use_include_syntax_on_related_data_with_promises(
        db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    patient = lb.await_(physician.patients.create({'name': 'a'}))
    address = lb.await_(m.Address.create({'name': 'z'}))
    patient.address(address)
    lb.await_(patient.save())
    ch = lb.await_(physician.patients.find({'include': 'address'}))
    assert ch is not None
    assert len(ch) == 1
    assert str(ch[0].addressId) == str(address.id)
    found = ch[0].address()
    assert found is not None
    assert isinstance(found, m.Address)
    assert found.name == 'z'


def test_relations__has_many_through__should_set_targetclass_on_scope_property(db):
    m = given_has_many_through(db)
    # Physician.prototype.patients: the class attribute
    assert m.Physician.patients._targetClass == 'Patient'


def test_relations__has_many_through__should_update_scoped_record(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    id_ = ok(physician.patients.create, {'name': 'a'}).id
    callback_outcome(physician.patients.updateById, id_, {'name': 'aa'})
    ch = ok(physician.patients.findById, id_)
    assert ch is not None
    assert ch.id == id_
    assert ch.name == 'aa'


def test_relations__has_many_through__should_update_scoped_record_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    id_ = lb.await_(physician.patients.create({'name': 'a'})).id
    lb.await_(physician.patients.updateById(id_, {'name': 'aa'}))
    ch = lb.await_(physician.patients.findById(id_))
    assert ch is not None
    assert ch.id == id_
    assert ch.name == 'aa'


def test_relations__has_many_through__should_destroy_scoped_record(db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False, 'should destroy scoped record')
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    id_ = ok(physician.patients.create, {'name': 'a'}).id
    callback_outcome(physician.patients.destroy, id_)
    assert callback_outcome(physician.patients.findById, id_).err is not None


def test_relations__has_many_through__should_destroy_scoped_record_with_promises(db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should destroy scoped record with promises')
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    id_ = lb.await_(physician.patients.create({'name': 'a'})).id
    lb.await_(physician.patients.destroy(id_))
    # juggler: either no instance, or an error
    err = rejection(physician.patients.findById(id_))
    assert err is not None


def test_relations__has_many_through__should_check_existence_of_a_scoped_record(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    id_ = create_three_patients(physician)
    assert ok(physician.patients.exists, id_) is True


def test_relations__has_many_through__should_check_existence_of_a_scoped_record_with_promises(db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    id_ = lb.await_(physician.patients.create({'name': 'a'})).id
    lb.await_(physician.patients.create({'name': 'z'}))
    lb.await_(physician.patients.create({'name': 'c'}))
    assert lb.await_(physician.patients.exists(id_)) is True


def test_relations__has_many_through__should_allow_to_add_connection_with_instance(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create, {'name': 'ph1'})
    patient = ok(m.Patient.create, {'name': 'pa1'})
    err, (app,), _ = callback_outcome(physician.patients.add, patient)
    assert err is None
    assert app is not None
    assert isinstance(app, m.Appointment)
    assert app.physicianId == physician.id
    assert app.patientId == patient.id


def test_relations__has_many_through__should_allow_to_add_connection_with_instance_with_promises(
        db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create({'name': 'ph1'}))
    patient = lb.await_(m.Patient.create({'name': 'pa1'}))
    app = lb.await_(physician.patients.add(patient))
    assert app is not None
    assert isinstance(app, m.Appointment)
    assert app.physicianId == physician.id
    assert app.patientId == patient.id


def date_now():
    """``new Date(Date.now())``: now, to the millisecond."""
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def test_relations__has_many_through__should_allow_to_add_connection_with_through_data(db):
    m = given_has_many_through(db)
    physician = ok(m.Physician.create, {'name': 'ph1'})
    patient = ok(m.Patient.create, {'name': 'pa1'})
    now = date_now()
    err, (app,), _ = callback_outcome(physician.patients.add, patient, {'date': now})
    assert err is None
    assert app is not None
    assert isinstance(app, m.Appointment)
    assert app.physicianId == physician.id
    assert app.patientId == patient.id
    assert app.patientId == patient.id
    assert app.date.timestamp() == now.timestamp()


def test_relations__has_many_through__should_allow_to_add_connection_with_through_data_with_promises(
        db):
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create({'name': 'ph1'}))
    patient = lb.await_(m.Patient.create({'name': 'pa1'}))
    now = date_now()
    app = lb.await_(physician.patients.add(patient, {'date': now}))
    assert app is not None
    assert isinstance(app, m.Appointment)
    assert app.physicianId == physician.id
    assert app.patientId == patient.id
    assert app.patientId == patient.id
    assert app.date.timestamp() == now.timestamp()


def test_relations__has_many_through__should_allow_to_remove_connection_with_instance(db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should allow to remove connection with instance')
    m = given_has_many_through(db)
    physician = ok(m.Physician.create)
    id_ = ok(physician.patients.create, {'name': 'a'}).id
    callback_outcome(physician.patients.remove, id_)
    assert ok(physician.patients.exists, id_) is False


def test_relations__has_many_through__should_allow_to_remove_connection_with_instance_with_promises(
        db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should allow to remove connection with instance with promises')
    m = given_has_many_through(db)
    physician = lb.await_(m.Physician.create())
    id_ = lb.await_(physician.patients.create({'name': 'a'})).id
    lb.await_(physician.patients.remove(id_))
    assert lb.await_(physician.patients.exists(id_)) is False


# ---------------------------------------------------------------------------
# relations / hasMany through - collect

def given_through_collect(db):
    """describe('hasMany through - collect')'s beforeEach (uid.fromConnector
    is null on these connectors: the ids are juggler's fallbacks)."""
    m = Models(db)
    m.idPatient = 1234
    m.idPhysician = 2345
    m.Physician = db.define('Physician', {'name': str})
    m.Patient = db.define('Patient', {'name': str})
    m.Appointment = db.define('Appointment', {'date': {'type': 'date',
                                                       'default': appointment_date_default}})
    m.Address = db.define('Address', {'name': str})
    assert callback_outcome(db.automigrate,
                            ['Physician', 'Patient', 'Appointment', 'Address']).err is None
    return m


def assert_collects(scope, name):
    assert scope['collect'] == name
    assert scope['include'] == name


def test_relations__has_many_through_collect__with_default_options__can_determine_the_collect_by_modelto_s_name_as_default(
        db):
    m = given_through_collect(db)
    m.Physician.hasMany(m.Patient, {'through': m.Appointment})
    m.Patient.hasMany(m.Physician, {'through': m.Appointment, 'as': 'yyy'})
    m.Patient.belongsTo(m.Address)
    m.Appointment.belongsTo(m.Physician)
    m.Appointment.belongsTo(m.Patient)
    physician = m.Physician({'id': m.idPhysician})
    assert_collects(physician.patients._scope, 'patient')
    patient = m.Patient({'id': m.idPatient})
    assert_collects(patient.yyy._scope, 'physician')


def test_relations__has_many_through_collect__when_custom_reverse_belongsto_names_for_both_sides__can_determine_the_collect_via_keythrough(
        db):
    m = given_through_collect(db)
    m.Physician.hasMany(m.Patient, {'through': m.Appointment, 'foreignKey': 'fooId',
                                    'keyThrough': 'barId'})
    m.Patient.hasMany(m.Physician, {'through': m.Appointment, 'foreignKey': 'barId',
                                    'keyThrough': 'fooId', 'as': 'yyy'})
    m.Appointment.belongsTo(m.Physician, {'as': 'foo'})
    m.Appointment.belongsTo(m.Patient, {'as': 'bar'})
    m.Patient.belongsTo(m.Address)  # jam.
    m.Appointment.belongsTo(m.Patient, {'as': 'car'})  # jam. Should we complain in this case???

    physician = m.Physician({'id': m.idPhysician})
    assert_collects(physician.patients._scope, 'bar')
    patient = m.Patient({'id': m.idPatient})
    assert_collects(patient.yyy._scope, 'foo')


def test_relations__has_many_through_collect__when_custom_reverse_belongsto_names_for_both_sides__can_determine_the_collect_via_modelto_name(
        db):
    m = given_through_collect(db)
    m.Physician.hasMany(m.Patient, {'through': m.Appointment})
    m.Patient.hasMany(m.Physician, {'through': m.Appointment, 'as': 'yyy'})
    m.Appointment.belongsTo(m.Physician, {'as': 'foo', 'foreignKey': 'physicianId'})
    m.Appointment.belongsTo(m.Patient, {'as': 'bar', 'foreignKey': 'patientId'})
    m.Patient.belongsTo(m.Address)  # jam.

    physician = m.Physician({'id': m.idPhysician})
    assert_collects(physician.patients._scope, 'bar')
    patient = m.Patient({'id': m.idPatient})
    assert_collects(patient.yyy._scope, 'foo')


def test_relations__has_many_through_collect__when_custom_reverse_belongsto_names_for_both_sides__can_determine_the_collect_via_modelto_name_with_jams(
        db):
    m = given_through_collect(db)
    m.Physician.hasMany(m.Patient, {'through': m.Appointment})
    m.Patient.hasMany(m.Physician, {'through': m.Appointment, 'as': 'yyy'})
    m.Appointment.belongsTo(m.Physician, {'as': 'foo', 'foreignKey': 'physicianId'})
    m.Appointment.belongsTo(m.Patient, {'as': 'bar', 'foreignKey': 'patientId'})
    m.Patient.belongsTo(m.Address)  # jam.
    # jam. Should we complain in this case???
    m.Appointment.belongsTo(m.Physician, {'as': 'goo', 'foreignKey': 'physicianId'})
    # jam. Should we complain in this case???
    m.Appointment.belongsTo(m.Patient, {'as': 'car', 'foreignKey': 'patientId'})

    physician = m.Physician({'id': m.idPhysician})
    assert_collects(physician.patients._scope, 'bar')
    patient = m.Patient({'id': m.idPatient})
    assert_collects(patient.yyy._scope, 'foo')   # first matched relation


def given_one_side_only(db):
    """describe('when custom reverse belongsTo name for one side only')'s beforeEach."""
    m = given_through_collect(db)
    m.Physician.hasMany(m.Patient, {'as': 'xxx', 'through': m.Appointment,
                                    'foreignKey': 'fooId'})
    m.Patient.hasMany(m.Physician, {'as': 'yyy', 'through': m.Appointment,
                                    'keyThrough': 'fooId'})
    m.Appointment.belongsTo(m.Physician, {'as': 'foo'})
    m.Appointment.belongsTo(m.Patient)
    m.Patient.belongsTo(m.Address)  # jam.
    m.Appointment.belongsTo(m.Physician, {'as': 'bar'})  # jam. Should we complain in this case???
    return m


def test_relations__has_many_through_collect__when_custom_reverse_belongsto_name_for_one_side_only__can_determine_the_collect_via_model_name(
        db):
    m = given_one_side_only(db)
    physician = m.Physician({'id': m.idPhysician})
    assert_collects(physician.xxx._scope, 'patient')


def test_relations__has_many_through_collect__when_custom_reverse_belongsto_name_for_one_side_only__can_determine_the_collect_via_keythrough(
        db):
    m = given_one_side_only(db)
    patient = m.Patient({'id': m.idPatient})
    assert_collects(patient.yyy._scope, 'foo')


# ---------------------------------------------------------------------------
# relations / hasMany through - customized relation name and foreign key

def test_relations__has_many_through_customized_relation_name_and_foreign_key__should_use_real_target_class(
        db):
    Physician = db.define('Physician', {'name': str})
    Patient = db.define('Patient', {'name': str})
    Appointment = db.define('Appointment', {'date': {'type': 'date', 'defaultFn': 'now'}})
    assert callback_outcome(db.automigrate, ['Physician', 'Patient', 'Appointment']).err is None

    Physician.hasMany(Patient, {'through': Appointment, 'as': 'xxx', 'foreignKey': 'aaaId',
                                'keyThrough': 'bbbId'})
    Patient.hasMany(Physician, {'through': Appointment, 'as': 'yyy', 'foreignKey': 'bbbId',
                                'keyThrough': 'aaaId'})
    Appointment.belongsTo(Physician, {'as': 'aaa', 'foreignKey': 'aaaId'})
    Appointment.belongsTo(Patient, {'as': 'bbb', 'foreignKey': 'bbbId'})
    physician = Physician({'id': 1})
    assert physician.xxx._targetClass == 'Patient'
    patient = Patient({'id': 1})
    assert patient.yyy._targetClass == 'Physician'


# ---------------------------------------------------------------------------
# relations / hasMany through bi-directional relations on the same model
# (and / hasMany through - between same models: the same before, Address migrated too)

def given_follows(db, migrate=('User', 'Follow')):
    """The describe's before (uid.fromConnector is null here: juggler's fallback ids)."""
    m = Models(db)
    m.idFollower = 3456
    m.idFollowee = 4567
    m.User = db.define('User', {'name': str})
    m.Follow = db.define('Follow', {'date': {'type': 'date',
                                             'default': appointment_date_default}})
    m.Address = db.define('Address', {'name': str})

    m.User.hasMany(m.User, {'as': 'followers', 'foreignKey': 'followeeId',
                            'keyThrough': 'followerId', 'through': m.Follow})
    m.User.hasMany(m.User, {'as': 'following', 'foreignKey': 'followerId',
                            'keyThrough': 'followeeId', 'through': m.Follow})
    m.User.belongsTo(m.Address)
    m.Follow.belongsTo(m.User, {'as': 'follower'})
    m.Follow.belongsTo(m.User, {'as': 'followee'})
    assert callback_outcome(db.automigrate, list(migrate)).err is None
    return m


def test_relations__has_many_through_bi_directional_relations_on_the_same_model__should_set_foreignkeys_of_through_model_correctly_in_first_relation(
        db):
    m = given_follows(db)
    follower = m.User({'id': m.idFollower})
    followee = m.User({'id': m.idFollowee})
    through_inst = ok(followee.followers.add, follower)
    assert through_inst is not None
    assert through_inst.followerId == follower.id
    assert through_inst.followeeId == followee.id


def test_relations__has_many_through_bi_directional_relations_on_the_same_model__should_set_foreignkeys_of_through_model_correctly_in_second_relation(
        db):
    m = given_follows(db)
    follower = m.User({'id': m.idFollower})
    followee = m.User({'id': m.idFollowee})
    through_inst = ok(follower.following.add, followee)
    assert through_inst is not None
    assert str(through_inst.followeeId) == str(followee.id)
    assert str(through_inst.followerId) == str(follower.id)


def test_relations__has_many_through_between_same_models__should_set_the_keythrough_and_the_foreignkey(
        db):
    m = given_follows(db, ('User', 'Follow', 'Address'))
    user = m.User({'id': m.idFollower})
    user2 = m.User({'id': m.idFollowee})
    f = ok(user.following.add, user2)
    assert f is not None
    assert f.followeeId == user2.id
    assert f.followerId == user.id


def test_relations__has_many_through_between_same_models__can_determine_the_collect_via_keythrough_for_each_side(
        db):
    m = given_follows(db, ('User', 'Follow', 'Address'))
    user = m.User({'id': m.idFollower})
    assert_collects(user.followers._scope, 'follower')
    assert_collects(user.following._scope, 'followee')


# ---------------------------------------------------------------------------
# relations / polymorphic hasAndBelongsToMany through
#
# The cases run in order on shared models and data (mocha): each case replays
# the ones before it that it depends on (``poly_habtm``'s list).

def given_poly_habtm(db):
    """The describe's before (uid.fromConnector is null here: juggler's fallback ids)."""
    m = Models(db)
    m.idArticle = 3456
    m.idEmployee = 4567
    m.Picture = db.define('Picture', {'name': str})
    m.Article = db.define('Article', {'name': str})
    m.Employee = db.define('Employee', {'name': str})
    m.PictureLink = db.define('PictureLink', {})
    m.pictures = []
    m.article = m.employee = m.anotherPicture = None
    assert callback_outcome(db.automigrate,
                            ['Picture', 'Article', 'Employee', 'PictureLink']).err is None
    return m


def poly_habtm_declare(m):
    """'can be declared using default polymorphic selector' (also the declarations
    of 'can determine the collect via modelTo name')."""
    m.Article.hasAndBelongsToMany(m.Picture, {'through': m.PictureLink,
                                              'polymorphic': 'imageable'})
    m.Employee.hasAndBelongsToMany(m.Picture, {'through': m.PictureLink,
                                               'polymorphic': 'imageable'})
    # Optionally, define inverse relations:
    m.Picture.hasMany(m.Article, {'through': m.PictureLink, 'polymorphic': 'imageable',
                                  'invert': True})
    m.Picture.hasMany(m.Employee, {'through': m.PictureLink, 'polymorphic': 'imageable',
                                   'invert': True})


def poly_habtm_declared(m):
    poly_habtm_declare(m)
    assert callback_outcome(m.db.automigrate,
                            ['Picture', 'Article', 'Employee', 'PictureLink']).err is None


def poly_habtm_collect(m):
    poly_habtm_declare(m)
    article = m.Article({'id': m.idArticle})
    assert_collects(article.pictures._scope, 'picture')
    employee = m.Employee({'id': m.idEmployee})
    assert_collects(employee.pictures._scope, 'picture')
    picture = m.Picture({'id': m.idArticle})
    assert_collects(picture.articles._scope, 'imageable')
    assert_collects(picture.employees._scope, 'imageable')


def poly_habtm_create_article(m):
    m.article = ok(m.Article.create, {'name': 'Article 1'})
    m.pictures.append(ok(m.article.pictures.create, {'name': 'Article Pic 1'}))
    m.pictures.append(ok(m.article.pictures.create, {'name': 'Article Pic 2'}))


def poly_habtm_create_employee(m):
    m.employee = ok(m.Employee.create, {'name': 'Employee 1'})
    m.pictures.append(ok(m.employee.pictures.create, {'name': 'Employee Pic 1'}))


def poly_habtm_through_model(m):
    link = ok(m.PictureLink.findOne)
    if capability(m.db, 'adhocSort') is not False:
        assert link.pictureId == m.pictures[0].id
        assert link.imageableId == m.article.id
        assert link.imageableType == 'Article'
        imageable = ok(link.imageable)
        assert isinstance(imageable, m.Article)
        assert imageable.id == m.article.id
    else:
        assert str(link.pictureId) in [str(p.id) for p in m.pictures]
        assert link.imageableType in ('Article', 'Employee')
        imageable = ok(link.imageable)
        assert imageable.id in (m.article.id, m.employee.id)


def names_in_order(db, found, expected):
    names = [x.name for x in found]
    if capability(db, 'adhocSort') is not False:
        assert names == expected
    else:
        assert all(name in names for name in expected)


def poly_habtm_get_article(m):
    article = ok(m.Article.findById, m.article.id)
    assert article.name == 'Article 1'
    pics = ok(article.pictures)
    assert len(pics) == 2
    names_in_order(m.db, pics, ['Article Pic 1', 'Article Pic 2'])


def poly_habtm_get_employee(m):
    employee = ok(m.Employee.findById, m.employee.id)
    assert employee.name == 'Employee 1'
    pics = ok(employee.pictures)
    assert len(pics) == 1
    assert pics[0].name == 'Employee Pic 1'


def poly_habtm_include(m):
    articles = ok(m.Article.find, {'include': 'pictures'})
    assert len(articles) == 1
    pics = ok(articles[0].pictures)
    assert len(pics) == 2
    names_in_order(m.db, pics, ['Article Pic 1', 'Article Pic 2'])


def poly_habtm_add_article(m):
    article = ok(m.Article.findById, m.article.id)
    pic = ok(m.Picture.create, {'name': 'Example'})
    m.pictures.append(pic)
    m.anotherPicture = pic
    link = ok(article.pictures.add, pic)
    assert isinstance(link, m.PictureLink)
    assert link.pictureId == pic.id
    assert link.imageableId == article.id
    assert link.imageableType == 'Article'


def poly_habtm_through_model_2(m):
    link = ok(m.PictureLink.findOne, {'where': {'pictureId': m.anotherPicture.id,
                                                'imageableType': 'Article'}})
    assert str(link.pictureId) == str(m.anotherPicture.id)
    assert str(link.imageableId) == str(m.article.id)
    assert link.imageableType == 'Article'


def poly_habtm_add_article_2(m):
    article = ok(m.Article.create, {'name': 'Article 2'})
    m.anotherArticle = article
    assert callback_outcome(article.pictures.add, m.anotherPicture.id).err is None


def poly_habtm_add_article_3(m):
    reader = ok(m.Employee.create, {'name': 'Employee 2'})
    m.anotherEmployee = reader
    assert callback_outcome(reader.pictures.add, m.anotherPicture.id).err is None


def poly_habtm_inverse_article(m):
    pic = ok(m.Picture.findById, m.anotherPicture.id)
    articles = ok(pic.articles)
    assert len(articles) == 2
    names_in_order(m.db, articles, ['Article 1', 'Article 2'])


def poly_habtm_inverse_reader(m):
    pic = ok(m.Picture.findById, m.anotherPicture.id)
    employees = ok(pic.employees)
    assert len(employees) == 1
    if capability(m.db, 'adhocSort') is not False:
        assert employees[0].name == 'Employee 2'
    else:
        assert employees[0].name in ('Employee 1', 'Employee 2')


def poly_habtm_find_article(m):
    article = ok(m.Article.findById, m.article.id)
    pics = ok(article.pictures)
    assert len(pics) == 3
    names_in_order(m.db, pics, ['Article Pic 1', 'Article Pic 2', 'Example'])


def poly_habtm_exists(m):
    article = ok(m.Article.findById, m.article.id)
    assert ok(article.pictures.exists, m.anotherPicture.id) is True


def poly_habtm_remove(m):
    article = ok(m.Article.findById, m.article.id)
    assert callback_outcome(article.pictures.remove, m.anotherPicture.id).err is None


def poly_habtm_find_article_2(m):
    article = ok(m.Article.findById, m.article.id)
    pics = ok(article.pictures)
    # If deleteWithOtherThanId is not implemented, the remove did not take place.  Thus +1.
    removed = capability(m.db, 'deleteWithOtherThanId') is not False
    assert len(pics) == (2 if removed else 3)
    names = [p.name for p in pics]
    if capability(m.db, 'adhocSort') is not False:
        assert names == ['Article Pic 1', 'Article Pic 2']
    else:
        assert all(n in names for n in ['Article Pic 1', 'Article Pic 2', 'Example'])


def poly_habtm_exists_2(m):
    article = ok(m.Article.findById, m.article.id)
    assert ok(article.pictures.exists, 7) is False


def poly_habtm_create_through_scope(m):
    pic = ok(m.Picture.findById, m.anotherPicture.id)
    prd = ok(pic.articles.create, {'name': 'Article 3'})
    m.article = prd
    assert m.article.name == 'Article 3'


#: the cases in mocha's order, each a step the later ones replay
POLY_HABTM = [poly_habtm_declared, poly_habtm_collect, poly_habtm_create_article,
              poly_habtm_create_employee, poly_habtm_through_model, poly_habtm_get_article,
              poly_habtm_get_employee, poly_habtm_include, poly_habtm_add_article,
              poly_habtm_through_model_2, poly_habtm_add_article_2, poly_habtm_add_article_3,
              poly_habtm_inverse_article, poly_habtm_inverse_reader, poly_habtm_find_article,
              poly_habtm_exists, poly_habtm_remove, poly_habtm_find_article_2,
              poly_habtm_exists_2, poly_habtm_create_through_scope]


def run_poly_habtm(db, step):
    """The describe's before, the cases before ``step``, then ``step``."""
    m = given_poly_habtm(db)
    replay(m, *POLY_HABTM[:POLY_HABTM.index(step) + 1])
    return m


def test_relations__polymorphic_has_and_belongs_to_many_through__can_be_declared_using_default_polymorphic_selector(
        db):
    run_poly_habtm(db, poly_habtm_declared)


def test_relations__polymorphic_has_and_belongs_to_many_through__can_determine_the_collect_via_modelto_name(
        db):
    run_poly_habtm(db, poly_habtm_collect)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_relation_article(
        db):
    run_poly_habtm(db, poly_habtm_create_article)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_relation_employee(
        db):
    run_poly_habtm(db, poly_habtm_create_employee)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_through_model(
        db):
    run_poly_habtm(db, poly_habtm_through_model)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_get_polymorphic_relation_through_model_article(
        db):
    run_poly_habtm(db, poly_habtm_get_article)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_get_polymorphic_relation_through_model_employee(
        db):
    run_poly_habtm(db, poly_habtm_get_employee)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_include_polymorphic_items(
        db):
    run_poly_habtm(db, poly_habtm_include)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_add_to_a_polymorphic_relation_article(
        db):
    run_poly_habtm(db, poly_habtm_add_article)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_through_model_2(
        db):
    run_poly_habtm(db, poly_habtm_through_model_2)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_add_to_a_polymorphic_relation_article_2(
        db):
    run_poly_habtm(db, poly_habtm_add_article_2)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_add_to_a_polymorphic_relation_article_3(
        db):
    run_poly_habtm(db, poly_habtm_add_article_3)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_get_the_inverse_polymorphic_relation_article(
        db):
    run_poly_habtm(db, poly_habtm_inverse_article)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_get_the_inverse_polymorphic_relation_reader(
        db):
    run_poly_habtm(db, poly_habtm_inverse_reader)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_find_polymorphic_items_article(
        db):
    run_poly_habtm(db, poly_habtm_find_article)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_check_if_polymorphic_relation_exists_article(
        db):
    run_poly_habtm(db, poly_habtm_exists)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_remove_from_a_polymorphic_relation_article(
        db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should remove from a polymorphic relation - article')
    run_poly_habtm(db, poly_habtm_remove)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_find_polymorphic_items_article_2(
        db):
    it_if(db, capability(db, 'cloudantCompatible') is not False,
          'should find polymorphic items - article')
    run_poly_habtm(db, poly_habtm_find_article_2)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_check_if_polymorphic_relation_exists_article_2(
        db):
    run_poly_habtm(db, poly_habtm_exists_2)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_item_through_relation_scope(
        db):
    run_poly_habtm(db, poly_habtm_create_through_scope)


def test_relations__polymorphic_has_and_belongs_to_many_through__should_create_polymorphic_through_model_new_article(
        db):
    m = run_poly_habtm(db, poly_habtm_create_through_scope)
    link = ok(m.PictureLink.findOne, {'where': {
        'pictureId': m.anotherPicture.id, 'imageableId': m.article.id,
        'imageableType': 'Article'}})
    assert str(link.pictureId) == str(m.anotherPicture.id)
    assert str(link.imageableId) == str(m.article.id)
    assert link.imageableType == 'Article'


def test_relations__polymorphic_has_and_belongs_to_many_through__should_find_polymorphic_items_new_article(
        db):
    m = run_poly_habtm(db, poly_habtm_create_through_scope)
    article = ok(m.Article.findById, m.article.id)
    pics = ok(article.pictures)
    assert len(pics) == 1
    assert pics[0].id == m.anotherPicture.id
    assert pics[0].name == 'Example'


def test_relations__polymorphic_has_and_belongs_to_many_through__should_use_author_pictures_as_modelthrough(
        db):
    m = run_poly_habtm(db, poly_habtm_create_through_scope)
    m.Article.hasAndBelongsToMany(m.Picture, {'throughTable': 'article_pictures'})
    assert m.Article.relations['pictures'].toJSON() == {
        'name': 'pictures',
        'type': 'hasMany',
        'modelFrom': 'Article',
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'articleId',
        'multiple': True,
        'modelThrough': 'article_pictures',
        'keyThrough': 'pictureId',
    }


def test_relations__polymorphic_has_and_belongs_to_many_through__can_be_declared_using_custom_foreignkey_discriminator(
        db):
    m = run_poly_habtm(db, poly_habtm_create_through_scope)
    m.Article.hasAndBelongsToMany(m.Picture, {'throughTable': 'article_pictures'})
    custom = {'foreignKey': 'imageId', 'discriminator': 'imageType'}
    m.Article.hasAndBelongsToMany(m.Picture, {'through': m.PictureLink,
                                              'polymorphic': dict(custom)})
    m.Employee.hasAndBelongsToMany(m.Picture, {'through': m.PictureLink,
                                               'polymorphic': dict(custom)})
    # Optionally, define inverse relations:
    m.Picture.hasMany(m.Article, {'through': m.PictureLink, 'polymorphic': dict(custom),
                                  'invert': True})
    m.Picture.hasMany(m.Employee, {'through': m.PictureLink, 'polymorphic': dict(custom),
                                   'invert': True})

    assert m.Article.relations['pictures'].toJSON() == {
        'name': 'pictures',
        'type': 'hasMany',
        'modelFrom': 'Article',
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'imageId',
        'multiple': True,
        'modelThrough': 'PictureLink',
        'keyThrough': 'pictureId',
        'polymorphic': {
            'selector': 'pictures',
            'foreignKey': 'imageId',
            'discriminator': 'imageType',
        },
    }

    assert m.Picture.relations['articles'].toJSON() == {
        'name': 'articles',
        'type': 'hasMany',
        'modelFrom': 'Picture',
        'keyFrom': 'id',
        'modelTo': 'Article',
        'keyTo': 'pictureId',
        'multiple': True,
        'modelThrough': 'PictureLink',
        'keyThrough': 'imageId',
        'polymorphic': {
            'foreignKey': 'imageId',
            'discriminator': 'imageType',
            'selector': 'articles',
            'invert': True,
        },
    }

    assert callback_outcome(m.db.automigrate,
                            ['Picture', 'Article', 'Employee', 'PictureLink']).err is None


# ---------------------------------------------------------------------------
# relations / hasAndBelongsToMany
#
# The cases run in order on shared models and data (mocha): each replays the
# ones before it that it depends on (``HABTM``'s list).

def habtm_can_be_declared(m):
    m.Article = m.db.define('Article', {'title': str})
    m.TagName = m.db.define('TagName', {'name': str, 'flag': str})
    m.Article.hasAndBelongsToMany('tagNames')
    m.ArticleTag = m.db.models['ArticleTagName']
    assert callback_outcome(m.db.automigrate, ['Article', 'TagName', 'ArticleTagName']).err \
        is None


def habtm_create_on_scope(m):
    article = ok(m.Article.create)
    t = ok(article.tagNames.create, {'name': 'popular'})
    assert isinstance(t, m.TagName)
    at = ok(m.ArticleTag.findOne)
    assert at is not None
    assert str(at.tagNameId) == str(t.id)
    assert str(at.articleId) == str(article.id)


def habtm_fetch_scoped(m):
    article = ok(m.Article.findOne)
    err, (tags,), _ = callback_outcome(article.tagNames)
    assert err is None
    assert tags is not None
    assert article.tagNames() == tags


def habtm_destroy_all(m):
    article = ok(m.Article.create)
    ok(article.tagNames.create, {'name': 'popular'})
    assert callback_outcome(article.tagNames.destroyAll).err is None
    assert len(ok(article.tagNames, True)) == 0


def habtm_add(m):
    article = ok(m.Article.findOne)
    tag = ok(m.TagName.create, {'name': 'awesome'})
    err, (at,), _ = callback_outcome(article.tagNames.add, tag)
    assert err is None
    assert at is not None
    assert isinstance(at, m.ArticleTag)
    assert at.tagNameId == tag.id
    assert at.articleId == article.id


def habtm_remove(m):
    article = ok(m.Article.findOne)
    tags = ok(article.tagNames)
    count = len(tags)
    assert tags
    assert callback_outcome(article.tagNames.remove, tags[0]).err is None
    assert len(ok(article.tagNames, True)) == count - 1


def habtm_create_on_scope_with_promises(m):
    assert callback_outcome(m.db.automigrate, ['Article', 'TagName', 'ArticleTagName']).err \
        is None
    article = lb.await_(m.Article.create())
    t = lb.await_(article.tagNames.create({'name': 'popular'}))
    assert isinstance(t, m.TagName)
    at = lb.await_(m.ArticleTag.findOne())
    assert at is not None
    assert str(at.tagNameId) == str(t.id)
    assert str(at.articleId) == str(article.id)


def habtm_fetch_scoped_with_promises(m):
    article = lb.await_(m.Article.findOne())
    tags = lb.await_(article.tagNames.find())
    assert tags is not None
    assert article.tagNames() == tags


def habtm_add_with_promises(m):
    article = lb.await_(m.Article.findOne())
    tag = lb.await_(m.TagName.create({'name': 'awesome'}))
    at = lb.await_(article.tagNames.add(tag))
    assert at is not None
    assert isinstance(at, m.ArticleTag)
    assert at.tagNameId == tag.id
    assert at.articleId == article.id


def habtm_remove_with_promises(m):
    article = lb.await_(m.Article.findOne())
    tags = lb.await_(article.tagNames.find())
    count = len(tags)
    assert tags
    lb.await_(article.tagNames.remove(tags[0]))
    tags = lb.await_(article.tagNames.find())
    assert len(tags) == count - 1


def habtm_target_class(m):
    assert m.Article.tagNames._targetClass == 'TagName'


HABTM_CASES = [habtm_can_be_declared, habtm_create_on_scope, habtm_fetch_scoped,
               habtm_destroy_all, habtm_add, habtm_remove, habtm_create_on_scope_with_promises,
               habtm_fetch_scoped_with_promises, habtm_add_with_promises,
               habtm_remove_with_promises, habtm_target_class]


def run_habtm(db, step):
    """The cases before ``step`` (on one data source), then ``step``."""
    m = Models(db)
    replay(m, *HABTM_CASES[:HABTM_CASES.index(step) + 1])
    return m


def test_relations__has_and_belongs_to_many__can_be_declared(db):
    run_habtm(db, habtm_can_be_declared)


def test_relations__has_and_belongs_to_many__should_allow_to_create_instances_on_scope(db):
    run_habtm(db, habtm_create_on_scope)


def test_relations__has_and_belongs_to_many__should_allow_to_fetch_scoped_instances(db):
    run_habtm(db, habtm_fetch_scoped)


def test_relations__has_and_belongs_to_many__should_destroy_all_related_instances(db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should destroy all related instances')
    run_habtm(db, habtm_destroy_all)


def test_relations__has_and_belongs_to_many__should_allow_to_add_connection_with_instance(db):
    run_habtm(db, habtm_add)


def test_relations__has_and_belongs_to_many__should_allow_to_remove_connection_with_instance(db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should allow to remove connection with instance')
    run_habtm(db, habtm_remove)


def test_relations__has_and_belongs_to_many__should_allow_to_create_instances_on_scope_with_promises(
        db):
    run_habtm(db, habtm_create_on_scope_with_promises)


def test_relations__has_and_belongs_to_many__should_allow_to_fetch_scoped_instances_with_promises(
        db):
    run_habtm(db, habtm_fetch_scoped_with_promises)


def test_relations__has_and_belongs_to_many__should_allow_to_add_connection_with_instance_with_promises(
        db):
    run_habtm(db, habtm_add_with_promises)


def test_relations__has_and_belongs_to_many__should_allow_to_remove_connection_with_instance_with_promises(
        db):
    it_if(db, capability(db, 'deleteWithOtherThanId') is not False,
          'should allow to remove connection with instance with promises')
    run_habtm(db, habtm_remove_with_promises)


def test_relations__has_and_belongs_to_many__should_set_targetclass_on_scope_property(db):
    run_habtm(db, habtm_target_class)


def test_relations__has_and_belongs_to_many__should_apply_inclusion_fields_to_the_target_model(db):
    m = run_habtm(db, habtm_target_class)
    article = ok(m.Article.create, {'title': 'a1'})
    t = ok(article.tagNames.create, {'name': 't1', 'flag': '1'})
    articles = ok(m.Article.find, {'where': {'id': article.id},
                                   'include': {'relation': 'tagNames',
                                               'scope': {'fields': ['name']}}})
    assert len(articles) == 1
    a = articles[0].toJSON()
    assert a['title'] == 'a1'
    assert 'tagNames' in a
    assert len(a['tagNames']) == 1
    n = a['tagNames'][0]
    assert n['name'] == 't1'
    # juggler: have.property('flag', undefined); toJSON leaves out a property
    # not read (docs/differences.md, Python spellings)
    assert n.get('flag') is None
    assert n['id'] == t.id


def test_relations__has_and_belongs_to_many__should_apply_inclusion_where_to_the_target_model(db):
    m = run_habtm(db, habtm_target_class)
    article = ok(m.Article.create, {'title': 'a2'})
    t2 = ok(article.tagNames.create, {'name': 't2', 'flag': '2'})
    ok(article.tagNames.create, {'name': 't3', 'flag': '3'})
    articles = ok(m.Article.find, {'where': {'id': article.id},
                                   'include': {'relation': 'tagNames',
                                               'scope': {'where': {'flag': '2'}}}})
    assert len(articles) == 1
    a = articles[0].toJSON()
    assert a['title'] == 'a2'
    assert 'tagNames' in a
    assert len(a['tagNames']) == 1
    n = a['tagNames'][0]
    assert n['name'] == 't2'
    assert n['flag'] == '2'
    assert n['id'] == t2.id


# ---------------------------------------------------------------------------
# relations / polymorphic hasOne (issue 19)

def given_polymorphic_has_one(db, *cases):
    """describe('polymorphic hasOne')'s before, then the cases before this one."""
    m = Models(db)
    m.Picture = db.define('Picture', {'name': str})
    m.Article = db.define('Article', {'name': str})
    m.Employee = db.define('Employee', {'name': str})
    assert callback_outcome(db.automigrate, ['Picture', 'Article', 'Employee']).err is None
    replay(m, *cases)
    return m


POLY_IMAGEABLE = {'selector': 'imageable', 'foreignKey': 'imageableId',
                  'discriminator': 'imageableType'}


def poly_one_can_be_declared_using_default_polymorphic_selector(m):
    m.Article.hasOne(m.Picture, {'as': 'packshot', 'polymorphic': 'imageable'})
    m.Employee.hasOne(m.Picture, {'as': 'mugshot', 'polymorphic': 'imageable'})
    m.Picture.belongsTo('imageable', {'polymorphic': True})

    assert m.Article.relations['packshot'].toJSON() == {
        'name': 'packshot',
        'type': 'hasOne',
        'modelFrom': 'Article',
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'imageableId',
        'multiple': False,
        'polymorphic': POLY_IMAGEABLE,
    }
    assert m.Picture.relations['imageable'].toJSON() == {
        'name': 'imageable',
        'type': 'belongsTo',
        'modelFrom': 'Picture',
        'keyFrom': 'imageableId',
        'modelTo': '<polymorphic>',
        'keyTo': 'id',
        'multiple': False,
        'polymorphic': POLY_IMAGEABLE,
    }
    assert callback_outcome(m.db.automigrate, ['Picture', 'Article', 'Employee']).err is None


def poly_one_should_create_polymorphic_relation_article(m):
    err, (article,), _ = callback_outcome(m.Article.create, {'name': 'Article 1'})
    assert err is None
    pic = ok(article.packshot.create, {'name': 'Packshot'})
    assert pic is not None
    assert pic.imageableId == article.id
    assert pic.imageableType == 'Article'


def poly_one_should_create_polymorphic_relation_with_promises_article(m):
    article = lb.await_(m.Article.create({'name': 'Article 1'}))
    pic = lb.await_(article.packshot.create({'name': 'Packshot'}))
    assert pic is not None
    assert pic.imageableId == article.id
    assert pic.imageableType == 'Article'


def poly_one_should_create_polymorphic_relation_reader(m):
    err, (employee,), _ = callback_outcome(m.Employee.create, {'name': 'Employee 1'})
    assert err is None
    pic = ok(employee.mugshot.create, {'name': 'Mugshot'})
    assert pic is not None
    assert pic.imageableId == employee.id
    assert pic.imageableType == 'Employee'


POLY_ONE = (poly_one_can_be_declared_using_default_polymorphic_selector,
            poly_one_should_create_polymorphic_relation_article,
            poly_one_should_create_polymorphic_relation_with_promises_article,
            poly_one_should_create_polymorphic_relation_reader)


def test_relations__polymorphic_has_one__can_be_declared_using_default_polymorphic_selector(db):
    m = given_polymorphic_has_one(db)
    poly_one_can_be_declared_using_default_polymorphic_selector(m)


def test_relations__polymorphic_has_one__should_create_polymorphic_relation_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE[:1])
    poly_one_should_create_polymorphic_relation_article(m)


def test_relations__polymorphic_has_one__should_create_polymorphic_relation_with_promises_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE[:2])
    poly_one_should_create_polymorphic_relation_with_promises_article(m)


def test_relations__polymorphic_has_one__should_create_polymorphic_relation_reader(db):
    m = given_polymorphic_has_one(db, *POLY_ONE[:3])
    poly_one_should_create_polymorphic_relation_reader(m)


def test_relations__polymorphic_has_one__should_find_polymorphic_relation_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (article,), _ = callback_outcome(m.Article.findOne)
    assert err is None
    pic = ok(article.packshot)

    packshot = article.packshot()
    assert packshot is pic

    assert pic.name == 'Packshot'
    assert str(pic.imageableId) == str(article.id)
    assert pic.imageableType == 'Article'


def test_relations__polymorphic_has_one__should_find_polymorphic_relation_employee(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (employee,), _ = callback_outcome(m.Employee.findOne)
    assert err is None
    mugshot = ok(employee.mugshot)
    assert mugshot.name == 'Mugshot'
    assert str(mugshot.imageableId) == str(employee.id)
    assert mugshot.imageableType == 'Employee'


def test_relations__polymorphic_has_one__should_include_polymorphic_relation_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (article,), _ = callback_outcome(m.Article.findOne, {'include': 'packshot'})
    assert err is None
    packshot = article.packshot()
    assert packshot is not None
    assert packshot.name == 'Packshot'


def test_relations__polymorphic_has_one__should_find_polymorphic_relation_with_promises_employee(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    employee = lb.await_(m.Employee.findOne())
    pic = lb.await_(employee.mugshot.get())
    assert pic.name == 'Mugshot'
    assert str(pic.imageableId) == str(employee.id)
    assert pic.imageableType == 'Employee'


def test_relations__polymorphic_has_one__should_find_inverse_polymorphic_relation_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (pic,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Packshot'}})
    assert err is None
    imageable = ok(pic.imageable)
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 1'


def test_relations__polymorphic_has_one__should_include_inverse_polymorphic_relation_article(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (pic,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Packshot'},
                                                          'include': 'imageable'})
    assert err is None
    imageable = pic.imageable()
    assert imageable is not None
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 1'


def test_relations__polymorphic_has_one__should_find_inverse_polymorphic_relation_employee(db):
    m = given_polymorphic_has_one(db, *POLY_ONE)
    err, (pic,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Mugshot'}})
    assert err is None
    imageable = ok(pic.imageable)
    assert isinstance(imageable, m.Employee)
    assert imageable.name == 'Employee 1'


# ---------------------------------------------------------------------------
# relations / polymorphic hasOne with non standard ids (issue 19)

def given_polymorphic_has_one_non_standard_ids(db, *cases):
    """describe('polymorphic hasOne with non standard ids')'s before, then the
    cases before this one."""
    m = Models(db)
    m.Picture = db.define('Picture', {'name': str})
    m.Article = db.define('Article', {
        'username': {'type': str, 'id': True, 'generated': True},
        'name': str,
    })
    m.Employee = db.define('Employee', {
        'username': {'type': str, 'id': True, 'generated': True},
        'name': str,
    })
    assert callback_outcome(db.automigrate, ['Picture', 'Article', 'Employee']).err is None
    replay(m, *cases)
    return m


def poly_ids_can_be_declared_using_custom_foreignkey_discriminator(m):
    m.Article.hasOne(m.Picture, {
        'as': 'packshot',
        'polymorphic': {
            'foreignKey': 'oid',
            'discriminator': 'type',
        },
    })
    m.Employee.hasOne(m.Picture, {
        'as': 'mugshot',
        'polymorphic': {
            'foreignKey': 'oid',
            'discriminator': 'type',
        },
    })
    m.Picture.belongsTo('imageable', {
        'idName': 'username',
        'polymorphic': {
            'idType': m.Article.definition.properties['username']['type'],
            'foreignKey': 'oid',
            'discriminator': 'type',
        },
    })

    assert m.Article.relations['packshot'].toJSON() == {
        'name': 'packshot',
        'type': 'hasOne',
        'modelFrom': 'Article',
        'keyFrom': 'username',
        'modelTo': 'Picture',
        'keyTo': 'oid',
        'multiple': False,
        'polymorphic': {
            'selector': 'packshot',
            'foreignKey': 'oid',
            'discriminator': 'type',
        },
    }

    imageable_rel = m.Picture.relations['imageable'].toJSON()

    # assert idType independently (juggler: a function, the String type; here
    # the type as the property definition holds it)
    id_type = imageable_rel['polymorphic'].pop('idType')
    assert id_type == m.Article.definition.properties['username']['type']

    assert imageable_rel == {
        'name': 'imageable',
        'type': 'belongsTo',
        'modelFrom': 'Picture',
        'keyFrom': 'oid',
        'modelTo': '<polymorphic>',
        'keyTo': 'username',
        'multiple': False,
        'polymorphic': {
            'selector': 'imageable',
            'foreignKey': 'oid',
            'discriminator': 'type',
        },
    }
    # the relation keeps its idType (toJSON gave a copy)
    assert m.Picture.relations['imageable'].polymorphic['idType'] == id_type

    assert callback_outcome(m.db.automigrate, ['Picture', 'Article', 'Employee']).err is None


def poly_ids_should_create_polymorphic_relation_article(m):
    err, (article,), _ = callback_outcome(m.Article.create, {'name': 'Article 1'})
    assert err is None
    pic = ok(article.packshot.create, {'name': 'Packshot'})
    assert pic is not None
    assert str(pic.oid) == str(article.username)
    assert pic.type == 'Article'


def poly_ids_should_create_polymorphic_relation_with_promises_article(m):
    article = lb.await_(m.Article.create({'name': 'Article 1'}))
    pic = lb.await_(article.packshot.create({'name': 'Packshot'}))
    assert pic is not None
    assert str(pic.oid) == str(article.username)
    assert pic.type == 'Article'


def poly_ids_should_create_polymorphic_relation_employee(m):
    err, (employee,), _ = callback_outcome(m.Employee.create, {'name': 'Employee 1'})
    assert err is None
    pic = ok(employee.mugshot.create, {'name': 'Mugshot'})
    assert pic is not None
    assert str(pic.oid) == str(employee.username)
    assert pic.type == 'Employee'


POLY_IDS = (poly_ids_can_be_declared_using_custom_foreignkey_discriminator,
            poly_ids_should_create_polymorphic_relation_article,
            poly_ids_should_create_polymorphic_relation_with_promises_article,
            poly_ids_should_create_polymorphic_relation_employee)


def test_relations__polymorphic_has_one_with_non_standard_ids__can_be_declared_using_custom_foreignkey_discriminator(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db)
    poly_ids_can_be_declared_using_custom_foreignkey_discriminator(m)


def test_relations__polymorphic_has_one_with_non_standard_ids__should_create_polymorphic_relation_article(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS[:1])
    poly_ids_should_create_polymorphic_relation_article(m)


def test_relations__polymorphic_has_one_with_non_standard_ids__should_create_polymorphic_relation_with_promises_article(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS[:2])
    poly_ids_should_create_polymorphic_relation_with_promises_article(m)


def test_relations__polymorphic_has_one_with_non_standard_ids__should_create_polymorphic_relation_employee(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS[:3])
    poly_ids_should_create_polymorphic_relation_employee(m)


def test_relations__polymorphic_has_one_with_non_standard_ids__should_find_polymorphic_relation_article(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (article,), _ = callback_outcome(m.Article.findOne)
    assert err is None
    pic = ok(article.packshot)

    packshot = article.packshot()
    assert packshot is pic

    assert pic.name == 'Packshot'
    assert str(pic.oid) == str(article.username)
    assert pic.type == 'Article'


def test_relations__polymorphic_has_one_with_non_standard_ids__should_find_polymorphic_relation_employee(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (employee,), _ = callback_outcome(m.Employee.findOne)
    assert err is None
    pic = ok(employee.mugshot)
    assert pic.name == 'Mugshot'
    assert str(pic.oid) == str(employee.username)
    assert pic.type == 'Employee'


def test_relations__polymorphic_has_one_with_non_standard_ids__should_find_inverse_polymorphic_relation_article(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (pic,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Packshot'}})
    assert err is None
    imageable = ok(pic.imageable)
    assert isinstance(imageable, m.Article)
    assert imageable.name == 'Article 1'


def test_relations__polymorphic_has_one_with_non_standard_ids__should_find_inverse_polymorphic_relation_employee(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (p,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Mugshot'}})
    assert err is None
    imageable = ok(p.imageable)
    assert isinstance(imageable, m.Employee)
    assert imageable.name == 'Employee 1'


def test_relations__polymorphic_has_one_with_non_standard_ids__should_include_polymorphic_relation_employee(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (employee,), _ = callback_outcome(m.Employee.findOne, {'include': 'mugshot'})
    assert err is None
    mugshot = employee.mugshot()
    assert mugshot is not None
    assert mugshot.name == 'Mugshot'


def test_relations__polymorphic_has_one_with_non_standard_ids__should_include_inverse_polymorphic_relation_employee(
        db):
    m = given_polymorphic_has_one_non_standard_ids(db, *POLY_IDS)
    err, (pic,), _ = callback_outcome(m.Picture.findOne, {'where': {'name': 'Mugshot'},
                                                          'include': 'imageable'})
    assert err is None
    imageable = pic.imageable()
    assert imageable is not None
    assert isinstance(imageable, m.Employee)
    assert imageable.name == 'Employee 1'


# ---------------------------------------------------------------------------
# relations / belongsTo (issue 19)
#
# Its describe has no before: the first case defines the models.  Legacy model
# hooks (Fear.beforeCreate) are deprecated: juggler prints it, here it is a
# DeprecationWarning the hook cases expect.

def given_belongs_to(db, *cases):
    m = Models(db)
    replay(m, *cases)
    return m


def belongs_to_can_be_declared_in_different_ways(m):
    db = m.db
    m.List = db.define('List', {'name': str})
    m.Item = db.define('Item', {'name': str})
    m.Fear = db.define('Fear')
    m.Mind = db.define('Mind')

    # syntax 1 (old)
    m.Item.belongsTo(m.List)
    # juggler: Object.keys((new Item).toObject()) lists the foreign key as
    # undefined; toObject() leaves out properties never set
    # (docs/differences.md, Python spellings): the property is declared
    assert 'listId' in m.Item.definition.properties
    assert callable(m.Item().list)

    # syntax 2 (new)
    m.Fear.belongsTo('mind', {
        'methods': {'check': lambda: True},
    })

    assert 'mindId' in m.Fear.definition.properties
    assert callable(m.Fear().mind)


def belongs_to_should_setup_a_custom_method_on_accessor(m):
    rel = m.Fear.relations['mind']
    rel.defineMethod('other', lambda: True)


def belongs_to_can_be_used_to_query_data(m):
    m.List.hasMany('todos', {'model': m.Item})
    callback_outcome(m.db.automigrate, ['List', 'Item', 'Fear', 'Mind'])
    e, (lst,), _ = callback_outcome(m.List.create, {'name': 'List 1'})
    m.listId = lst.id
    assert e is None
    assert lst is not None
    err, (todo,), _ = callback_outcome(lst.todos.create, {'name': 'Item 1'})
    m.itemId = todo.id
    e, (l,), _ = callback_outcome(todo.list)
    assert e is None
    assert l is not None
    assert isinstance(l, m.List)
    assert todo.list().id == l.id
    assert todo.list().name == 'List 1'


def belongs_to_can_be_used_to_query_data_with_get_with_callback(m):
    m.List.hasMany('todos', {'model': m.Item})
    # juggler's case names 'Find', no model: automigrate's error is not looked at
    callback_outcome(m.db.automigrate, ['List', 'Item', 'Fear', 'Find'])
    e, (lst,), _ = callback_outcome(m.List.create, {'name': 'List 1'})
    m.listId = lst.id
    assert e is None
    assert lst is not None
    err, (todo,), _ = callback_outcome(lst.todos.create, {'name': 'Item 1'})
    m.itemId = todo.id
    e, (l,), _ = callback_outcome(todo.list.get)
    assert e is None
    assert l is not None
    assert isinstance(l, m.List)
    assert todo.list().id == l.id
    assert todo.list().name == 'List 1'


def belongs_to_can_be_used_to_query_data_with_promises(m):
    m.List.hasMany('todos', {'model': m.Item})
    callback_outcome(m.db.automigrate, ['List', 'Item', 'Fear', 'Find'])
    lst = lb.await_(m.List.create({'name': 'List 1'}))
    m.listId = lst.id
    assert lst is not None
    todo = lb.await_(lst.todos.create({'name': 'Item 1'}))
    m.itemId = todo.id
    l = lb.await_(todo.list.get())
    assert l is not None
    assert isinstance(l, m.List)
    assert todo.list().id == l.id
    assert todo.list().name == 'List 1'


def belongs_to_could_accept_objects_when_creating_on_scope(m):
    e, (lst,), _ = callback_outcome(m.List.create)
    assert e is None
    assert lst is not None
    item = ok(m.Item.create, {'list': lst})
    assert item is not None
    assert item.listId is not None
    assert item.listId == lst.id
    assert item.__cachedRelations['list'] is lst


def belongs_to_should_update_related_item_on_scope(m):
    e, (todo,), _ = callback_outcome(m.Item.findById, m.itemId)
    lst = ok(todo.list.update, {'name': 'List A'})
    assert lst is not None
    assert lst.name == 'List A'


def belongs_to_should_destroy_related_item_on_scope(m):
    e, (todo,), _ = callback_outcome(m.Item.findById, m.itemId)
    assert callback_outcome(todo.list.destroy).err is None


BELONGS_TO = (belongs_to_can_be_declared_in_different_ways,
              belongs_to_should_setup_a_custom_method_on_accessor,
              belongs_to_can_be_used_to_query_data,
              belongs_to_can_be_used_to_query_data_with_get_with_callback,
              belongs_to_can_be_used_to_query_data_with_promises,
              belongs_to_could_accept_objects_when_creating_on_scope,
              belongs_to_should_update_related_item_on_scope,
              belongs_to_should_destroy_related_item_on_scope)


def test_relations__belongs_to__can_be_declared_in_different_ways(db):
    m = given_belongs_to(db)
    belongs_to_can_be_declared_in_different_ways(m)


def test_relations__belongs_to__should_setup_a_custom_method_on_accessor(db):
    m = given_belongs_to(db, *BELONGS_TO[:1])
    belongs_to_should_setup_a_custom_method_on_accessor(m)


def test_relations__belongs_to__should_have_setup_a_custom_method_on_accessor(db):
    m = given_belongs_to(db, *BELONGS_TO[:2])
    f = m.Fear()
    assert callable(f.mind.check)
    assert f.mind.check() is True
    assert callable(f.mind.other)
    assert f.mind.other() is True


def test_relations__belongs_to__can_be_used_to_query_data(db):
    m = given_belongs_to(db, *BELONGS_TO[:2])
    belongs_to_can_be_used_to_query_data(m)


def test_relations__belongs_to__can_be_used_to_query_data_with_get_with_callback(db):
    m = given_belongs_to(db, *BELONGS_TO[:3])
    belongs_to_can_be_used_to_query_data_with_get_with_callback(m)


def test_relations__belongs_to__can_be_used_to_query_data_with_promises(db):
    m = given_belongs_to(db, *BELONGS_TO[:4])
    belongs_to_can_be_used_to_query_data_with_promises(m)


def test_relations__belongs_to__could_accept_objects_when_creating_on_scope(db):
    m = given_belongs_to(db, *BELONGS_TO[:5])
    belongs_to_could_accept_objects_when_creating_on_scope(m)


def test_relations__belongs_to__should_update_related_item_on_scope(db):
    m = given_belongs_to(db, *BELONGS_TO[:6])
    belongs_to_should_update_related_item_on_scope(m)


def test_relations__belongs_to__should_not_update_related_item_fk_on_scope(db):
    m = given_belongs_to(db, *BELONGS_TO[:7])
    e, (todo,), _ = callback_outcome(m.Item.findById, m.itemId)
    assert e is None
    out = callback_outcome(todo.list.update, {'id': 10})
    assert out.err is not None
    assert out.err.message.startswith('Cannot override foreign key')


def test_relations__belongs_to__should_get_related_item_on_scope(db):
    m = given_belongs_to(db, *BELONGS_TO[:7])
    e, (todo,), _ = callback_outcome(m.Item.findById, m.itemId)
    lst = ok(todo.list)
    assert lst is not None
    assert lst.name == 'List A'


def test_relations__belongs_to__should_destroy_related_item_on_scope(db):
    m = given_belongs_to(db, *BELONGS_TO[:7])
    belongs_to_should_destroy_related_item_on_scope(m)


def test_relations__belongs_to__should_get_related_item_on_scope_verify(db):
    m = given_belongs_to(db, *BELONGS_TO)
    e, (todo,), _ = callback_outcome(m.Item.findById, m.itemId)
    out = callback_outcome(todo.list)
    assert out.err is None
    assert out.result is None


def test_relations__belongs_to__should_not_have_deleted_related_item(db):
    m = given_belongs_to(db, *BELONGS_TO)
    e, (lst,), _ = callback_outcome(m.List.findById, m.listId)
    assert e is None
    assert lst is not None


def test_relations__belongs_to__should_allow_to_create_belongsto_model_in_beforecreate_hook(db):
    m = given_belongs_to(db, *BELONGS_TO)
    state = {}

    def before_create(fear, next):
        def created(err, mind=None):
            state['mind'] = mind
            if err:
                next(err)
            else:
                next()
        fear.mind.create(created)
    m.Fear.beforeCreate = before_create
    with pytest.warns(DeprecationWarning, match='beforeCreate'):
        e, (fear,), _ = callback_outcome(m.Fear.create)
    assert e is None
    assert fear is not None
    assert fear.mindId == state['mind'].id
    assert fear.mind() is not None


def test_relations__belongs_to__should_allow_to_create_belongsto_model_in_beforecreate_hook_with_promises(
        db):
    m = given_belongs_to(db, *BELONGS_TO)
    state = {}

    def before_create(fear, next):
        def created(mind):
            state['mind'] = mind
            next()
        fear.mind.create().then(created).catch(next)
    m.Fear.beforeCreate = before_create
    with pytest.warns(DeprecationWarning, match='beforeCreate'):
        fear = lb.await_(m.Fear.create())
    assert fear is not None
    assert fear.mindId == state['mind'].id
    assert fear.mind() is not None


# ---------------------------------------------------------------------------
# relations / belongsTo with scope (issue 19)

def given_belongs_to_with_scope(db, *cases):
    m = Models(db)
    replay(m, *cases)
    return m


def belongs_to_scope_can_be_declared_with_scope_and_properties(m):
    m.Person = m.db.define('Person', {'name': str, 'age': float, 'passportNotes': str})
    m.Passport = m.db.define('Passport', {'name': str, 'notes': str})
    m.Passport.belongsTo(m.Person, {
        'properties': {'notes': 'passportNotes'},
        'scope': {'fields': {'id': True, 'name': True}},
    })
    assert callback_outcome(m.db.automigrate, ['Person', 'Passport']).err is None


def belongs_to_scope_should_create_record_on_scope(m):
    p = m.Passport({'name': 'Passport', 'notes': 'Some notes...'})
    err, (person,), _ = callback_outcome(p.person.create, {'name': 'Fred', 'age': 36})
    m.personCreated = person
    assert str(p.personId) == str(person.id)
    assert person.name == 'Fred'
    assert person.passportNotes == 'Some notes...'
    assert callback_outcome(p.save).err is None


def belongs_to_scope_should_create_record_on_scope_with_promises(m):
    p = m.Passport({'name': 'Passport', 'notes': 'Some notes...'})
    person = lb.await_(p.person.create({'name': 'Fred', 'age': 36}))
    assert p.personId == person.id
    assert person.name == 'Fred'
    assert person.passportNotes == 'Some notes...'
    lb.await_(p.save())


BELONGS_TO_SCOPE = (belongs_to_scope_can_be_declared_with_scope_and_properties,
                    belongs_to_scope_should_create_record_on_scope,
                    belongs_to_scope_should_create_record_on_scope_with_promises)


def test_relations__belongs_to_with_scope__can_be_declared_with_scope_and_properties(db):
    m = given_belongs_to_with_scope(db)
    belongs_to_scope_can_be_declared_with_scope_and_properties(m)


def test_relations__belongs_to_with_scope__should_create_record_on_scope(db):
    m = given_belongs_to_with_scope(db, *BELONGS_TO_SCOPE[:1])
    belongs_to_scope_should_create_record_on_scope(m)


def test_relations__belongs_to_with_scope__should_find_record_on_scope(db):
    m = given_belongs_to_with_scope(db, *BELONGS_TO_SCOPE[:2])
    err, (p,), _ = callback_outcome(m.Passport.findOne)
    assert str(p.personId) == str(m.personCreated.id)
    err, (person,), _ = callback_outcome(p.person)
    assert person.name == 'Fred'
    # person.should.have.property('age', undefined): not loaded (fields)
    assert person.age is None
    assert person.passportNotes is None


def test_relations__belongs_to_with_scope__should_create_record_on_scope_with_promises(db):
    m = given_belongs_to_with_scope(db, *BELONGS_TO_SCOPE[:2])
    belongs_to_scope_should_create_record_on_scope_with_promises(m)


def test_relations__belongs_to_with_scope__should_find_record_on_scope_with_promises(db):
    m = given_belongs_to_with_scope(db, *BELONGS_TO_SCOPE)
    p = lb.await_(m.Passport.findOne())
    if capability(db, 'adhocSort') is not False:
        # We skip the check if adhocSort is not supported because
        # the first row returned may or may not be the same
        assert p.personId == m.personCreated.id
    person = lb.await_(p.person.get())
    assert person.name == 'Fred'
    assert person.age is None
    assert person.passportNotes is None


# ---------------------------------------------------------------------------
# relations / hasOne (issue 19)

def given_has_one(db, *cases):
    """describe('hasOne')'s before (no automigrate: the cases run it), then the
    cases before this one."""
    m = Models(db)
    m.Supplier = db.define('Supplier', {'name': str})
    m.Account = db.define('Account', {'accountNo': str, 'supplierName': str})
    replay(m, *cases)
    return m


def has_one_can_be_declared_using_has_one_method(m):
    m.Supplier.hasOne(m.Account, {
        'properties': {'name': 'supplierName'},
        'methods': {'check': lambda: True},
    })
    # juggler: Object.keys((new Account()).toObject()) lists the foreign key
    # as undefined; toObject() leaves out properties never set
    # (docs/differences.md, Python spellings): the property is declared
    assert 'supplierId' in m.Account.definition.properties
    assert callable(m.Supplier().account)


def has_one_should_setup_a_custom_method_on_accessor(m):
    rel = m.Supplier.relations['account']
    rel.defineMethod('other', lambda: True)


def has_one_can_be_used_to_query_data(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    e, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 1'})
    m.supplierId = supplier.id
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.create, {'accountNo': 'a01'})
    e, (act,), _ = callback_outcome(supplier.account)
    m.accountId = act.id
    assert e is None
    assert act is not None
    assert isinstance(act, m.Account)
    assert supplier.account().id == act.id
    assert act.supplierName == supplier.name


def has_one_can_be_used_to_query_data_with_get_with_callback(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    e, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 1'})
    m.supplierId = supplier.id
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.create, {'accountNo': 'a01'})
    e, (act,), _ = callback_outcome(supplier.account.get)
    m.accountId = act.id
    assert e is None
    assert act is not None
    assert isinstance(act, m.Account)
    assert supplier.account().id == act.id
    assert act.supplierName == supplier.name


def has_one_can_be_used_to_query_data_with_promises(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    supplier = lb.await_(m.Supplier.create({'name': 'Supplier 1'}))
    m.supplierId = supplier.id
    assert supplier is not None
    lb.await_(supplier.account.create({'accountNo': 'a01'}))
    act = lb.await_(supplier.account.get())
    m.accountId = act.id
    assert act is not None
    assert isinstance(act, m.Account)
    assert supplier.account().id == act.id
    assert act.supplierName == supplier.name


def has_one_should_update_the_related_item_on_scope(m):
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    err, (act,), _ = callback_outcome(supplier.account.update, {'supplierName': 'Supplier A'})
    assert act.supplierName == 'Supplier A'


def has_one_should_update_the_related_item_on_scope_with_promises(m):
    supplier = lb.await_(m.Supplier.findById(m.supplierId))
    assert supplier is not None
    act = lb.await_(supplier.account.update({'supplierName': 'Supplier B'}))
    assert act.supplierName == 'Supplier B'


def has_one_should_error_trying_to_change_the_foreign_key_in_the_update(m):
    e, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 2'})
    sid = supplier.id
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    out = callback_outcome(supplier.account.update, {'supplierName': 'Supplier A',
                                                     'supplierId': sid})
    assert out.err is not None
    assert out.err.message.startswith('Cannot override foreign key')


def has_one_should_update_the_related_item_on_scope_with_same_foreign_key(m):
    err, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 2'})
    err, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert err is None
    assert supplier is not None
    act = ok(supplier.account.update, {'supplierName': 'Supplier A',
                                       'supplierId': m.supplierId})
    assert act.supplierName == 'Supplier A'
    assert str(act.supplierId) == str(m.supplierId)


def has_one_should_destroy_the_related_item_on_scope(m):
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.destroy)


def has_one_should_destroy_the_related_item_on_scope_with_promises(m):
    supplier = lb.await_(m.Supplier.findById(m.supplierId))
    assert supplier is not None
    lb.await_(supplier.account.create({'accountNo': 'a01'}))
    lb.await_(supplier.account.destroy())


HAS_ONE = (has_one_can_be_declared_using_has_one_method,
           has_one_should_setup_a_custom_method_on_accessor,
           has_one_can_be_used_to_query_data,
           has_one_can_be_used_to_query_data_with_get_with_callback,
           has_one_can_be_used_to_query_data_with_promises,
           has_one_should_update_the_related_item_on_scope,
           has_one_should_update_the_related_item_on_scope_with_promises,
           has_one_should_error_trying_to_change_the_foreign_key_in_the_update,
           has_one_should_update_the_related_item_on_scope_with_same_foreign_key,
           has_one_should_destroy_the_related_item_on_scope,
           has_one_should_destroy_the_related_item_on_scope_with_promises)


def upto_has_one(case):
    return HAS_ONE[:HAS_ONE.index(case)]


def test_relations__has_one__can_be_declared_using_has_one_method(db):
    m = given_has_one(db)
    has_one_can_be_declared_using_has_one_method(m)


def test_relations__has_one__should_setup_a_custom_method_on_accessor(db):
    m = given_has_one(db, *upto_has_one(has_one_should_setup_a_custom_method_on_accessor))
    has_one_should_setup_a_custom_method_on_accessor(m)


def test_relations__has_one__should_have_setup_a_custom_method_on_accessor(db):
    m = given_has_one(db, *upto_has_one(has_one_can_be_used_to_query_data))
    s = m.Supplier()
    assert callable(s.account.check)
    assert s.account.check() is True
    assert callable(s.account.other)
    assert s.account.other() is True


def test_relations__has_one__can_be_used_to_query_data(db):
    m = given_has_one(db, *upto_has_one(has_one_can_be_used_to_query_data))
    has_one_can_be_used_to_query_data(m)


def test_relations__has_one__can_be_used_to_query_data_with_get_with_callback(db):
    m = given_has_one(db, *upto_has_one(has_one_can_be_used_to_query_data_with_get_with_callback))
    has_one_can_be_used_to_query_data_with_get_with_callback(m)


def test_relations__has_one__can_be_used_to_query_data_with_promises(db):
    m = given_has_one(db, *upto_has_one(has_one_can_be_used_to_query_data_with_promises))
    has_one_can_be_used_to_query_data_with_promises(m)


def test_relations__has_one__should_set_targetclass_on_scope_property(db):
    m = given_has_one(db, *upto_has_one(has_one_should_update_the_related_item_on_scope))
    # Supplier.prototype.account: the class attribute
    assert m.Supplier.account._targetClass == 'Account'


def test_relations__has_one__should_update_the_related_item_on_scope(db):
    m = given_has_one(db, *upto_has_one(has_one_should_update_the_related_item_on_scope))
    has_one_should_update_the_related_item_on_scope(m)


def test_relations__has_one__should_not_update_the_related_item_fk_on_scope(db):
    m = given_has_one(db, *upto_has_one(has_one_should_update_the_related_item_on_scope_with_promises))
    err, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert err is None
    assert supplier is not None
    out = callback_outcome(supplier.account.update, {'supplierName': 'Supplier A',
                                                     'supplierId': 10})
    assert out.err is not None
    assert 'Cannot override foreign key' in out.err.message


def test_relations__has_one__should_update_the_related_item_on_scope_with_promises(db):
    m = given_has_one(db, *upto_has_one(has_one_should_update_the_related_item_on_scope_with_promises))
    has_one_should_update_the_related_item_on_scope_with_promises(m)


def test_relations__has_one__should_error_trying_to_change_the_foreign_key_in_the_update(db):
    m = given_has_one(db, *upto_has_one(
        has_one_should_error_trying_to_change_the_foreign_key_in_the_update))
    has_one_should_error_trying_to_change_the_foreign_key_in_the_update(m)


def test_relations__has_one__should_update_the_related_item_on_scope_with_same_foreign_key(db):
    m = given_has_one(db, *upto_has_one(
        has_one_should_update_the_related_item_on_scope_with_same_foreign_key))
    has_one_should_update_the_related_item_on_scope_with_same_foreign_key(m)


def test_relations__has_one__should_get_the_related_item_on_scope(db):
    m = given_has_one(db, *upto_has_one(has_one_should_destroy_the_related_item_on_scope))
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    err, (act,), _ = callback_outcome(supplier.account)
    assert act is not None
    assert act.supplierName == 'Supplier A'


def test_relations__has_one__should_get_the_related_item_on_scope_with_promises(db):
    m = given_has_one(db, *upto_has_one(has_one_should_destroy_the_related_item_on_scope))
    supplier = lb.await_(m.Supplier.findById(m.supplierId))
    assert supplier is not None
    act = lb.await_(supplier.account.get())
    assert act is not None
    assert act.supplierName == 'Supplier A'


def test_relations__has_one__should_destroy_the_related_item_on_scope(db):
    m = given_has_one(db, *upto_has_one(has_one_should_destroy_the_related_item_on_scope))
    has_one_should_destroy_the_related_item_on_scope(m)


def test_relations__has_one__should_destroy_the_related_item_on_scope_with_promises(db):
    m = given_has_one(db, *upto_has_one(
        has_one_should_destroy_the_related_item_on_scope_with_promises))
    has_one_should_destroy_the_related_item_on_scope_with_promises(m)


def test_relations__has_one__should_get_the_related_item_on_scope_verify(db):
    m = given_has_one(db, *HAS_ONE)
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    out = callback_outcome(supplier.account)
    assert out.err is None
    assert out.result is None


def test_relations__has_one__should_get_the_related_item_on_scope_with_promises_verify(db):
    m = given_has_one(db, *HAS_ONE)
    supplier = lb.await_(m.Supplier.findById(m.supplierId))
    assert supplier is not None
    act = lb.await_(supplier.account.get())
    assert act is None


def test_relations__has_one__should_have_deleted_related_item(db):
    m = given_has_one(db, *HAS_ONE)
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None


# ---------------------------------------------------------------------------
# relations / hasOne with scope (issue 19)

def given_has_one_with_scope(db, *cases):
    m = Models(db)
    m.Supplier = db.define('Supplier', {'name': str})
    m.Account = db.define('Account', {'accountNo': str, 'supplierName': str, 'block': bool})
    m.Supplier.hasOne(m.Account, {'scope': {'where': {'block': False}},
                                  'properties': {'name': 'supplierName'}})
    replay(m, *cases)
    return m


def has_one_scope_can_be_used_to_query_data(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    e, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 1'})
    m.supplierId = supplier.id
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.create, {'accountNo': 'a01', 'block': False})
    e, (act,), _ = callback_outcome(supplier.account)
    m.accountId = act.id
    assert e is None
    assert act is not None
    assert isinstance(act, m.Account)
    assert act.block is not None
    assert act.block is False
    assert supplier.account().id == act.id
    assert act.supplierName == supplier.name


def has_one_scope_block_all(m):
    """``Account.updateAll({block: true}, cb)``: updateAll(data, cb) updates every row."""
    assert callback_outcome(m.Account.updateAll, {'block': True}).err is None


def test_relations__has_one_with_scope__can_be_used_to_query_data(db):
    m = given_has_one_with_scope(db)
    has_one_scope_can_be_used_to_query_data(m)


def test_relations__has_one_with_scope__should_include_record_that_matches_scope(db):
    m = given_has_one_with_scope(db, has_one_scope_can_be_used_to_query_data)
    err, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId,
                                           {'include': 'account'})
    assert supplier.toJSON().get('account') is not None
    err, (account,), _ = callback_outcome(supplier.account)
    assert account is not None


def test_relations__has_one_with_scope__should_not_find_record_that_does_not_match_scope(db):
    it_if(db, capability(db, 'supportUpdateWithoutId') is not False,
          'should not find record that does not match scope')
    m = given_has_one_with_scope(db, has_one_scope_can_be_used_to_query_data)
    has_one_scope_block_all(m)
    err, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    err, (account,), _ = callback_outcome(supplier.account)
    assert account is None


def test_relations__has_one_with_scope__should_not_include_record_that_does_not_match_scope(db):
    it_if(db, capability(db, 'supportUpdateWithoutId') is not False,
          'should not include record that does not match scope')
    m = given_has_one_with_scope(db, has_one_scope_can_be_used_to_query_data)
    has_one_scope_block_all(m)
    err, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId,
                                           {'include': 'account'})
    assert supplier.toJSON().get('account') is None
    err, (account,), _ = callback_outcome(supplier.account)
    assert account is None


def has_one_scope_can_be_used_to_query_data_with_promises(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    supplier = lb.await_(m.Supplier.create({'name': 'Supplier 1'}))
    m.supplierId = supplier.id
    assert supplier is not None
    lb.await_(supplier.account.create({'accountNo': 'a01', 'block': False}))
    act = lb.await_(supplier.account.get())
    m.accountId = act.id
    assert act is not None
    assert isinstance(act, m.Account)
    assert act.block is not None
    assert act.block is False
    assert supplier.account().id == act.id
    assert act.supplierName == supplier.name


def test_relations__has_one_with_scope__can_be_used_to_query_data_with_promises(db):
    m = given_has_one_with_scope(db, has_one_scope_can_be_used_to_query_data)
    has_one_scope_can_be_used_to_query_data_with_promises(m)


def test_relations__has_one_with_scope__should_find_record_that_match_scope_with_promises(db):
    it_if(db, capability(db, 'supportUpdateWithoutId') is not False,
          'should find record that match scope with promises')
    m = given_has_one_with_scope(db, has_one_scope_can_be_used_to_query_data,
                                 has_one_scope_can_be_used_to_query_data_with_promises)
    # juggler's case passes on any error too (its catch calls done())
    try:
        lb.await_(m.Account.updateAll({'block': True}))
        supplier = lb.await_(m.Supplier.findById(m.supplierId))
        account = lb.await_(supplier.account.get())
        assert account is None
    except lb.LoopBackError:
        pass


# ---------------------------------------------------------------------------
# relations / hasOne with non standard id (issue 19)

def given_has_one_non_standard_id(db, *cases):
    m = Models(db)
    m.Supplier = db.define('Supplier', {
        'sid': {
            'type': str,
            'id': True,
            'generated': True,
        },
        'name': str,
    })
    m.Account = db.define('Account', {
        'accid': {
            'type': str,
            'id': True,
            'generated': False,
        },
        'supplierName': str,
    })
    replay(m, *cases)
    return m


def has_one_sid_can_be_declared_with_non_standard_foreignkey(m):
    m.Supplier.hasOne(m.Account, {
        'properties': {'name': 'supplierName'},
        'foreignKey': 'sid',
    })
    assert 'sid' in m.Account.definition.properties   # (toObject: see hasOne above)
    assert callable(m.Supplier().account)


def has_one_sid_can_be_used_to_query_data(m):
    callback_outcome(m.db.automigrate, ['Supplier', 'Account'])
    e, (supplier,), _ = callback_outcome(m.Supplier.create, {'name': 'Supplier 1'})
    m.supplierId = supplier.sid
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.create, {'accid': 'a01'})
    e, (act,), _ = callback_outcome(supplier.account)
    m.accountId = act.accid
    assert e is None
    assert act is not None
    assert isinstance(act, m.Account)
    assert supplier.account().accid == act.accid
    assert act.supplierName == supplier.name


def has_one_sid_should_destroy_the_related_item_on_scope(m):
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    callback_outcome(supplier.account.destroy)


HAS_ONE_SID = (has_one_sid_can_be_declared_with_non_standard_foreignkey,
               has_one_sid_can_be_used_to_query_data,
               has_one_sid_should_destroy_the_related_item_on_scope)


def test_relations__has_one_with_non_standard_id__can_be_declared_with_non_standard_foreignkey(db):
    m = given_has_one_non_standard_id(db)
    has_one_sid_can_be_declared_with_non_standard_foreignkey(m)


def test_relations__has_one_with_non_standard_id__can_be_used_to_query_data(db):
    m = given_has_one_non_standard_id(db, *HAS_ONE_SID[:1])
    has_one_sid_can_be_used_to_query_data(m)


def test_relations__has_one_with_non_standard_id__should_destroy_the_related_item_on_scope(db):
    m = given_has_one_non_standard_id(db, *HAS_ONE_SID[:2])
    has_one_sid_should_destroy_the_related_item_on_scope(m)


def test_relations__has_one_with_non_standard_id__should_get_the_related_item_on_scope_verify(db):
    it_if(db, capability(db, 'cloudantCompatible') is not False,
          'should get the related item on scope - verify')
    m = given_has_one_non_standard_id(db, *HAS_ONE_SID)
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None
    out = callback_outcome(supplier.account)
    assert out.err is None
    assert out.result is None


def test_relations__has_one_with_non_standard_id__should_have_deleted_related_item(db):
    m = given_has_one_non_standard_id(db, *HAS_ONE_SID)
    e, (supplier,), _ = callback_outcome(m.Supplier.findById, m.supplierId)
    assert e is None
    assert supplier is not None


# ---------------------------------------------------------------------------
# relations / hasOne with primaryKey different from model PK (issue 19)

def given_has_one_primary_key(db, *cases):
    m = Models(db)
    m.CompanyBoard = db.define('CompanyBoard', {
        'membersNumber': float,
        'companyId': str,
    })
    m.Boss = db.define('Boss', {
        'id': {'type': str, 'id': True, 'generated': False},
        'boardMembersNumber': float,
        'companyId': str,
    })
    replay(m, *cases)
    return m


def has_one_pk_relation_can_be_declared_with_primarykey(m):
    m.CompanyBoard.hasOne(m.Boss, {
        'properties': {'membersNumber': 'boardMembersNumber'},
        'primaryKey': 'companyId',
        'foreignKey': 'companyId',
    })
    assert 'companyId' in m.Boss.definition.properties
    assert callable(m.CompanyBoard().boss)


def has_one_pk_can_be_used_to_query_data(m):
    callback_outcome(m.db.automigrate, ['CompanyBoard', 'Boss'])
    e, (company_board,), _ = callback_outcome(m.CompanyBoard.create,
                                              {'membersNumber': 7, 'companyId': 'Company1'})
    m.companyBoardId = company_board.id
    assert e is None
    assert company_board is not None
    callback_outcome(company_board.boss.create, {'id': 'bossa01'})
    e, (boss,), _ = callback_outcome(company_board.boss)
    m.bossId = boss.id
    assert e is None
    assert boss is not None
    assert isinstance(boss, m.Boss)
    assert company_board.boss().id == boss.id
    assert boss.boardMembersNumber == company_board.membersNumber
    assert boss.companyId == company_board.companyId


def has_one_pk_should_destroy_the_related_item_on_scope(m):
    e, (company_board,), _ = callback_outcome(m.CompanyBoard.findById, m.companyBoardId)
    assert e is None
    assert company_board is not None
    callback_outcome(company_board.boss.destroy)


HAS_ONE_PK = (has_one_pk_relation_can_be_declared_with_primarykey,
              has_one_pk_can_be_used_to_query_data,
              has_one_pk_should_destroy_the_related_item_on_scope)


def test_relations__has_one_with_primarykey_different_from_model_pk__relation_can_be_declared_with_primarykey(
        db):
    m = given_has_one_primary_key(db)
    has_one_pk_relation_can_be_declared_with_primarykey(m)


def test_relations__has_one_with_primarykey_different_from_model_pk__can_be_used_to_query_data(db):
    m = given_has_one_primary_key(db, *HAS_ONE_PK[:1])
    has_one_pk_can_be_used_to_query_data(m)


def test_relations__has_one_with_primarykey_different_from_model_pk__should_destroy_the_related_item_on_scope(
        db):
    m = given_has_one_primary_key(db, *HAS_ONE_PK[:2])
    has_one_pk_should_destroy_the_related_item_on_scope(m)


def test_relations__has_one_with_primarykey_different_from_model_pk__should_get_the_related_item_on_scope_verify(
        db):
    m = given_has_one_primary_key(db, *HAS_ONE_PK)
    e, (company_board,), _ = callback_outcome(m.CompanyBoard.findById, m.companyBoardId)
    assert e is None
    assert company_board is not None
    out = callback_outcome(company_board.boss)
    assert out.err is None
    assert out.result is None


# ---------------------------------------------------------------------------
# relations / belongsTo with primaryKey different from model PK (issue 19)

def given_belongs_to_primary_key(db):
    m = Models(db)
    m.Employee = db.define('Employee', {'name': str, 'companyId': str})
    m.Boss = db.define('Boss', {'address': str, 'companyId': str})
    return m


def belongs_to_pk_relation_can_be_declared_with_primarykey(m):
    m.Employee.belongsTo(m.Boss, {
        'primaryKey': 'companyId',
        'foreignKey': 'companyId',
    })
    assert callable(m.Employee().boss)


def test_relations__belongs_to_with_primarykey_different_from_model_pk__relation_can_be_declared_with_primarykey(
        db):
    m = given_belongs_to_primary_key(db)
    belongs_to_pk_relation_can_be_declared_with_primarykey(m)


def test_relations__belongs_to_with_primarykey_different_from_model_pk__can_be_used_to_query_data(db):
    company_id = 'Company1'
    m = given_belongs_to_primary_key(db)
    belongs_to_pk_relation_can_be_declared_with_primarykey(m)
    lb.await_(db.automigrate(['Employee', 'Boss']))
    boss = lb.await_(m.Boss.create({'address': 'testAddress', 'companyId': company_id}))
    boss_id = boss.id
    employee = lb.await_(m.Employee.create({'name': 'a', 'companyId': company_id}))
    assert employee is not None
    boss = lb.await_(employee.boss.get())
    assert boss is not None
    assert boss.id == boss_id


# ---------------------------------------------------------------------------
# relations / referencesMany (issue 19)
#
# juggler's List of ids is a plain list here: ``ids.toArray()`` is ``list(ids)``.
# The custom scope method is called ``fn(relation, *args)``, the relation
# object playing juggler's ``this``.

def given_references_many(db, *cases):
    """describe('referencesMany')'s before, then the cases before this one."""
    m = Models(db)
    m.Category = db.define('Category', {'name': str})
    m.Job = db.define('Job', {'name': str})
    assert callback_outcome(db.automigrate, ['Job', 'Category']).err is None
    replay(m, *cases)
    return m


def refs_can_be_declared(m):
    def reverse(rel, cb=None):
        cb, promise = callback_and_promise(cb)
        model_instance = rel.modelInstance
        fk = rel.definition.keyFrom
        ids = model_instance[fk] or []
        ids.reverse()

        def updated(err, inst=None):
            cb(err, (inst[fk] or []) if inst is not None else [])
        model_instance.updateAttribute(fk, ids, updated)
        return promise

    reverse.shared = True  # remoting
    reverse.http = {'verb': 'put', 'path': '/jobs/reverse'}

    m.Category.referencesMany(m.Job, {'scopeMethods': {
        'reverse': reverse,
    }})

    method = getattr(m.Category, '__reverse__jobs')
    assert callable(method)
    assert getattr(method, 'shared', None) is not None
    assert method.http == reverse.http

    assert callback_outcome(m.db.automigrate, ['Job', 'Category']).err is None


def refs_should_setup_test_records(m):
    m.job1 = ok(m.Job.create, {'name': 'Job 1'})
    m.job3 = ok(m.Job.create, {'name': 'Job 3'})


def refs_should_create_record_on_scope(m):
    err, (cat,), _ = callback_outcome(m.Category.create, {'name': 'Category A'})
    assert isinstance(cat.jobIds, list)
    assert len(cat.jobIds) == 0
    p = ok(cat.jobs.create, {'name': 'Job 2'})
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == p.id
    assert p.name == 'Job 2'
    m.job2 = p


def refs_should_update_a_record_on_scope(m):
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    attrs = {'name': 'Job 2 - edit'}
    p = ok(cat.jobs.updateById, m.job2.id, attrs)
    assert p.name == attrs['name']


def refs_should_add_a_record_to_scope_object(m):
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    prod = ok(cat.jobs.add, m.job1)
    assert cat.jobIds[0] == m.job2.id
    assert cat.jobIds[1] == m.job1.id
    assert prod.id == m.job1.id
    assert 'name' in prod.toObject()


def refs_should_add_a_record_to_scope_object_2(m):
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    prod = ok(cat.jobs.add, m.job3.id)
    expected = [m.job2.id, m.job1.id, m.job3.id]
    assert cat.jobIds[0] == expected[0]
    assert cat.jobIds[1] == expected[1]
    assert cat.jobIds[2] == expected[2]
    assert prod.id == m.job3.id
    assert 'name' in prod.toObject()


def refs_should_remove_items_from_scope(m):
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    ids = ok(cat.jobs.remove, m.job1.id)
    expected = [m.job2.id, m.job3.id]
    assert cat.jobIds[0] == expected[0]
    assert cat.jobIds[1] == expected[1]
    assert cat.jobIds[0] == ids[0]
    assert cat.jobIds[1] == ids[1]


def refs_should_allow_custom_scope_methods_reverse(m):
    it_if(m.db, capability(m.db, 'adhocSort') is not False,
          'should allow custom scope methods - reverse')
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    err, (ids,), _ = callback_outcome(cat.jobs.reverse)
    expected = [m.job3.id, m.job2.id]
    assert list(ids) == expected
    assert list(cat.jobIds) == expected


def refs_should_destroy_items_from_scope_destroybyid(m):
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    assert callback_outcome(cat.jobs.destroy, m.job2.id).err is None
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == m.job3.id
    exists = ok(m.Job.exists, m.job2.id)
    assert exists is not None
    assert exists is False


def refs_should_setup_test_records_with_promises(m):
    callback_outcome(m.db.automigrate, ['Job', 'Category'])
    m.job1 = lb.await_(m.Job.create({'name': 'Job 1'}))
    m.job3 = lb.await_(m.Job.create({'name': 'Job 3'}))


def refs_should_create_record_on_scope_with_promises(m):
    cat = lb.await_(m.Category.create({'name': 'Category A'}))
    assert isinstance(cat.jobIds, list)
    assert len(cat.jobIds) == 0
    p = lb.await_(cat.jobs.create({'name': 'Job 2'}))
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == p.id
    assert p.name == 'Job 2'
    m.job2 = p


def refs_should_update_a_record_on_scope_with_promises(m):
    cat = lb.await_(m.Category.findOne())
    attrs = {'name': 'Job 2 - edit'}
    p = lb.await_(cat.jobs.updateById(m.job2.id, attrs))
    assert p.name == attrs['name']


def contain_deep(actual, expected):
    """should's containDeep on two id lists: every expected id is there."""
    return all(item in list(actual) for item in expected)


def refs_should_add_a_record_to_scope_with_promises_object(m):
    cat = lb.await_(m.Category.findOne())
    prod = lb.await_(cat.jobs.add(m.job1))
    expected = [m.job2.id, m.job1.id]
    assert len(cat.jobIds) == len(expected)
    assert contain_deep(cat.jobIds, expected)
    assert prod.id == m.job1.id
    assert 'name' in prod.toObject()


def refs_should_add_a_record_to_scope_with_promises_object_2(m):
    cat = lb.await_(m.Category.findOne())
    prod = lb.await_(cat.jobs.add(m.job3.id))
    expected = [m.job2.id, m.job1.id, m.job3.id]
    assert len(cat.jobIds) == len(expected)
    assert contain_deep(cat.jobIds, expected)
    assert prod.id == m.job3.id
    assert 'name' in prod.toObject()


def refs_should_remove_items_from_scope_with_promises(m):
    cat = lb.await_(m.Category.findOne())
    ids = lb.await_(cat.jobs.remove(m.job1.id))
    expected = [m.job2.id, m.job3.id]
    assert len(cat.jobIds) == len(expected)
    assert contain_deep(cat.jobIds, expected)
    assert cat.jobIds == ids


def refs_should_allow_custom_scope_methods_with_promises_reverse(m):
    it_if(m.db, capability(m.db, 'adhocSort') is not False,
          'should allow custom scope methods with promises - reverse')
    cat = lb.await_(m.Category.findOne())
    ids = lb.await_(cat.jobs.reverse())
    expected = [m.job3.id, m.job2.id]
    assert list(ids) == expected
    assert list(cat.jobIds) == expected


def refs_should_destroy_items_from_scope_with_promises_destroybyid(m):
    cat = lb.await_(m.Category.findOne())
    lb.await_(cat.jobs.destroy(m.job2.id))
    expected = [m.job3.id]
    if capability(m.db, 'adhocSort') is not False:
        assert list(cat.jobIds) == expected
    else:
        assert contain_deep(cat.jobIds, expected)
    exists = lb.await_(m.Job.exists(m.job2.id))
    assert exists is not None
    assert exists is False


#: the cases of describe('referencesMany') that change its models or data, in order
REFS = (refs_can_be_declared,
        refs_should_setup_test_records,
        refs_should_create_record_on_scope,
        refs_should_update_a_record_on_scope,
        refs_should_add_a_record_to_scope_object,
        refs_should_add_a_record_to_scope_object_2,
        refs_should_remove_items_from_scope,
        refs_should_allow_custom_scope_methods_reverse,
        refs_should_destroy_items_from_scope_destroybyid,
        refs_should_setup_test_records_with_promises,
        refs_should_create_record_on_scope_with_promises,
        refs_should_update_a_record_on_scope_with_promises,
        refs_should_add_a_record_to_scope_with_promises_object,
        refs_should_add_a_record_to_scope_with_promises_object_2,
        refs_should_remove_items_from_scope_with_promises,
        refs_should_allow_custom_scope_methods_with_promises_reverse,
        refs_should_destroy_items_from_scope_with_promises_destroybyid)


def given_refs_before(db, case):
    """The describe's before and the cases before ``case`` (one of REFS)."""
    return given_references_many(db, *REFS[:REFS.index(case)])


def given_refs_after(db, case):
    """The describe's before and the cases up to ``case`` (one of REFS), included."""
    return given_references_many(db, *REFS[:REFS.index(case) + 1])


def test_relations__references_many__can_be_declared(db):
    m = given_refs_before(db, refs_can_be_declared)
    refs_can_be_declared(m)


def test_relations__references_many__should_setup_test_records(db):
    m = given_refs_before(db, refs_should_setup_test_records)
    refs_should_setup_test_records(m)


def test_relations__references_many__should_create_record_on_scope(db):
    m = given_refs_before(db, refs_should_create_record_on_scope)
    refs_should_create_record_on_scope(m)


def test_relations__references_many__should_not_allow_duplicate_record_on_scope(db):
    m = given_refs_after(db, refs_should_create_record_on_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    cat.jobIds = [m.job2.id, m.job2.id]
    out = callback_outcome(cat.save)
    assert out.err is not None
    assert out.err.name == 'ValidationError'
    assert out.err.details['codes']['jobs'] == ['uniqueness']


def test_relations__references_many__should_find_items_on_scope(db):
    m = given_refs_after(db, refs_should_create_record_on_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == m.job2.id
    jobs = ok(cat.jobs)
    p = jobs[0]
    assert p.id == m.job2.id
    assert p.name == 'Job 2'


def test_relations__references_many__should_find_items_on_scope_findbyid(db):
    m = given_refs_after(db, refs_should_create_record_on_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == m.job2.id
    p = ok(cat.jobs.findById, m.job2.id)
    assert isinstance(p, m.Job)
    assert p.id == m.job2.id
    assert p.name == 'Job 2'


def test_relations__references_many__should_check_if_a_record_exists_on_scope(db):
    m = given_refs_after(db, refs_should_create_record_on_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    exists = ok(cat.jobs.exists, m.job2.id)
    assert exists is not None


def test_relations__references_many__should_update_a_record_on_scope(db):
    m = given_refs_before(db, refs_should_update_a_record_on_scope)
    refs_should_update_a_record_on_scope(m)


def test_relations__references_many__should_get_a_record_by_index_at(db):
    m = given_refs_after(db, refs_should_update_a_record_on_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    p = ok(cat.jobs.at, 0)
    assert isinstance(p, m.Job)
    assert p.id == m.job2.id
    assert p.name == 'Job 2 - edit'


def test_relations__references_many__should_add_a_record_to_scope_object(db):
    m = given_refs_before(db, refs_should_add_a_record_to_scope_object)
    refs_should_add_a_record_to_scope_object(m)


def test_relations__references_many__should_add_a_record_to_scope_object_2(db):
    m = given_refs_before(db, refs_should_add_a_record_to_scope_object_2)
    refs_should_add_a_record_to_scope_object_2(m)


def test_relations__references_many__should_find_items_on_scope_findbyid_2(db):
    m = given_refs_after(db, refs_should_add_a_record_to_scope_object_2)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    p = ok(cat.jobs.findById, m.job3.id)
    assert p.id == m.job3.id
    assert p.name == 'Job 3'


def test_relations__references_many__should_find_items_on_scope_filter(db):
    m = given_refs_after(db, refs_should_add_a_record_to_scope_object_2)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    flt = {'where': {'name': 'Job 1'}}
    jobs = ok(cat.jobs, flt)
    assert len(jobs) == 1
    p = jobs[0]
    assert p.id == m.job1.id
    assert p.name == 'Job 1'


def test_relations__references_many__should_remove_items_from_scope(db):
    m = given_refs_before(db, refs_should_remove_items_from_scope)
    refs_should_remove_items_from_scope(m)


def test_relations__references_many__should_find_items_on_scope_verify(db):
    m = given_refs_after(db, refs_should_remove_items_from_scope)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    expected = [m.job2.id, m.job3.id]
    assert cat.jobIds[0] == expected[0]
    assert cat.jobIds[1] == expected[1]
    jobs = ok(cat.jobs)
    assert len(jobs) == 2
    assert jobs[0].id == m.job2.id
    assert jobs[1].id == m.job3.id


def test_relations__references_many__should_find_items_on_scope_and_ordered_them_by_name_desc(db):
    it_if(db, capability(db, 'adhocSort') is not False,
          'should find items on scope and ordered them by name DESC')
    m = given_refs_after(db, refs_should_remove_items_from_scope)
    err, (categories,), _ = callback_outcome(m.Category.find)
    assert len(categories) == 1
    jobs = ok(categories[0].jobs, {'order': 'name DESC'})
    assert len(jobs) == 2
    assert jobs[0].id == m.job3.id
    assert jobs[1].id == m.job2.id


def test_relations__references_many__should_allow_custom_scope_methods_reverse(db):
    m = given_refs_before(db, refs_should_allow_custom_scope_methods_reverse)
    refs_should_allow_custom_scope_methods_reverse(m)


def test_relations__references_many__should_allow_custom_scope_methods_reverse_2(db):
    it_if(db, capability(db, 'adhocSort') is False,
          'should allow custom scope methods - reverse')
    m = given_refs_before(db, refs_should_allow_custom_scope_methods_reverse)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    err, (ids,), _ = callback_outcome(cat.jobs.reverse)
    expected = [m.job3.id, m.job2.id]
    assert ids[0] in expected
    assert ids[1] in expected
    assert cat.jobIds[0] in expected
    assert cat.jobIds[1] in expected


def test_relations__references_many__should_include_related_items_from_scope(db):
    it_if(db, capability(db, 'supportInclude') is True,
          'should include related items from scope')
    m = given_refs_after(db, refs_should_allow_custom_scope_methods_reverse)
    err, (categories,), _ = callback_outcome(m.Category.find, {'include': 'jobs'})
    assert len(categories) == 1
    cat = categories[0].toObject()
    assert cat['name'] == 'Category A'
    assert len(cat['jobs']) == 2
    assert cat['jobs'][0]['id'] == m.job3.id
    assert cat['jobs'][1]['id'] == m.job2.id


def test_relations__references_many__should_destroy_items_from_scope_destroybyid(db):
    m = given_refs_before(db, refs_should_destroy_items_from_scope_destroybyid)
    refs_should_destroy_items_from_scope_destroybyid(m)


def test_relations__references_many__should_find_items_on_scope_verify_2(db):
    m = given_refs_after(db, refs_should_destroy_items_from_scope_destroybyid)
    err, (cat,), _ = callback_outcome(m.Category.findOne)
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == m.job3.id
    jobs = ok(cat.jobs)
    assert len(jobs) == 1
    assert jobs[0].id == m.job3.id


def test_relations__references_many__should_setup_test_records_with_promises(db):
    m = given_refs_before(db, refs_should_setup_test_records_with_promises)
    refs_should_setup_test_records_with_promises(m)


def test_relations__references_many__should_create_record_on_scope_with_promises(db):
    m = given_refs_before(db, refs_should_create_record_on_scope_with_promises)
    refs_should_create_record_on_scope_with_promises(m)


def test_relations__references_many__should_not_allow_duplicate_record_on_scope_with_promises(db):
    m = given_refs_after(db, refs_should_create_record_on_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    cat.jobIds = [m.job2.id, m.job2.id]
    err = rejection(cat.save())
    assert err.name == 'ValidationError'
    assert err.details['codes']['jobs'] == ['uniqueness']


def test_relations__references_many__should_find_items_on_scope_with_promises(db):
    it_if(db, capability(db, 'adhocSort') is not False,
          'should find items on scope with promises')
    m = given_refs_after(db, refs_should_create_record_on_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    assert list(cat.jobIds) == [m.job2.id]
    jobs = lb.await_(cat.jobs.find())
    p = jobs[0]
    assert p.id == m.job2.id
    assert p.name == 'Job 2'


def test_relations__references_many__should_find_items_on_scope_with_promises_2(db):
    it_if(db, capability(db, 'adhocSort') is False,
          'should find items on scope with promises')
    m = given_refs_after(db, refs_should_create_record_on_scope_with_promises)
    the_expected_ids = [m.job1.id, m.job2.id, m.job3.id]
    the_expected_names = ['Job 1', 'Job 2', 'Job 3']
    cat = lb.await_(m.Category.findOne())
    assert cat.jobIds[0] in the_expected_ids
    jobs = lb.await_(cat.jobs.find())
    p = jobs[0]
    assert p.id in the_expected_ids
    assert p.name in the_expected_names


def test_relations__references_many__should_find_items_on_scope_with_promises_findbyid(db):
    m = given_refs_after(db, refs_should_create_record_on_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    assert len(cat.jobIds) == 1
    assert cat.jobIds[0] == m.job2.id
    p = lb.await_(cat.jobs.findById(m.job2.id))
    assert isinstance(p, m.Job)
    assert p.id == m.job2.id
    assert p.name == 'Job 2'


def test_relations__references_many__should_check_if_a_record_exists_on_scope_with_promises(db):
    m = given_refs_after(db, refs_should_create_record_on_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    exists = lb.await_(cat.jobs.exists(m.job2.id))
    assert exists is not None


def test_relations__references_many__should_update_a_record_on_scope_with_promises(db):
    m = given_refs_before(db, refs_should_update_a_record_on_scope_with_promises)
    refs_should_update_a_record_on_scope_with_promises(m)


def test_relations__references_many__should_get_a_record_by_index_with_promises_at(db):
    m = given_refs_after(db, refs_should_update_a_record_on_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    p = lb.await_(cat.jobs.at(0))
    assert isinstance(p, m.Job)
    assert p.id == m.job2.id
    assert p.name == 'Job 2 - edit'


def test_relations__references_many__should_add_a_record_to_scope_with_promises_object(db):
    m = given_refs_before(db, refs_should_add_a_record_to_scope_with_promises_object)
    refs_should_add_a_record_to_scope_with_promises_object(m)


def test_relations__references_many__should_add_a_record_to_scope_with_promises_object_2(db):
    m = given_refs_before(db, refs_should_add_a_record_to_scope_with_promises_object_2)
    refs_should_add_a_record_to_scope_with_promises_object_2(m)


def test_relations__references_many__should_find_items_on_scope_with_promises_findbyid_2(db):
    m = given_refs_after(db, refs_should_add_a_record_to_scope_with_promises_object_2)
    cat = lb.await_(m.Category.findOne())
    p = lb.await_(cat.jobs.findById(m.job3.id))
    assert p.id == m.job3.id
    assert p.name == 'Job 3'


def test_relations__references_many__should_find_items_on_scope_with_promises_filter(db):
    m = given_refs_after(db, refs_should_add_a_record_to_scope_with_promises_object_2)
    cat = lb.await_(m.Category.findOne())
    jobs = lb.await_(cat.jobs.find({'where': {'name': 'Job 1'}}))
    assert len(jobs) == 1
    p = jobs[0]
    assert p.id == m.job1.id
    assert p.name == 'Job 1'


def test_relations__references_many__should_remove_items_from_scope_with_promises(db):
    m = given_refs_before(db, refs_should_remove_items_from_scope_with_promises)
    refs_should_remove_items_from_scope_with_promises(m)


def test_relations__references_many__should_find_items_on_scope_with_promises_verify(db):
    m = given_refs_after(db, refs_should_remove_items_from_scope_with_promises)
    cat = lb.await_(m.Category.findOne())
    expected = [m.job2.id, m.job3.id]
    assert len(cat.jobIds) == len(expected)
    assert contain_deep(cat.jobIds, expected)
    jobs = lb.await_(cat.jobs.find())
    assert len(jobs) == 2
    assert jobs[0].id == m.job2.id
    assert jobs[1].id == m.job3.id


def test_relations__references_many__should_find_items_on_scope_and_ordered_them_by_name_desc_2(db):
    it_if(db, capability(db, 'adhocSort') is not False,
          'should find items on scope and ordered them by name DESC')
    m = given_refs_after(db, refs_should_remove_items_from_scope_with_promises)
    categories = lb.await_(m.Category.find())
    assert len(categories) == 1
    jobs = lb.await_(categories[0].jobs.find({'order': 'name DESC'}))
    assert len(jobs) == 2
    assert jobs[0].id == m.job3.id
    assert jobs[1].id == m.job2.id


def test_relations__references_many__should_allow_custom_scope_methods_with_promises_reverse(db):
    m = given_refs_before(db, refs_should_allow_custom_scope_methods_with_promises_reverse)
    refs_should_allow_custom_scope_methods_with_promises_reverse(m)


def test_relations__references_many__should_include_related_items_from_scope_with_promises(db):
    it_if(db, capability(db, 'adhocSort') is True and capability(db, 'supportInclude') is True,
          'should include related items from scope with promises')
    m = given_refs_after(db, refs_should_allow_custom_scope_methods_with_promises_reverse)
    categories = lb.await_(m.Category.find({'include': 'jobs'}))
    assert len(categories) == 1
    cat = categories[0].toObject()
    assert cat['name'] == 'Category A'
    assert len(cat['jobs']) == 2
    assert cat['jobs'][0]['id'] == m.job3.id
    assert cat['jobs'][1]['id'] == m.job2.id


def test_relations__references_many__should_destroy_items_from_scope_with_promises_destroybyid(db):
    m = given_refs_before(db, refs_should_destroy_items_from_scope_with_promises_destroybyid)
    refs_should_destroy_items_from_scope_with_promises_destroybyid(m)


def test_relations__references_many__should_find_items_on_scope_with_promises_verify_2(db):
    m = given_refs_after(db, refs_should_destroy_items_from_scope_with_promises_destroybyid)
    cat = lb.await_(m.Category.findOne())
    expected = [m.job3.id]
    assert len(cat.jobIds) == len(expected)
    assert contain_deep(cat.jobIds, expected)
    jobs = lb.await_(cat.jobs.find())
    assert len(jobs) == 1
    assert jobs[0].id == m.job3.id


# ---------------------------------------------------------------------------
# relations / embedsOne ... embedsMany - polymorphic relations (issue 19, embeds)
#
# juggler's describes use ``getTransientDataSource(settings)`` (a transient
# data source on ``db``'s model builder) for the embedded models, and from
# 'embedsOne - persisted model' on, the ``db`` variable is a memory data
# source (``getMemoryDataSource()``).  The two 'persisted model' describes
# build that memory data source themselves and so run on memory only; the
# others run on the ``db`` fixture (memory, SQLite, PostgreSQL), which asks
# more of the port than juggler's own run.  A juggler ``List``'s
# ``toObject()`` is ``[item.toObject() for item in items]`` here (a Python
# list).



def is_hex24(value):
    """``value.should.match(/^[0-9a-fA-F]{24}$/)``."""
    return isinstance(value, str) and len(value) == 24 and \
        all(c in '0123456789abcdefABCDEF' for c in value)


def transient_ds(db, settings=None):
    """juggler's getTransientDataSource(settings): db's model builder."""
    return lb.DataSource('transient', settings, db.modelBuilder)


def assert_validation_error(err):
    assert err is not None
    assert err.name == 'ValidationError'


# -- relations / embedsOne -------------------------------------------------------

def given_embeds_one(db, *cases):
    m = Models(db)
    m.tmp = transient_ds(db)
    m.Person = db.define('Person', {'name': str})
    m.Passport = m.tmp.define('Passport', {'name': {'type': 'string', 'required': True}},
                              {'idInjection': False})
    m.Address = m.tmp.define('Address', {'street': str}, {'idInjection': False})
    m.Other = db.define('Other', {'name': str})
    m.Person.embedsOne(m.Passport, {
        'default': {'name': 'Anonymous'},   # a bit contrived
        'methods': {'check': lambda: True},
        'options': {'property': {'postgresql': {'columnName': 'passport_item'}}},
    })
    replay(m, *cases)
    return m


def embeds_one_can_be_declared(m):
    m.Person.embedsOne(m.Address)   # all by default
    ok(m.db.automigrate, ['Person'])


def embeds_one_setup_custom_method(m):
    rel = m.Person.relations['passportItem']
    rel.defineMethod('other', lambda: True)


def embeds_one_create_on_scope(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    m.personId = p.id
    ok(p.passportItem.create, {'name': 'Fredric'})
    assert p.passport.toObject() == {'name': 'Fredric'}
    assert isinstance(p.passport, m.Passport)


def embeds_one_update_on_scope(m):
    p = ok(m.Person.findById, m.personId)
    ok(p.passportItem.update, {'name': 'Freddy'})
    passport = p.passportItem()
    assert passport.toObject() == {'name': 'Freddy'}
    assert isinstance(passport, m.Passport)
    assert passport is p.passport


def embeds_one_destroy_on_scope(m):
    p = ok(m.Person.findById, m.personId)
    err = callback_outcome(p.passportItem.destroy).err
    assert err is None, err
    assert p.passport is None


def embeds_one_create_with_promises(m):
    p = lb.await_(m.Person.create({'name': 'Fred'}))
    m.personId = p.id
    lb.await_(p.passportItem.create({'name': 'Fredric'}))
    assert p.passport.toObject() == {'name': 'Fredric'}
    assert isinstance(p.passport, m.Passport)


def embeds_one_update_with_promises(m):
    p = lb.await_(m.Person.findById(m.personId))
    lb.await_(p.passportItem.update({'name': 'Jason'}))
    passport = p.passportItem()
    assert passport.toObject() == {'name': 'Jason'}
    assert isinstance(passport, m.Passport)
    assert passport is p.passport


def embeds_one_destroy_with_promises(m):
    p = lb.await_(m.Person.findById(m.personId))
    lb.await_(p.passportItem.destroy())
    assert p.passport is None


def embeds_one_save_embedded_directly(m):
    # Passport should normally have an id for the direct save to work. For now override the check
    original_has_pk = m.Passport.definition.hasPK
    m.Passport.definition.hasPK = lambda: True
    try:
        p = lb.await_(m.Person.findById(m.personId))
        passport = lb.await_(p.passportItem.create({'name': 'Mitsos'}))
        passport.name = 'Jim'
        lb.await_(passport.save())
        person = lb.await_(m.Person.findById(m.personId))
        assert person.passportItem().toObject() == {'name': 'Jim'}
    finally:
        m.Passport.definition.hasPK = original_has_pk


def test_relations__embeds_one__can_be_declared_using_embeds_one_method(db):
    m = given_embeds_one(db)
    embeds_one_can_be_declared(m)


def test_relations__embeds_one__should_have_setup_a_property_and_accessor(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person()
    assert isinstance(p.passport, m.Passport)   # because of default
    assert callable(p.passportItem)
    assert callable(p.passportItem.create)
    assert callable(p.passportItem.build)
    assert callable(p.passportItem.destroy)


def test_relations__embeds_one__respects_property_options_on_the_embedded_property(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    assert 'postgresql' in m.Person.definition.properties['passport']
    assert m.Person.definition.properties['passport']['postgresql'] == \
        {'columnName': 'passport_item'}


def test_relations__embeds_one__should_setup_a_custom_method_on_accessor(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    embeds_one_setup_custom_method(m)


def test_relations__embeds_one__should_have_setup_a_custom_method_on_accessor(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_setup_custom_method)
    p = m.Person()
    assert callable(p.passportItem.check)
    assert p.passportItem.check() is True
    assert callable(p.passportItem.other)
    assert p.passportItem.other() is True


def test_relations__embeds_one__should_behave_properly_without_default_or_being_set(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person()
    assert p.address is None
    assert p.addressItem() is None
    p = ok(m.Person.create, {})
    assert p.address is None
    assert p.addressItem() is None


def test_relations__embeds_one__should_return_an_instance_with_default_values(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person()
    assert p.passport.toObject() == {'name': 'Anonymous'}
    assert p.passportItem() is p.passport
    out = callback_outcome(p.passportItem)
    assert out.err is None
    assert out.result is p.passport


def test_relations__embeds_one__should_embed_a_model_instance(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person()
    p.passportItem(m.Passport({'name': 'Fred'}))
    assert p.passport.toObject() == {'name': 'Fred'}
    assert isinstance(p.passport, m.Passport)


def test_relations__embeds_one__should_not_embed_an_invalid_model_type(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person()
    p.passportItem(m.Other())
    assert p.passport.toObject() == {'name': 'Anonymous'}
    assert isinstance(p.passport, m.Passport)


def test_relations__embeds_one__should_create_an_embedded_item_on_scope(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    embeds_one_create_on_scope(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope)
    p = ok(m.Person.findById, m.personId)
    passport = p.passportItem()
    assert passport.toObject() == {'name': 'Fredric'}
    assert isinstance(passport, m.Passport)
    assert passport is p.passport
    assert passport is p.passportItem.value()


def test_relations__embeds_one__should_validate_an_embedded_item_on_scope_on_creation(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person({'name': 'Fred'})
    err = callback_outcome(p.passportItem.create, {}).err
    assert_validation_error(err)
    assert err.details['messages']['name'] == ["can't be blank"]


def test_relations__embeds_one__should_validate_an_embedded_item_on_scope_on_update(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope)
    p = ok(m.Person.findById, m.personId)
    passport = p.passportItem()
    passport.name = None
    err = callback_outcome(p.save).err
    assert_validation_error(err)
    assert err.details['messages']['passportItem'] == ["is invalid: `name` can't be blank"]


def test_relations__embeds_one__should_update_an_embedded_item_on_scope(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope)
    embeds_one_update_on_scope(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope_verify(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope,
                         embeds_one_update_on_scope)
    p = ok(m.Person.findById, m.personId)
    assert p.passportItem().toObject() == {'name': 'Freddy'}


def test_relations__embeds_one__should_destroy_an_embedded_item_on_scope(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope,
                         embeds_one_update_on_scope)
    embeds_one_destroy_on_scope(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope_verify_2(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_on_scope,
                         embeds_one_update_on_scope, embeds_one_destroy_on_scope)
    p = ok(m.Person.findById, m.personId)
    assert p.passport is None


def test_relations__embeds_one__should_save_an_unsaved_model(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person({'name': 'Fred'})
    assert p.isNewRecord() is True
    passport = ok(p.passportItem.create, {'name': 'Fredric'})
    assert p.passport is passport
    assert p.isNewRecord() is False


def test_relations__embeds_one__should_create_an_embedded_item_on_scope_with_promises(db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    embeds_one_create_with_promises(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope_with_promises(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises)
    p = lb.await_(m.Person.findById(m.personId))
    passport = p.passportItem()
    assert passport.toObject() == {'name': 'Fredric'}
    assert isinstance(passport, m.Passport)
    assert passport is p.passport
    assert passport is p.passportItem.value()


def test_relations__embeds_one__should_validate_an_embedded_item_on_scope_with_promises_on_creation(
        db):
    m = given_embeds_one(db, embeds_one_can_be_declared)
    p = m.Person({'name': 'Fred'})
    err = rejection(p.passportItem.create({}))
    assert_validation_error(err)
    assert err.details['messages']['name'] == ["can't be blank"]


def test_relations__embeds_one__should_validate_an_embedded_item_on_scope_with_promises_on_update(
        db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises)
    p = lb.await_(m.Person.findById(m.personId))
    passport = p.passportItem()
    passport.name = None
    err = rejection(p.save())
    assert_validation_error(err)
    assert err.details['messages']['passportItem'] == ["is invalid: `name` can't be blank"]


def test_relations__embeds_one__should_update_an_embedded_item_on_scope_with_promises(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises)
    embeds_one_update_with_promises(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope_with_promises_verify(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises,
                         embeds_one_update_with_promises)
    p = lb.await_(m.Person.findById(m.personId))
    assert p.passportItem().toObject() == {'name': 'Jason'}


def test_relations__embeds_one__should_destroy_an_embedded_item_on_scope_with_promises(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises,
                         embeds_one_update_with_promises)
    embeds_one_destroy_with_promises(m)


def test_relations__embeds_one__should_get_an_embedded_item_on_scope_with_promises_verify_2(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises,
                         embeds_one_update_with_promises, embeds_one_destroy_with_promises)
    p = lb.await_(m.Person.findById(m.personId))
    assert p.passport is None


def test_relations__embeds_one__should_also_save_changes_when_directly_saving_the_embedded_model(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises,
                         embeds_one_destroy_with_promises)
    embeds_one_save_embedded_directly(m)


def test_relations__embeds_one__should_delete_the_embedded_document_and_also_update_parent(db):
    m = given_embeds_one(db, embeds_one_can_be_declared, embeds_one_create_with_promises,
                         embeds_one_destroy_with_promises, embeds_one_save_embedded_directly)
    original_has_pk = m.Passport.definition.hasPK
    m.Passport.definition.hasPK = lambda: True
    try:
        p = lb.await_(m.Person.findById(m.personId))
        lb.await_(p.passportItem().destroy())
        person = lb.await_(m.Person.findById(m.personId))
        assert 'passport' in person.toObject(False)
        assert person.passport is None
    finally:
        m.Passport.definition.hasPK = original_has_pk


# -- relations / embedsOne - persisted model -------------------------------------
# (juggler builds this describe's memory data source itself: memory only)

def given_embeds_one_persisted(*cases):
    db = lb.DataSource('memory')
    m = Models(db)
    m.Person = db.define('Person', {'name': str})
    m.Passport = db.define('Passport', {'name': {'type': 'string', 'required': True}})
    replay(m, *cases)
    return m


def embeds_one_persisted_declared(m):
    m.Person.embedsOne(m.Passport, {'options': {'persistent': True}})
    ok(m.db.automigrate, ['Person', 'Passport'])


def embeds_one_persisted_offset_id(m):
    p = ok(m.Passport.create, {'name': 'Wilma'})
    assert p.id == 1
    assert p.name == 'Wilma'


def embeds_one_persisted_create_on_scope(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    ok(p.passportItem.create, {'name': 'Fredric'})
    assert p.passport.id == 2
    assert p.passport.name == 'Fredric'


def test_relations__embeds_one_persisted_model__can_be_declared_using_embeds_one_method():
    m = given_embeds_one_persisted()
    embeds_one_persisted_declared(m)


def test_relations__embeds_one_persisted_model__should_create_an_item_to_offset_id():
    m = given_embeds_one_persisted(embeds_one_persisted_declared)
    embeds_one_persisted_offset_id(m)


def test_relations__embeds_one_persisted_model__should_create_an_embedded_item_on_scope():
    m = given_embeds_one_persisted(embeds_one_persisted_declared, embeds_one_persisted_offset_id)
    embeds_one_persisted_create_on_scope(m)


def test_relations__embeds_one_persisted_model__should_create_an_embedded_item_on_scope_with_promises():
    m = given_embeds_one_persisted(embeds_one_persisted_declared, embeds_one_persisted_offset_id,
                                   embeds_one_persisted_create_on_scope)
    p = lb.await_(m.Person.create({'name': 'Barney'}))
    lb.await_(p.passportItem.create({'name': 'Barnabus'}))
    assert p.passport.id == 3
    assert p.passport.name == 'Barnabus'


# -- relations / embedsOne - generated id ------------------------------------------

def given_embeds_one_generated_id(db):
    m = Models(db)
    m.tmp = transient_ds(db)
    m.Person = db.define('Person', {'name': str})
    m.Passport = m.tmp.define('Passport', {
        'id': {'type': 'string', 'id': True, 'generated': True},
        'name': {'type': 'string', 'required': True},
    })
    return m


def embeds_one_generated_id_declared(m):
    m.Person.embedsOne(m.Passport)
    ok(m.db.automigrate, ['Person'])


def test_relations__embeds_one_generated_id__can_be_declared_using_embeds_one_method(db):
    m = given_embeds_one_generated_id(db)
    embeds_one_generated_id_declared(m)


def test_relations__embeds_one_generated_id__should_create_an_embedded_item_on_scope(db):
    m = given_embeds_one_generated_id(db)
    embeds_one_generated_id_declared(m)
    p = ok(m.Person.create, {'name': 'Fred'})
    passport = ok(p.passportItem.create, {'name': 'Fredric'})
    assert is_hex24(passport.id)
    assert p.passport.name == 'Fredric'


# -- relations / embedsMany -------------------------------------------------------

def given_embeds_many(db, *cases):
    m = Models(db)
    m.tmp = transient_ds(db, {'defaultIdType': 'number'})
    m.Person = db.define('Person', {'name': str})
    m.Address = m.tmp.define('Address', {'street': str})
    m.Address.validatesPresenceOf('street')
    ok(db.automigrate, ['Person'])
    replay(m, *cases)
    return m


def embeds_many_declared(m):
    m.Person.embedsMany(m.Address, {
        'options': {'property': {'postgresql': {'dataType': 'json'}}},
    })
    ok(m.db.automigrate, ['Person'])


def embeds_many_create_street_1(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    address = ok(p.addressList.create, {'street': 'Street 1'})
    m.address1 = address
    assert m.address1.id is not None
    assert m.address1.street == 'Street 1'


def embeds_many_create_street_2(m):
    p = ok(m.Person.findOne)
    address = ok(p.addressList.create, {'street': 'Street 2'})
    m.address2 = address
    assert m.address2.id is not None
    assert m.address2.street == 'Street 2'


def embeds_many_update_by_id(m):
    p = ok(m.Person.findOne)
    address = ok(p.addressList.updateById, m.address2.id, {'street': 'New Street'})
    assert isinstance(address, m.Address)
    assert address.id == m.address2.id
    assert address.street == 'New Street'


def embeds_many_remove_by_id(m):
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 2
    err = callback_outcome(p.addressList.destroy, m.address1.id).err
    assert err is None, err
    assert len(p.addresses) == 1


def verify_options(ctx, next_):
    if not ctx.options or not ctx.options.get('verify'):
        return next_(Exception('options or options.verify is missing'))
    return next_()


def embeds_many_options_removed_by_id(m):
    m.Person.observe('before save', verify_options)
    try:
        p = ok(m.Person.findOne)
        address = ok(p.addressList.create, {'street': 'options 1'}, {'verify': True})
        err = callback_outcome(p.addressList.destroy, address.id, {'verify': True}).err
        assert err is None, err
        verify = ok(m.Person.findById, p.id)
        assert len(verify.addresses) == 1
    finally:
        m.Person.clearObservers('before save')


def embeds_many_options_removed_by_where(m):
    m.Person.observe('before save', verify_options)
    try:
        p = ok(m.Person.findOne)
        ok(p.addressList.create, {'street': 'options 2'}, {'verify': True})
        err = callback_outcome(p.addressList.destroyAll, {'street': 'options 2'},
                               {'verify': True}).err
        assert err is None, err
        verify = ok(m.Person.findById, p.id)
        assert len(verify.addresses) == 1
    finally:
        m.Person.clearObservers('before save')


def embeds_many_create_street_3(m):
    p = ok(m.Person.findOne)
    address = ok(p.addressList.create, {'street': 'Street 3'})
    assert address.street == 'Street 3'


def embeds_many_remove_filtered(m):
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 2
    err = callback_outcome(p.addressList.destroyAll, {'street': 'Street 3'}).err
    assert err is None, err
    assert len(p.addresses) == 1


def embeds_many_remove_all(m):
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 1
    err = callback_outcome(p.addressList.destroyAll).err
    assert err is None, err
    assert len(p.addresses) == 0


EMBEDS_MANY_TWO = (embeds_many_declared, embeds_many_create_street_1, embeds_many_create_street_2)
EMBEDS_MANY_REMOVED = EMBEDS_MANY_TWO + (embeds_many_update_by_id, embeds_many_remove_by_id)
EMBEDS_MANY_STREET_3 = EMBEDS_MANY_REMOVED + (embeds_many_options_removed_by_id,
                                              embeds_many_options_removed_by_where,
                                              embeds_many_create_street_3)


def test_relations__embeds_many__can_be_declared(db):
    m = given_embeds_many(db)
    embeds_many_declared(m)


def test_relations__embeds_many__should_have_setup_embedded_accessor_scope(db):
    m = given_embeds_many(db, embeds_many_declared)
    p = m.Person({'name': 'Fred'})
    assert isinstance(p.addresses, list)
    assert len(p.addresses) == 0
    assert callable(p.addressList)
    assert callable(p.addressList.findById)
    assert callable(p.addressList.updateById)
    assert callable(p.addressList.destroy)
    assert callable(p.addressList.exists)
    assert callable(p.addressList.create)
    assert callable(p.addressList.build)


def test_relations__embeds_many__should_create_embedded_items_on_scope(db):
    m = given_embeds_many(db, embeds_many_declared)
    embeds_many_create_street_1(m)


def test_relations__embeds_many__respects_property_options_on_the_embedded_property(db):
    m = given_embeds_many(db, embeds_many_declared, embeds_many_create_street_1)
    assert 'postgresql' in m.Person.definition.properties['addresses']
    assert m.Person.definition.properties['addresses']['postgresql'] == {'dataType': 'json'}


def test_relations__embeds_many__should_create_embedded_items_on_scope_2(db):
    m = given_embeds_many(db, embeds_many_declared, embeds_many_create_street_1)
    embeds_many_create_street_2(m)


def test_relations__embeds_many__should_return_embedded_items_from_scope(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    p = ok(m.Person.findOne)
    addresses = ok(p.addressList)
    lst = p.addressList()
    assert lst is addresses
    assert lst is p.addresses
    assert p.addressList.value() is lst
    assert len(addresses) == 2
    assert addresses[0].id == m.address1.id
    assert addresses[0].street == 'Street 1'
    assert addresses[1].id == m.address2.id
    assert addresses[1].street == 'Street 2'


def test_relations__embeds_many__should_filter_embedded_items_on_scope(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    p = ok(m.Person.findOne)
    addresses = ok(p.addressList, {'where': {'street': 'Street 2'}})
    assert len(addresses) == 1
    assert addresses[0].id == m.address2.id
    assert addresses[0].street == 'Street 2'


def test_relations__embeds_many__should_validate_embedded_items(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    p = ok(m.Person.findOne)
    out = callback_outcome(p.addressList.create, {})
    assert out.result is None
    assert_validation_error(out.err)
    assert out.err.details['codes']['street'] == ['presence']


def test_relations__embeds_many__should_find_embedded_items_by_id(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    p = ok(m.Person.findOne)
    address = ok(p.addressList.findById, m.address2.id)
    assert isinstance(address, m.Address)
    assert address.id == m.address2.id
    assert address.street == 'Street 2'


def test_relations__embeds_many__should_check_if_item_exists(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    p = ok(m.Person.findOne)
    assert ok(p.addressList.exists, m.address2.id) is True


def test_relations__embeds_many__should_update_embedded_items_by_id(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO)
    embeds_many_update_by_id(m)


def test_relations__embeds_many__should_validate_the_update_of_embedded_items(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO, embeds_many_update_by_id)
    p = ok(m.Person.findOne)
    err = callback_outcome(p.addressList.updateById, m.address2.id, {'street': None}).err
    assert_validation_error(err)
    assert err.details['codes']['street'] == ['presence']


def test_relations__embeds_many__should_find_embedded_items_by_id_verify(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO, embeds_many_update_by_id)
    p = ok(m.Person.findOne)
    address = ok(p.addressList.findById, m.address2.id)
    assert isinstance(address, m.Address)
    assert address.id == m.address2.id
    assert address.street == 'New Street'


def test_relations__embeds_many__should_have_accessors_at_get_set(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO, embeds_many_update_by_id)
    p = ok(m.Person.findOne)
    assert p.addressList.at(0).id == m.address1.id
    assert p.addressList.get(m.address1.id).id == m.address1.id
    p.addressList.set(m.address1.id, {'street': 'Changed 1'})
    assert p.addresses[0].street == 'Changed 1'
    assert p.addressList.at(1).id == m.address2.id
    assert p.addressList.get(m.address2.id).id == m.address2.id
    p.addressList.set(m.address2.id, {'street': 'Changed 2'})
    assert p.addresses[1].street == 'Changed 2'


def test_relations__embeds_many__should_remove_embedded_items_by_id(db):
    m = given_embeds_many(db, *EMBEDS_MANY_TWO, embeds_many_update_by_id)
    embeds_many_remove_by_id(m)


def test_relations__embeds_many__should_have_removed_embedded_items_verify(db):
    m = given_embeds_many(db, *EMBEDS_MANY_REMOVED)
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 1


def test_relations__embeds_many__should_pass_options_when_removed_by_id(db):
    m = given_embeds_many(db, *EMBEDS_MANY_REMOVED)
    embeds_many_options_removed_by_id(m)


def test_relations__embeds_many__should_pass_options_when_removed_by_where(db):
    m = given_embeds_many(db, *EMBEDS_MANY_REMOVED, embeds_many_options_removed_by_id)
    embeds_many_options_removed_by_where(m)


def test_relations__embeds_many__should_create_embedded_items_on_scope_3(db):
    m = given_embeds_many(db, *EMBEDS_MANY_REMOVED, embeds_many_options_removed_by_id,
                          embeds_many_options_removed_by_where)
    embeds_many_create_street_3(m)


def test_relations__embeds_many__should_remove_embedded_items_filtered(db):
    m = given_embeds_many(db, *EMBEDS_MANY_STREET_3)
    embeds_many_remove_filtered(m)


def test_relations__embeds_many__should_remove_all_embedded_items(db):
    m = given_embeds_many(db, *EMBEDS_MANY_STREET_3, embeds_many_remove_filtered)
    embeds_many_remove_all(m)


def test_relations__embeds_many__should_have_removed_all_embedded_items_verify(db):
    m = given_embeds_many(db, *EMBEDS_MANY_STREET_3, embeds_many_remove_filtered,
                          embeds_many_remove_all)
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 0


def test_relations__embeds_many__should_save_an_unsaved_model(db):
    m = given_embeds_many(db, embeds_many_declared)
    p = m.Person({'name': 'Fred'})
    assert p.isNewRecord() is True
    address = ok(p.addressList.create, {'street': 'Street 4'})
    assert address.street == 'Street 4'
    assert p.isNewRecord() is False


# -- relations / embedsMany - omit default value for embedded item -------------------

def given_embeds_many_omit_default(db, *cases):
    m = Models(db)
    m.tmp = transient_ds(db, {'defaultIdType': 'number'})
    m.Person = db.define('Person', {'name': str})
    m.Address = m.tmp.define('Address', {'street': str})
    m.Address.validatesPresenceOf('street')
    ok(db.automigrate, ['Person'])
    replay(m, *cases)
    return m


def omit_default_declared(m):
    m.Person.embedsMany(m.Address, {'options': {
        'omitDefaultEmbeddedItem': True,
        'property': {'postgresql': {'dataType': 'json'}},
    }})
    ok(m.db.automigrate, ['Person'])


def omit_default_create_on_scope(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    address = ok(p.addressList.create, {'street': 'Street 1'})
    assert address.id is not None
    assert address.street == 'Street 1'
    assert isinstance(p.addresses, list)
    assert len(p.addresses) == 1


def test_relations__embeds_many_omit_default_value_for_embedded_item__can_be_declared(db):
    m = given_embeds_many_omit_default(db)
    omit_default_declared(m)


def test_relations__embeds_many_omit_default_value_for_embedded_item__should_not_set_default_value_for_embedded_item(  # noqa: E501
        db):
    m = given_embeds_many_omit_default(db, omit_default_declared)
    p = m.Person({'name': 'Fred'})
    assert p.addresses is None   # juggler: the property exists, undefined
    assert 'addresses' not in p.toObject(False)


def test_relations__embeds_many_omit_default_value_for_embedded_item__should_create_embedded_items_on_scope(  # noqa: E501
        db):
    m = given_embeds_many_omit_default(db, omit_default_declared)
    omit_default_create_on_scope(m)


def test_relations__embeds_many_omit_default_value_for_embedded_item__should_build_embedded_items(db):
    m = given_embeds_many_omit_default(db, omit_default_declared, omit_default_create_on_scope)
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 1
    p.addressList.build({'id': 'home', 'street': 'Home'})
    p.addressList.build({'id': 'work', 'street': 'Work'})
    assert len(p.addresses) == 3


def test_relations__embeds_many_omit_default_value_for_embedded_item__should_not_create_embedded_from_attributes_relation_name(  # noqa: E501
        db):
    m = given_embeds_many_omit_default(db, omit_default_declared, omit_default_create_on_scope)
    addresses = [{'id': 'home', 'street': 'Home Street'}, {'id': 'work', 'street': 'Work Street'}]
    p = ok(m.Person.create, {'name': 'Wilma', 'addressList': addresses})
    assert p.addresses is None


# -- relations / embedsMany - numeric ids + forceId ------------------------------------

def test_relations__embeds_many_numeric_ids_force_id__can_be_declared(db):
    m = given_embeds_many_numeric_ids(db)
    numeric_ids_declared(m)


def given_embeds_many_numeric_ids(db):
    m = Models(db)
    m.tmp = transient_ds(db)
    m.Person = db.define('Person', {'name': str})
    m.Address = m.tmp.define('Address', {'id': {'type': 'number', 'id': True}, 'street': str})
    ok(db.automigrate, ['Person'])
    return m


def numeric_ids_declared(m):
    m.Person.embedsMany(m.Address, {'options': {'forceId': True}})
    ok(m.db.automigrate, ['Person'])


def test_relations__embeds_many_numeric_ids_force_id__should_create_embedded_items_on_scope(db):
    m = given_embeds_many_numeric_ids(db)
    numeric_ids_declared(m)
    p = ok(m.Person.create, {'name': 'Fred'})
    assert ok(p.addressList.create, {'street': 'Street 1'}).id == 1
    assert ok(p.addressList.create, {'street': 'Street 2'}).id == 2
    assert ok(p.addressList.create, {'id': 12345, 'street': 'Street 3'}).id == 3


# -- relations / embedsMany - explicit ids -------------------------------------------

def given_embeds_many_explicit_ids(db, *cases):
    m = Models(db)
    m.tmp = transient_ds(db)
    m.Person = db.define('Person', {'name': str})
    m.Address = m.tmp.define('Address', {'street': str}, {'forceId': False})
    m.Address.validatesPresenceOf('street')
    ok(db.automigrate, ['Person'])
    replay(m, *cases)
    return m


def explicit_ids_declared(m):
    m.Person.embedsMany(m.Address)
    ok(m.db.automigrate, ['Person'])


def explicit_ids_create_on_scope(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    ok(p.addressList.create, {'id': 'home', 'street': 'Street 1'})
    address = ok(p.addressList.create, {'id': 'work', 'street': 'Work Street 2'})
    assert address.id == 'work'
    assert address.street == 'Work Street 2'


def explicit_ids_remove_by_id(m):
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 2
    err = callback_outcome(p.addressList.destroy, 'home').err
    assert err is None, err
    assert len(p.addresses) == 1


def explicit_ids_build(m):
    p = ok(m.Person.create, {'name': 'Wilma'})
    p.addressList.build({'id': 'home', 'street': 'Home'})
    p.addressList.build({'id': 'work', 'street': 'Work'})
    assert len(p.addresses) == 2
    callback_outcome(p.save)


EXPLICIT_IDS = (explicit_ids_declared, explicit_ids_create_on_scope)


def test_relations__embeds_many_explicit_ids__can_be_declared(db):
    m = given_embeds_many_explicit_ids(db)
    explicit_ids_declared(m)


def test_relations__embeds_many_explicit_ids__should_create_embedded_items_on_scope(db):
    m = given_embeds_many_explicit_ids(db, explicit_ids_declared)
    explicit_ids_create_on_scope(m)


def test_relations__embeds_many_explicit_ids__should_find_embedded_items_by_id(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS)
    p = ok(m.Person.findOne)
    address = ok(p.addressList.findById, 'work')
    assert isinstance(address, m.Address)
    assert address.id == 'work'
    assert address.street == 'Work Street 2'


def test_relations__embeds_many_explicit_ids__should_check_for_duplicate_ids(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS)
    p = ok(m.Person.findOne)
    err = callback_outcome(p.addressList.create, {'id': 'home', 'street': 'Invalid'}).err
    assert_validation_error(err)
    assert err.details['codes']['addresses'] == ['uniqueness']


def test_relations__embeds_many_explicit_ids__should_update_embedded_items_by_id(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS)
    p = ok(m.Person.findOne)
    address = ok(p.addressList.updateById, 'home', {'street': 'New Street'})
    assert isinstance(address, m.Address)
    assert address.id == 'home'
    assert address.street == 'New Street'


def test_relations__embeds_many_explicit_ids__should_remove_embedded_items_by_id(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS)
    explicit_ids_remove_by_id(m)


def test_relations__embeds_many_explicit_ids__should_have_embedded_items_verify(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id)
    p = ok(m.Person.findOne)
    assert len(p.addresses) == 1


def test_relations__embeds_many_explicit_ids__should_validate_all_embedded_items(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id)
    addresses = [{'id': 'home', 'street': 'Home Street'}, {'id': 'work', 'street': ''}]
    err = callback_outcome(m.Person.create, {'name': 'Wilma', 'addresses': addresses}).err
    assert_validation_error(err)
    assert err.details['messages']['addresses'] == [
        "contains invalid item: `work` (`street` can't be blank)",
    ]


def test_relations__embeds_many_explicit_ids__should_build_embedded_items(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id)
    explicit_ids_build(m)


def test_relations__embeds_many_explicit_ids__should_have_embedded_items_verify_2(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id,
                                       explicit_ids_build)
    p = ok(m.Person.findOne, {'where': {'name': 'Wilma'}})
    assert p.name == 'Wilma'
    assert len(p.addresses) == 2
    assert p.addresses[0].id == 'home'
    assert p.addresses[0].street == 'Home'
    assert p.addresses[1].id == 'work'
    assert p.addresses[1].street == 'Work'


def test_relations__embeds_many_explicit_ids__should_have_accessors_at_get_set(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id,
                                       explicit_ids_build)
    p = ok(m.Person.findOne, {'where': {'name': 'Wilma'}})
    assert p.name == 'Wilma'
    assert len(p.addresses) == 2
    assert p.addressList.at(0).id == 'home'
    assert p.addressList.get('home').id == 'home'
    assert p.addressList.set('home', {'id': 'den'}).id == 'den'
    assert p.addressList.at(1).id == 'work'
    assert p.addressList.get('work').id == 'work'
    assert p.addressList.set('work', {'id': 'factory'}).id == 'factory'


def test_relations__embeds_many_explicit_ids__should_create_embedded_from_attributes_property_name(
        db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id,
                                       explicit_ids_build)
    addresses = [{'id': 'home', 'street': 'Home Street'}, {'id': 'work', 'street': 'Work Street'}]
    p = ok(m.Person.create, {'name': 'Wilma', 'addresses': addresses})
    assert p.addressList.at(0).id == 'home'
    assert p.addressList.at(1).id == 'work'


def test_relations__embeds_many_explicit_ids__should_not_create_embedded_from_attributes_relation_name(  # noqa: E501
        db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id,
                                       explicit_ids_build)
    addresses = [{'id': 'home', 'street': 'Home Street'}, {'id': 'work', 'street': 'Work Street'}]
    p = ok(m.Person.create, {'name': 'Wilma', 'addressList': addresses})
    assert len(p.addresses) == 0


def test_relations__embeds_many_explicit_ids__should_create_embedded_items_with_auto_generated_id(db):
    m = given_embeds_many_explicit_ids(db, *EXPLICIT_IDS, explicit_ids_remove_by_id,
                                       explicit_ids_build)
    p = ok(m.Person.create, {'name': 'Wilma'})
    address = ok(p.addressList.create, {'street': 'Home Street 1'})
    assert is_hex24(address.id)
    assert address.street == 'Home Street 1'


# -- relations / embedsMany - persisted model ----------------------------------------
# (juggler builds this describe's memory data source itself: memory only)

def given_embeds_many_persisted(*cases):
    db = lb.DataSource('memory')
    m = Models(db)
    m.Person = db.define('Person', {'name': str})
    m.Address = db.define('Address', {'street': str})
    m.Address.validatesPresenceOf('street')
    ok(db.automigrate, ['Person', 'Address'])
    replay(m, *cases)
    return m


def persisted_declared(m):
    # to save related model itself, set persistent: true
    m.Person.embedsMany(m.Address, {
        'scope': {'order': 'street'},
        'options': {'persistent': True},
    })
    ok(m.db.automigrate, ['Person', 'Address'])


def persisted_create_individual_items(m):
    """The four cases 'should create individual items (0)' ... '(3)'."""
    persisted_create_items_before(m, 4)


def persisted_add_on_scope(m):
    p = ok(m.Person.create, {'name': 'Fred'})
    m.person = p
    address = ok(p.addressList.create, m.address1.toObject())
    assert address.id == 2
    assert address.street == 'Street 1'
    address = ok(p.addressList.create, m.address2.toObject())
    assert address.id == 3
    assert address.street == 'Street 2'


def persisted_create_on_scope(m):
    p = ok(m.Person.findById, m.person.id)
    address = ok(p.addressList.create, {'street': 'Street 4'})
    assert address.id == 5   # in Address sequence, correct offset
    assert address.street == 'Street 4'


def test_relations__embeds_many_persisted_model__can_be_declared():
    m = given_embeds_many_persisted()
    persisted_declared(m)


def persisted_create_item(m, n):
    inst = ok(m.Address.create, {'street': 'Street %d' % n})
    assert inst.id == n + 1   # offset sequence
    setattr(m, 'address%d' % n, inst)


def persisted_create_items_before(m, n):
    for k in range(n):
        persisted_create_item(m, k)


def test_relations__embeds_many_persisted_model__should_create_individual_items_0():
    m = given_embeds_many_persisted(persisted_declared)
    persisted_create_item(m, 0)


def test_relations__embeds_many_persisted_model__should_create_individual_items_1():
    m = given_embeds_many_persisted(persisted_declared)
    persisted_create_items_before(m, 1)
    persisted_create_item(m, 1)


def test_relations__embeds_many_persisted_model__should_create_individual_items_2():
    m = given_embeds_many_persisted(persisted_declared)
    persisted_create_items_before(m, 2)
    persisted_create_item(m, 2)


def test_relations__embeds_many_persisted_model__should_create_individual_items_3():
    m = given_embeds_many_persisted(persisted_declared)
    persisted_create_items_before(m, 3)
    persisted_create_item(m, 3)


def test_relations__embeds_many_persisted_model__should_add_embedded_items_on_scope():
    m = given_embeds_many_persisted(persisted_declared, persisted_create_individual_items)
    persisted_add_on_scope(m)


def test_relations__embeds_many_persisted_model__should_create_embedded_items_on_scope():
    m = given_embeds_many_persisted(persisted_declared, persisted_create_individual_items,
                                    persisted_add_on_scope)
    persisted_create_on_scope(m)


def test_relations__embeds_many_persisted_model__should_have_embedded_items_on_scope():
    m = given_embeds_many_persisted(persisted_declared, persisted_create_individual_items,
                                    persisted_add_on_scope, persisted_create_on_scope)
    p = ok(m.Person.findById, m.person.id)
    addresses = ok(p.addressList)
    assert len(addresses) == 3
    assert addresses[0].street == 'Street 1'
    assert addresses[1].street == 'Street 2'
    assert addresses[2].street == 'Street 4'


def test_relations__embeds_many_persisted_model__should_validate_embedded_items_on_scope_id():
    m = given_embeds_many_persisted(persisted_declared, persisted_create_individual_items,
                                    persisted_add_on_scope, persisted_create_on_scope)
    p = ok(m.Person.create, {'name': 'Wilma'})
    address = ok(p.addressList.create, {'id': None, 'street': 'Street 1'})
    assert address.street == 'Street 1'


def test_relations__embeds_many_persisted_model__should_validate_embedded_items_on_scope_street():
    m = given_embeds_many_persisted(persisted_declared, persisted_create_individual_items,
                                    persisted_add_on_scope, persisted_create_on_scope)
    new_id = 1234   # uid.fromConnector(db) || 1234: memory has no generateUniqueId
    p = ok(m.Person.create, {'name': 'Wilma'})
    err = callback_outcome(p.addressList.create, {'id': new_id}).err
    assert_validation_error(err)
    assert err.details['codes']['street'] == ['presence']
    expected = 'The `Address` instance is not valid. '
    expected += "Details: `street` can't be blank (value: undefined)."
    assert err.message == expected


# -- relations / embedsMany - relations, scope and properties --------------------------

def given_embeds_many_relations(db, *cases):
    m = Models(db)
    m.Category = db.define('Category', {'name': str})
    m.Job = db.define('Job', {'name': str})
    m.Link = db.define('Link', {'name': str, 'notes': str}, {'forceId': False})
    replay(m, *cases)
    return m


def relations_declared(m):
    m.Category.embedsMany(m.Link, {
        'as': 'items',                    # rename
        'scope': {'include': 'job'},      # always include
        'options': {'belongsTo': 'job'},  # optional, for add()/remove()
    })
    m.Link.belongsTo(m.Job, {
        'foreignKey': 'id',                           # re-use the actual job id
        'properties': {'id': 'id', 'name': 'name'},   # denormalize, transfer id
        'options': {'invertProperties': True},
    })
    callback_outcome(m.db.automigrate, ['Category', 'Job', 'Link'])
    ok(m.Job.create, {'name': 'Job 0'})   # offset ids for tests


def relations_setup_related_items(m):
    m.job1 = ok(m.Job.create, {'name': 'Job 1'})
    m.job2 = ok(m.Job.create, {'name': 'Job 2'})
    m.job3 = ok(m.Job.create, {'name': 'Job 3'})


def relations_associate_items(m):
    cat = ok(m.Category.create, {'name': 'Category A'})
    link = cat.items.build()
    link.job(m.job1)
    link = cat.items.build()
    link.job(m.job2)
    cat = ok(cat.save)
    job = cat.items.at(0)
    assert isinstance(job, m.Link)
    assert 'jobId' not in job.toObject(False)
    assert job.id == m.job1.id
    assert job.name == m.job1.name
    job = cat.items.at(1)
    assert job.id == m.job2.id
    assert job.name == m.job2.name


def relations_remove_by_id(m):
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 2
    err = callback_outcome(cat.items.destroy, m.job1.id).err
    assert err is None, err
    assert len(cat.links) == 1


def relations_add_related_items(m):
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 1
    link = ok(cat.items.add, m.job3)
    assert isinstance(link, m.Link)
    assert link.id == m.job3.id
    assert link.name == 'Job 3'
    assert len(cat.links) == 2


def relations_remove_by_reference_id(m):
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 2
    err = callback_outcome(cat.items.remove, m.job2.id).err
    assert err is None, err
    assert len(cat.links) == 1


def relations_create_items(m):
    cat = ok(m.Category.create, {'name': 'Category B'})
    m.category = cat
    link = cat.items.build({'notes': 'Some notes...'})
    p = ok(link.job.create, {'name': 'Job 1'})
    m.jobId = p.id
    assert cat.links[0].id == p.id
    assert cat.links[0].name == 'Job 1'   # denormalized
    assert cat.links[0].notes == 'Some notes...'
    assert cat.items.at(0) is cat.links[0]


def relations_update_items(m):
    cat = ok(m.Category.findById, m.category.id)
    link = cat.items.at(0)
    link = ok(cat.items.updateById, link.id, {'notes': 'Updated notes...'})
    assert link.notes == 'Updated notes...'


def relations_remove_items_from_scope(m):
    cat = ok(m.Category.findById, m.category.id)
    err = callback_outcome(cat.items.at(0).destroy).err
    assert err is None, err
    assert len(cat.links) == 0


RELATIONS_A = (relations_declared, relations_setup_related_items, relations_associate_items)
RELATIONS_B = RELATIONS_A + (relations_remove_by_id, relations_add_related_items,
                             relations_remove_by_reference_id)


def test_relations__embeds_many_relations_scope_and_properties__can_be_declared(db):
    m = given_embeds_many_relations(db)
    relations_declared(m)


def test_relations__embeds_many_relations_scope_and_properties__should_setup_related_items(db):
    m = given_embeds_many_relations(db, relations_declared)
    relations_setup_related_items(m)


def test_relations__embeds_many_relations_scope_and_properties__should_associate_items_on_scope(db):
    m = given_embeds_many_relations(db, relations_declared, relations_setup_related_items)
    relations_associate_items(m)


def test_relations__embeds_many_relations_scope_and_properties__should_include_related_items_on_scope(
        db):
    m = given_embeds_many_relations(db, *RELATIONS_A)
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 2
    # denormalized properties:
    assert isinstance(cat.items.at(0), m.Link)
    assert cat.items.at(0).id == m.job1.id
    assert cat.items.at(0).name == m.job1.name
    assert cat.items.at(1).id == m.job2.id
    assert cat.items.at(1).name == m.job2.name
    # lazy-loaded relations
    assert cat.items.at(0).job() is None
    assert cat.items.at(1).job() is None
    ok(cat.items)
    assert isinstance(cat.items.at(0).job(), m.Job)
    assert isinstance(cat.items.at(1).job(), m.Job)
    assert cat.items.at(1).job().name == 'Job 2'


def test_relations__embeds_many_relations_scope_and_properties__should_remove_embedded_items_by_id(
        db):
    m = given_embeds_many_relations(db, *RELATIONS_A)
    relations_remove_by_id(m)


def test_relations__embeds_many_relations_scope_and_properties__should_find_items_on_scope(db):
    m = given_embeds_many_relations(db, *RELATIONS_A, relations_remove_by_id)
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 1
    assert cat.items.at(0).id == m.job2.id
    assert cat.items.at(0).name == m.job2.name
    # lazy-loaded relations
    assert cat.items.at(0).job() is None
    ok(cat.items)
    assert isinstance(cat.items.at(0).job(), m.Job)
    assert cat.items.at(0).job().name == 'Job 2'


def test_relations__embeds_many_relations_scope_and_properties__should_add_related_items_to_scope(db):
    m = given_embeds_many_relations(db, *RELATIONS_A, relations_remove_by_id)
    relations_add_related_items(m)


def test_relations__embeds_many_relations_scope_and_properties__should_find_items_on_scope_2(db):
    m = given_embeds_many_relations(db, *RELATIONS_A, relations_remove_by_id,
                                    relations_add_related_items)
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 2
    assert isinstance(cat.items.at(0), m.Link)
    assert cat.items.at(0).id == m.job2.id
    assert cat.items.at(0).name == m.job2.name
    assert cat.items.at(1).id == m.job3.id
    assert cat.items.at(1).name == m.job3.name


def test_relations__embeds_many_relations_scope_and_properties__should_remove_embedded_items_by_reference_id(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_A, relations_remove_by_id,
                                    relations_add_related_items)
    relations_remove_by_reference_id(m)


def test_relations__embeds_many_relations_scope_and_properties__should_have_removed_embedded_items_by_reference_id(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_B)
    cat = ok(m.Category.findOne)
    assert len(cat.links) == 1


def test_relations__embeds_many_relations_scope_and_properties__should_create_items_on_scope(db):
    m = given_embeds_many_relations(db, *RELATIONS_B)
    relations_create_items(m)


def test_relations__embeds_many_relations_scope_and_properties__should_find_items_on_scope_3(db):
    m = given_embeds_many_relations(db, *RELATIONS_B, relations_create_items)
    cat = ok(m.Category.findById, m.category.id)
    assert cat.name == 'Category B'
    assert [link.toObject() for link in cat.links] == [
        {'id': m.jobId, 'name': 'Job 1', 'notes': 'Some notes...'},
    ]
    assert cat.items.at(0) is cat.links[0]
    items = ok(cat.items)   # alternative access
    assert isinstance(items, list)
    assert len(items) == 1
    p = ok(items[0].job)
    assert p.name == 'Job 1'   # actual value


def test_relations__embeds_many_relations_scope_and_properties__should_update_items_on_scope_and_save_parent(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_B, relations_create_items)
    relations_update_items(m)


def test_relations__embeds_many_relations_scope_and_properties__should_find_items_on_scope_verify_update(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_B, relations_create_items,
                                    relations_update_items)
    cat = ok(m.Category.findById, m.category.id)
    assert cat.name == 'Category B'
    assert [link.toObject() for link in cat.links] == [
        {'id': m.jobId, 'name': 'Job 1', 'notes': 'Updated notes...'},
    ]


def test_relations__embeds_many_relations_scope_and_properties__should_remove_items_from_scope_and_save_parent(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_B, relations_create_items,
                                    relations_update_items)
    relations_remove_items_from_scope(m)


def test_relations__embeds_many_relations_scope_and_properties__should_find_items_on_scope_verify_destroy(  # noqa: E501
        db):
    m = given_embeds_many_relations(db, *RELATIONS_B, relations_create_items,
                                    relations_update_items, relations_remove_items_from_scope)
    cat = ok(m.Category.findById, m.category.id)
    assert cat.name == 'Category B'
    assert len(cat.links) == 0


# -- relations / embedsMany - polymorphic relations -------------------------------------

def given_embeds_many_polymorphic(db, *cases):
    m = Models(db)
    m.tmp = transient_ds(db)
    m.Book = db.define('Book', {'name': str})
    m.Author = db.define('Author', {'name': str})
    m.Reader = db.define('Reader', {'name': str})
    m.Link = m.tmp.define('Link', {
        'id': {'type': 'number', 'id': True},
        'name': str, 'notes': str,
    })   # generic model
    m.Link.validatesPresenceOf('linkedId')
    m.Link.validatesPresenceOf('linkedType')
    ok(db.automigrate, ['Book', 'Author', 'Reader'])
    replay(m, *cases)
    return m


def polymorphic_declared(m):
    id_type = m.db.connector.getDefaultIdType()
    m.Book.embedsMany(m.Link, {
        'as': 'people',
        'polymorphic': 'linked',
        'scope': {'include': 'linked'},
    })
    m.Link.belongsTo('linked', {
        'polymorphic': {'idType': id_type},   # native type
        'properties': {'name': 'name'},       # denormalized
        'options': {'invertProperties': True},
    })
    ok(m.db.automigrate, ['Book', 'Author', 'Reader'])


def polymorphic_setup_related_items(m):
    m.person1 = ok(m.Author.create, {'name': 'Author 1'})
    m.person2 = ok(m.Reader.create, {'name': 'Reader 1'})


def polymorphic_create_items(m):
    book = ok(m.Book.create, {'name': 'Book'})
    link = book.people.build({'notes': 'Something ...'})
    link.linked(m.person1)
    link = book.people.build()
    link.linked(m.person2)
    book = ok(book.save)
    link = book.people.at(0)
    assert isinstance(link, m.Link)
    assert link.id == 1
    assert link.linkedId == m.person1.id
    assert link.linkedType == 'Author'
    assert link.name == 'Author 1'
    link = book.people.at(1)
    assert isinstance(link, m.Link)
    assert link.id == 2
    assert link.linkedId == m.person2.id
    assert link.linkedType == 'Reader'
    assert link.name == 'Reader 1'


POLYMORPHIC = (polymorphic_declared, polymorphic_setup_related_items, polymorphic_create_items)


def test_relations__embeds_many_polymorphic_relations__can_be_declared(db):
    m = given_embeds_many_polymorphic(db)
    polymorphic_declared(m)


def test_relations__embeds_many_polymorphic_relations__should_setup_related_items(db):
    m = given_embeds_many_polymorphic(db, polymorphic_declared)
    polymorphic_setup_related_items(m)


def test_relations__embeds_many_polymorphic_relations__should_create_items_on_scope(db):
    m = given_embeds_many_polymorphic(db, polymorphic_declared, polymorphic_setup_related_items)
    polymorphic_create_items(m)


def test_relations__embeds_many_polymorphic_relations__should_include_related_items_on_scope(db):
    m = given_embeds_many_polymorphic(db, *POLYMORPHIC)
    book = ok(m.Book.findOne)
    assert len(book.links) == 2
    link = book.people.at(0)
    assert isinstance(link, m.Link)
    assert link.id == 1
    assert link.linkedId == m.person1.id
    assert link.linkedType == 'Author'
    assert link.notes == 'Something ...'
    link = book.people.at(1)
    assert isinstance(link, m.Link)
    assert link.id == 2
    assert link.linkedId == m.person2.id
    assert link.linkedType == 'Reader'
    # lazy-loaded relations
    assert book.people.at(0).linked() is None
    assert book.people.at(1).linked() is None
    people = ok(book.people)
    assert isinstance(people[0].linked(), m.Author)
    assert people[0].linked().name == 'Author 1'
    assert isinstance(people[1].linked(), m.Reader)
    assert people[1].linked().name == 'Reader 1'


def test_relations__embeds_many_polymorphic_relations__should_include_nested_related_items_on_scope(
        db):
    name = 'should include nested related items on scope'
    it_if(db, capability(db, 'supportInclude') is True, name)
    # There's some date duplication going on, so it might make sense to
    # override toObject on a case-by-case basis to sort this out (delete
    # links, keep people).  In loopback, an afterRemote filter could do this as well.
    m = given_embeds_many_polymorphic(db, *POLYMORPHIC)
    books = ok(m.Book.find, {'include': 'people'})
    obj = books[0].toObject()
    assert 'links' in obj
    assert 'people' in obj
    assert len(obj['links']) == 2
    assert obj['links'][0]['name'] in ('Author 1', 'Reader 1')
    assert obj['links'][1]['name'] in ('Author 1', 'Reader 1')
    assert len(obj['people']) == 2
    assert obj['people'][0]['name'] == 'Author 1'
    assert obj['people'][0]['notes'] == 'Something ...'
    assert obj['people'][0]['linked']['name'] == 'Author 1'
    assert obj['people'][1]['linked']['name'] == 'Reader 1'
