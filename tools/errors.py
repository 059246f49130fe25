#!/usr/bin/env python3
"""Show the quotations quoth attributes wrongly, with context, for error
analysis:  tools/errors.py GOLD_DIR RESULT.json [--limit N] [--type T]"""
import json, sys, argparse, collections

ap = argparse.ArgumentParser()
ap.add_argument('gold'); ap.add_argument('result')
ap.add_argument('--limit', type=int, default=40); ap.add_argument('--type')
ap.add_argument('--context', type=int, default=160)
a = ap.parse_args()
text = open(f'{a.gold}/text.txt', 'rb').read()
gchars = json.load(open(f'{a.gold}/characters.json'))
gname = {c['id']: c['name'] for c in gchars}
norm = lambda s: s.lower().replace('.', '').strip()
alias = collections.defaultdict(set)
for c in gchars:
    for n in c.get('aliases', []) + [c['name']]:
        alias[norm(n)].add(c['id'])
res = json.load(open(a.result))
pch = {c['id']: c for c in res['characters']}
def mapc(pid):
    c = pch.get(pid)
    if not c: return None
    for n in [c['name']] + c.get('aliases', []):
        s = alias.get(norm(n), set())
        if len(s) == 1: return next(iter(s))
    return None
pq = res['quotes']
starts = sorted((s[0], s[1], i) for i, q in enumerate(pq) for s in q['spans'])
import bisect
keys = [s[0] for s in starts]
shown = 0; bad = collections.Counter(); rules = collections.Counter()
for l in open(f'{a.gold}/quotes.jsonl'):
    g = json.loads(l)
    if a.type and g.get('type') != a.type: continue
    s, e = g['spans'][0]
    j = bisect.bisect_right(keys, s) - 1
    cand = None
    for k in (j, j + 1):
        if 0 <= k < len(starts) and starts[k][0] < e and starts[k][1] > s:
            cand = pq[starts[k][2]]; break
    got = mapc(cand['speaker']) if cand else None
    if got == g['speaker'] or g['speaker'] is None: continue
    rule = cand['rule'] if cand else 'missed'
    bad[g.get('type')] += 1; rules[rule] += 1
    if shown < a.limit:
        shown += 1
        ctx = text[max(0, s - a.context):e + 60].decode('utf-8', 'replace').replace('\n', ' ')
        gn = gname.get(g['speaker']); pn = pch.get(cand['speaker'], {}).get('name') if cand else None
        print(f"--- {g['id']} gold={gn} ({g.get('type')}, ref={g.get('ref')}) got={pn} rule={rule}")
        print('   ', ctx)
print('wrong by gold type:', dict(bad)); print('wrong by our rule:', dict(rules))
