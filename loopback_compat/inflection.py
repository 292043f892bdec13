"""English plural and singular forms as the npm ``inflection`` package (1.13)
computes them: LoopBack names hasMany relations with them.

# LoopBack: inflection.pluralize / inflection.singularize (as juggler's
#           ModelClass.pluralModelName and lookupModelTo use them)

The word lists and rules are inflection's, in its order: the first rule whose
pattern matches (case-insensitively) decides; a rule without a replacement
means "already in that form".  Words in the uncountable list are returned as
they are.  ``tests/test_inflection.py`` checks these against answers
recorded from inflection under Node.
"""

import re

__all__ = ['pluralize', 'singularize']

_UNCOUNTABLE = frozenset([
    'accommodation', 'adulthood', 'advertising', 'advice', 'aggression', 'aid', 'air',
    'aircraft', 'alcohol', 'anger', 'applause', 'arithmetic', 'assistance', 'athletics',
    'bacon', 'baggage', 'beef', 'biology', 'blood', 'botany', 'bread', 'butter', 'carbon',
    'cardboard', 'cash', 'chalk', 'chaos', 'chess', 'countryside', 'crossroads', 'dancing',
    'deer', 'dignity', 'dirt', 'dust', 'economics', 'education', 'electricity', 'engineering',
    'enjoyment', 'envy', 'equipment', 'ethics', 'evidence', 'evolution', 'fame', 'fiction',
    'flour', 'flu', 'food', 'fuel', 'fun', 'furniture', 'gallows', 'garbage', 'garlic',
    'genetics', 'gold', 'golf', 'gossip', 'gratitude', 'grief', 'guilt', 'gymnastics',
    'happiness', 'hardware', 'harm', 'hate', 'hatred', 'health', 'heat', 'help', 'homework',
    'honesty', 'honey', 'hospitality', 'housework', 'humour', 'hunger', 'hydrogen', 'ice',
    'importance', 'inflation', 'information', 'innocence', 'iron', 'irony', 'jam', 'jewelry',
    'judo', 'karate', 'knowledge', 'lack', 'laughter', 'lava', 'leather', 'leisure',
    'lightning', 'linguine', 'linguini', 'linguistics', 'literature', 'litter', 'livestock',
    'logic', 'loneliness', 'luck', 'luggage', 'macaroni', 'machinery', 'magic', 'management',
    'mankind', 'marble', 'mathematics', 'mayonnaise', 'measles', 'methane', 'milk', 'minus',
    'money', 'mud', 'mumps', 'music', 'nature', 'news', 'nitrogen', 'nonsense', 'nurture',
    'nutrition', 'obedience', 'obesity', 'oxygen', 'pasta', 'patience', 'physics', 'poetry',
    'pollution', 'poverty', 'pride', 'psychology', 'publicity', 'punctuation', 'quartz',
    'racism', 'relaxation', 'reliability', 'research', 'respect', 'revenge', 'rice', 'rubbish',
    'rum', 'safety', 'scenery', 'seafood', 'seaside', 'series', 'shame', 'sheep', 'shopping',
    'sleep', 'smoke', 'smoking', 'snow', 'soap', 'software', 'soil', 'spaghetti', 'species',
    'steam', 'stuff', 'stupidity', 'sunshine', 'symmetry', 'tennis', 'thirst', 'thunder',
    'timber', 'traffic', 'transportation', 'trust', 'underwear', 'unemployment', 'unity',
    'validity', 'veal', 'vegetarianism', 'vegetation', 'vengeance', 'violence', 'vitality',
    'warmth', 'wealth', 'weather', 'welfare', 'wheat', 'wildlife', 'wisdom', 'yoga', 'zinc',
    'zoology'
])

_PLURAL = [
    ('^(m|wom)en$', None),
    ('(pe)ople$', None),
    ('(child)ren$', None),
    ('([ti])a$', None),
    ('((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$', None),
    ('(database)s$', None),
    ('(drive)s$', None),
    ('(hi|ti)ves$', None),
    ('(curve)s$', None),
    ('([lr])ves$', None),
    ('([^fo])ves$', None),
    ('([^aeiouy]|qu)ies$', None),
    ('(s)eries$', None),
    ('(m)ovies$', None),
    ('(x|ch|ss|sh)es$', None),
    ('([m|l])ice$', None),
    ('(bus)es$', None),
    ('(o)es$', None),
    ('(shoe)s$', None),
    ('(cris|ax|test)es$', None),
    ('(octop|vir)uses$', None),
    ('(alias|canvas|status|campus)es$', None),
    ('^(summons|bonus)es$', None),
    ('^(ox)en', None),
    ('(matr)ices$', None),
    ('^feet$', None),
    ('^teeth$', None),
    ('^geese$', None),
    ('(quiz)zes$', None),
    ('^(whereas)es$', None),
    ('^(criteri)a$', None),
    ('^genera$', None),
    ('^(m|wom)an$', '\\g<1>en'),
    ('(pe)rson$', '\\g<1>ople'),
    ('(child)$', '\\g<1>ren'),
    ('(drive)$', '\\g<1>s'),
    ('^(ox)$', '\\g<1>en'),
    ('(ax|test)is$', '\\g<1>es'),
    ('(octop|vir)us$', '\\g<1>uses'),
    ('(alias|status|canvas|campus)$', '\\g<1>es'),
    ('^(summons|bonus)$', '\\g<1>es'),
    ('(bu)s$', '\\g<1>ses'),
    ('(buffal|tomat|potat)o$', '\\g<1>oes'),
    ('([ti])um$', '\\g<1>a'),
    ('sis$', 'ses'),
    ('(?:([^f])fe|([lr])f)$', '\\g<1>\\g<2>ves'),
    ('(hi|ti)ve$', '\\g<1>ves'),
    ('([^aeiouy]|qu)y$', '\\g<1>ies'),
    ('(matr)ix$', '\\g<1>ices'),
    ('(vert|ind)ex$', '\\g<1>ices'),
    ('(x|ch|ss|sh)$', '\\g<1>es'),
    ('([m|l])ouse$', '\\g<1>ice'),
    ('^foot$', 'feet'),
    ('^tooth$', 'teeth'),
    ('^goose$', 'geese'),
    ('(quiz)$', '\\g<1>zes'),
    ('^(whereas)$', '\\g<1>es'),
    ('^(criteri)on$', '\\g<1>a'),
    ('^genus$', 'genera'),
    ('s$', 's'),
    ('$', 's'),
]

