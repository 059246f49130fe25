#!/usr/bin/env python3
"""Run quoth over annotated works and score it with ../shared/tools/score.py.

usage: corpus_eval.py [--quoth build/quoth] [--cast-from-gold] [--out DIR]
                      [--score score.py] [--jobs N] [--json] GOLD_DIR...

Each GOLD_DIR is one work (it holds quotes.jsonl) or a folder of works (its
subfolders that hold quotes.jsonl). For every work quoth reads text.txt and
writes DIR/<work>.json (DIR defaults to out/eval, or out/eval-cast with
--cast-from-gold, under the repository); with --cast-from-gold it is given
the cast that tools/cast_from_gold.py makes from the work's characters.json.
Then score.py scores all works at once (--pairs) and its per-work and POOLED
lines are printed; --json prints {"works": [...], "pooled": {...}} instead.
The same summary is always written to DIR/summary.json.

A work on which quoth fails (non-zero exit, timeout, no output) is scored as
an empty result, so the pooled figures never leave it out, and the script
exits 1. A missing corpus, quoth or score.py exits 2 and says where it looked.
Standard library only."""
import argparse
import concurrent.futures
import importlib.util
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import addressees  # noqa: E402
import cast_from_gold  # noqa: E402

EMPTY_RESULT = '{"characters": [], "quotes": []}\n'


def fail(msg, code=2):
    sys.stderr.write(f'corpus_eval: {msg}\n')
    sys.exit(code)


def load_score_module(path):
    spec = importlib.util.spec_from_file_location('score', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def is_work(d):
    return os.path.isfile(os.path.join(d, 'quotes.jsonl'))


def find_works(gold_dirs):
    """(name, path) for every work, in argument order then name order."""
    works = []
    for g in gold_dirs:
        g = os.path.abspath(g)
        if not os.path.isdir(g):
            fail(f'no corpus at {g} (expected a work folder with quotes.jsonl, or a folder '
                 f'of them; the shared corpus lives in ../shared/corpus beside the repository)')
        if is_work(g):
            found = [g]
        else:
            found = sorted(os.path.join(g, s) for s in os.listdir(g)
                           if is_work(os.path.join(g, s)))
        if not found:
            fail(f'{g} holds no annotated work (no quotes.jsonl in it or its subfolders)')
        for w in found:
            for f in ('text.txt', 'characters.json'):
                if not os.path.isfile(os.path.join(w, f)):
                    fail(f'work {w} has no {f}')
            works.append(w)
    named, taken = [], set()
    for w in works:
        name = os.path.basename(w)
        if name in taken:  # same folder name in two collections
            name = os.path.basename(os.path.dirname(w)) + '-' + name
        taken.add(name)
        named.append((name, w))
    return named


def run_quoth(quoth, name, work, out_dir, with_cast, timeout):
    """Runs quoth on one work; returns (name, result_path, seconds, error or None)."""
    result = os.path.join(out_dir, name + '.json')
    cmd = [quoth, os.path.join(work, 'text.txt'), '-f', 'json', '-o', result]
    if with_cast:
        cast = os.path.join(out_dir, name + '.cast.txt')
        with open(cast, 'w', encoding='utf-8') as f:
            f.write(cast_from_gold.cast_text(work))
        cmd += ['-c', cast]
    if os.path.exists(result):
        os.remove(result)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return name, result, time.monotonic() - t0, f'timed out after {timeout} s'
    secs = time.monotonic() - t0
    err = p.stderr.decode('utf-8', 'replace').strip()
    if p.returncode != 0:
        return name, result, secs, f'exit {p.returncode}' + (f': {err}' if err else '')
    if not os.path.isfile(result):
        return name, result, secs, 'exit 0 but no output file'
    try:
        with open(result, encoding='utf-8') as f:
            json.load(f)
    except ValueError as e:
        return name, result, secs, f'output is not JSON: {e}'
    return name, result, secs, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('gold', nargs='+', metavar='GOLD_DIR')
    ap.add_argument('--quoth', default=os.path.join(REPO, 'build', 'quoth'),
                    help='the quoth binary (default: build/quoth)')
    ap.add_argument('--cast-from-gold', action='store_true',
                    help="give quoth a cast made from each work's characters.json")
    ap.add_argument('--out', help='result folder (default: out/eval or out/eval-cast)')
    ap.add_argument('--score', default=os.path.join(REPO, '..', 'shared', 'tools', 'score.py'),
                    help='the scorer (default: ../shared/tools/score.py beside the repository)')
    ap.add_argument('--jobs', type=int, default=2, help='quoth runs at once (default 2)')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per work (default 600)')
    ap.add_argument('--json', action='store_true', help='print a JSON summary')
    a = ap.parse_args()

    score = os.path.abspath(a.score)
    if not os.path.isfile(score):
        fail(f'no scorer at {score} (../shared/tools/score.py beside the repository; '
             f'use --score to point elsewhere)')
    quoth = os.path.abspath(a.quoth)
    if not (os.path.isfile(quoth) and os.access(quoth, os.X_OK)):
        fail(f'no quoth binary at {quoth} (build it first: make, or cmake --build build)')
    works = find_works(a.gold)
    out_dir = os.path.abspath(a.out or os.path.join(
        REPO, 'out', 'eval-cast' if a.cast_from_gold else 'eval'))
    os.makedirs(out_dir, exist_ok=True)

    t0 = time.monotonic()
    failures = {}
    seconds = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        jobs = [pool.submit(run_quoth, quoth, name, path, out_dir, a.cast_from_gold, a.timeout)
                for name, path in works]
        for j in concurrent.futures.as_completed(jobs):
            name, result, secs, err = j.result()
            seconds[name] = secs
            if err:
                failures[name] = err
                sys.stderr.write(f'corpus_eval: quoth failed on {name}: {err}\n')
                with open(result, 'w', encoding='utf-8') as f:
                    f.write(EMPTY_RESULT)
    wall = time.monotonic() - t0
    sys.stderr.write(f'corpus_eval: ran quoth on {len(works)} works in {wall:.1f} s '
                     f'({"with" if a.cast_from_gold else "without"} cast); results in {out_dir}\n')

    pairs = os.path.join(out_dir, 'pairs.tsv')
    with open(pairs, 'w', encoding='utf-8') as f:
        for name, path in works:
            f.write(f'{path}\t{os.path.join(out_dir, name + ".json")}\n')
    p = subprocess.run([sys.executable, score, '--pairs', pairs, '--json'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        fail(f'{score} failed (exit {p.returncode}):\n{p.stderr.strip()}', 1)
    rows = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    summary = {'works': rows[:-1], 'pooled': rows[-1], 'cast_from_gold': a.cast_from_gold,
               'addressees': addressees.score_pairs(pairs),
               'quoth': quoth, 'quoth_seconds': {n: round(s, 3) for n, s in seconds.items()},
               'failed': failures}
    with open(os.path.join(out_dir, 'summary.json'), 'w', encoding='utf-8') as f:
        json.dump(summary, f, indent=1)
        f.write('\n')

    if a.json:
        print(json.dumps(summary, indent=1))
    else:
        line = load_score_module(score).line  # score.py's own line format
        for r in rows:
            print(line(r))
        for name, err in sorted(failures.items()):
            print(f'FAILED {name}: {err}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
