#!/usr/bin/env python3
"""`quoth eval` must score exactly as ../shared/tools/score.py does.

usage: eval_test.py --quoth build/quoth [--corpus ../shared/corpus]
                    [--score ../shared/tools/score.py] [--out DIR]

1. Agreement: for the Conversations story, the PDNC dev novels and both
   together, with and without --cast-from-gold, `quoth eval --json` and
   tools/corpus_eval.py (quoth's JSON files scored by score.py) must give the
   same figures, per work and pooled, to the last bit: accuracy, recall,
   precision, counts, per type. The text lines must be score.py's line().
2. The fixture tests/fixtures/eval/kitchen (a three-paragraph story written
   for this test) scores the same way, and its error paths give the
   documented exit statuses: 2 usage, 3 a missing folder or file (named),
   4 invalid gold JSON (file:line).

Prints `N passed, N failed`; exits 1 on any failure, and fails loudly (never
skips) when the corpus or the scorer is missing. Standard library only."""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURE = os.path.join(HERE, 'fixtures', 'eval', 'kitchen')
FIELDS = ('work', 'gold_quotes', 'pred_quotes', 'detect_recall', 'detect_precision',
          'speaker_eligible', 'speaker_correct', 'accuracy', 'accuracy_on_detected', 'by_type',
          'pred_characters', 'mapped_characters', 'detect_f1')
POOLED_FIELDS = ('work', 'works', 'gold_quotes', 'pred_quotes', 'speaker_eligible',
                 'speaker_correct', 'accuracy', 'macro_accuracy', 'detect_recall',
                 'detect_precision', 'by_type')


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=''):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f'FAIL {what}' + (f'\n     {detail}' if detail else ''))
        return ok


def run(cmd, **kw):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


