#!/usr/bin/env python3
"""Run quoth's spec examples (tests/spec/*.spec) through the CLI.

usage: spec_runner.py --quoth build/quoth [-k SUBSTR] [-v] [FILE.spec ...]

With no FILE every tests/spec/*.spec is run. Each example's text is written
to a temporary file and given to `quoth --format json --text` (plus a cast
file and @args when the example has them); the JSON is compared with the
example's expectations. Prints every failure with the input and what quoth
produced, then a closing line `N passed, N failed`. Examples tagged [xfail]
are counted apart (reported, never failing the run; one that passes is
reported as XPASS so its tag can be removed). Exits 1 when any non-xfail
example fails, 2 on a usage or spec-file error. Standard library only.

The spec format
---------------
A spec file is a list of examples. Lines before the first example, and
lines starting with '#' but not '##' between examples, are comments.

    ## [tag] [tag] title of the example
    @directive: value          zero or more, before the text
    the text, as many lines as needed
    >>>
    expected lines
    <<<

The text is the lines between the directives and '>>>' with leading and
trailing blank lines removed, joined with '\\n' and ending in one '\\n'.

Tags: [xfail] marks an aspiration beyond the baseline. Other tags are free
labels ([tag-after], [vocative], ...) matched by -k like the title.

Directives:
    @cast: Main Name | alias | he    one cast-file line (repeatable)
    @cast-file: path                 a cast file, relative to the spec file
    @file: path                      read the text from a file instead
    @args: --stop-after quotes       extra CLI arguments
    @mode: quotes | segment          what the expected lines describe
                                     (default quotes)
    @crlf                            turn every '\\n' of the text into CRLF
    @bom                             prefix the text with a UTF-8 BOM
    @no-final-newline                do not end the text with '\\n'

Expected lines, mode quotes (one per quotation, in text order; the example
fails unless quoth finds exactly these quotations):

    quoted text | speaker [| addressee, addressee]

  - quoted text: the bytes of the quotation's spans (marks excluded), spans
    of one quotation joined with ' [...] '. Whitespace runs compare as one
    space and each span is stripped.
  - speaker: matched case-insensitively against the output character's
    name and aliases; '?' means no speaker (null); '*' means not checked.
    'A or B' accepts either name ('A or ?': A or no speaker).
  - addressees: optional; comma-separated names that must all be among the
    quotation's addressees; '-' means the list must be empty. Whatever the
    line says, no quotation may list an addressee twice, or its speaker.
  An empty expected block means: no quotation at all.

Lines starting with 'character ' (any mode) check the character list:
    character Name [| gender]     a character whose name (or an alias)
                                  is Name, with that gender (M F X U ...)
    character = Name [| gender]   a character whose name (not an alias)
                                  is Name, as written out: the most complete
                                  proper name
    no character Name             no character has Name as name or alias
    no character = Name           no character's name is Name (an alias may be)

Mode segment (paragraph lines in order; section lines in order; each list
is only checked when the block has at least one line of that kind):

    story | text of the paragraph
    paratext | Disclaimer: ...        a trailing '...' is a prefix match
    heading | Chapter 2
    section start
    section heading | Chapter 2       kind and (optional) title
    section break
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SPAN_SEP = ' [...] '
TIMEOUT = 60  # seconds per example; sanitizer builds are slow


DIRECTIVES = {'cast', 'cast-file', 'file', 'args', 'mode', 'crlf', 'bom', 'no-final-newline'}


class SpecError(Exception):
    pass


class Example:
    def __init__(self, path, line, title):
        self.path = path
        self.line = line
        self.title = title
        self.tags = re.findall(r'\[([^\]]+)\]', title)
        self.directives = []
        self.text_lines = []
        self.expected = []

    @property
    def xfail(self):
        return 'xfail' in self.tags

    @property
    def name(self):
        return f'{os.path.basename(self.path)}:{self.line}: {self.title}'

    def directive(self, key, default=None):
        vals = [v for k, v in self.directives if k == key]
        return vals[-1] if vals else default

    def directive_all(self, key):
        return [v for k, v in self.directives if k == key]


def parse_spec(path):
    examples = []
    cur = None
    state = 'outside'
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for i, raw in enumerate(lines, 1):
        line = raw.rstrip('\r')
        if state == 'outside':
            if line.startswith('## '):
                cur = Example(path, i, line[3:].strip())
                state = 'directives'
            elif line.strip() and not line.startswith('#'):
                raise SpecError(f'{path}:{i}: text outside an example: {line!r}')
            continue
        if state == 'directives':
            m = re.match(r'^@([a-z-]+)(?::\s?(.*))?$', line)
            if m:
                if m.group(1) not in DIRECTIVES:
                    raise SpecError(f'{path}:{i}: unknown directive @{m.group(1)}')
                cur.directives.append((m.group(1), (m.group(2) or '').rstrip()))
                continue
            state = 'text'
        if state == 'text':
            if line == '>>>':
                state = 'expected'
            elif line.startswith('## '):
                raise SpecError(f'{path}:{i}: new example before ">>>" of {cur.name}')
            else:
                cur.text_lines.append(line)
            continue
        if state == 'expected':
            if line == '<<<':
                examples.append(cur)
                cur = None
                state = 'outside'
            elif line.strip():
                cur.expected.append((i, line.strip()))
    if state != 'outside':
        raise SpecError(f'{path}: example {cur.name} is not closed with "<<<"')
    return examples


def example_text(ex):
    """The bytes given to quoth."""
    fpath = ex.directive('file')
    if fpath is not None:
        with open(os.path.join(os.path.dirname(ex.path), fpath), 'rb') as f:
            return f.read()
    lines = list(ex.text_lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    text = '\n'.join(lines)
    if ex.directive('no-final-newline') is None:
        text += '\n'
    if ex.directive('crlf') is not None:
        text = text.replace('\n', '\r\n')
    data = text.encode('utf-8')
    if ex.directive('bom') is not None:
        data = b'\xef\xbb\xbf' + data
    return data


def cast_text(ex):
    parts = []
    cf = ex.directive('cast-file')
    if cf is not None:
        with open(os.path.join(os.path.dirname(ex.path), cf), encoding='utf-8') as f:
            parts.append(f.read())
    lines = ex.directive_all('cast')
    if lines:
        parts.append('\n'.join(lines) + '\n')
    return ''.join(parts) if parts else None


def norm(s):
    return ' '.join(s.split())


def names_of(ch):
    out = [ch.get('name') or '']
    out += list(ch.get('aliases') or [])
    return {norm(n).lower() for n in out if n}


def name_matches(want, ch):
    if ch is None:
        return False
    alts = [a.strip().lower() for a in re.split(r'\s+or\s+', want)]
    return any(norm(a) in names_of(ch) for a in alts)


def span_pair(v):
    """A span from the JSON: [s, e] or {"start":, "end":}."""
    if isinstance(v, dict):
        return int(v['start']), int(v['end'])
    return int(v[0]), int(v[1])


def obj_span(o):
    for key in ('span', 'range', 'bytes'):
        if key in o:
            return span_pair(o[key])
    if 'start' in o and 'end' in o:
        return int(o['start']), int(o['end'])
    raise KeyError('no span in ' + json.dumps(o)[:200])


# --wrapper CMD (or $QUOTH_WRAPPER): run quoth under CMD, e.g.
# 'valgrind --error-exitcode=99 --leak-check=full -q' (make valgrind)
WRAPPER = shlex.split(os.environ.get('QUOTH_WRAPPER', ''))


def run_quoth(quoth, ex, data, tmp):
    inp = os.path.join(tmp, 'input.txt')
    with open(inp, 'wb') as f:
        f.write(data)
    cmd = [quoth, '--format', 'json', '--text']
    cast = cast_text(ex)
    if cast is not None:
        cpath = os.path.join(tmp, 'cast.txt')
        with open(cpath, 'w', encoding='utf-8') as f:
            f.write(cast)
        cmd += ['--cast', cpath]
    extra = ex.directive('args')
    if extra:
        cmd += extra.split()
    cmd.append(inp)
    cmd = WRAPPER + cmd
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT * (20 if WRAPPER else 1))
    except subprocess.TimeoutExpired:
        return None, f'timed out after {TIMEOUT}s: {" ".join(cmd)}'
    if p.returncode != 0:
        return None, (f'exit code {p.returncode}: {" ".join(cmd)}\n'
                      f'stderr: {p.stderr.decode("utf-8", "replace")[:2000]}')
    try:
        return json.loads(p.stdout.decode('utf-8')), None
    except (UnicodeDecodeError, ValueError) as e:
        return None, f'output is not JSON ({e}): {p.stdout[:500]!r}'


def describe_quote(q, data, chars):
    parts = [norm(data[s:e].decode('utf-8', 'replace')) for s, e in map(span_pair, q['spans'])]
    spk = chars.get(q.get('speaker'))
    adr = [chars.get(a, {}).get('name', a) for a in q.get('addressees') or []]
    s = SPAN_SEP.join(parts) + ' | ' + (spk['name'] if spk else '?')
    if adr:
        s += ' | ' + ', '.join(adr)
    extra = [str(q.get(k)) for k in ('type', 'rule') if q.get(k) is not None]
    return s + ('   (' + ', '.join(extra) + ')' if extra else '')


def check_characters(ex, out, errors):
    chars = out.get('characters') or []
    for lineno, line in ex.expected:
        if line.startswith('no character '):
            name = line[len('no character '):].strip()
            if name.startswith('='):  # no character named so (an alias may be)
                name = name[1:].strip()
                bad = [c for c in chars if norm(c.get('name') or '').lower() == norm(name).lower()]
            else:
                bad = [c for c in chars if name_matches(name, c)]
            if bad:
                errors.append(f'line {lineno}: expected no character {name!r}, '
                              f'got {bad[0].get("name")!r}')
        elif line.startswith('character '):
            fields = [f.strip() for f in line[len('character '):].split('|')]
            exact = fields[0].startswith('=')
            if exact:  # the character's name itself, not an alias, as written out
                fields[0] = fields[0][1:].strip()
                found = [c for c in chars
                         if (c.get('name') or '').lower() == fields[0].lower()]
            else:
                found = [c for c in chars if name_matches(fields[0], c)]
            if not found:
                errors.append(f'line {lineno}: no character {"whose name is" if exact else "named"} '
                              f'{fields[0]!r} (characters: '
                              f'{[(c.get("name"), c.get("aliases")) for c in chars]})')
            elif len(fields) > 1 and fields[1] and \
                    str(found[0].get('gender', '')).upper() != fields[1].upper():
                errors.append(f'line {lineno}: character {fields[0]!r} has gender '
                              f'{found[0].get("gender")!r}, expected {fields[1]!r}')


def check_quotes(ex, out, data, errors):
    chars = {c['id']: c for c in out.get('characters') or []}
    want = [(n, l) for n, l in ex.expected if not l.startswith(('character ', 'no character '))]
    got = out.get('quotes') or []
    got_desc = [describe_quote(q, data, chars) for q in got]
    problems = []
    for k in range(max(len(want), len(got))):
        if k >= len(want):
            problems.append(f'unexpected quotation: {got_desc[k]}')
            continue
        lineno, line = want[k]
        fields = [f.strip() for f in line.split('|')]
        if len(fields) < 2:
            raise SpecError(f'{ex.path}:{lineno}: expected "text | speaker", got {line!r}')
        if k >= len(got):
            problems.append(f'line {lineno}: missing quotation: {line}')
            continue
        q = got[k]
        parts = [norm(data[s:e].decode('utf-8', 'replace')) for s, e in map(span_pair, q['spans'])]
        want_parts = [norm(p) for p in fields[0].split(SPAN_SEP.strip())]
        if parts != want_parts:
            problems.append(f'line {lineno}: quotation {k + 1} text/spans differ\n'
                            f'      expected: {line}\n      got:      {got_desc[k]}')
            continue
        spk = fields[1]
        sid = q.get('speaker')
        alts = [a.strip() for a in re.split(r'\s+or\s+', spk)]
        if spk == '*':
            ok = True
        elif sid is None:
            ok = '?' in alts
        else:
            ok = name_matches(' or '.join(a for a in alts if a != '?'), chars.get(sid))
        if not ok:
            problems.append(f'line {lineno}: quotation {k + 1} speaker differs\n'
                            f'      expected: {line}\n      got:      {got_desc[k]}')
            continue
        ids = q.get('addressees') or []
        if len(set(ids)) != len(ids) or q.get('speaker') in ids:
            problems.append(f'line {lineno}: quotation {k + 1} lists an addressee twice, or its '
                            f'speaker: {ids}\n      got:      {got_desc[k]}')
            continue
        if len(fields) > 2 and fields[2] != '*':
            adr = [chars.get(a) for a in q.get('addressees') or []]
            if fields[2] == '-':
                if adr:
                    problems.append(f'line {lineno}: quotation {k + 1} should have no addressee\n'
                                    f'      expected: {line}\n      got:      {got_desc[k]}')
            else:
                for name in (n.strip() for n in fields[2].split(',')):
                    if not any(name_matches(name, a) for a in adr):
                        problems.append(f'line {lineno}: quotation {k + 1} lacks addressee '
                                        f'{name!r}\n      expected: {line}\n'
                                        f'      got:      {got_desc[k]}')
                        break
    if problems:
        errors.extend(problems)
        errors.append('all quotations quoth found:\n' +
                      '\n'.join('      ' + d for d in got_desc) if got_desc else
                      'quoth found no quotation')


SECTION_KINDS = {0: 'start', 1: 'heading', 2: 'break'}
PARA_KINDS = {0: 'story', 1: 'paratext', 2: 'heading'}


def kind_name(v, table):
    if isinstance(v, int):
        return table.get(v, str(v))
    return str(v).lower()


def section_title(s, data):
    for key in ('title', 'heading_text', 'text'):
        if isinstance(s.get(key), str):
            return s[key]
    h = s.get('heading')
    if isinstance(h, str):
        return h
    if h is not None:
        a, b = span_pair(h)
        return data[a:b].decode('utf-8', 'replace')
    return ''


def check_segment(ex, out, data, errors):
    want_paras, want_secs = [], []
    for lineno, line in ex.expected:
        if line.startswith(('character ', 'no character ')):
            continue
        if line.startswith('section '):
            fields = [f.strip() for f in line[len('section '):].split('|', 1)]
            want_secs.append((lineno, fields[0], fields[1] if len(fields) > 1 else None))
        else:
            fields = [f.strip() for f in line.split('|', 1)]
            if len(fields) != 2:
                raise SpecError(f'{ex.path}:{lineno}: expected "kind | text", got {line!r}')
            want_paras.append((lineno, fields[0], fields[1]))
    got_paras = []
    for p in out.get('paragraphs') or []:
        if isinstance(p, list):  # [start, end, kind]
            p = {'span': p[:2], 'kind': p[2] if len(p) > 2 else 'story'}
        a, b = obj_span(p)
        got_paras.append((kind_name(p.get('kind'), PARA_KINDS),
                          norm(data[a:b].decode('utf-8', 'replace')), (a, b)))
    got_secs = [(kind_name(s.get('kind'), SECTION_KINDS), norm(section_title(s, data)))
                for s in out.get('sections') or []]
    problems = []
    if want_paras:
        for k in range(max(len(want_paras), len(got_paras))):
            if k >= len(want_paras):
                problems.append(f'unexpected paragraph: {got_paras[k][0]} | {got_paras[k][1]}')
                continue
            lineno, kind, text = want_paras[k]
            if k >= len(got_paras):
                problems.append(f'line {lineno}: missing paragraph: {kind} | {text}')
                continue
            gk, gt, _ = got_paras[k]
            text = norm(text)
            if text.endswith('...'):
                ok_text = gt == text or gt.startswith(text[:-3].rstrip())
            else:
                ok_text = gt == text
            if gk != kind.lower() or not ok_text:
                problems.append(f'line {lineno}: paragraph {k + 1} differs\n'
                                f'      expected: {kind} | {text}\n      got:      {gk} | {gt}')
    if want_secs:
        for k in range(max(len(want_secs), len(got_secs))):
            if k >= len(want_secs):
                problems.append(f'unexpected section: {got_secs[k][0]} | {got_secs[k][1]}')
                continue
            lineno, kind, title = want_secs[k]
            if k >= len(got_secs):
                problems.append(f'line {lineno}: missing section: {kind} | {title or ""}')
                continue
            gk, gt = got_secs[k]
            if gk != kind.lower() or (title is not None and norm(title) != gt):
                problems.append(f'line {lineno}: section {k + 1} differs\n'
                                f'      expected: {kind} | {title if title is not None else "*"}\n'
                                f'      got:      {gk} | {gt}')
    if problems:
        errors.extend(problems)
        errors.append('paragraphs quoth found:\n' +
                      '\n'.join(f'      {k} | {t}' for k, t, _ in got_paras) +
                      '\n    sections quoth found:\n' +
                      '\n'.join(f'      {k} | {t}' for k, t in got_secs))


def run_example(quoth, ex):
    """Returns a list of error strings (empty when the example passes)."""
    data = example_text(ex)
    with tempfile.TemporaryDirectory(prefix='quoth-spec-') as tmp:
        out, err = run_quoth(quoth, ex, data, tmp)
    if err:
        return [err]
    errors = []
    try:
        mode = ex.directive('mode', 'quotes')
        if mode == 'quotes':
            check_quotes(ex, out, data, errors)
        elif mode == 'segment':
            check_segment(ex, out, data, errors)
        else:
            raise SpecError(f'{ex.name}: unknown @mode {mode!r}')
        check_characters(ex, out, errors)
    except (KeyError, TypeError, ValueError, IndexError) as e:
        errors.append(f'unexpected JSON shape: {type(e).__name__}: {e}')
    return errors


def show_input(data):
    text = data.decode('utf-8', 'replace')
    if len(text) > 1500:
        text = text[:1500] + '\n[... input truncated ...]'
    return '\n'.join('    | ' + l for l in text.split('\n'))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', default=os.path.join(os.path.dirname(HERE), 'build', 'quoth'),
                    help='the quoth CLI (default: build/quoth)')
    ap.add_argument('-k', '--filter', action='append', default=[],
                    help='run only examples whose title or tags contain SUBSTR '
                         '(case-insensitive; repeatable: any)')
    ap.add_argument('-v', '--verbose', action='store_true', help='list every example')
    ap.add_argument('--wrapper', help="run quoth under this command, e.g. 'valgrind --error-exitcode=99 -q' "
                    '(default: $QUOTH_WRAPPER)')
    ap.add_argument('files', nargs='*', help='spec files (default: tests/spec/*.spec)')
    args = ap.parse_args()
    global WRAPPER
    if args.wrapper is not None:
        WRAPPER = shlex.split(args.wrapper)

    if not os.path.isfile(args.quoth) or not os.access(args.quoth, os.X_OK):
        sys.stderr.write(f'spec_runner: no quoth executable at {args.quoth}\n')
        return 2
    files = args.files or sorted(glob.glob(os.path.join(HERE, 'spec', '*.spec')))
    if not files:
        sys.stderr.write('spec_runner: no spec files\n')
        return 2
    try:
        examples = [ex for f in files for ex in parse_spec(f)]
    except (OSError, SpecError) as e:
        sys.stderr.write(f'spec_runner: {e}\n')
        return 2
    if args.filter:
        keys = [k.lower() for k in args.filter]
        examples = [ex for ex in examples if any(k in ex.title.lower() for k in keys)]
    if not examples:
        sys.stderr.write('spec_runner: no example matches\n')
        return 2

    passed = failed = xfailed = xpassed = 0
    failures, xfails = [], []
    for ex in examples:
        try:
            errors = run_example(args.quoth, ex)
        except SpecError as e:
            sys.stderr.write(f'spec_runner: {e}\n')
            return 2
        if ex.xfail:
            if errors:
                xfailed += 1
                xfails.append(ex)
                status = 'xfail'
            else:
                xpassed += 1
                status = 'XPASS'
                print(f'XPASS {ex.name}  (passes now: remove its [xfail] tag)')
        elif errors:
            failed += 1
            failures.append((ex, errors))
            status = 'FAIL'
        else:
            passed += 1
            status = 'ok'
        if args.verbose and status != 'XPASS':
            print(f'{status:5} {ex.name}')

    for ex, errors in failures:
        print(f'\nFAIL {ex.name}')
        print(show_input(example_text(ex)))
        for e in errors:
            print('  - ' + e.replace('\n', '\n    '))
    if xfails:
        print(f'\nexpected failures (aspirations tagged [xfail]): {len(xfails)}')
        for ex in xfails:
            print(f'  xfail {ex.name}')
    if xpassed:
        print(f'unexpected passes (XPASS): {xpassed}')
    print(f'\n{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
