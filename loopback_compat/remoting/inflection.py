"""English pluralisation as the ``inflection`` package (used by LoopBack) does it.

# LoopBack: inflection.pluralize(modelName) gives a model's default REST path.
"""

import re

_UNCOUNTABLE = {
    'equipment', 'information', 'rice', 'money', 'species', 'series', 'fish', 'sheep',
    'moose', 'deer', 'news', 'data', 'metadata', 'police', 'jeans', 'aircraft', 'bison',
    'flounder', 'pliers', 'bream', 'gallows', 'proceedings', 'breeches', 'graffiti',
    'rabies', 'britches', 'headquarters', 'herpes', 'salmon', 'mews', 'scissors',
    'chassis', 'innings', 'shears', 'clippers', 'swine', 'corps', 'trout', 'tuna',
    'debris', 'measles', 'diabetes', 'mumps', 'whiting', 'elk', 'wildebeest', 'offspring',
}

_RULES = [
    (r'(m)an$', r'\1en'), (r'(pe)rson$', r'\1ople'), (r'(child)$', r'\1ren'),
    (r'^(ox)$', r'\1en'), (r'(ax|test)is$', r'\1es'),
    (r'(octop|vir)us$', r'\1i'), (r'(alias|status|bus)$', r'\1es'),
    (r'(buffal|tomat|potat)o$', r'\1oes'), (r'([ti])um$', r'\1a'),
    (r'sis$', 'ses'), (r'(?:([^f])fe|([lr])f)$', r'\1\2ves'), (r'(hive)$', r'\1s'),
    (r'([^aeiouy]|qu)y$', r'\1ies'), (r'(x|ch|ss|sh)$', r'\1es'),
    (r'(matr|vert|ind)(?:ix|ex)$', r'\1ices'), (r'([m|l])ouse$', r'\1ice'),
    (r'^(quiz)$', r'\1zes'),
]


def pluralize(word):
    """``inflection.pluralize``: 'Supplier' -> 'Suppliers', 'Category' -> 'Categories'."""
    if word.lower() in _UNCOUNTABLE:
        return word
    if re.search(r'(people|men|children|oxen|ies|[^s]s|xes|ches|shes|ices)$', word,
                 re.IGNORECASE) and not re.search(r'(ss|us|is)$', word, re.IGNORECASE):
        # Already plural as inflection recognises it.
        if re.search(r'(people|men|children|oxen)$', word, re.IGNORECASE):
            return word
    for pattern, repl in _RULES:
        if re.search(pattern, word, re.IGNORECASE):
            return re.sub(pattern, repl, word, flags=re.IGNORECASE)
    if re.search(r's$', word, re.IGNORECASE) and not re.search(r'(ss|us|is)$', word,
                                                                  re.IGNORECASE):
        return word
    return word + 's'
