"""LoopBack filters: parsing, normalising, coercing and matching, as pure functions.

# LoopBack: Model._normalize(filter), Model._coerce(where), Model._sanitizeQuery(q)
#           and the memory connector's applyFilter / sorting / selectFields.

Nothing here does I/O or touches the loop.  Errors are raised as
``LoopBackError`` (statusCode 400 where juggler sets it); the DAO catches them
and delivers them through the callback.

Interface
---------
``ModelInfo(name, properties, id_names, settings=None)`` describes one model:
``properties`` maps a property name to a dict whose ``'type'`` is a LoopBack
type name ('string', 'text', 'number', 'boolean', 'date', 'object', 'array',
'any', 'json'), a one-element list for typed arrays (``['string']``), or a nested
``ModelInfo`` for embedded models.  ``ModelInfo.from_definition(properties,
id_names, name, settings=None)`` accepts juggler-style definitions too
(Python types, capitalised names, ``{'type': ...}`` or a bare type) and
normalises them.  ``settings`` are model settings consulted for
``allowExtendedOperators``, ``normalizeUndefinedInQuery``,
``maxDepthOfQuery``, ``prohibitHiddenPropertiesInQuery``, ``hidden``,
``protected`` and ``strict`` (method ``options`` win over model settings,
which win over the data source settings given as ``ds_settings``, as in
juggler's ``_getSetting``).

Pipeline::

    f = parse_filter(raw)                      # REST: JSON string -> dict
    f = normalize_filter(f, info, options)     # validate limit/skip/order/fields, coerce where
    rows = apply_filter(rows, f, info)         # memory connector: match, sort, project, slice
    where = coerce_where(where, info, options) # count/updateAll/destroyAll
    match = make_matcher(where, info)          # fn(row) -> bool

One module per step:

    info.py       ModelInfo, juggler's operator table
    normalize.py  parse_filter, normalize_filter (and its fast path for relation calls)
    sanitize.py   sanitize_query / sanitize_data, hidden properties, complexity bounds
    coerce.py     coerce_where
    match.py      make_matcher (the memory connector's test and compare)
    apply.py      sort_rows, fields_to_array, select_fields, apply_filter (skip/limit)
    merge.py      merge_query, merge_includes (juggler's mergeQuery: a default scope into a query)

Values follow JavaScript (:mod:`loopback_compat.js`): ``None`` is ``null``;
:data:`undefined` stands for ``undefined`` (a where value equal to it is
dropped, so ``{'fk': undefined}`` matches every row); a missing row property
reads as ``undefined``.  Rows hold ``datetime`` for date properties
(juggler's memory connector revives Dates).  Regular expressions are
``re.Pattern`` objects; JavaScript regex sources (``'/^a/i'`` strings,
like-patterns) are translated to Python syntax by :mod:`..js.regexp`.  The
matcher runs them through :mod:`..js.safe_regex` (RE2, or a backtracking
engine on a time budget of 0.2 s per query: past it the query is a 400
REGEXP_TOO_COMPLEX), never through ``re``'s unbounded backtracking.

Where juggler's behaviour looks wrong it is kept on purpose; see the notes
on :func:`make_matcher` and :func:`sort_rows`.
"""

from ..errors import UnknownOperatorWarning  # noqa: F401  (its old home)
from ..js.dates import new_date as js_new_date
from ..js.json import stringify as js_json
from ..js.numbers import string_to_number as _str_to_number
from ..js.regexp import (
    collapse_percents as _collapse_percents, escape_invalid as _escape_invalid_regexp,
    like_to_regexp, to_regexp, translate as _translate_js_regex)
from ..js.values import (
    UNDEFINED as undefined, loose_equal as js_loose_equal, to_number as js_to_number,
    to_string as js_to_string, truthy as js_truthy)
from .info import OPERATORS, ModelInfo
from .sanitize import (
    MAX_INCLUDE_ENTRIES, MAX_ORDER_TERMS, MAX_WHERE_TERMS, REJECT_PROHIBITED,
    check_complexity, prohibited_properties, prohibited_property_error, sanitize_data,
    sanitize_query)
from .coerce import coerce_where
from .match import _compile_clause, _compile_equality, _like_regex, make_matcher
from .apply import apply_filter, fields_to_array, select_fields, sort_rows
from .normalize import _fast_normalize, looks_like_json_object, normalize_filter, parse_filter

# The JavaScript value rules used to live here; the js_* names above are
# loopback_compat.js's functions under their old names.
__all__ = [
    'undefined', 'ModelInfo', 'parse_filter', 'looks_like_json_object', 'normalize_filter',
    'sanitize_query',
    'sanitize_data',
    'coerce_where', 'make_matcher', 'sort_rows', 'select_fields', 'fields_to_array',
    'apply_filter', 'to_regexp', 'like_to_regexp', 'js_loose_equal', 'js_json',
    'js_to_number', 'js_to_string', 'js_truthy', 'js_new_date', 'OPERATORS',
]
