#!/usr/bin/env python3
"""Turn a gold work's characters.json into a quoth cast file.

usage: cast_from_gold.py GOLD_DIR > cast.txt
       cast_from_gold.py path/to/characters.json > cast.txt

Each character becomes one line, `Name | alias | alias ... | pronoun`, where the
pronoun is `he` for gender M, `she` for F and absent otherwise (see the cast
format in include/quoth.h and docs/quoth.1). The pseudo-characters `_group`
and `_unknowable` are skipped. The first-person narrator (alias `_narr` or
`Narr`, a marker rather than a word of the text) gets the alias `I` instead,
and is named `Narrator` when the gold gives it no other name. `|` cannot be
escaped in a cast file, so it is replaced by a space; a leading `#` (a comment
line) is dropped.

Standard library only: tools/corpus_eval.py imports this module."""
import json
import os
import re
import sys

SKIP = {'_group', '_unknowable'}
NARRATOR_MARKERS = {'_narr', 'narr'}
PRONOUN = {'M': 'he', 'F': 'she'}


def clean(name):
    """One cast field: no '|', no newlines, no leading '#', single spaces."""
    name = re.sub(r'[|\r\n\t]', ' ', str(name))
    name = re.sub(r'\s+', ' ', name).strip()
    return name.lstrip('#').strip()


def load_characters(path):
    if os.path.isdir(path):
        path = os.path.join(path, 'characters.json')
    with open(path, encoding='utf-8') as f:
        chars = json.load(f)
    if isinstance(chars, dict):  # score.py accepts {"characters": [...]} too
        chars = chars.get('characters', [])
    return chars


def cast_lines(chars):
    """Yields one cast line per real character, in the gold's order."""
    for c in chars:
        name = str(c.get('name', ''))
        if name in SKIP:
            continue
        raw = [name] + [str(a) for a in c.get('aliases', [])]
        narrator = any(a.strip().lower() in NARRATOR_MARKERS for a in raw)
        fields, seen = [], set()

        def add(field):
            field = clean(field)
            key = field.lower()
            if field and key not in seen:
                seen.add(key)
                fields.append(field)

        # A marker (`_narr`, `Narr`, or any `_...` name) never appears in the
        # text, so it is not a name for quoth to look for.
        def is_marker(a):
            return a.strip().lower() in NARRATOR_MARKERS or a.strip().startswith('_')

        if is_marker(name):
            add('Narrator' if narrator else '')
        else:
            add(name)
        for a in raw[1:]:
            if not is_marker(a):
                add(a)
        if not fields:
            continue
        if narrator:
            add('I')
        pronoun = PRONOUN.get(str(c.get('gender', '')).upper())
        if pronoun:
            add(pronoun)
        yield ' | '.join(fields)


def cast_text(gold):
    """The whole cast file for a work folder (or characters.json path)."""
    return ''.join(line + '\n' for line in cast_lines(load_characters(gold)))


def main(argv):
    if len(argv) != 2 or argv[1] in ('-h', '--help'):
        sys.stderr.write('usage: cast_from_gold.py GOLD_DIR > cast.txt\n')
        return 2
    try:
        text = cast_text(argv[1])
    except (OSError, ValueError) as e:
        sys.stderr.write(f'cast_from_gold.py: {argv[1]}: {e}\n')
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
