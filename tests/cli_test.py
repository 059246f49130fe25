#!/usr/bin/env python3
"""The command-line tool's contract: input from a file or stdin, formats,
options, the output file, and one exit code per kind of failure
(0 ok, 2 usage, 3 input unreadable, 4 cast file invalid, 5 limit exceeded,
6 output failed, 70 internal), each failure with a message on stderr.

usage: cli_test.py --quoth build/quoth --examples examples/ [-k NAME]
Prints `N passed, N failed`; exits 1 on any failure. Standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

STORY = 'the-lamplighter.txt'
CAST = 'the-lamplighter.cast'
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, quoth, examples, tmp):
        self.quoth = quoth
        self.examples = examples
        self.tmp = tmp
        self.story = os.path.join(examples, STORY)
        self.cast = os.path.join(examples, CAST)

    def run(self, *args, stdin=None, stdout=subprocess.PIPE):
        p = subprocess.run([self.quoth, *args], input=stdin, stdout=stdout,
                           stderr=subprocess.PIPE, timeout=120)
        assert p.returncode >= 0, f'killed by signal {-p.returncode}: {p.stderr[-2000:]!r}'
        assert b'Sanitizer' not in p.stderr, p.stderr.decode('utf-8', 'replace')[-3000:]
        return p

    def path(self, name, data=None):
        path = os.path.join(self.tmp, name)
        if data is not None:
            with open(path, 'wb') as f:
                f.write(data)
        return path


def expect_exit(p, code, what):
    err = p.stderr.decode('utf-8', 'replace').strip()
    assert p.returncode == code, f'{what}: exit {p.returncode}, wanted {code}; stderr: {err[:500]}'
    if code != 0:
        assert err, f'{what}: exit {code} with no message on stderr'
    return err


def load_json(p):
    return json.loads(p.stdout.decode('utf-8'))


@test
def json_from_file(c):
    p = c.run(c.story)
    expect_exit(p, 0, 'quoth FILE')
    doc = load_json(p)
    for key in ('characters', 'quotes', 'sections', 'paragraphs'):
        assert isinstance(doc.get(key), list), f'no "{key}" array'
    assert len(doc['quotes']) > 40, f'only {len(doc["quotes"])} quotations in the story'
    data = open(c.story, 'rb').read()
    ids = {ch['id'] for ch in doc['characters']}
    for q in doc['quotes']:
        assert q['speaker'] is None or q['speaker'] in ids, f'unknown speaker {q["speaker"]}'
        assert q['type'] in ('explicit', 'anaphoric', 'implicit'), q['type']
        for a in q['addressees']:
            assert a in ids, f'unknown addressee {a}'
        for s, e in q['spans']:
            assert 0 <= s < e <= len(data), f'span {s},{e} outside the input'
            part = data[s:e]
            assert part[:1] != b'"' and part[-1:] != b'"', f'marks inside the span: {part!r}'


@test
def stdin_and_dash_equal_file(c):
    ref = c.run(c.story).stdout
    data = open(c.story, 'rb').read()
    p = c.run(stdin=data)
    expect_exit(p, 0, 'quoth < FILE')
    assert p.stdout == ref, 'stdin output differs from file output'
    p = c.run('-', stdin=data)
    expect_exit(p, 0, 'quoth - < FILE')
    assert p.stdout == ref, "'-' output differs from file output"


@test
def deterministic(c):
    a = c.run(c.story, '--text', '--mentions').stdout
    b = c.run(c.story, '--text', '--mentions').stdout
    assert a == b, 'two runs differ'


@test
def text_and_mentions_flags(c):
    plain = load_json(c.run(c.story))
    assert 'mentions' not in plain, '"mentions" without --mentions'
    assert all('text' not in q for q in plain['quotes']), '"text" without --text'
    doc = load_json(c.run(c.story, '--text', '--mentions'))
    assert isinstance(doc.get('mentions'), list) and doc['mentions'], 'no mentions'
    data = open(c.story, 'rb').read()
    for q in doc['quotes']:
        assert 'text' in q, 'a quotation without "text"'
        if len(q['spans']) == 1:
            s, e = q['spans'][0]
            assert q['text'] == data[s:e].decode('utf-8'), f'text {q["text"]!r} != its span'


@test
def script_format(c):
    for flag in (['-f', 'script'], ['--format', 'script'], ['--format=script']):
        p = c.run(*flag, c.story)
        expect_exit(p, 0, ' '.join(flag))
        out = p.stdout.decode('utf-8')
        lines = [l for l in out.splitlines() if re.match(r"^[A-Z][A-Z0-9 .'-]*: ", l)]
        assert len(lines) > 40, f'only {len(lines)} "NAME: text" lines in the script'
        # the most talkative character's name, in capitals, leads some lines
        chars = load_json(c.run(c.story))['characters']
        top = max(chars, key=lambda ch: ch.get('quotes', 0))['name'].upper()
        assert any(l.startswith(top + ':') for l in lines), f'no line spoken by {top}'


@test
def cast_option(c):
    for flag in ('-c', '--cast'):
        p = c.run(flag, c.cast, c.story)
        expect_exit(p, 0, f'{flag} CAST')
        names = {ch['name'] for ch in load_json(p)['characters']}
        assert {'Tom Ashby', 'Mara Quill', 'Wick'} <= names, f'characters {names}'


@test
def stop_after_each_stage(c):
    for stage in ('segment', 'quotes', 'mentions', 'cast', 'attribute'):
        p = c.run('--stop-after', stage, c.story)
        expect_exit(p, 0, f'--stop-after {stage}')
        doc = load_json(p)
        if stage == 'segment':
            assert doc['quotes'] == [], 'quotations after --stop-after segment'
        if stage in ('quotes', 'mentions'):
            assert doc['quotes'], f'no quotations after --stop-after {stage}'
            assert all(q['speaker'] is None for q in doc['quotes']), \
                f'speakers after --stop-after {stage}'


@test
def output_file(c):
    out = c.path('out.json')
    p = c.run('-o', out, c.story)
    expect_exit(p, 0, '-o FILE')
    assert p.stdout == b'', 'stdout not empty with -o'
    ref = c.run(c.story).stdout
    assert open(out, 'rb').read() == ref, '-o FILE differs from stdout'
    out2 = c.path('out2.txt')
    p = c.run('--output', out2, '--format', 'script', c.story)
    expect_exit(p, 0, '--output FILE')
    assert os.path.getsize(out2) > 0


@test
def output_not_clobbered_on_failure(c):
    out = c.path('keep.json', b'old contents\n')
    p = c.run('-o', out, c.path('does-not-exist.txt'))
    expect_exit(p, 3, 'unreadable input with -o')
    assert open(out, 'rb').read() == b'old contents\n', 'the output file was clobbered'
    leftovers = [f for f in os.listdir(c.tmp) if f.startswith('keep.json') and f != 'keep.json']
    assert not leftovers, f'temporary files left behind: {leftovers}'


@test
def several_formats_one_run(c):
    """-f a,b,c renders each format to its own -o, in order (issue 6)."""
    names = ['json', 'fountain', 'tei', 'html', 'csv', 'ssml', 'voices']
    outs = [c.path(f'all.{n}') for n in names]
    args = ['-f', ','.join(names)]
    for o in outs:
        args += ['-o', o]
    p = c.run(*args, c.story)
    expect_exit(p, 0, '-f with seven formats and seven -o')
    for n, o in zip(names, outs):
        ref = c.run('-f', n, c.story).stdout
        assert open(o, 'rb').read() == ref, f'{n} from a multi-format run differs from -f {n}'
    both = c.run('-f', 'json,csv', c.story).stdout
    assert both == c.run(c.story).stdout + c.run('-f', 'csv', c.story).stdout, \
        'several formats to stdout are not written one after another'
    p = c.run('-f', 'none', c.story)
    expect_exit(p, 0, '-f none')
    assert p.stdout == b'', '-f none wrote something'
    expect_exit(c.run('-f', 'json,tei', '-o', c.path('one.json'), c.story), 2, 'two formats, one -o')
    expect_exit(c.run('-f', 'json,pdf', c.story), 2, 'an unknown format in a list')
    expect_exit(c.run('-f', ',', c.story), 2, 'an empty format list')


@test
def usage_errors_exit_2(c):
    cases = [
        (['--format', 'xml', c.story], 'unknown format'),
        (['--no-such-option', c.story], 'unknown option'),
        (['--stop-after', 'lunch', c.story], 'unknown stage'),
        (['--format'], 'missing argument'),
        ([c.story, c.story], 'two input files'),
    ]
    for args, what in cases:
        expect_exit(c.run(*args), 2, what)


@test
def help_exits_0(c):
    p = c.run('--help')
    expect_exit(p, 0, '--help')
    assert b'--format' in p.stdout + p.stderr, '--help does not mention --format'


@test
def unreadable_input_exit_3(c):
    err = expect_exit(c.run(c.path('missing.txt')), 3, 'missing input')
    assert 'missing.txt' in err, f'the message does not name the file: {err}'
    expect_exit(c.run(c.tmp), 3, 'a directory as input')


@test
def bad_cast_exit_4(c):
    bad = c.path('bad.cast', b'Tom Ashby | Tom | he\n | nobody | she\n')
    err = expect_exit(c.run('-c', bad, c.story), 4, 'invalid cast file')
    assert '2' in err, f'the message does not give the line (2): {err}'
    p = c.run('-c', c.path('no-such.cast'), c.story)
    assert p.returncode in (3, 4), f'missing cast file: exit {p.returncode}, wanted 3 or 4'
    assert p.stderr.strip(), 'missing cast file: no message'


@test
def ranker_developer_options(c):
    # a weights file from disk is read whole (it once lacked its NUL), the
    # feature table lists every candidate, and a bad weights file is a
    # usage error naming its line
    weights = c.path('w.txt', b'# start\nsieve_turn 3\nsieve_tag_pronoun 3\naddressed_in_self -5\n')
    table = os.path.join(c.tmp, 'features.tsv')
    p = c.run('--ranker-weights', weights, '--features', table, c.story)
    expect_exit(p, 0, '--ranker-weights with --features')
    assert load_json(p)['quotes'], 'no quotations with custom weights'
    with open(table, encoding='utf-8') as f:
        head = f.readline().rstrip('\n').split('\t')
        rows = [l.rstrip('\n').split('\t') for l in f]
    assert head[:6] == ['quote', 'start', 'end', 'chosen', 'name', 'aliases'], head[:6]
    assert rows and all(len(r) == len(head) for r in rows), 'feature rows of the wrong width'
    chosen = {}
    for r in rows:
        chosen[r[0]] = chosen.get(r[0], 0) + int(r[3])
    assert all(v == 1 for v in chosen.values()), 'a ranked quotation without exactly one chosen candidate'
    bad = c.path('bad-w.txt', b'prev2 1\nno_such_feature 2\n')
    err = expect_exit(c.run('--ranker-weights', bad, c.story), 2, 'unknown feature in weights')
    assert 'line 2' in err and 'no_such_feature' in err, err


@test
def output_failure_exit_6(c):
    with open('/dev/full', 'wb') as full:
        p = c.run(c.story, stdout=full)
    expect_exit(p, 6, 'stdout on /dev/full')
    p = c.run('-o', os.path.join(c.tmp, 'no-such-dir', 'out.json'), c.story)
    expect_exit(p, 6, '-o into a missing directory')


@test
def empty_and_binary_input(c):
    p = c.run(c.path('empty.txt', b''))
    expect_exit(p, 0, 'empty input')
    doc = load_json(p)
    assert doc['quotes'] == [] and doc['characters'] == []
    p = c.run(c.path('bin.txt', bytes(range(256)) * 64))
    expect_exit(p, 0, 'binary input')
    load_json(p)


@test
def output_never_replaces_special_files(c):
    """-o onto a FIFO writes into it; through a symlink it replaces the
    file the link points to and keeps the link; a new file gets the umask's
    mode (not mkstemp's 0600); -o onto a directory is an output error."""
    import stat
    import threading
    ref = c.run(c.story).stdout
    fifo = os.path.join(c.tmp, 'pipe')
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, 'rb').read()))
    reader.start()
    p = c.run('-o', fifo, c.story)
    reader.join(30)
    expect_exit(p, 0, '-o onto a FIFO')
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), 'the FIFO was replaced by a file'
    assert got and got[0] == ref, 'the FIFO did not receive the result'
    real = c.path('real.json', b'old\n')
    link = os.path.join(c.tmp, 'link.json')
    os.symlink('real.json', link)
    expect_exit(c.run('-o', link, c.story), 0, '-o through a symlink')
    assert os.path.islink(link), 'the symlink was replaced by a file'
    assert open(real, 'rb').read() == ref, 'the file behind the symlink was not written'
    old = os.umask(0o022)
    try:
        new = os.path.join(c.tmp, 'new.json')
        expect_exit(c.run('-o', new, c.story), 0, '-o to a new file')
        assert stat.S_IMODE(os.stat(new).st_mode) == 0o644, oct(os.stat(new).st_mode)
    finally:
        os.umask(old)
    expect_exit(c.run('-o', c.tmp, c.story), 6, '-o onto a directory')


