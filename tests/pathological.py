#!/usr/bin/env python3
"""Pathological inputs: quoth must stay linear, never crash, and always
write valid JSON (or exit with a documented code and a message).

usage: pathological.py --quoth build/quoth [--timeout 20] [-k NAME] [--keep] [--big] [--table]

Each input is generated into a temporary directory (never committed), then
`quoth --format json --text --mentions FILE` runs on it under a time limit.
A case passes when quoth exits 0 and its stdout is valid JSON (strict: the
standard library's parser, no NaN), or exits with a documented non-zero
code (5: limit exceeded) and says why on stderr. A signal, a sanitizer
report, a timeout or any other exit code fails. Prints `N passed, N failed`
and exits 1 on any failure. Standard library only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

MB = 1 << 20
DOCUMENTED_EXITS = {5: 'limit exceeded'}


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def sentence(rng, i):
    words = ['the', 'lamp', 'river', 'Ann', 'said', 'quietly', 'and', 'Ben', 'waited', 'for',
             'a', 'long', 'time', 'in', 'fog', 'it', 'replied']
    return ' '.join(rng.choice(words) for _ in range(8 + i % 7))


def gen_unmatched_quotes(path):
    # 10,000 paragraphs that each open a quotation and never close it
    rng = random.Random(1)
    paras = [f'"{sentence(rng, i)} Ann said.' for i in range(10000)]
    write(path, '\n\n'.join(paras).encode() + b'\n')


def gen_unmatched_one_paragraph(path):
    # 10,000 opening marks in one paragraph
    write(path, b'"open ' * 10000 + b'\n')


def gen_big_paragraph(path):
    # one 10 MB paragraph of narration with names, pronouns and quotations
    rng = random.Random(2)
    parts, size = [], 0
    i = 0
    while size < 10 * MB:
        s = sentence(rng, i) + '. '
        if i % 5 == 0:
            s = f'"{s.strip()}," Ann said. '
        parts.append(s)
        size += len(s)
        i += 1
    write(path, ''.join(parts).encode())


def gen_big_line_of_quotes(path):
    # one 10 MB line made only of quotations and short tags
    unit = b'"Go," said Ann. "No," said Ben. '
    write(path, unit * (10 * MB // len(unit)) + b'\n')


def gen_untagged_quotes_one_paragraph(path):
    # one 10 MB paragraph of untagged quotations among names and pronoun
    # beats: every quotation goes to the ranker, whose window of mentions
    # must stay bounded inside one paragraph
    names = ['Ann', 'Ben', 'Carl', 'Dora', 'Emma', 'Frank', 'George', 'Helen']
    parts, size, i = [], 0, 0
    while size < 10 * MB:
        s = f'She nodded. "Hi there." It was {names[i % 8]} and {names[(i + 3) % 8]}. "Yes." '
        parts.append(s)
        size += len(s)
        i += 1
    write(path, ''.join(parts).encode())


def gen_marks_only(path):
    # 2 MB of nothing but quotation marks and apostrophes, mixed
    rng = random.Random(3)
    marks = ['"', "'", '\u201c', '\u201d', '\u2018', '\u2019', '\u00ab', '\u00bb', ' ', '\n']
    write(path, ''.join(rng.choice(marks) for _ in range(700000)).encode('utf-8'))


def gen_garbage(path):
    rng = random.Random(4)
    write(path, rng.randbytes(MB))


def gen_empty(path):
    write(path, b'')


def gen_invalid_utf8(path, n=20000):
    # every paragraph riddled with invalid sequences, around and inside quotations
    bad = [b'\xff', b'\xfe', b'\xc0\xaf', b'\xe0\x80', b'\xed\xa0\x80', b'\xf8\x88\x80\x80',
           b'\x80', b'\xc3', b'\xf4\x90\x80\x80']
    rng = random.Random(5)
    out = []
    for i in range(n):
        b1, b2, b3 = rng.choice(bad), rng.choice(bad), rng.choice(bad)
        out.append(b'"' + b1 + b'Go ' + b2 + b'home," Ann' + b3 + b' said.')
    write(path, b'\n\n'.join(out) + b'\n')


def gen_nul_bytes(path, n=20000):
    # NULs inside quotations, after sentences and at the end
    rng = random.Random(6)
    out = []
    for i in range(n):
        s = f'"Go\0home," Ann said.\0 {sentence(rng, i)}\0'.encode()
        out.append(s)
    write(path, b'\n\n'.join(out) + b'\0\n')


def gen_headings(path, n=100000):
    write(path, b''.join(b'Chapter %d\n\n' % i for i in range(1, n + 1)))


def gen_scene_breaks(path):
    write(path, b'* * *\n\nAnn left.\n\n' * 50000)


def gen_no_newlines_words(path):
    # 5 MB of capitalised words with no punctuation: names everywhere
    rng = random.Random(7)
    names = [b'Ann', b'Ben', b'Carl', b'Dora', b'Mr.', b'Lex', b'Luthor', b'Kal-El', b'Said']
    write(path, b' '.join(rng.choice(names) for _ in range(5 * MB // 5)))


def gen_many_names(path):
    # 50,000 distinct capitalised names, each speaking once
    out = []
    for i in range(50000):
        name = 'Z' + ''.join(chr(ord('a') + (i // 26 ** k) % 26) for k in range(4))
        out.append(f'"Hello," said {name}.')
    write(path, '\n\n'.join(out).encode() + b'\n')


def gen_long_alternation(path):
    # 100,000 untagged turns in one conversation
    write(path, b'"Are you coming?" Ann asked.\n\n"No," said Ben.\n\n' +
          b'"Why not?"\n\n"Because."\n\n' * 50000)


def gen_crlf_only(path):
    write(path, b'\r\n' * (2 * MB) + b'\r')


def gen_long_word(path):
    write(path, b'"' + b'a' * (5 * MB) + b'," Ann said.\n')


def gen_quote_marks(path, n=1000000):
    # n straight quote marks around one-letter quotations, in one paragraph
    write(path, b'"x" ' * (n // 2) + b'\n')


def gen_one_line(path, mb=10):
    # one line of mb MB (no newline at all): narration, names, quotations
    unit = b'Ann looked at Ben. "Go home," said Ann, and he went. '
    write(path, unit * (mb * MB // len(unit)))


def gen_distinct_names(path, n=200000):
    # n distinct capitalised names, each speaking once
    out = []
    for i in range(n):
        name = 'Z' + ''.join(chr(ord('a') + (i // 26 ** k) % 26) for k in range(5))
        out.append(f'"Hello," said {name}.')
    write(path, '\n\n'.join(out).encode() + b'\n')


def gen_nested_html_under(path):
    # nested just under the limit (QUOTH_READ_MAX_HTML_DEPTH): parsed
    write(path, b'<html><body>' + b'<div>' * 1990 + b'<p>"Hi," said Ann.</p>' + b'</div>' * 1990)


def gen_nested_html_over(path, n=1000000):
    # far past the limit: refused before parsing (exit 5), in linear time
    write(path, b'<html><body>' + b'<div>' * n + b'<p>"Hi," said Ann.</p>')


def gen_utf16(path, mb=10, be=False):
    # a story in UTF-16 (BOM): decoded to UTF-8
    unit = '"Go home," said Ann.\n\n\u201cNo,\u201d said B\u00e9a.\n\n'
    text = unit * (mb * MB // 2 // len(unit))
    write(path, text.encode('utf-16-be' if be else 'utf-16'))


CASES = [
    ('unmatched-quotes-10000', gen_unmatched_quotes),
    ('unmatched-quotes-one-paragraph', gen_unmatched_one_paragraph),
    ('paragraph-10mb', gen_big_paragraph),
    ('line-of-quotes-10mb', gen_big_line_of_quotes),
    ('untagged-quotes-paragraph-10mb', gen_untagged_quotes_one_paragraph),
    ('marks-only-2mb', gen_marks_only),
    ('binary-garbage-1mb', gen_garbage),
    ('empty-file', gen_empty),
    ('invalid-utf8-everywhere', gen_invalid_utf8),
    ('nul-bytes', gen_nul_bytes),
    ('headings-100000', gen_headings),
    ('scene-breaks-50000', gen_scene_breaks),
    ('capitalised-words-5mb', gen_no_newlines_words),
    ('distinct-names-50000', gen_many_names),
    ('turns-100000', gen_long_alternation),
    ('crlf-only-4mb', gen_crlf_only),
    ('one-word-5mb', gen_long_word),
    ('quote-marks-1000000', gen_quote_marks),
    ('one-line-10mb', gen_one_line),
    ('distinct-names-200000', gen_distinct_names),
    ('html-nested-1990', gen_nested_html_under),
    ('html-nested-1000000', gen_nested_html_over),
    ('utf16-le-bom-10mb', gen_utf16),
    ('utf16-be-no-bom-4mb', lambda p: gen_utf16(p, 4, True)),
]

# --big: the sizes of docs/robustness.md's table (not run by ctest)
BIG_CASES = [
    ('one-line-100mb', lambda p: gen_one_line(p, 100)),
    ('distinct-names-1000000', lambda p: gen_distinct_names(p, 1000000)),
    ('quote-marks-10000000', lambda p: gen_quote_marks(p, 10000000)),
    ('utf16-le-bom-100mb', lambda p: gen_utf16(p, 100)),
    ('headings-1000000', lambda p: gen_headings(p, 1000000)),
    ('invalid-utf8-everywhere-2000000', lambda p: gen_invalid_utf8(p, 2000000)),
    ('nul-bytes-700000', lambda p: gen_nul_bytes(p, 700000)),
]


PEAK = {}  # name -> peak resident memory of quoth in MiB (--table)


def run_case(quoth, name, path, timeout, measure=False):
    """Returns None on success, else a description of the failure."""
    cmd = [quoth, '--format', 'json', '--text', '--mentions', path]
    if measure:
        cmd = ['/usr/bin/time', '-f', 'QUOTH_PEAK_KB %M'] + cmd
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f'timed out after {timeout:g} s'
    secs = time.monotonic() - t0
    err = p.stderr.decode('utf-8', 'replace').strip()
    if measure and 'QUOTH_PEAK_KB' in err:
        err, _, kb = err.rpartition('QUOTH_PEAK_KB ')
        err = err.strip()
        PEAK[name] = int(kb) / 1024
        if p.returncode != 0 and err.endswith(f'Command exited with non-zero status {p.returncode}'):
            err = err.rsplit('\n', 1)[0] if '\n' in err else ''
    if p.returncode < 0:
        return f'killed by signal {-p.returncode}' + (f': {err[:2000]}' if err else '')
    if 'Sanitizer' in err or 'runtime error:' in err:
        return f'sanitizer report (exit {p.returncode}):\n{err[:3000]}'
    if p.returncode != 0:
        if p.returncode in DOCUMENTED_EXITS and err:
            return None, secs, f'exit {p.returncode} ({DOCUMENTED_EXITS[p.returncode]}): {err[:200]}'
        return f'exit {p.returncode}' + (f': {err[:2000]}' if err else ' with no message')
    try:
        doc = json.loads(p.stdout.decode('utf-8'),
                         parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except UnicodeDecodeError as e:
        return f'stdout is not UTF-8: {e}'
    except ValueError as e:
        return f'stdout is not valid JSON: {e}; starts {p.stdout[:200]!r}'
    if not isinstance(doc, dict) or not isinstance(doc.get('quotes'), list) or \
            not isinstance(doc.get('characters'), list):
        return 'JSON lacks "quotes" or "characters" arrays'
    return None, secs, f'{len(doc["quotes"])} quotations, {len(doc["characters"])} characters'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', default=os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), 'build', 'quoth'))
    ap.add_argument('--timeout', type=float, default=20.0, help='seconds per case (default 20)')
    ap.add_argument('-k', '--filter', help='run only cases whose name contains this')
    ap.add_argument('--keep', action='store_true', help='keep the generated inputs')
    ap.add_argument('--big', action='store_true', help='also the big sizes of docs/robustness.md (100 MB, 1,000,000 names, ...)')
    ap.add_argument('--table', action='store_true',
                    help='print a Markdown table (time, peak memory of quoth, result)')
    a = ap.parse_args()
    if not (os.path.isfile(a.quoth) and os.access(a.quoth, os.X_OK)):
        sys.stderr.write(f'pathological: no quoth executable at {a.quoth}\n')
        return 2
    cases = [(n, g) for n, g in CASES + (BIG_CASES if a.big else []) if not a.filter or a.filter in n]
    if not cases:
        sys.stderr.write('pathological: no case matches\n')
        return 2

    tmp = tempfile.mkdtemp(prefix='quoth-pathological-')
    passed = failed = 0
    if a.table:
        print('| input | size | time | peak memory | result |')
        print('| --- | --- | --- | --- | --- |')
    try:
        for name, gen in cases:
            path = os.path.join(tmp, name + ('.html' if name.startswith('html') else '.txt'))
            gen(path)
            size = os.path.getsize(path)
            res = run_case(a.quoth, name, path, a.timeout, a.table)
            if isinstance(res, tuple):
                passed += 1
                _, secs, info = res
                peak = PEAK.get(name, 0)
                if a.table:
                    print(f'| {name} | {size / MB:.2f} MB | {secs:.2f} s | {peak:.0f} MiB | {info} |')
                else:
                    print(f'ok    {name:34} {size / MB:7.2f} MB {secs:6.2f} s  {info}')
            else:
                failed += 1
                print(f'FAIL  {name:34} {size / MB:7.2f} MB  {res}')
            if not a.keep:
                os.remove(path)
    finally:
        if a.keep:
            print(f'inputs kept in {tmp}')
        else:
            for f in os.listdir(tmp):
                os.remove(os.path.join(tmp, f))
            os.rmdir(tmp)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
