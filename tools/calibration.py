#!/usr/bin/env python3
"""Calibration of quoth's confidence: accuracy among the found quotations
whose confidence is at least t, for several t.

    tools/calibration.py --pairs out/eval/pairs.tsv

pairs.tsv (written by tools/corpus_eval.py) lists GOLD_DIR<TAB>RESULT.json.
Characters are mapped to gold ones as score.py maps them; only quotations
that match a gold quotation with a real speaker are counted.
"""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gold import Gold  # noqa: E402

THRESHOLDS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0)



def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pairs', required=True)
    a = ap.parse_args()
    right = collections.Counter()
    total = collections.Counter()
    for line in open(a.pairs, encoding='utf-8'):
        gd, rp = line.rstrip('\n').split('\t')
        gold = Gold(gd)
        out = json.load(open(rp, encoding='utf-8'))
        pch = {c['id']: c for c in out['characters']}

        def mapc(pid):
            c = pch.get(pid)
            return gold.map_names(c['name'], c.get('aliases', [])) if c else None

        for q in out['quotes']:
            s, e = q['spans'][0]
            g = gold.quote_at(s, e)
            if g is None or g.get('speaker') is None or g['speaker'] in gold.skip:
                continue
            ok = q.get('speaker') is not None and mapc(q['speaker']) == g['speaker']
            for t in THRESHOLDS:
                if q.get('confidence', 0) >= t:
                    total[t] += 1
                    right[t] += ok
    print('| confidence >= | accuracy | quotations |')
    print('| ---: | ---: | ---: |')
    for t in THRESHOLDS:
        if total[t]:
            print(f'| {t:.1f} | {right[t] / total[t]:.3f} | {total[t]:,} |')


if __name__ == '__main__':
    main()