@test
def end_of_options_and_equals_forms(c):
    ref = c.run('--stop-after', 'quotes', c.story).stdout
    p = c.run('--stop-after=quotes', '--', c.story)
    expect_exit(p, 0, '--stop-after=STAGE and --')
    assert p.stdout == ref, '--stop-after=quotes differs from --stop-after quotes'
    dash = c.path('-odd-name.txt', open(c.story, 'rb').read())
    p = c.run('--', dash)
    expect_exit(p, 0, 'a file named like an option after --')


def big_story(c, mb):
    """A story of about mb MB: the example repeated."""
    data = open(c.story, 'rb').read()
    return c.path(f'big{mb}.txt', data * max(1, (mb << 20) // len(data)))


@test
def old_output_survives_failures(c):
    old = b'old contents\n'
    out = c.path('keep.json', old)
    # over a limit (exit 5), a bad cast (exit 4), a second output on a full disk (exit 6)
    deep = c.path('deep.html', b'<html><body>' + b'<div>' * 3000 + b'"Hi," said Ann.')
    expect_exit(c.run('-o', out, deep), 5, 'too deep HTML with -o')
    bad_cast = c.path('bad.cast', b' | nobody\n')
    expect_exit(c.run('-c', bad_cast, '-o', out, c.story), 4, 'bad cast with -o')
    expect_exit(c.run('-f', 'script,json', '-o', '/dev/full', '-o', out, c.story), 6, '/dev/full first')
    assert open(out, 'rb').read() == old, 'a failing run changed the earlier output'
    leftovers = [f for f in os.listdir(c.tmp) if '.tmp.' in f]
    assert not leftovers, f'temporary files left behind: {leftovers}'
    # -o through a hard link to the input: same inode, refused
    link = os.path.join(c.tmp, 'link.txt')
    story = c.path('story.txt', open(c.story, 'rb').read())
    os.link(story, link)
    expect_exit(c.run('-o', link, story), 2, '-o a hard link to the input')
    assert open(story, 'rb').read() == open(c.story, 'rb').read(), 'the input was overwritten'


@test
def interrupt_leaves_no_temporary_file(c):
    import signal
    import time
    big = big_story(c, 12)
    old = b'old contents\n'
    outs = [c.path(f'out{i}.{ext}', old) for i, ext in enumerate(('json', 'html', 'tei', 'csv'))]
    for sig in (signal.SIGINT, signal.SIGTERM):
        for o in outs:
            c.path(os.path.basename(o), old)
        args = [c.quoth, '-f', 'json,html,tei,csv', '--text', '--mentions']
        for o in outs:
            args += ['-o', o]
        p = subprocess.Popen(args + [big], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = False
        deadline = time.monotonic() + 120
        while p.poll() is None and time.monotonic() < deadline:
            if any('.tmp.' in f for f in os.listdir(c.tmp)):
                seen = True
                break
            time.sleep(0.002)
        p.send_signal(sig)
        p.wait(timeout=60)
        p.stderr.close()
        leftovers = [f for f in os.listdir(c.tmp) if '.tmp.' in f]
        assert not leftovers, f'{sig.name}: temporary files left behind: {leftovers}'
        for o in outs:
            data = open(o, 'rb').read()
            # each output is the old one or a complete new one, never a piece
            assert data == old or data.rstrip().endswith((b'}', b'</html>', b'</TEI>', b'"')) or \
                o.endswith('.csv'), f'{sig.name}: {o} is neither old nor complete'
        if seen:
            # on a loaded machine the run may finish between the look at
            # the folder and the signal: then it must have finished whole
            assert p.returncode in (-sig, 0), f'{sig.name}: ended with {p.returncode}, not by the signal'
            if p.returncode == 0:
                for o in outs:
                    assert open(o, 'rb').read() != old, f'{sig.name}: finished, but {o} is the old one'


@test
def broken_pipe_is_quiet(c):
    big = big_story(c, 4)
    sh = subprocess.run(['sh', '-c', f'"{c.quoth}" -f script "{big}" | head -1'],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert sh.returncode == 0 and sh.stdout.count(b'\n') == 1, (sh.returncode, sh.stdout[:200])
    assert sh.stderr == b'', f'noise on a broken pipe: {sh.stderr[:300]!r}'
    # directly: quoth ends by SIGPIPE, as cat and grep do, and says nothing
    for args in (['-f', 'script', big], ['--jsonl']):
        p = subprocess.Popen([c.quoth, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        if args[0] == '--jsonl':
            line = json.dumps({'id': 1, 'path': big}).encode() + b'\n'
            p.stdin.write(line * 20)
        p.stdin.close()
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        p.wait(timeout=120)
        assert p.returncode in (-13, 0, 6), f'{args}: exit {p.returncode}'
        assert err == b'', f'{args}: noise on a broken pipe: {err[:300]!r}'


@test
def optional_libraries_load_on_demand(c):
    """libxml2 and libarchive are opened when an EPUB or an HTML entity needs
    them (src/read/lazy_libs.c): plain text never loads them, and when they
    cannot be loaded an EPUB is a clear error and HTML goes to gumbo."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import read_fixtures
    epub = c.path('book.epub', read_fixtures.epub_bytes(
        [('title', 'T'), ('language', 'en')],
        [('ch1.xhtml', 'ch1', read_fixtures.xhtml('One', '<p>"Hello," said Ann.</p>'), None, True)]))
    page = c.path('page.html', b'<!DOCTYPE html><html><head><title>P</title></head><body>'
                  b'<p>&ldquo;Hello,&rdquo; said Ann. &eacute;</p></body></html>')

    def run(path, env=None):
        return subprocess.run([c.quoth, path, '-f', 'json'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, **(env or {})), timeout=120)

    def loaded(path):
        p = run(path, {'LD_DEBUG': 'files'})
        return p, p.stderr.decode('utf-8', 'replace')
    p, log = loaded(c.story)
    expect_exit(p, 0, 'plain text')
    assert 'libxml2' not in log and 'libarchive' not in log, 'plain text loaded libxml2 or libarchive'
    p, log = loaded(epub)
    expect_exit(p, 0, 'EPUB')
    assert 'libxml2' in log and 'libarchive' in log, 'the EPUB did not load libxml2 and libarchive'
    normal_page = run(page)
    expect_exit(normal_page, 0, 'HTML page')
    # stand-ins without the symbols: what a broken installation would give
    fake = os.path.join(c.tmp, 'fake')
    os.mkdir(fake)
    src = c.path('fake.c', b'int quoth_fake_library;\n')
    for soname in ('libxml2.so.2', 'libarchive.so.13'):
        cc = subprocess.run(['cc', '-shared', '-fPIC', '-o', os.path.join(fake, soname), src],
                            stderr=subprocess.PIPE)
        assert cc.returncode == 0, cc.stderr.decode()
    env = {'LD_LIBRARY_PATH': fake}
    p = run(epub, env)
    err = expect_exit(p, 7, 'EPUB without a usable libarchive')
    assert 'cannot read EPUB' in err and 'libarchive.so.13' in err, err
    p = run(page, env)
    expect_exit(p, 0, 'HTML page without a usable libxml2')
    assert p.stdout == normal_page.stdout, 'gumbo alone read the page differently'
    p = run(c.story, env)
    expect_exit(p, 0, 'plain text without a usable libxml2')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--examples', required=True)
    ap.add_argument('-k', '--filter')
    a = ap.parse_args()
    if not (os.path.isfile(a.quoth) and os.access(a.quoth, os.X_OK)):
        sys.stderr.write(f'cli_test: no quoth executable at {a.quoth}\n')
        return 2
    passed = failed = 0
    for fn in TESTS:
        if a.filter and a.filter not in fn.__name__:
            continue
        with tempfile.TemporaryDirectory(prefix='quoth-cli-') as tmp:
            try:
                fn(Ctx(os.path.abspath(a.quoth), os.path.abspath(a.examples), tmp))
            except AssertionError as e:
                failed += 1
                print(f'FAIL  {fn.__name__}: {e}')
            except (ValueError, KeyError, TypeError, subprocess.TimeoutExpired) as e:
                failed += 1
                print(f'FAIL  {fn.__name__}: {type(e).__name__}: {e}')
            else:
                passed += 1
                print(f'ok    {fn.__name__}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
