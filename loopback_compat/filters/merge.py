"""Merging one filter into another (juggler's ``mergeQuery``).

# LoopBack: utils.mergeQuery(base, update, spec) and utils.mergeIncludes
#           (lib/utils.js of loopback-datasource-juggler 3.x)

Used to put a model's default scope into the query of a read or a
where-based write (dao/default_scope.py), and a relation's scope and a
scope's filters into a relation's query (relations/: ``applyScope``, scopes,
include), as juggler uses the one mergeQuery for both.  Pure functions: ``merge_query``
mutates and returns ``base``, as juggler's does, and never mutates ``update``
(its values are taken by reference: give it a copy when ``base`` outlives it).
"""

from ..js.values import UNDEFINED as undefined, truthy


def merge_query(base, update, spec=None):
    """Merge filter ``update`` into filter ``base``; returns ``base``.

    # LoopBack: mergeQuery(base, update, spec)

    - where: both non-empty -> ``{'and': [base.where, update.where]}``, else
      update's when it has one;
    - include: update's when base has none; else both, as
      :func:`merge_includes` (update's entry wins for a relation both name),
      or nested under update's (``spec.nestedInclude``);
    - collect, fields, limit, skip, offset: update's value replaces base's
      (``spec.fields is False``: the two fields lists are concatenated);
    - order: update's only when base has none (or ``spec.order is False``).

    ``spec`` names the parts to leave alone (``{'include': False}``...).
    """
    if not update:
        return base
    spec = spec if isinstance(spec, dict) else {}
    where = update.get('where')
    if where and isinstance(where, dict):
        if base.get('where'):
            base['where'] = {'and': [base['where'], where]}
        else:
            base['where'] = where
    if spec.get('include') is not False and truthy(update.get('include')):
        if not truthy(base.get('include')):
            base['include'] = update['include']
        elif spec.get('nestedInclude') is True:
            # juggler: base.include = {[update.include]: saved}
            base['include'] = {update['include']: base['include']}
        else:
            base['include'] = merge_includes(base['include'], update['include'])
    if spec.get('collect') is not False and truthy(update.get('collect')):
        base['collect'] = update['collect']
    fields = update.get('fields', undefined)
    if fields is not undefined:
        if spec.get('fields') is not False:
            base['fields'] = fields
        else:
            base['fields'] = _as_list(base.get('fields')) + _as_list(fields)
    if (not truthy(base.get('order')) or spec.get('order') is False) and \
            truthy(update.get('order')):
        base['order'] = update['order']
    if spec.get('limit') is not False and update.get('limit', undefined) is not undefined:
        base['limit'] = update['limit']
    skip = spec.get('skip') is not False and spec.get('offset') is not False
    if skip and update.get('skip', undefined) is not undefined:
        base['skip'] = update['skip']
    if skip and update.get('offset', undefined) is not undefined:
        base['offset'] = update['offset']
    return base


def merge_includes(destination, source):
    """Both includes as one list; ``source``'s entry replaces ``destination``'s
    for a relation both name.

    # LoopBack: mergeIncludes(destination, source)

    Each entry becomes a one-relation item (``'a'`` -> ``{'a': True}``,
    ``{'a': x, 'b': y}`` -> ``{'a': x}, {'b': y}``; a ``{'relation': ...}``
    dict stays whole); ``source``'s entries come first.
    """
    dest = _include_entries(destination)
    src = _include_entries(source)
    if not dest:
        return src
    if not src:
        return dest
    names = [_entry_name(entry) for entry in src]
    return src + [entry for entry in dest if _entry_name(entry) not in names]


def _entry_name(entry):
    """The relation an include entry names (juggler reads ``relation`` when
    ``rel || relation`` is a string, else the entry's first key)."""
    if isinstance(entry, dict):
        named = entry.get('rel') or entry.get('relation')
        if isinstance(named, str):
            return entry.get('relation')
        return next(iter(entry), None)
    return None


def _include_entries(include):
    """juggler's convertToArray: an include as a list of one-relation entries."""
    if isinstance(include, str):
        return [{include: True}]
    if isinstance(include, dict):
        if _is_whole(include):
            return [include]
        return [{key: value} for key, value in include.items()]
    if isinstance(include, (list, tuple)):
        return [{item: True} if isinstance(item, str) else item for item in include]
    return []


def _is_whole(include):
    """A ``{'relation': name, 'scope': ...}`` include (juggler: ``rel || relation``)."""
    return truthy(include.get('rel')) or truthy(include.get('relation'))


def _as_list(value):
    """``[].concat(value)``, without the undefined a missing value would add."""
    if value is None or value is undefined:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
