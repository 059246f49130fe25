#!/usr/bin/env python3
"""The readers' cost (issue 5): the same story as plain text, as HTML and as
an EPUB, analysed by quoth in one hyperfine run.

usage: readers.py --quoth BIN --corpus DIR [--report FILE] [--raw DIR]

The inputs are built at bench time from DIR/*/text.txt (the PDNC dev novels,
about 6.4 MB, joined in name order) into a temporary folder that is removed
at the end; nothing from the corpus is written into the repository:
  book.txt   the texts joined by blank lines
  book.html  each paragraph a <p> (text escaped), chapter lines <h2>, a
             <head> with a title and a style sheet
  book.epub  the same HTML cut into chapter files of about 100 KB, with an
             OPF, a spine and a nav document (tests/read_fixtures.py)
Reported: hyperfine's mean for each and the ratio to plain text (the
target is at most 2x; the report says whether it was met), plus `--format
text` (reading only, no analysis).
"""
import argparse
import datetime
import glob
import html
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, '..', 'tests'))
import read_fixtures  # noqa: E402

CHAPTER = re.compile(r'^\s*(CHAPTER|Chapter|BOOK|Book|PART|Part)\b.{0,60}$')


def html_paragraphs(text):
    out = []
    for block in re.split(r'\n[ \t]*\n', text):
        b = ' '.join(block.split())
        if not b:
            continue
        if CHAPTER.match(b):
            out.append(f'<h2>{html.escape(b, quote=False)}</h2>')
        else:
            out.append(f'<p>{html.escape(b, quote=False)}</p>')
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--report', default=os.path.join(HERE, 'results', 'readers.md'))
    ap.add_argument('--raw', default=os.path.join(HERE, 'results'))
    ap.add_argument('--runs', type=int, default=5)
    a = ap.parse_args()
    texts = sorted(glob.glob(os.path.join(a.corpus, '*', 'text.txt')))
    if not texts:
        sys.exit(f'readers: no texts at {a.corpus}/*/text.txt')
    joined = '\n\n'.join(open(t, encoding='utf-8').read().strip('\n') for t in texts) + '\n'
    paras = html_paragraphs(joined)
    with tempfile.TemporaryDirectory(prefix='quoth-readers-') as tmp:
        txt = os.path.join(tmp, 'book.txt')
        with open(txt, 'w', encoding='utf-8') as f:
            f.write(joined)
        page = os.path.join(tmp, 'book.html')
        with open(page, 'w', encoding='utf-8') as f:
            f.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Bench</title>'
                    '<style>p { text-indent: 1em; }</style></head><body>\n' + '\n'.join(paras) + '\n</body></html>\n')
        items, cur, size = [], [], 0
        for p in paras:
            cur.append(p)
            size += len(p)
            if size > 100_000:
                items.append(cur)
                cur, size = [], 0
        if cur:
            items.append(cur)
        files = [(f'ch{i:04d}.xhtml', f'ch{i:04d}', read_fixtures.xhtml(f'Part {i}', '\n'.join(c)), None, True)
                 for i, c in enumerate(items)]
        files.append(('nav.xhtml', 'nav', read_fixtures.nav([(n, n) for n, *_ in files]), 'nav', False))
        book = os.path.join(tmp, 'book.epub')
        with open(book, 'wb') as f:
            f.write(read_fixtures.epub_bytes([('title', 'Bench'), ('language', 'en')], files))
        sizes = {n: os.path.getsize(p) for n, p in (('text', txt), ('html', page), ('epub', book))}
        q = shlex.quote(a.quoth)
        cmds = [('text', f'{q} {shlex.quote(txt)} -o /dev/null'),
                ('html', f'{q} {shlex.quote(page)} -o /dev/null'),
                ('epub', f'{q} {shlex.quote(book)} -o /dev/null'),
                ('html, reading only', f'{q} -f text {shlex.quote(page)} -o /dev/null'),
                ('epub, reading only', f'{q} -f text {shlex.quote(book)} -o /dev/null')]
        for name, c in cmds:  # every input must succeed before it is timed
            p = subprocess.run(c, shell=True, capture_output=True)
            if p.returncode:
                sys.exit(f'readers: {name} failed: {p.stderr.decode()}')
        os.makedirs(a.raw, exist_ok=True)
        export = os.path.join(a.raw, 'readers.json')
        cmd = ['hyperfine', '--style', 'basic', '--warmup', '1', '--runs', str(a.runs), '--export-json', export]
        for name, c in cmds:
            cmd += ['-n', name, c]
        sys.stderr.write('readers: ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
        if subprocess.run(cmd, stdout=sys.stderr).returncode:
            sys.exit('readers: hyperfine failed')
    res = {r['command']: r for r in json.load(open(export))['results']}
    base = res['text']['mean']
    L = ['# Readers: the same text as plain text, HTML and EPUB', '',
         f'{datetime.date.today().isoformat()}, `{os.path.basename(a.quoth)}`; the {len(texts)} texts of '
         f'`{os.path.basename(os.path.normpath(a.corpus))}` joined; hyperfine, warmup 1, {a.runs} runs, one command:', '',
         '```', ' '.join(shlex.quote(c) for c in cmd), '```', '',
         '| input | bytes | mean | ± | vs plain text |', '| --- | ---: | ---: | ---: | ---: |']
    for name in ('text', 'html', 'epub', 'html, reading only', 'epub, reading only'):
        r = res[name]
        kind = name.split(',')[0]
        L.append(f'| {name} | {sizes[kind]:,} | {r["mean"]:.3f} s | {r["stddev"]:.3f} | {r["mean"] / base:.2f}x |')
    worst = max(res['html']['mean'], res['epub']['mean']) / base
    L += ['', 'Target: HTML and EPUB within 2x of plain text' + (': met.' if worst <= 2 else f': NOT met ({worst:.2f}x).'),
          '"reading only" is `--format text`: the reader without the analysis.', '']
    with open(a.report, 'w') as f:
        f.write('\n'.join(L))
    print('\n'.join(L))
    return 0


if __name__ == '__main__':
    sys.exit(main())
