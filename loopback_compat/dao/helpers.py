"""Small rules shared by the DAO's operations: ids, errors, data clean-up.

# LoopBack: the helper functions of lib/dao.js (idName, byIdQuery,
#           isWhereByGivenId, _sanitizeData, _coerce, applyStrictCheck, ...)
"""

import re

from .. import filters
from ..errors import AssertionError_, LoopBackError, PKMissingError, bad_request
from ..model import ModelBase
from ..js.values import to_string as js_string, truthy
from ..types import INVALID_DATE, coerce_value, parse_date

#: Options that make a query safer, kept when juggler calls find with options of its own.
QUERY_GUARDS = ('transaction', 'prohibitHiddenPropertiesInQuery',
                'prohibitProtectedPropertiesInQuery', filters.REJECT_PROHIBITED,
                'maxDepthOfQuery')


def check(condition, message):
    """juggler's ``assert(condition, message)``: raises AssertionError_."""
    if not condition:
        raise AssertionError_(message, code='ERR_ASSERTION')


def is_object(value):
    return isinstance(value, (dict, ModelBase))


def check_object_argument(value, name):
    """juggler's ``assert(typeof value === 'object', 'The <name> argument must
    be an object')`` on a query, filter or where argument: None, dicts, lists
    and instances pass (JavaScript objects); so does a string holding a JSON
    object (an addition: a filter as a REST query string carries it); any
    other string, number or boolean is the AssertionError_."""
    if value is None or value is filters.undefined or \
            isinstance(value, (dict, list, tuple, ModelBase)) or \
            isinstance(value, str) and filters.looks_like_json_object(value):
        return
    raise AssertionError_('The %s argument must be an object' % name, code='ERR_ASSERTION')


def id_name(model):
    return model.definition.idName() or 'id'


def by_id_query(model, id_value):
    return {'where': {id_name(model): id_value}}


def invalid_id_error(model, id_value):
    """A 400 INVALID_ID error when ``id_value`` is not a scalar, else None.

    Deliberate fix: juggler puts the id into ``{where: {id: value}}``, so an
    object id such as ``{"gt": 0}`` (from a URL: ``DELETE /Items/{"gt":0}``)
    acts as a filter and reaches (or deletes) every row.  Here an id must be
    a string, number, boolean or date; anything else fails and touches nothing.
    """
    if isinstance(id_value, (dict, list, tuple, set, ModelBase)):
        shown = id_value.toJSON() if isinstance(id_value, ModelBase) else id_value
        return bad_request('Invalid id %s for %s: an id must be a string or a number, '
                           'not an %s' % (filters.js_json(shown), model.modelName,
                                          'array' if isinstance(id_value, (list, tuple, set))
                                          else 'object'), code='INVALID_ID')
    return None


def is_where_by_given_id(model, where, id_value):
    if not isinstance(where, dict) or len(where) != 1:
        return False
    pk = id_name(model)
    return pk in where and where[pk] == id_value and type(where[pk]) is type(id_value)


def where_is_empty(where):
    return not where or (isinstance(where, dict) and len(where) == 0)


def pk_missing(model, done):
    """True (and juggler's PKMissingError to ``done``) for a model without an id."""
    if model.definition.hasPK():
        return False
    done(PKMissingError('Primary key is missing for the %s model' % model.modelName))
    return True


def model_not_found(id_value):
    return LoopBackError('Could not update attributes. Object with id %s does not exist!'
                         % js_string(id_value), statusCode=404)


def not_found_for_delete(model, id_value):
    return LoopBackError('No instance with id %s found for %s'
                         % (js_string(id_value), model.modelName),
                         statusCode=404, code='NOT_FOUND')


def coerce_data(model, data, options=None):
    """Coerce data values to their property types (juggler's _coerce on data).

    A value of a date property (or an item of a date array) that is no date
    is juggler's DateType error 'Invalid date: <value>' (no statusCode: a
    500 over REST, as LB3), raised before anything is written.
    """
    props = model.definition.properties
    out = {}
    for key, value in data.items():
        prop = props.get(key)
        if prop is not None and value is not None and \
                'date' in (prop['type'], prop.get('itemType')):
            check_dates(model, value, options)
        # juggler's _coerce skips GeoPoint properties (its near operator)
        if prop is not None and not isinstance(value, dict) and prop['type'] != 'geopoint':
            value = coerce_value(prop['type'], value, prop.get('itemType'))
        out[key] = value
    return out


