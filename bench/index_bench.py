#!/usr/bin/env python3
"""Benchmark of `quoth index` (docs/index.md): builds a synthetic corpus of
N works (bench/synth_corpus.py: slices of the PDNC dev novels) in a
temporary directory, indexes it into a new database, then measures an
unchanged re-run and the example queries of docs/index.md. Writes a
Markdown report (default bench/results/index.md) and prints it. The corpus
and the database are deleted afterwards unless --keep DIR is given.

usage: bench/index_bench.py --quoth build/quoth [-n 10000] [-j 1] [--keep DIR]
                            [--corpus ../shared/corpus/pdnc-dev] [--out bench/results/index.md]
"""
import argparse
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

QUERIES = [
    ('who speaks most across the corpus (characters.quotes, by name)',
     'SELECT name, sum(quotes) AS lines FROM characters GROUP BY name ORDER BY lines DESC LIMIT 10'),
    ('who speaks most across the corpus (counting quotations)',
     'SELECT c.name, count(*) AS lines FROM quotations q JOIN characters c ON c.id = q.speaker'
     ' GROUP BY c.name ORDER BY lines DESC LIMIT 10'),
    ('who speaks most in one work',
     'SELECT name, quotes FROM characters WHERE work = (SELECT max(id) FROM works)'
     ' ORDER BY quotes DESC LIMIT 5'),
    ('speaker -> addressee counts, whole corpus (top 10)',
     'SELECT s.name, a.name, count(*) AS n FROM quotations q JOIN characters s ON s.id = q.speaker'
     ' JOIN addressees x ON x.quotation = q.id JOIN characters a ON a.id = x.character'
     ' GROUP BY s.name, a.name ORDER BY n DESC LIMIT 10'),
    ("every line of 'Elizabeth Bennet' across works",
     "SELECT w.path, q.qid, q.text FROM quotations q JOIN characters c ON c.id = q.speaker"
     " JOIN works w ON w.id = q.work WHERE c.name = 'Elizabeth Bennet' ORDER BY w.path, q.start"),
    ("FTS: quotations_fts MATCH 'secret' (all rows, by rank)",
     "SELECT q.id, q.text FROM quotations_fts JOIN quotations q ON q.id = quotations_fts.rowid"
     " WHERE quotations_fts MATCH 'secret' ORDER BY rank"),
    ("FTS: MATCH 'secret' LIMIT 20 with speaker and work",
     "SELECT w.path, c.name, q.text FROM quotations_fts JOIN quotations q ON q.id = quotations_fts.rowid"
     " JOIN works w ON w.id = q.work LEFT JOIN characters c ON c.id = q.speaker"
     " WHERE quotations_fts MATCH 'secret' ORDER BY rank LIMIT 20"),
    ("FTS: phrase MATCH '\"my dear\"' count",
     "SELECT count(*) FROM quotations_fts WHERE quotations_fts MATCH '\"my dear\"'"),
]


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    return p, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--quoth', default=os.path.join(HERE, '..', 'build', 'quoth'))
    ap.add_argument('--corpus', default=os.path.join(HERE, '..', '..', 'shared', 'corpus', 'pdnc-dev'))
    ap.add_argument('-n', type=int, default=10000)
    ap.add_argument('--keep', help='build the corpus and the database here and keep them')
    ap.add_argument('--out', default=os.path.join(HERE, 'results', 'index.md'))
    ap.add_argument('-j', '--jobs', default='1', help='quoth index -j (analysis threads)')
    ap.add_argument('--repeat', type=int, default=5, help='runs per query (median reported)')
    args = ap.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix='quoth-index-bench-')
    corpus = os.path.join(work, 'corpus')
    db = os.path.join(work, 'corpus.db')
    try:
        if os.path.exists(db):
            sys.exit(f'index_bench: {db} exists; give an empty --keep directory')
        subprocess.run([sys.executable, os.path.join(HERE, 'synth_corpus.py'), '--corpus',
                        args.corpus, '--out', corpus, '-n', str(args.n)], check=True)
        nbytes = sum(os.path.getsize(os.path.join(d, f))
                     for d, _, fs in os.walk(corpus) for f in fs)

        p, wall = timed([args.quoth, 'index', '-j', args.jobs, '-o', db, corpus])
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB
        err = p.stderr.decode('utf-8', 'replace').strip()
        if p.returncode != 0:
            sys.exit(f'index_bench: quoth index failed ({p.returncode}): {err[-2000:]}')
        summary1 = err.splitlines()[-1]
        p2, wall2 = timed([args.quoth, 'index', '-o', db, corpus])
        summary2 = p2.stderr.decode().strip().splitlines()[-1]
        dbsize = os.path.getsize(db)

        con = sqlite3.connect(db)
        counts = {t: con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]
                  for t in ('works', 'characters', 'aliases', 'quotations', 'addressees', 'sections')}
        rows = []
        for what, sql in QUERIES:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                n = len(con.execute(sql).fetchall())
                times.append(time.perf_counter() - t0)
            rows.append((what, n, statistics.median(times) * 1000, max(times) * 1000))
        sqlite_version = con.execute('SELECT sqlite_version()').fetchone()[0]
        con.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    out = []
    out.append('# quoth index: benchmark\n')
    out.append(f'`bench/index_bench.py -n {args.n} -j {args.jobs}` on {platform.node()} '
               f'({os.cpu_count()} CPUs, {platform.platform()}), '
               f'{time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}; Release build; '
               f'SQLite {sqlite_version} (queries through Python\'s sqlite3).\n')
    out.append(f'Corpus: {args.n} synthetic works (bench/synth_corpus.py: slices of the 15 PDNC '
               f'dev novels, 4-100 KB, log-uniform), {nbytes / 1e6:.1f} MB.\n')
    out.append('| measure | value |\n| --- | --- |')
    out.append(f'| first run (new database), wall | {wall:.1f} s |')
    out.append(f'| works/s | {args.n / wall:.0f} |')
    out.append(f'| MB/s of input | {nbytes / 1e6 / wall:.2f} |')
    out.append(f'| peak RSS of quoth index | {rss / 1024:.0f} MiB |')
    out.append(f'| re-run, every work unchanged, wall | {wall2:.2f} s |')
    out.append(f'| database size | {dbsize / 1e6:.1f} MB ({dbsize / nbytes:.2f} x the input) |')
    out.append('| rows | ' + ', '.join(f'{t} {n}' for t, n in counts.items()) + ' |')
    out.append('')
    out.append(f'Summary lines: `{summary1}` / `{summary2}`\n')
    out.append(f'Queries (docs/index.md), median of {args.repeat} runs, warm cache:\n')
    out.append('| query | rows | median ms | max ms |\n| --- | ---: | ---: | ---: |')
    for what, n, med, mx in rows:
        out.append(f'| {what} | {n} | {med:.1f} | {mx:.1f} |')
    text = '\n'.join(out) + '\n'
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        f.write(text)
    print(text)


if __name__ == '__main__':
    main()
