#!/usr/bin/env python3
"""Addressee scores: whom quoth says each line is spoken to, against the
gold's "addressees".

    tools/addressees.py --pairs out/eval/pairs.tsv [--json]

pairs.tsv (written by tools/corpus_eval.py) lists GOLD_DIR<TAB>RESULT.json.
score.py does not score addressees; this does, with its conventions: a gold
quotation counts when it has a real speaker and at least one real addressee
(not _group or _unknowable); its found quotation is the first prediction
whose first span overlaps it most (tools/gold.py's quote_at, as
calibration.py finds it), and predicted characters map to gold ones as
score.py maps speakers. A
quotation not found counts as one with no addressee. Measures, pooled over
the quotations:

- precision: the (quotation, addressee) pairs quoth gives that the gold has;
- recall: the gold's pairs that quoth gives;
- f1: their harmonic mean;
- exact: quotations whose addressees are exactly the gold's;
- first: quotations whose first addressee (the exchange's other side, or
  the one named) is one of the gold's.
"""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gold import Gold  # noqa: E402

MEASURES = ('precision', 'recall', 'f1', 'exact', 'first')


def counts(gold_dir, result_path):
    """The counts of one work (a Counter)."""
    gold = Gold(gold_dir)
    with open(result_path, encoding='utf-8') as f:
        out = json.load(f)
    pch = {c['id']: c for c in out.get('characters', [])}

    def mapc(pid):
        c = pch.get(pid)
        return gold.map_names(c['name'], c.get('aliases', [])) if c else None

    found = {}  # gold quotation index -> the predicted quotation found for it
    index = {id(g): i for i, g in enumerate(gold.quotes)}
    for q in out.get('quotes', []):
        if not q.get('spans'):
            continue
        s, e = q['spans'][0]
        g = gold.quote_at(s, e)
        if g is not None:
            found.setdefault(index[id(g)], q)
    n = collections.Counter()
    for i, g in enumerate(gold.quotes):
        if g.get('speaker') is None or g['speaker'] in gold.skip:
            continue
        want = {a for a in (g.get('addressees') or []) if a not in gold.skip}
        if not want:
            continue
        q = found.get(i)
        got = [mapc(a) for a in (q.get('addressees') or [])] if q else []
        have = {a for a in got if a is not None}
        n['quotations'] += 1
        n['gold_pairs'] += len(want)
        n['pred_pairs'] += len(got)
        n['right_pairs'] += len(want & have)
        n['exact'] += want == have and len(got) == len(have)
        n['first'] += bool(got) and got[0] in want
    return n


def measures(n):
    p = n['right_pairs'] / n['pred_pairs'] if n['pred_pairs'] else 0.0
    r = n['right_pairs'] / n['gold_pairs'] if n['gold_pairs'] else 0.0
    q = n['quotations'] or 1
    return {'quotations': n['quotations'], 'precision': round(p, 4), 'recall': round(r, 4),
            'f1': round(2 * p * r / (p + r), 4) if p + r else 0.0,
            'exact': round(n['exact'] / q, 4), 'first': round(n['first'] / q, 4)}


def score_pairs(pairs_path):
    """{'works': {name: measures}, 'pooled': measures} for a pairs file."""
    works, total = {}, collections.Counter()
    with open(pairs_path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            gd, rp = line.rstrip('\n').split('\t')
            n = counts(gd, rp)
            works[os.path.basename(os.path.normpath(gd))] = measures(n)
            total += n
    return {'works': works, 'pooled': measures(total)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pairs', required=True, help='GOLD_DIR<TAB>RESULT.json lines (corpus_eval.py)')
    ap.add_argument('--json', action='store_true', help='print JSON')
    a = ap.parse_args()
    s = score_pairs(a.pairs)
    if a.json:
        print(json.dumps(s, indent=1))
        return 0
    print(f'{"work":30} {"lines":>6} ' + ' '.join(f'{m:>9}' for m in MEASURES))
    for name, m in list(s['works'].items()) + [('POOLED', s['pooled'])]:
        print(f'{name[:30]:30} {m["quotations"]:6d} ' + ' '.join(f'{m[k]:9.3f}' for k in MEASURES))
    return 0


if __name__ == '__main__':
    sys.exit(main())
