#!/usr/bin/python3
"""Diagnostic, not part of quoth: would gradient-boosted trees rank the
candidate speakers better than the ranker's linear model?

    tools/ranker/trees_diag.py [--table out/ranker/cast.tsv] [--objective rank:pairwise]
                               [--depth 4] [--rounds 300]

Reads a labeled feature table of tools/ranker/train.sh (run it, or
`make ranker-weights`, first), and for each work trains XGBoost on the
other works' rows and picks, for each of its quotations, the candidate with
the highest score (leave one work out, as `ranker_train --cv` does). Prints
per work and pooled the quotations whose pick is the gold speaker, next to
the linear conditional logit's figure on the same table (`ranker_train
--cv`). The objective is XGBoost's: rank:pairwise (each quotation a query
group) or binary:logistic.

Needs Debian's python3-xgboost and python3-numpy (apt install
python3-xgboost): a diagnostic's dependency, not quoth's, so
scripts/install-deps.sh does not install them. Runs /usr/bin/python3, where
apt puts them. About three minutes on two cores.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--table', default=os.path.join(HERE, 'out', 'ranker', 'cast.tsv'))
ap.add_argument('--objective', default='rank:pairwise', choices=('rank:pairwise', 'binary:logistic'))
ap.add_argument('--depth', type=int, default=4)
ap.add_argument('--rounds', type=int, default=300)
ap.add_argument('--train', default=os.path.join(HERE, 'build', 'ranker_train'))
a = ap.parse_args()
try:
    import numpy as np
    import xgboost as xgb
except ImportError as e:
    sys.exit(f'trees_diag.py: {e.name} is missing: apt install python3-xgboost python3-numpy '
             '(and run this with /usr/bin/python3)')
if not os.path.exists(a.table):
    sys.exit(f'trees_diag.py: no table {a.table}: run tools/ranker/train.sh (make ranker-weights) first')

with open(a.table) as f:
    head = f.readline().rstrip('\n').split('\t')
    if head[:4] != ['work', 'group', 'label', 'reachable']:
        sys.exit(f'trees_diag.py: {a.table} is not a labeled table (its columns: {" ".join(head[:4])} ...)')
    works, groups, labels, rows = [], [], [], []
    for line in f:
        p = line.rstrip('\n').split('\t')
        works.append(p[0])
        groups.append(int(p[1]))
        labels.append(int(p[2]))
        rows.append([float(v) for v in p[4:]])
X = np.array(rows, dtype=np.float32)
y = np.array(labels)
g = np.array(groups)
W = np.array(works)
print(f'trees_diag.py: {X.shape[0]} rows, {X.shape[1]} features, {len(set(groups))} quotations', file=sys.stderr)


def matrix(mask):
    d = xgb.DMatrix(X[mask], label=y[mask])
    if a.objective.startswith('rank'):
        _, sizes = np.unique(g[mask], return_counts=True)  # a quotation's rows are contiguous
        d.set_group(sizes)
    return d


params = dict(objective=a.objective, max_depth=a.depth, eta=0.1, subsample=0.8, colsample_bytree=0.5,
              min_child_weight=5, tree_method='hist', nthread=os.cpu_count() or 2, seed=1, verbosity=0)
right_all = total_all = 0
for w in sorted(set(works)):
    t0 = time.time()
    model = xgb.train(params, matrix(W != w), num_boost_round=a.rounds)
    test = W == w
    scores = model.predict(xgb.DMatrix(X[test]))
    best = {}
    for gi, s, yi in zip(g[test], scores, y[test]):
        if gi not in best or s > best[gi][0]:
            best[gi] = (s, yi)
    right = sum(int(v[1]) for v in best.values())
    right_all += right
    total_all += len(best)
    print(f'{w:30s} {right:5d} / {len(best):5d}  ({time.time() - t0:.0f} s)', flush=True)
print(f'POOLED trees ({a.objective}, depth {a.depth}, {a.rounds} rounds): {right_all} / {total_all}')
if os.access(a.train, os.X_OK):
    out = subprocess.run([a.train, '--cv', os.path.basename(a.table)], cwd=os.path.dirname(a.table),
                         capture_output=True, text=True, check=True).stdout
    pooled = [l for l in out.splitlines() if l.startswith('POOLED')]
    print('linear conditional logit (ranker_train --cv), same table: ' + (pooled[0] if pooled else '?'))
