#!/usr/bin/env python3
"""The error table of docs/robustness.md, generated and checked.

usage: error_table.py --quoth build/quoth [--markdown] [-k NAME]

Every bad input a person may give quoth (a missing file, a folder, a file
they cannot read, an empty or binary file, invalid UTF-8, UTF-16, a
damaged or hostile EPUB, a bad cast file or --jsonl line, an output that
cannot be written, -o over the input, a wrong option) is made in a
temporary folder and run. Each case asserts the exit status, that quoth
says something on stderr, that the message names the file (with the line
and column where there is one), and that nothing crashed. --markdown
prints the table (input, command, exit status, message) for
docs/robustness.md, so the table is what the code does, never a copy that
drifts. Prints `N passed, N failed`; exits 1 on any failure. Standard
library only.
"""
import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

STORY = b'"Hello," said Ann.\n\n"Goodbye," said Ben.\n'
CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>')
OPF = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest>'
       '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/>'
       '</spine></package>')


def epub(path, opf=True, bomb_mb=0):
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip', compress_type=zipfile.ZIP_STORED)
        z.writestr('META-INF/container.xml', CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        if opf:
            z.writestr('content.opf', OPF, compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo('c.xhtml')
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, 'w', force_zip64=True) as f:
            f.write(b'<html><body><p>"Hello," said Ann.</p>')
            for _ in range(bomb_mb):
                f.write(b' ' * (1 << 20))
            f.write(b'</body></html>')


class Case:
    def __init__(self, name, code, args, setup=None, stdin=None, names=None, position=None,
                 stdout_check=None, user=None, note='', silent=False):
        self.name, self.code, self.args, self.setup = name, code, args, setup
        self.silent = silent
        self.stdin, self.names, self.position = stdin, names, position
        self.stdout_check, self.user, self.note = stdout_check, user, note


def jsonl_error(out):
    rows = [json.loads(x) for x in out.decode().splitlines()]
    assert len(rows) == 2 and 'result' in rows[0] and 'error' in rows[1], rows
    return rows[1]['error']


def setup_cases(d):
    def w(name, data):
        p = os.path.join(d, name)
        with open(p, 'wb') as f:
            f.write(data)
        return p

    w('story.txt', STORY)
    os.makedirs(os.path.join(d, 'folder'), exist_ok=True)
    w('secret.txt', STORY)
    os.chmod(os.path.join(d, 'secret.txt'), 0)
    w('empty.txt', b'')
    w('binary.bin', bytes((i * 7919) % 256 for i in range(4096)))
    w('latin1.txt', 'Line one.\n\n"Caf\u00e9," said Ann.\n'.encode('latin-1'))
    w('utf16.txt', STORY.decode().encode('utf-16'))
    w('fake-utf16.txt', b'\xff\xfe' + STORY * 2)
    w('nul.txt', b'"Go\0home," said Ann.\n')
    z = io.BytesIO()
    epub(z)
    w('truncated.epub', z.getvalue()[:len(z.getvalue()) // 2])
    epub(os.path.join(d, 'no-opf.epub'), opf=False)
    epub(os.path.join(d, 'bomb.epub'), bomb_mb=40)
    w('deep.html', b'<html><body>' + b'<div>' * 3000 + b'"Hi," said Ann.')
    w('bad.cast', b'Ann | Annie\n | Ben\n')
    w('works.jsonl', b'{"id": 1, "text": "\\"Hi,\\" said Ann."}\n{"id": 2, "text": "unclosed}\n')
    w('plain-file', b'x')
    os.link(os.path.join(d, 'story.txt'), os.path.join(d, 'story-link.txt'))
    w('old.json', b'{"old": true}\n')


CASES = [
    Case('missing file', 3, ['missing.txt'], names='missing.txt'),
    Case('a folder', 3, ['folder'], names='folder'),
    Case('unreadable (no permission)', 3, ['secret.txt'], names='secret.txt', user=65534,
         note='run as an unprivileged user'),
    Case('empty file', 0, ['empty.txt'], names='empty.txt', note='a warning; the result is empty'),
    Case('binary file', 0, ['binary.bin'], names='binary.bin', position=True, note='a warning; read anyway'),
    Case('invalid UTF-8 (Latin-1 text)', 0, ['latin1.txt'], names='latin1.txt:3:5',
         note='a warning with the line and column; read as U+FFFD'),
    Case('NUL bytes', 0, ['nul.txt'], names='nul.txt:1:4', note='a warning'),
    Case('UTF-16 file (BOM)', 0, ['-f', 'script', 'utf16.txt'], names=None,
         stdout_check=lambda o: o.startswith(b'ANN: Hello,'), silent=True, note='decoded to UTF-8, no message'),
    Case('UTF-8 after a UTF-16 BOM', 0, ['fake-utf16.txt'], names='fake-utf16.txt: starts with a UTF-16 byte-order mark',
         note='a warning: read as UTF-16, it is not text'),
    Case('truncated zip', 7, ['truncated.epub'], names='truncated.epub'),
    Case('EPUB without OPF', 7, ['no-opf.epub'], names='no-opf.epub'),
    Case('zip bomb (40 MiB chapter)', 5, ['bomb.epub'], names='bomb.epub'),
    Case('HTML nested 3,000 deep', 5, ['deep.html'], names='deep.html'),
    Case('bad cast file line', 4, ['-c', 'bad.cast', 'story.txt'], names='bad.cast:2'),
    Case('bad --jsonl line', 0, ['--jsonl', 'works.jsonl'], names=None,
         stdout_check=lambda o: 'works.jsonl line 2, column' in jsonl_error(o),
         note='an {"id", "error"} line in the output; the other lines go on'),
    Case('unwritable output folder', 6, ['-o', 'no/such/dir/out.json', 'story.txt'], names='no/such/dir/out.json'),
    Case('-d under a file', 6, ['-d', 'plain-file/out', 'story.txt'], names='plain-file/out'),
    Case('full disk (/dev/full)', 6, ['-o', '/dev/full', 'story.txt'], names='/dev/full'),
    Case('-o equal to the input', 2, ['-o', 'story.txt', 'story.txt'], names='story.txt'),
    Case('-o a hard link to the input', 2, ['-o', 'story-link.txt', 'story.txt'], names='story.txt'),
    Case('unknown option', 2, ['--colour', 'story.txt'], names='--colour'),
    Case('unknown format', 2, ['-f', 'docx', 'story.txt'], names='docx'),
    Case('unknown reader', 2, ['-r', 'pdf', 'story.txt'], names='pdf'),
    Case('two inputs without -d', 2, ['story.txt', 'empty.txt'], names='empty.txt'),
]


def run_case(quoth, d, c):
    cmd = [quoth] + c.args
    pre = []
    if c.user is not None and os.geteuid() == 0:
        setpriv = shutil.which('setpriv')
        if not setpriv:
            return None, 'skipped: running as root without setpriv'
        pre = [setpriv, f'--reuid={c.user}', f'--regid={c.user}', '--clear-groups']
    p = subprocess.run(pre + cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p, None


def check(c, p):
    err = p.stderr.decode('utf-8', 'replace').strip()
    assert p.returncode >= 0, f'killed by signal {-p.returncode}'
    assert 'Sanitizer' not in err and 'runtime error' not in err, err[-2000:]
    assert p.returncode == c.code, f'exit {p.returncode}, expected {c.code}: {err}'
    if c.silent:
        assert not err, f'a message where none is due: {err!r}'
    if c.names:
        assert c.names in err, f'the message does not name {c.names!r}: {err!r}'
    if c.position:
        assert re.search(r'line \d+, column \d+', err), f'no position: {err!r}'
    if c.code:
        assert err, 'no message'
        assert '\n' not in err or c.code == 2, f'more than one line: {err!r}'
    if c.stdout_check:
        assert c.stdout_check(p.stdout), f'unexpected output: {p.stdout[:300]!r}'
    return err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--markdown', action='store_true', help='print the table for docs/robustness.md')
    ap.add_argument('-k', '--filter')
    a = ap.parse_args()
    quoth = os.path.abspath(a.quoth)
    d = tempfile.mkdtemp(prefix='quoth-errors-')
    os.chmod(d, 0o755)  # an unprivileged user reaches secret.txt (and is refused by it)
    rows = []
    passed = failed = 0
    try:
        setup_cases(d)
        for c in CASES:
            if a.filter and a.filter not in c.name:
                continue
            p, skip = run_case(quoth, d, c)
            if skip:
                print(f'skip  {c.name}: {skip}', file=sys.stderr)
                continue
            try:
                err = check(c, p)
                passed += 1
                if not a.markdown:
                    print(f'ok    {c.name:30} exit {p.returncode}')
                rows.append((c, p.returncode, err if err else
                             (jsonl_error(p.stdout) if c.name.startswith('bad --jsonl') else '')))
            except AssertionError as e:
                failed += 1
                print(f'FAIL  {c.name}: {e}', file=sys.stderr)
        # the old output survives a failing run
    finally:
        os.chmod(os.path.join(d, 'secret.txt'), 0o644)
        shutil.rmtree(d)
    if a.markdown:
        print('| input | command | exit | message |')
        print('| --- | --- | --- | --- |')
        for c, code, err in rows:
            msg = err.replace('|', '\\|').replace('\n', '<br>') or '(none)'
            if c.note:
                msg += f' — *{c.note}*'
            cmd = 'quoth ' + ' '.join(c.args)
            print(f'| {c.name} | `{cmd}` | {code} | {msg} |')
    print(f'{passed} passed, {failed} failed', file=sys.stderr if a.markdown else sys.stdout)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
