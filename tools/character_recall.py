#!/usr/bin/env python3
"""How many of a work's frequent speakers quoth finds without a cast.

usage: character_recall.py [--min N] [--floor F] GOLD_DIR=RESULT.json ...
       character_recall.py [--min N] [--floor F] --pairs LIST   (lines 'GOLD_DIR<TAB>RESULT.json')

For each work: the gold characters with at least N (default 10) quotations,
and how many of them some predicted character maps to, with the mapping
../shared/tools/score.py uses (the predicted name, else the first alias that
names exactly one gold character). Prints per work and pooled; the pooled
share is the figure issue 3 asks for (target >= 0.90)."""
import argparse, collections, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'shared', 'tools'))
try:
    import score as S
except ImportError:
    sys.exit('character_recall.py: cannot import ../shared/tools/score.py (the shared folder must sit beside the repository)')


def work(gold_dir, result, minimum):
    gchars, gq = S.load_gold(gold_dir)
    counts = collections.Counter(q.get('speaker') for q in gq)
    skip = {c['id'] for c in gchars if c['name'] in ('_group', '_unknowable')}
    frequent = {c['id'] for c in gchars if counts[c['id']] >= minimum and c['id'] not in skip}
    out = json.load(open(result, encoding='utf-8'))
    alias = collections.defaultdict(set)
    for c in gchars:
        for a in list(c.get('aliases', [])) + [c['name']]:
            alias[S.norm(a)].add(c['id'])
    found = set()
    for c in out.get('characters', []):
        for n in [c.get('name', '')] + list(c.get('aliases', [])):
            s = alias.get(S.norm(n), set())
            if len(s) == 1:
                found.add(next(iter(s)))
                break
    names = {c['id']: c['name'] for c in gchars}
    missing = sorted(names[i] for i in frequent - found)
    return len(frequent), len(frequent & found), missing


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--min', type=int, default=10)
    ap.add_argument('--floor', type=float, help='exit 1 when the pooled share is below this')
    ap.add_argument('--pairs')
    ap.add_argument('works', nargs='*')
    a = ap.parse_args()
    pairs = [w.split('=', 1) for w in a.works]
    if a.pairs:
        pairs += [l.rstrip('\n').split('\t') for l in open(a.pairs) if l.strip()]
    if not pairs:
        ap.error('no works given')
    tot = hit = 0
    for gold, res in pairs:
        n, h, missing = work(gold, res, a.min)
        tot += n
        hit += h
        name = os.path.basename(os.path.normpath(gold))
        print(f'{name[:28]:28s} {h:3d}/{n:3d} = {h / max(1, n):.3f}  missing: {", ".join(missing) or "-"}')
    share = hit / max(1, tot)
    print(f'{"POOLED":28s} {hit:3d}/{tot:3d} = {share:.3f}')
    if a.floor is not None:
        ok = share >= a.floor
        print(f'{"ok  " if ok else "FAIL"} pooled share {share:.3f} (floor {a.floor:.3f})')
        print(f'{int(ok)} passed, {int(not ok)} failed')
        sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