_SINGULAR = [
    ('^(m|wom)an$', None),
    ('(pe)rson$', None),
    ('(child)$', None),
    ('(drive)$', None),
    ('^(ox)$', None),
    ('(ax|test)is$', None),
    ('(octop|vir)us$', None),
    ('(alias|status|canvas|campus)$', None),
    ('^(summons|bonus)$', None),
    ('(bu)s$', None),
    ('(buffal|tomat|potat)o$', None),
    ('([ti])um$', None),
    ('sis$', None),
    ('(?:([^f])fe|([lr])f)$', None),
    ('(hi|ti)ve$', None),
    ('([^aeiouy]|qu)y$', None),
    ('(x|ch|ss|sh)$', None),
    ('(matr)ix$', None),
    ('([m|l])ouse$', None),
    ('^foot$', None),
    ('^tooth$', None),
    ('^goose$', None),
    ('(quiz)$', None),
    ('^(whereas)$', None),
    ('^(criteri)on$', None),
    ('^genus$', None),
    ('^(m|wom)en$', '\\g<1>an'),
    ('(pe)ople$', '\\g<1>rson'),
    ('(child)ren$', '\\g<1>'),
    ('(database)s$', '\\g<1>'),
    ('(drive)s$', '\\g<1>'),
    ('^genera$', 'genus'),
    ('^(criteri)a$', '\\g<1>on'),
    ('([ti])a$', '\\g<1>um'),
    ('((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$', '\\g<1>\\g<2>sis'),
    ('(hi|ti)ves$', '\\g<1>ve'),
    ('(curve)s$', '\\g<1>'),
    ('([lr])ves$', '\\g<1>f'),
    ('([a])ves$', '\\g<1>ve'),
    ('([^fo])ves$', '\\g<1>fe'),
    ('(m)ovies$', '\\g<1>ovie'),
    ('([^aeiouy]|qu)ies$', '\\g<1>y'),
    ('(s)eries$', '\\g<1>eries'),
    ('(x|ch|ss|sh)es$', '\\g<1>'),
    ('([m|l])ice$', '\\g<1>ouse'),
    ('(bus)es$', '\\g<1>'),
    ('(o)es$', '\\g<1>'),
    ('(shoe)s$', '\\g<1>'),
    ('(cris|ax|test)es$', '\\g<1>is'),
    ('(octop|vir)uses$', '\\g<1>us'),
    ('(alias|canvas|status|campus)es$', '\\g<1>'),
    ('^(summons|bonus)es$', '\\g<1>'),
    ('^(ox)en', '\\g<1>'),
    ('(matr)ices$', '\\g<1>ix'),
    ('(vert|ind)ices$', '\\g<1>ex'),
    ('^feet$', 'foot'),
    ('^teeth$', 'tooth'),
    ('^geese$', 'goose'),
    ('(quiz)zes$', '\\g<1>'),
    ('^(whereas)es$', '\\g<1>'),
    ('ss$', 'ss'),
    ('s$', ''),
]


def _compile(rules):
    return [(re.compile(pattern, re.IGNORECASE), repl) for pattern, repl in rules]


_PLURAL_RULES = _compile(_PLURAL)
_SINGULAR_RULES = _compile(_SINGULAR)


def _apply_rules(word, rules):
    """inflection's ``_apply_rules``: the first matching rule's replacement."""
    if word.lower() in _UNCOUNTABLE:
        return word
    for pattern, repl in rules:
        if pattern.search(word):
            return word if repl is None else pattern.sub(repl, word)
    return word


def pluralize(word):
    """``inflection.pluralize(word)``: 'Chapter' -> 'Chapters', 'child' -> 'children'."""
    return _apply_rules(word, _PLURAL_RULES)


def singularize(word):
    """``inflection.singularize(word)``: 'readers' -> 'reader', 'people' -> 'person'."""
    return _apply_rules(word, _SINGULAR_RULES)
