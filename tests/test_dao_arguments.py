"""The DAO's one argument prologue (loopback_compat/dao/arguments.py): what
it keeps of a plain Python method besides juggler's shuffles (which
tests/test_dao.py and tests/test_misuse.py cover)."""

import inspect

import pytest

import loopback_compat as lb


@pytest.fixture
def Thing():
    return lb.DataSource('memory').createModel('Thing', {'name': str})


@pytest.mark.lb_fiber
def test_leading_arguments_may_be_given_by_name(Thing):
    a = lb.await_(Thing.create(data={'name': 'a'}))
    assert lb.await_(Thing.findById(id=a.id)).name == 'a'
    assert lb.await_(Thing.count(where={'name': 'a'})) == 1
    assert [t.name for t in lb.await_(Thing.find(query={'where': {'name': 'a'}}))] == ['a']
    assert lb.await_(Thing.findByIds(ids=[a.id]))[0].id == a.id
    found, created = lb.await_(Thing.findOrCreate(query={'where': {'name': 'b'}},
                                                  data={'name': 'b'}))
    assert created and found.name == 'b'
    assert lb.await_(Thing.updateAll(where={'name': 'b'}, data={'name': 'c'})) == {'count': 1}
    assert lb.await_(a.updateAttributes(data={'name': 'd'})).name == 'd'
    assert lb.await_(Thing.destroyById(id=a.id)) == {'count': 1}
    # other keywords are still options
    assert lb.await_(Thing.find({}, notify=False))[0].name == 'c'


def test_the_public_methods_show_their_parameters(Thing):
    assert str(inspect.signature(Thing.findById)) == \
        '(id=None, filter=None, options=None, cb=None, **kwargs)'
    assert str(inspect.signature(Thing.findByIds)) == \
        '(ids, query=None, options=None, cb=None, **kwargs)'
    assert str(inspect.signature(Thing({}).save)) == '(options=None, cb=None, **kwargs)'
    assert Thing.create.__name__ == 'create' and '# LoopBack: Model.create' in Thing.create.__doc__


def test_a_required_leading_argument_is_a_type_error(Thing):
    with pytest.raises(TypeError):
        Thing.findByIds()
    with pytest.raises(TypeError):
        Thing.replaceById()