def load_score(path):
    spec = importlib.util.spec_from_file_location('score', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def compare_rows(t, label, ours, theirs, fields):
    for k in fields:
        if not t.check(k in ours and ours[k] == theirs[k], f'{label}: {k}',
                       f'quoth eval {ours.get(k)!r}, score.py {theirs[k]!r}'):
            return
    extra = set(ours) - set(fields)
    t.check(not extra, f'{label}: no fields score.py lacks', f'extra: {sorted(extra)}')


def agreement(t, a, score, dirs, cast, out):
    """quoth eval --json vs tools/corpus_eval.py (score.py) on the same works."""
    label = '+'.join(os.path.basename(d) for d in dirs) + (' cast' if cast else '')
    flag = ['--cast-from-gold'] if cast else []
    t0 = time.monotonic()
    p = run([a.quoth, 'eval', '--json'] + flag + dirs)
    secs = time.monotonic() - t0
    if not t.check(p.returncode == 0, f'{label}: quoth eval --json exits 0', p.stderr.strip()):
        return
    ours = [json.loads(l) for l in p.stdout.splitlines()]
    lines = run([a.quoth, 'eval'] + flag + dirs)
    t.check(lines.returncode == 0, f'{label}: quoth eval exits 0', lines.stderr.strip())

    t1 = time.monotonic()
    q = run([sys.executable, os.path.join(REPO, 'tools', 'corpus_eval.py'), '--quoth', a.quoth,
             '--score', a.score, '--out', os.path.join(out, label.replace(' ', '-')), '--json']
            + flag + dirs)
    psecs = time.monotonic() - t1
    if not t.check(q.returncode == 0, f'{label}: corpus_eval.py exits 0', q.stderr.strip()):
        return
    summary = json.loads(q.stdout)
    theirs = summary['works'] + [summary['pooled']]

    if not t.check(len(ours) == len(theirs), f'{label}: one row per work and POOLED',
                   f'{len(ours)} rows, score.py {len(theirs)}'):
        return
    for o, s in zip(ours[:-1], theirs[:-1]):
        compare_rows(t, f"{label}: {s['work']}", o, s, FIELDS)
    compare_rows(t, f'{label}: POOLED', ours[-1], theirs[-1], POOLED_FIELDS)
    want = [score.line(r) for r in theirs]
    got = lines.stdout.splitlines()
    t.check(got == want, f"{label}: text lines are score.py's line()",
            '\n     '.join(f'{g!r} != {w!r}' for g, w in zip(got, want) if g != w) or
            f'{len(got)} lines, want {len(want)}')
    P = ours[-1]
    print(f"{label:34s} {len(ours) - 1:2d} works  acc={P['accuracy']:.3f} "
          f"det_R={P['detect_recall']:.3f} det_P={P['detect_precision']:.3f}  "
          f"quoth eval {secs:.2f} s, corpus_eval+score.py {psecs:.2f} s")


def expect_error(t, a, what, args, status, needles):
    p = run([a.quoth, 'eval'] + args)
    ok = t.check(p.returncode == status, f'{what}: exit {status}',
                 f'exit {p.returncode}; stderr: {p.stderr.strip()}')
    for n in needles:
        t.check(n in p.stderr, f'{what}: the message says {n!r}', f'stderr: {p.stderr.strip()}')
    if ok:
        t.check(p.stdout == '', f'{what}: nothing on standard output', p.stdout)


def fixture_tests(t, a, score, tmp):
    os.makedirs(tmp)
    # the fixture scores as score.py scores quoth's own output
    result = os.path.join(tmp, 'kitchen.json')
    p = run([a.quoth, os.path.join(FIXTURE, 'text.txt'), '-o', result])
    t.check(p.returncode == 0, 'fixture: quoth runs', p.stderr)
    want = score.score(FIXTURE, result)
    p = run([a.quoth, 'eval', '--json', FIXTURE])
    if t.check(p.returncode == 0, 'fixture: quoth eval exits 0', p.stderr):
        rows = [json.loads(l) for l in p.stdout.splitlines()]
        compare_rows(t, 'fixture', rows[0], want, FIELDS)
        compare_rows(t, 'fixture: POOLED', rows[1], score.pooled([want]), POOLED_FIELDS)
        t.check(rows[0]['gold_quotes'] == 3 and rows[0]['detect_recall'] == 1.0,
                'fixture: all three quotations found', json.dumps(rows[0]))
    # a folder of works, searched one level down; trailing slash; cast
    p = run([a.quoth, 'eval', '--cast-from-gold', os.path.dirname(FIXTURE) + '/'])
    t.check(p.returncode == 0 and p.stdout.startswith('kitchen ') and 'POOLED' in p.stdout,
            'fixture: a folder of works is searched one level down', p.stdout + p.stderr)

    # usage
    expect_error(t, a, 'no GOLD_DIR', [], 2, ['GOLD_DIR'])
    expect_error(t, a, 'unknown option', ['--frobnicate', FIXTURE], 2, ['--frobnicate'])
    p = run([a.quoth, 'eval', '--help'])
    t.check(p.returncode == 0 and 'cast-from-gold' in p.stdout, 'eval --help', p.stderr)

    # missing or unreadable gold: 3, naming the path
    missing = os.path.join(tmp, 'no-such-work')
    expect_error(t, a, 'missing GOLD_DIR', [missing], 3, [missing])
    empty = os.path.join(tmp, 'empty')
    os.makedirs(empty)
    expect_error(t, a, 'a folder with no work', [empty], 3, [empty])

    def copy(name):
        d = os.path.join(tmp, name)
        shutil.copytree(FIXTURE, d)
        return d

    d = copy('no-text')
    os.remove(os.path.join(d, 'text.txt'))
    expect_error(t, a, 'missing text.txt', [d], 3, [os.path.join(d, 'text.txt')])
    d = copy('no-chars')
    os.remove(os.path.join(d, 'characters.json'))
    expect_error(t, a, 'missing characters.json', [d], 3, [os.path.join(d, 'characters.json')])
    d = copy('unreadable')
    os.chmod(os.path.join(d, 'quotes.jsonl'), 0)
    if os.access(os.path.join(d, 'quotes.jsonl'), os.R_OK):  # root reads anything
        os.remove(os.path.join(d, 'quotes.jsonl'))
        os.makedirs(os.path.join(d, 'quotes.jsonl', 'x'))  # still "not a file": not a work
        expect_error(t, a, 'quotes.jsonl a folder', [d], 3, [d])
    else:
        expect_error(t, a, 'unreadable quotes.jsonl', [d], 3, [os.path.join(d, 'quotes.jsonl')])

    # invalid gold JSON: 4, with file:line
    d = copy('bad-chars')
    path = os.path.join(d, 'characters.json')
    with open(path) as f:
        lines = f.read().split('\n')
    lines[3] = lines[3].replace('"Martha Quill",', 'Martha Quill,')  # unquoted, line 4
    with open(path, 'w') as f:
        f.write('\n'.join(lines))
    expect_error(t, a, 'broken characters.json', [d], 4, [f'{path}:4'])
    d = copy('bad-quotes')
    path = os.path.join(d, 'quotes.jsonl')
    with open(path) as f:
        lines = f.read().split('\n')
    lines[1] = lines[1][:40]  # line 2 cut short
    with open(path, 'w') as f:
        f.write('\n'.join(lines))
    expect_error(t, a, 'broken quotes.jsonl', [d], 4, [f'{path}:2'])
    d = copy('bad-spans')
    path = os.path.join(d, 'quotes.jsonl')
    with open(path) as f:
        lines = f.read().split('\n')
    lines[2] = lines[2].replace('"spans"', '"spams"')
    with open(path, 'w') as f:
        f.write('\n'.join(lines))
    expect_error(t, a, 'a quotation without spans', [d], 4, [f'{path}:3'])
    d = copy('bad-character')
    path = os.path.join(d, 'characters.json')
    with open(path, 'w') as f:
        f.write('[{"id": "c0", "aliases": []}]\n')
    expect_error(t, a, 'a character without a name', [d], 4, [path, 'name'])
    # one bad work among good ones still fails the run
    expect_error(t, a, 'a bad work after a good one', [FIXTURE, os.path.join(tmp, 'bad-quotes')], 4,
                 ['quotes.jsonl:2'])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', default=os.path.join(REPO, '..', 'shared', 'corpus'))
    ap.add_argument('--score', default=os.path.join(REPO, '..', 'shared', 'tools', 'score.py'))
    ap.add_argument('--out', help='where corpus_eval.py writes (default: a temporary folder)')
    a = ap.parse_args()
    a.quoth = os.path.abspath(a.quoth)
    a.score = os.path.abspath(a.score)
    corpus = os.path.abspath(a.corpus)
    conv = os.path.join(corpus, 'fanfic', 'conversations')
    pdnc = os.path.join(corpus, 'pdnc-dev')
    for p in (os.path.join(conv, 'quotes.jsonl'), pdnc, a.score):
        if not os.path.exists(p):
            sys.stderr.write(f'eval_test: MISSING {p}: the shared corpus and score.py must be in '
                             f'../shared beside the repository (this test never skips)\n')
            return 1
    if not os.access(a.quoth, os.X_OK):
        sys.stderr.write(f'eval_test: no quoth binary at {a.quoth}\n')
        return 1
    score = load_score(a.score)
    t = Tally()
    with tempfile.TemporaryDirectory(prefix='quoth-eval-test-') as tmp:
        out = os.path.abspath(a.out) if a.out else os.path.join(tmp, 'corpus_eval')
        for dirs in ([conv], [pdnc], [conv, pdnc]):
            for cast in (False, True):
                agreement(t, a, score, dirs, cast, out)
        fixture_tests(t, a, score, os.path.join(tmp, 'fixture'))
    print(f'{t.passed} passed, {t.failed} failed')
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
