#!/usr/bin/env python3
"""Whole-archive runs (issue 7): `quoth -j N -d OUTDIR FILE|DIR...` and
`quoth --jsonl`, through the CLI.

- the 15 PDNC dev novels (read at test time from ../shared/corpus; the test
  fails when they are missing) give the same results, compared per id after
  parsing, from one `quoth --jsonl`, `quoth --jsonl -j 2`, GNU parallel
  (`parallel --pipe -N 2 -j 2 --keep-order quoth --jsonl`), a batch run
  (`quoth -j 2 -d OUT DIR`) and one `quoth FILE` per novel;
- a batch with a corrupt EPUB, a dangling link and a missing file: the
  others complete, the exit status is not 0, each failure is listed with
  its file and reason, no temporary file is left;
- --resume skips up-to-date outputs (mtimes unchanged) and redoes stale ones;
- -j 1 and -j 2 write byte-identical outputs, in several formats;
- --jsonl answers bad lines with an error line and goes on, in order;
- usage errors, name clashes, the progress bar.

usage: batch_test.py --quoth build/quoth --corpus ../shared/corpus --examples examples [-k NAME]
Prints `N passed, N failed`; exits 1 on any failure. Standard library and
GNU parallel (Debian `parallel`).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, a, tmp):
        self.quoth = os.path.abspath(a.quoth)
        self.corpus = os.path.abspath(a.corpus)
        self.story = os.path.join(os.path.abspath(a.examples), 'the-lamplighter.txt')
        self.tmp = tmp

    def run(self, *args, stdin=None, cwd=None, cmd=None, timeout=900):
        p = subprocess.run(cmd or [self.quoth, *args], input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, cwd=cwd or self.tmp, timeout=timeout)
        assert p.returncode >= 0, f'killed by signal {-p.returncode}: {p.stderr[-2000:]!r}'
        assert b'Sanitizer' not in p.stderr and b'runtime error' not in p.stderr, \
            p.stderr.decode('utf-8', 'replace')[-3000:]
        return p

    def path(self, *parts, data=None):
        path = os.path.join(self.tmp, *parts)
        if data is not None:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
        return path

    def novels(self):
        texts = sorted(glob.glob(os.path.join(self.corpus, 'pdnc-dev', '*', 'text.txt')))
        assert len(texts) == 15, (f'wanted the 15 PDNC dev texts at {self.corpus}/pdnc-dev/*/text.txt, '
                                  f'found {len(texts)}: the shared corpus must sit beside the repository')
        return texts


def expect_exit(p, code, what):
    err = p.stderr.decode('utf-8', 'replace')
    ok = p.returncode == code if code is not None else p.returncode != 0
    assert ok, f'{what}: exit {p.returncode}, wanted {code if code is not None else "not 0"}; stderr: {err[-1500:]}'
    return err


def jsonl_results(out, what):
    """Parses --jsonl output: [(id, result-or-error dict)], each line checked."""
    lines = out.decode('utf-8').split('\n')
    assert lines[-1] == '', f'{what}: output does not end with a newline'
    rows = []
    for n, line in enumerate(lines[:-1], 1):
        obj = json.loads(line)
        assert set(obj) in ({'id', 'result'}, {'id', 'error'}), f'{what}: line {n} has keys {sorted(obj)}'
        rows.append(obj)
    return rows


def no_temporaries(root):
    left = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if '.tmp.' in f]
    assert not left, f'temporary files left behind: {left}'


def mtimes(root):
    return {os.path.relpath(os.path.join(d, f), root): os.stat(os.path.join(d, f)).st_mtime_ns
            for d, _, fs in os.walk(root) for f in fs}


@test
def corpus_same_results_every_way(c):
    texts = c.novels()
    ids = [os.path.basename(os.path.dirname(t)) for t in texts]
    lines = []
    for i, (name, t) in enumerate(zip(ids, texts)):
        # half the lines carry the text, half a path to it
        if i % 2:
            lines.append(json.dumps({'id': name, 'path': t}))
        else:
            lines.append(json.dumps({'id': name, 'text': open(t, encoding='utf-8').read()}))
    data = ('\n'.join(lines) + '\n').encode('utf-8')
    c.path('in.jsonl', data=data)

    def by_id(out, what):
        rows = jsonl_results(out, what)
        assert [r['id'] for r in rows] == ids, f'{what}: ids out of order: {[r["id"] for r in rows]}'
        for r in rows:
            assert 'result' in r, f'{what}: {r["id"]}: {r.get("error")}'
        return {r['id']: r['result'] for r in rows}

    p = c.run('--jsonl', stdin=data)
    expect_exit(p, 0, 'quoth --jsonl')
    one = by_id(p.stdout, 'one quoth --jsonl')
    p = c.run('--jsonl', '-j', '2', stdin=data)
    expect_exit(p, 0, 'quoth --jsonl -j 2')
    assert by_id(p.stdout, 'quoth --jsonl -j 2') == one, 'quoth --jsonl -j 2 differs from -j 1'
    p = c.run('--jsonl', c.path('in.jsonl'))
    expect_exit(p, 0, 'quoth --jsonl FILE')
    assert by_id(p.stdout, 'quoth --jsonl FILE') == one, 'quoth --jsonl FILE differs from stdin'

    parallel = shutil.which('parallel')
    assert parallel, 'GNU parallel is not installed (scripts/install-deps.sh installs it)'
    p = c.run(cmd=[parallel, '--will-cite', '--pipe', '-N', '2', '-j', '2', '--keep-order',
                   c.quoth, '--jsonl'], stdin=data)
    expect_exit(p, 0, 'parallel --pipe -N 2 -j 2 --keep-order quoth --jsonl')
    assert by_id(p.stdout, 'GNU parallel') == one, 'GNU parallel results differ from one quoth --jsonl'

    out = c.path('OUT')
    p = c.run('-j', '2', '-d', out, os.path.join(c.corpus, 'pdnc-dev'))
    err = expect_exit(p, 0, 'quoth -j 2 -d OUT pdnc-dev')
    assert '15 ok' in err and '0 failed' in err, f'summary: {err}'
    no_temporaries(out)
    for name, t in zip(ids, texts):
        batch = open(os.path.join(out, name, 'text.json'), 'rb').read()
        assert json.loads(batch) == one[name], f'{name}: the batch output differs from --jsonl'
        single = c.run(t)
        expect_exit(single, 0, f'quoth {t}')
        assert single.stdout == batch, f'{name}: the batch output differs from quoth FILE byte for byte'


def damaged_tree(c):
    story = open(c.story, 'rb').read()
    root = c.path('in')
    c.path('in', 'good.txt', data=story)
    c.path('in', 'deep', 'er', 'also.md', data=story)
    c.path('in', 'notes.json', data=b'{}')  # not a readable extension: ignored
    c.path('in', '.hidden', 'x.txt', data=story)  # hidden: ignored
    c.path('in', 'broken.epub', data=b'PK\x03\x04' + b'\x00' * 40 + b'not a zip at all')
    os.symlink(c.path('nowhere.txt'), c.path('in', 'gone.txt'))
    return root


@test
def failures_do_not_stop_the_others(c):
    root = damaged_tree(c)
    out = c.path('OUT')
    missing = c.path('missing.txt')
    p = c.run('-j', '2', '-d', out, root, missing)
    err = expect_exit(p, None, 'a batch with failures')
    for good in ('good.json', 'deep/er/also.json'):
        doc = json.load(open(os.path.join(out, good)))
        assert doc['quotes'], f'{good}: no quotations'
    assert sorted(mtimes(out)) == ['deep/er/also.json', 'good.json'], f'outputs: {sorted(mtimes(out))}'
    listing = err[err.index('failed works:'):]
    for bad, why in (('broken.epub', ''), ('gone.txt', 'No such file'), ('missing.txt', 'No such file')):
        line = [l for l in listing.splitlines() if bad in l]
        assert line and why in line[0], f'{bad} not listed with "{why}" among the failures:\n{listing}'
    assert '2 ok' in err and '3 failed' in err, f'summary: {err}'
    no_temporaries(out)
    assert p.returncode in (3, 7), f'exit {p.returncode}: the first failed work is the EPUB (7) or a file (3)'


@test
def resume_skips_fresh_and_redoes_stale(c):
    story = open(c.story, 'rb').read()
    root = c.path('in')
    for name in ('a.txt', 'b.txt', 'sub/c.md'):
        c.path('in', name, data=story)
    out = c.path('OUT')
    expect_exit(c.run('-d', out, '-f', 'json,csv', root), 0, 'first run')
    first = mtimes(out)
    assert len(first) == 6, f'outputs: {sorted(first)}'
    time.sleep(0.05)
    p = c.run('--resume', '-d', out, '-f', 'json,csv', root)
    err = expect_exit(p, 0, '--resume, nothing changed')
    assert '0 ok, 3 skipped' in err, f'summary: {err}'
    assert mtimes(out) == first, 'an up-to-date output was rewritten'
    # b.txt changed after its outputs; a's csv was deleted
    future = time.time() + 5
    os.utime(c.path('in', 'b.txt'), (future, future))
    os.unlink(os.path.join(out, 'a.csv'))
    p = c.run('--resume', '-d', out, '-f', 'json,csv', root)
    err = expect_exit(p, 0, '--resume, b stale, a incomplete')
    assert '2 ok, 1 skipped' in err, f'summary: {err}'
    now = mtimes(out)
    assert now['sub/c.json'] == first['sub/c.json'] and now['sub/c.csv'] == first['sub/c.csv'], \
        'the up-to-date work was redone'
    assert now['b.json'] != first['b.json'] and now['a.json'] != first['a.json'], 'stale works were not redone'
    # without --resume everything is redone
    p = c.run('-d', out, '-f', 'json,csv', root)
    assert '3 ok' in expect_exit(p, 0, 'no --resume')
    no_temporaries(out)


@test
def jobs_1_and_2_identical(c):
    story = open(c.story, 'rb').read()
    root = c.path('in')
    words = story.split(b'\n\n')
    for i in range(12):  # twelve different works
        c.path('in', f'w{i:02}.txt', data=b'\n\n'.join(words[i * 5:]))
    formats = 'json,tei,csv,script,text'
    expect_exit(c.run('-j', '1', '-d', c.path('one'), '-f', formats, '--text', root), 0, '-j 1')
    expect_exit(c.run('-j', '2', '-d', c.path('two'), '-f', formats, '--text', root), 0, '-j 2')
    one, two = mtimes(c.path('one')), mtimes(c.path('two'))
    assert sorted(one) == sorted(two) and len(one) == 60, f'{len(one)} and {len(two)} outputs'
    for rel in one:
        a = open(os.path.join(c.path('one'), rel), 'rb').read()
        b = open(os.path.join(c.path('two'), rel), 'rb').read()
        assert a == b, f'{rel} differs between -j 1 and -j 2'
    assert open(os.path.join(c.path('one'), 'w00.text.txt'), 'rb').read() == story, '-f text is not the input'


@test
def jsonl_bad_lines(c):
    good = json.dumps({'id': 'ok1', 'text': '"Go home," Lex said.\n'})
    lines = [
        good,
        'this is not json',
        json.dumps({'text': 'no id here'}),
        '',  # blank: skipped
        json.dumps({'id': 7, 'path': c.path('no-such-file.txt')}),
        json.dumps({'id': 'both', 'text': 'x', 'path': c.story}),
        json.dumps({'id': 'neither'}),
        json.dumps({'id': 'num', 'text': 42}),
        '[1, 2]',
        json.dumps({'id': 'dir', 'path': c.tmp}),
        json.dumps({'id': 'ok2', 'path': c.story}),
    ]
    data = ('\n'.join(lines) + '\n').encode()
    for jobs in ('1', '3'):
        p = c.run('--jsonl', '-j', jobs, stdin=data)
        expect_exit(p, 0, f'--jsonl -j {jobs} with bad lines')
        rows = jsonl_results(p.stdout, '--jsonl')
        assert [r['id'] for r in rows] == ['ok1', None, None, 7, 'both', 'neither', 'num', None, 'dir', 'ok2'], \
            f'-j {jobs}: ids {[r["id"] for r in rows]}'
        kinds = ['result' if 'result' in r else 'error' for r in rows]
        assert kinds == ['result'] + ['error'] * 8 + ['result'], f'-j {jobs}: {kinds}'
        assert 'line 2' in rows[1]['error'] and 'line 3' in rows[2]['error'], rows[1:3]
        assert 'no-such-file' in rows[3]['error'], rows[3]
        ref = json.loads(c.run(c.story).stdout)
        assert rows[-1]['result'] == ref, '--jsonl path result differs from quoth FILE'
        assert rows[0]['result']['quotes'][0]['speaker'] == rows[0]['result']['characters'][0]['id']


@test
def usage_errors(c):
    s = c.story
    expect_exit(c.run('-j', '2', '-o', c.path('x.json'), s), 2, 'batch with -o')
    expect_exit(c.run('-j', 'lots', s), 2, '-j lots')
    expect_exit(c.run('-j', '-1', s), 2, '-j -1')
    expect_exit(c.run('-d', c.path('o'), '-'), 2, 'batch from stdin')
    expect_exit(c.run('-d', c.path('o')), 2, 'batch with no inputs')
    expect_exit(c.run('--jsonl', '-f', 'tei'), 2, '--jsonl -f tei')
    expect_exit(c.run('--jsonl', '-d', c.path('o')), 2, '--jsonl -d')
    c.path('file', data=b'x')
    expect_exit(c.run('-d', c.path('file'), s), 6, '-d naming a file')
    # a single file with no batch option is still a single run to stdout
    p = c.run(s)
    assert p.returncode == 0 and p.stdout.startswith(b'{'), 'a single input is not a single run'


@test
def name_clash_and_no_d(c):
    story = open(c.story, 'rb').read()
    c.path('in', 'a.txt', data=story)
    c.path('in', 'a.md', data=story)
    p = c.run('-j', '2', '-d', 'in/out', 'in')  # the output folder inside the input folder
    err = expect_exit(p, 6, 'two works with one output name')
    assert 'the same as for' in err, err
    assert os.path.isfile(c.path('in', 'out', 'a.json')), 'no output for the first work'
    assert not os.path.exists(c.path('in', 'out', 'out')), 'the output folder was walked'
    # without -d: one input at a time, as before batch runs existed
    expect_exit(c.run('in/a.txt', 'in/a.md'), 2, 'two inputs without -d')
    assert '-d OUTDIR' in expect_exit(c.run('-j', '2', 'in/a.txt'), 2, '-j without -d')
    expect_exit(c.run('--resume', 'in'), 2, '--resume without -d')
    assert '-d OUTDIR' in expect_exit(c.run('in'), 3, 'a folder without -d')
    assert not os.path.exists(c.path('quoth-out')), 'an output folder nobody asked for'


@test
def progress_bar(c):
    c.path('in', 'a.txt', data=open(c.story, 'rb').read())
    p = c.run('--progress', '-d', c.path('o'), 'in')
    err = expect_exit(p, 0, '--progress')
    assert '1/1 works' in err and 'works/s' in err and 'ETA' in err, err
    p = c.run('-d', c.path('o'), 'in')  # stderr is a pipe: no bar
    err = expect_exit(p, 0, 'no terminal')
    assert 'ETA' not in err and '1 works: 1 ok' in err, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--examples', required=True)
    ap.add_argument('-k', '--filter')
    a = ap.parse_args()
    if not (os.path.isfile(a.quoth) and os.access(a.quoth, os.X_OK)):
        sys.stderr.write(f'batch_test: no quoth executable at {a.quoth}\n')
        return 2
    passed = failed = 0
    for fn in TESTS:
        if a.filter and a.filter not in fn.__name__:
            continue
        with tempfile.TemporaryDirectory(prefix='quoth-batch-') as tmp:
            try:
                fn(Ctx(a, tmp))
            except AssertionError as e:
                failed += 1
                print(f'FAIL  {fn.__name__}: {e}')
            except (ValueError, KeyError, TypeError, OSError, subprocess.TimeoutExpired) as e:
                failed += 1
                print(f'FAIL  {fn.__name__}: {type(e).__name__}: {e}')
            else:
                passed += 1
                print(f'ok    {fn.__name__}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
