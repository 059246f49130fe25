#!/usr/bin/env python3
"""Calibration of quoth's confidence: accuracy among the found quotations
whose confidence is at least t, for several t.

    tools/calibration.py --pairs out/eval/pairs.tsv

pairs.tsv (written by tools/corpus_eval.py) lists GOLD_DIR<TAB>RESULT.json.
Characters are mapped to gold ones as score.py maps them; only quotations
that match a gold quotation with a real speaker are counted.
"""
import argparse
import bisect
import collections
import json
import os
import re

NARRATOR = {'_narr', 'narr', 'narrator', 'the narrator', 'i'}
THRESHOLDS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0)


def norm(s):
    s = re.sub(r"[.\u2019'`]", '', s.lower())
    s = re.sub(r'\s+', ' ', s).strip()
    return '__narrator__' if s in NARRATOR else s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pairs', required=True)
    a = ap.parse_args()
    right = collections.Counter()
    total = collections.Counter()
    for line in open(a.pairs, encoding='utf-8'):
        gd, rp = line.rstrip('\n').split('\t')
        chars = json.load(open(os.path.join(gd, 'characters.json'), encoding='utf-8'))
        skip = {c['id'] for c in chars if c['name'] in ('_group', '_unknowable')}
        alias = collections.defaultdict(set)
        for c in chars:
            for n in list(c.get('aliases', [])) + [c['name']]:
                alias[norm(n)].add(c['id'])
        gq = [json.loads(l) for l in open(os.path.join(gd, 'quotes.jsonl'), encoding='utf-8') if l.strip()]
        flat = sorted((s, e, i) for i, q in enumerate(gq) for s, e in q['spans'])
        starts = [f[0] for f in flat]
        out = json.load(open(rp, encoding='utf-8'))
        pch = {c['id']: c for c in out['characters']}

        def mapc(pid):
            c = pch.get(pid)
            if not c:
                return None
            for n in [c['name']] + c.get('aliases', []):
                s = alias.get(norm(n), set())
                if len(s) == 1:
                    return next(iter(s))
            return None

        for q in out['quotes']:
            s, e = q['spans'][0]
            j = bisect.bisect_right(starts, s) - 1
            g = None
            for k in (j, j + 1):
                if 0 <= k < len(flat) and flat[k][0] < e and flat[k][1] > s:
                    g = gq[flat[k][2]]
                    break
            if g is None or g.get('speaker') is None or g['speaker'] in skip:
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
