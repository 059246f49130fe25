#!/usr/bin/env python3
"""Cross-validated accuracy of the ranker: each work is attributed with a
model trained without it (leave one work out), then scored as score.py does.

    tools/ranker/cv.py [--corpus DIR] [--work DIR] [--json FILE]

Needs the labeled tables of tools/ranker/train.sh (run it first; it leaves
them in out/ranker/). Prints per-work and pooled accuracy with and without a
cast, next to the in-sample figures of the built-in model.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_eval(quoth, dirs, cast, weights=None):
    cmd = [quoth, 'eval', '--json']
    if cast:
        cmd.append('--cast-from-gold')
    if weights:
        cmd += ['--ranker-weights', weights]
    out = subprocess.run(cmd + dirs, check=True, capture_output=True, text=True).stdout
    rows = [json.loads(l) for l in out.splitlines() if l.strip()]
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus', default=os.path.join(HERE, '..', 'shared', 'corpus', 'pdnc-dev'))
    ap.add_argument('--work', default=os.path.join(HERE, 'out', 'ranker'))
    ap.add_argument('--json', help='write the figures here')
    ap.add_argument('--train-args', default='', help='extra ranker_train options, e.g. "--l2 3e-3"')
    a = ap.parse_args()
    quoth = os.path.join(HERE, 'build', 'quoth')
    train = os.path.join(HERE, 'build', 'ranker_train')
    tables = [os.path.join(a.work, t) for t in ('nocast.tsv', 'cast.tsv')]
    if not all(os.path.exists(t) for t in tables):
        sys.exit('cv.py: run tools/ranker/train.sh first (labeled tables missing in %s)' % a.work)
    works = sorted(d for d in os.listdir(a.corpus) if os.path.exists(os.path.join(a.corpus, d, 'quotes.jsonl')))
    result = {}
    for setting, cast in (('nocast', False), ('cast', True)):
        right = total = 0
        per = {}
        types = {}
        for w in works:
            wfile = os.path.join(a.work, f'cv-{w}.txt')
            if not os.path.exists(wfile):
                subprocess.run([train, '--hold-out', w, '-o', wfile] + a.train_args.split() + tables, check=True,
                               capture_output=True)
            row = [r for r in run_eval(quoth, [os.path.join(a.corpus, w)], cast, wfile) if r['work'] != 'POOLED'][0]
            per[w] = row
            right += row['speaker_correct']
            total += row['speaker_eligible']
            for t, v in row['by_type'].items():
                bt = types.setdefault(t, [0, 0])
                bt[0] += v['correct']
                bt[1] += v['total']
        insample = [r for r in run_eval(quoth, [a.corpus], cast) if r['work'] == 'POOLED'][0]
        bytype = {t: round(c / n, 4) for t, (c, n) in sorted(types.items()) if n}
        result[setting] = {'cv_accuracy': right / total, 'cv_correct': right, 'n': total, 'cv_by_type': bytype,
                           'in_sample_accuracy': insample['accuracy'],
                           'per_work_cv': {w: per[w]['accuracy'] for w in works}}
        print(f'{setting:7s} cross-validated {right}/{total} = {right / total:.3f}   '
              f'built-in model (in sample) {insample["accuracy"]:.3f}   cross-validated by type: ' +
              ' '.join(f'{t} {v:.3f}' for t, v in bytype.items()))
        for w in works:
            print(f'    {w:30s} {per[w]["accuracy"]:.3f}')
    if a.json:
        json.dump(result, open(a.json, 'w'), indent=2)


if __name__ == '__main__':
    main()
