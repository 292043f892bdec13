"""Pass counts of the ported juggler suite, per file and connector.

    python scripts/juggler_pass_counts.py [pytest args...]

Runs ``tests/juggler`` (or the paths given) under pytest with a JUnit XML
report and prints a Markdown table: for each ported file and connector, the
cases that pass over the cases translated.  A case juggler itself skips is
not counted; a strict xfail (a known gap, see tests/juggler/conftest.py) or a
failure counts as not passing.  A case that builds its own memory data source
(no ``[connector]`` in its id) counts for memory only.

docs/juggler-suite.md holds the table of the last release.
"""

import collections
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CONNECTORS = ('memory', 'sqlite', 'postgresql')
TARGET = 0.98


def run_pytest(args):
    """Run pytest, return the path of its JUnit XML report."""
    fd, path = tempfile.mkstemp(suffix='.xml')
    os.close(fd)
    cmd = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
           f'--junitxml={path}', *(args or ['tests/juggler'])]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    return path


def outcome(case):
    """'passed', 'skipped', 'gap' (strict xfail) or 'failed' for a <testcase>."""
    for child in case:
        if child.tag == 'skipped':
            return 'gap' if child.get('type') == 'pytest.xfail' else 'skipped'
        if child.tag in ('failure', 'error'):
            return 'failed'
    return 'passed'


def tally(report):
    """{(file, connector): Counter(outcome)} from a JUnit XML report."""
    counts = collections.defaultdict(collections.Counter)
    for case in ET.parse(report).iter('testcase'):
        name = case.get('name', '')
        match = re.search(r'\[(\w+)\]$', name)
        connector = match.group(1) if match and match.group(1) in CONNECTORS else 'memory'
        module = case.get('classname', '').rsplit('.', 1)[-1]
        counts[(module, connector)][outcome(case)] += 1
    return counts


def table(counts):
    """The Markdown table: one row per file, passed/translated per connector."""
    modules = sorted({module for module, _ in counts})
    lines = ['| file | ' + ' | '.join(CONNECTORS) + ' |',
             '|---|' + '---:|' * len(CONNECTORS)]
    totals = {c: collections.Counter() for c in CONNECTORS}
    for module in modules:
        cells = []
        for connector in CONNECTORS:
            c = counts.get((module, connector), collections.Counter())
            totals[connector].update(c)
            cells.append(cell(c))
        lines.append(f'| {module} | ' + ' | '.join(cells) + ' |')
    lines.append('| **all** | ' + ' | '.join(f'**{cell(totals[c])}**' for c in CONNECTORS) + ' |')
    return '\n'.join(lines), totals


def cell(c):
    translated = c['passed'] + c['gap'] + c['failed']
    if not translated:
        return '-'
    return f"{c['passed']}/{translated} ({100 * c['passed'] / translated:.1f} %)"


def main(argv):
    report = run_pytest(argv)
    try:
        text, totals = table(tally(report))
    finally:
        os.unlink(report)
    print(text)
    below = [c for c, t in totals.items()
             if t['passed'] < TARGET * (t['passed'] + t['gap'] + t['failed'])]
    if below:
        print(f"\nbelow the {TARGET:.0%} target: {', '.join(below)}")
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