def check_dates(model, value, options):
    """juggler's DateType on a date property's value, or on each item of a
    list: raises 'Invalid date: x' for the first that ``new Date(x)`` cannot
    read.  A dict is juggler's object value: kept with allowExtendedOperators,
    else its first operator's value is checked ({gt: 'x'}); one without
    operators is 'Invalid date: [object Object]' ('$' keys are left as they are)."""
    if isinstance(value, dict):
        if allow_extended_operators(model, options):
            return
        op = next((op for op in filters.OPERATORS if op in value), None)
        if op is not None:
            return check_dates(model, value[op], options)
        if any(isinstance(k, str) and k.startswith('$') for k in value):
            return
    for item in value if isinstance(value, (list, tuple)) else (value,):
        if item is not None and not isinstance(item, re.Pattern) and \
                parse_date(item) is INVALID_DATE:
            raise LoopBackError('Invalid date: %s' % js_string(item))


def data_for_where(where, data):
    """The data of a where-based write as a fresh plain dict, after juggler's
    assertions on both arguments (updateAll, upsertWithWhere)."""
    check(isinstance(where, dict), 'The where argument must be an object')
    check(is_object(data), 'The data argument must be an object')
    if isinstance(data, ModelBase):
        data = data.toObject(False)
    return dict(data)


def keep_invalid_dates(model, inst, values):
    """``values`` (inst.toObject(False)) with each Invalid Date the instance
    holds put back: juggler's toObject keeps the Date object (the port's gives
    its JSON, None), so validation still rejects it (replaceById)."""
    for name, prop in model.definition.properties.items():
        if prop['type'] == 'date' and values.get(name, 0) is None and \
                inst[name] is INVALID_DATE:
            values[name] = INVALID_DATE
    return values


def typed_subset(inst, data):
    """juggler's convertSubsetOfPropertiesByType: values as the instance holds them."""
    out = {}
    for key in data:
        value = inst[key]
        if isinstance(value, ModelBase):
            value = value.toObject()
        out[key] = value
    return out


def apply_strict_check(model, strict, data, inst):
    """Keep declared properties; strict models record the others as unknown."""
    props = model.definition.properties
    result = {}
    for key, value in data.items():
        if key in props:
            result[key] = value
        elif strict and strict != 'filter':
            inst._unknown_properties.append(key)
    return result


def apply_defaults_on_writes(data, model):
    for key, prop in model.definition.properties.items():
        if prop.get('applyDefaultOnWrites') is False and 'default' in prop and \
                key in data and data[key] == prop['default']:
            del data[key]
    return data


def allow_extended_operators(model, options):
    """# LoopBack: Model._allowExtendedOperators(options): the option, else the
    setting (as the filters read it, Model._getSetting), else False."""
    flag = model._info().setting('allowExtendedOperators', options)
    return truthy(flag) if flag is not None else False


def validation_setting(model, options, specific=None, default=None):
    """juggler's doValidate: options.validate, then the model settings."""
    if options.get('validate') is not None:
        return options['validate']
    if specific is not None and model.settings.get(specific) is not None:
        return model.settings[specific]
    if model.settings.get('automaticValidation') is not None:
        return model.settings['automaticValidation']
    return default


def load_options(model, fields):
    """The constructor options of instances built from a connector's rows."""
    return {'fields': fields if isinstance(fields, list) else None,
            'applySetters': False, 'persisted': True,
            'applyDefaultValues': model.settings.get('applyDefaultsOnReads') is not False}


def err_or_result(done, err=None, result=None, *_):
    """A connector's ``(err, result, ...)`` passed on as ``done(err)`` or
    ``done(None, result)`` (bound with functools.partial: no closure)."""
    if err is not None:
        return done(err)
    done(None, result)
