#!/usr/bin/env python3
"""Diagnostic, not part of quoth: would a model of whole conversations beat
the ranker's left-to-right decisions?

    tools/ranker/crf_diag.py [--corpus DIR] [--work DIR] [-k 8] [--epochs 8] [--lr 0.1]
                             [--joint [--elr 0.01]]

1. Dumps the ranker's features with a gold cast and the starting model
   (quoth eval --ranker-weights tools/ranker/start.txt --features-dir), as
   tools/ranker/train.sh does, and attributes every work once with the
   built-in model (tools/corpus_eval.py) for the settled quotations and the
   paragraphs.
2. Emission: a conditional logit on every feature except those that read
   earlier or later guesses (prev1_*, prev2, alternation*, prev3..16,
   next*_guessed, idiolect_run_*), trained without the novel it scores
   (build/ranker_train --hold-out).
3. Transitions between consecutive quotations of one conversation: the
   same speaker again, by where (same paragraph, next one, after
   narration), after a question; the speaker of two quotations back
   (alternation), by where; a third speaker; weights learned by an averaged
   structured perceptron on the other 14 novels, emission on its logit
   scale.
4. Decoding: second-order Viterbi over each conversation on the top k
   candidates of each ranked quotation (the settled ones fixed), against
   the emission alone and greedy left-to-right decoding with the same
   weights.

5. --joint: the emission weights are trained too, with the transitions,
   in the same averaged structured perceptron (starting from the emission
   logit's weights, step --elr; the top k candidates stay the logit's).

Prints per novel and pooled the quotations right among the ranked ones
with a gold speaker. Standard library only; the folds run in parallel, one per core;
about five minutes (eight with --joint).
"""
import argparse
import collections
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(HERE, 'tools'))
from gold import Gold  # noqa: E402
sys.path.insert(0, os.path.join(HERE, 'tools', 'ranker'))
from label import label, read_features  # noqa: E402

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--corpus', default=os.path.join(HERE, '..', 'shared', 'corpus', 'pdnc-dev'))
ap.add_argument('--work', default=os.path.join(HERE, 'out', 'crf'))
ap.add_argument('--quoth', default=os.path.join(HERE, 'build', 'quoth'))
ap.add_argument('-k', type=int, default=8, help='candidates kept per ranked quotation')
ap.add_argument('--epochs', type=int, default=8)
ap.add_argument('--lr', type=float, default=0.1, help='perceptron step of the transition weights')
ap.add_argument('--joint', action='store_true',
                help='also train the emission weights with the transitions (structured perceptron, '
                     'from the emission logit; the top k candidates stay those of the logit)')
ap.add_argument('--elr', type=float, default=0.01, help='perceptron step of the emission weights (--joint)')
a = ap.parse_args()
C, WORK, K, EPOCHS, LR, ALR = a.corpus, a.work, a.k, a.epochs, a.lr, 0.0
if not os.path.isdir(C):
    sys.exit(f'crf_diag.py: corpus {C} not found')
FD = os.path.join(WORK, 'cast')
os.makedirs(FD, exist_ok=True)
os.makedirs(os.path.join(WORK, 'w'), exist_ok=True)
subprocess.run([a.quoth, 'eval', '--ranker-weights', os.path.join(HERE, 'tools', 'ranker', 'start.txt'),
                '--cast-from-gold', '--features-dir', FD, C], check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, os.path.join(HERE, 'tools', 'corpus_eval.py'), '--quoth', a.quoth,
                '--cast-from-gold', '--out', os.path.join(WORK, 'json'), C], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

HIST = {'prev1_same_paragraph', 'prev1_next_paragraph', 'prev1_after_narration', 'prev1_after_narration_long',
        'prev1_after_narration_other_acts', 'prev1_asked', 'prev2', 'alternation', 'alternation_consecutive',
        'prev3', 'prev4_to_6', 'prev7_to_16', 'next1_guessed', 'next2_guessed', 'idiolect_run_same',
        'idiolect_run_other'}
data = {}
full = open(f'{WORK}/full.tsv', 'w'); emis = open(f'{WORK}/emis.tsv', 'w')
group = 0
hdr_done = False
for w in sorted(os.listdir(C)):
    wd = os.path.join(C, w)
    if not os.path.exists(wd + '/quotes.jsonl'):
        continue
    g = Gold(wd)
    feats, rows = read_features(f'{FD}/{w}.features.tsv')
    keep = [i for i, n in enumerate(feats) if n.split('@')[0] not in HIST]
    if not hdr_done:
        full.write('work\tgroup\tlabel\treachable\t' + '\t'.join(feats) + '\n')
        emis.write('work\tgroup\tlabel\treachable\t' + '\t'.join(feats[i] for i in keep) + '\n')
        hdr_done = True
    res = json.load(open(f'{WORK}/json/{w}.json'))
    names = {c['id']: c['name'] for c in res['characters']}
    ranked = {}
    for (q, s, e), cands in sorted(rows.items()):
        gs = g.speaker_at(s, e)
        labels = label(g, cands, gs)
        ranked[s] = dict(q=q, names=[c[4] for c in cands], labels=labels, gold=gs,
                         group=None)
        if gs is not None:
            group += 1
            ranked[s]['group'] = group
            reach = 1 if any(labels) else 0
            for c, l in zip(cands, labels):
                full.write(f'{w}\t{group}\t{l}\t{reach}\t' + '\t'.join(c[6:]) + '\n')
                emis.write(f'{w}\t{group}\t{l}\t{reach}\t' + '\t'.join(c[6:][i] for i in keep) + '\n')
    # the whole sequence: every quotation of the JSON, in order
    seq = []
    for qq in res['quotes']:
        s = qq['spans'][0][0]
        para = qq['paragraph']
        item = dict(start=s, para=para, para_last=para, ranked=s in ranked,
                    locked_name=names.get(qq['speaker']) if s not in ranked else None)
        if s in ranked:
            item.update(ranked[s])
        seq.append(item)
    text = open(wd + '/text.txt', 'rb').read()
    for it, qq in zip(seq, res['quotes']):
        it['asks'] = text[qq['spans'][-1][0]:qq['spans'][-1][1]].rstrip().endswith(b'?')
        between = text[qq['spans'][0][0]:qq['spans'][-1][0]]
        it['para_last'] = it['para'] + len(re.findall(rb'\n[ \t\r]*\n', between))
    data[w] = seq
full.close(); emis.close()
print('labeled ranked quotations', group, file=sys.stderr)

train_bin = os.path.join(os.path.dirname(a.quoth), 'ranker_train')
procs = [subprocess.Popen([train_bin, '--hold-out', w, '-o', f'{WORK}/w/{w}.txt', f'{WORK}/emis.tsv'],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for w in sorted(data)]
for p in procs:
    if p.wait() != 0:
        sys.exit('crf_diag.py: ranker_train failed (make build first)')
works = sorted(data)


def load_w(w):
    d = {}
    for l in open(f'{WORK}/w/{w}.txt'):
        if l.startswith('#') or not l.strip():
            continue
        n, v = l.split()
        d[n] = float(v)
    return d

# emission scores per work, from the model that never saw it (and, for
# --joint, each candidate's emission features: ENAMES, sparse)
ENAMES = None
for w in works:
    W = load_w(w)
    seq = data[w]
    bystart = {it['start']: it for it in seq if it['ranked']}
    with open(f'{FD}/{w}.features.tsv') as f:
        head = f.readline().rstrip('\n').split('\t')
        cols = [(i, W[n]) for i, n in enumerate(head) if i >= 6 and n in W]
        if ENAMES is None:
            ENAMES = [n for i, n in enumerate(head) if i >= 6 and n.split('@')[0] not in HIST]
        ecols = [(j, head.index(n)) for j, n in enumerate(ENAMES)]
        scores = collections.defaultdict(list)
        vecs = collections.defaultdict(list)
        for line in f:
            p = line.rstrip('\n').split('\t')
            s = sum(wt * float(p[i]) for i, wt in cols if p[i] not in ('0', ''))
            scores[int(p[1])].append(s)
            if a.joint:
                vecs[int(p[1])].append([(j, float(p[i])) for j, i in ecols if p[i] not in ('0', '')])
    for s, it in bystart.items():
        it['emis'] = scores[s]
        if a.joint:
            it['vecs'] = vecs[s]

CTX = ('same', 'next', 'gap')
NT = 3 + 3 + 1 + 1 + 1  # see phi

def ctx_of(a, b):
    d = b['para'] - a['para_last']
    if d <= 0:
        return 0
    if d == 1:
        return 1
    return 2 if d <= 4 else None

def segments(seq):
    segs, cur = [], []
    for it in seq:
        if cur and ctx_of(cur[-1], it) is None:
            segs.append(cur); cur = []
        cur.append(it)
    if cur:
        segs.append(cur)
    return segs

CUR_E = None  # --joint: the emission weights being trained (over ENAMES), else the logit's scores


def cands(it):
    if it['ranked'] and it.get('emis'):
        order = sorted(range(len(it['names'])), key=lambda i: -it['emis'][i])[:K]
        if CUR_E is not None:
            return [(it['names'][i], sum(CUR_E[j] * v for j, v in it['vecs'][i]), i) for i in order]
        return [(it['names'][i], it['emis'][i], i) for i in order]
    if it['ranked']:
        return [(None, 0.0, -1)]
    return [(it['locked_name'], 0.0, -1)]

def phi(y2, y1, y, c1, asks1, has2):
    """transition features of y after y1 (and y2 two back)"""
    f = [0.0] * NT
    if y is None or y1 is None:
        return f
    if y == y1:
        f[c1] = 1
        if asks1:
            f[6] = 1
    elif has2 and y2 is not None and y == y2:
        f[3 + c1] = 1
    elif has2 and y2 is not None:
        f[7] = 1  # a third speaker
    else:
        f[8] = 1  # a change of speaker with no one two back
    return f

def dot(a, b):
    return sum(x * y for x, y in zip(a, b))

def viterbi(seg, th, alpha, greedy=False):
    C = [cands(it) for it in seg]
    n = len(seg)
    # state at t: (i_prev, i_cur) indices into C[t-1], C[t]
    ctxs = [None] + [ctx_of(seg[t - 1], seg[t]) for t in range(1, n)]
    if greedy:
        path = []
        for t in range(n):
            best, bs = 0, -1e18
            for i, (y, e, _) in enumerate(C[t]):
                s = alpha * e
                if t > 0:
                    y1 = C[t - 1][path[-1]][0]
                    y2 = C[t - 2][path[-2]][0] if t > 1 else None
                    s += dot(th, phi(y2, y1, y, ctxs[t], seg[t - 1]['asks'], t > 1))
                if s > bs:
                    best, bs = i, s
            path.append(best)
        return path
    # t = 0
    V = {(-1, i): alpha * e for i, (y, e, _) in enumerate(C[0])}
    back = [dict()]
    for t in range(1, n):
        NV, B = {}, {}
        for (ip, ic), sc in V.items():
            y1 = C[t - 1][ic][0]
            y2 = C[t - 2][ip][0] if ip >= 0 else None
            for j, (y, e, _) in enumerate(C[t]):
                s = sc + alpha * e + dot(th, phi(y2, y1, y, ctxs[t], seg[t - 1]['asks'], ip >= 0))
                key = (ic, j)
                if key not in NV or s > NV[key]:
                    NV[key] = s
                    B[key] = ip
        V = NV
        back.append(B)
    (ip, ic) = max(V, key=V.get)
    path = [ic]
    for t in range(n - 1, 0, -1):
        pp = back[t][(ip, ic)]
        path.append(ip)
        ic, ip = ip, pp
    path.reverse()
    return path

def gold_index(it, Ct):
    if not it['ranked']:
        return 0
    if it.get('group') is None:
        return None
    for k, (y, e, i) in enumerate(Ct):
        if i >= 0 and it['labels'][i] == 1:
            return k
    return None

def gold_path(seg, pred):
    """each quotation's candidates, and the gold path (pred where the gold
    speaker is not among them)"""
    C = [cands(it) for it in seg]
    gold = []
    for t, it in enumerate(seg):
        g = gold_index(it, C[t])
        gold.append(pred[t] if g is None else g)
    return C, gold

def feats_path(seg, path):
    C = [cands(it) for it in seg]
    F = [0.0] * (NT + 1)
    for t in range(len(seg)):
        F[NT] += C[t][path[t]][1]
        if t > 0:
            c = ctx_of(seg[t - 1], seg[t])
            y1 = C[t - 1][path[t - 1]][0]
            y2 = C[t - 2][path[t - 2]][0] if t > 1 else None
            f = phi(y2, y1, C[t][path[t]][0], c, seg[t - 1]['asks'], t > 1)
            for k in range(NT):
                F[k] += f[k]
    return F

def evaluate(w, th, alpha, mode):
    right = total = 0
    for seg in segments(data[w]):
        if mode == 'emission':  # each quotation's best candidate alone
            path = [max(range(len(Ct)), key=lambda i, Ct=Ct: Ct[i][1]) for Ct in (cands(it) for it in seg)]
        else:
            path = viterbi(seg, th, alpha, greedy=(mode == 'greedy'))
        C = [cands(it) for it in seg]
        for t, it in enumerate(seg):
            if it['ranked'] and it.get('group') is not None:
                total += 1
                k = path[t]
                i = C[t][k][2]
                right += 1 if i >= 0 and it['labels'][i] == 1 else 0
    return right, total

def train(train_works):
    th = [0.0] * NT; alpha = 1.0
    sum_th = [0.0] * NT; sum_alpha = 0.0; steps = 0
    segs = [s for w in train_works for s in segments(data[w]) if len(s) > 1]
    rnd = random.Random(1)
    for ep in range(EPOCHS):
        rnd.shuffle(segs)
        for seg in segs:
            pred = viterbi(seg, th, alpha)
            C, gold = gold_path(seg, pred)
            if gold != pred:
                Fg = feats_path(seg, gold); Fp = feats_path(seg, pred)
                for k in range(NT):
                    th[k] += LR * (Fg[k] - Fp[k])
                alpha += ALR * (Fg[NT] - Fp[NT])
                alpha = max(alpha, 0.05)
            steps += 1
            for k in range(NT):
                sum_th[k] += th[k]
            sum_alpha += alpha
    return [x / steps for x in sum_th], sum_alpha / steps

def train_joint(train_works, E0):
    """--joint: the transition and the emission weights together, an
    averaged structured perceptron from the emission logit's weights E0"""
    global CUR_E
    E = list(E0)
    th = [0.0] * NT
    uE = [0.0] * len(E)  # the averaging's accumulators: avg = w - u / c
    uth = [0.0] * NT
    c = 1
    segs = [s for w in train_works for s in segments(data[w]) if any(it['ranked'] for it in s)]
    rnd = random.Random(1)
    CUR_E = E
    for ep in range(EPOCHS):
        rnd.shuffle(segs)
        for seg in segs:
            pred = viterbi(seg, th, 1.0)
            C, gold = gold_path(seg, pred)
            if gold != pred:
                Fg = feats_path(seg, gold)
                Fp = feats_path(seg, pred)
                for k in range(NT):
                    d = LR * (Fg[k] - Fp[k])
                    th[k] += d
                    uth[k] += c * d
                for t, it in enumerate(seg):
                    if gold[t] == pred[t] or not it['ranked'] or 'vecs' not in it:
                        continue
                    for i, sign in ((C[t][gold[t]][2], 1.0), (C[t][pred[t]][2], -1.0)):
                        for j, v in it['vecs'][i]:
                            d = sign * a.elr * v
                            E[j] += d
                            uE[j] += c * d
            c += 1
    CUR_E = None
    return [w - u / c for w, u in zip(th, uth)], [w - u / c for w, u in zip(E, uE)]


def fold(w):
    global CUR_E
    others = [x for x in works if x != w]
    r = {}
    if a.joint:
        W = load_w(w)
        th, E = train_joint(others, [W.get(n, 0.0) for n in ENAMES])
        alpha = 1.0
        r['emission'] = evaluate(w, th, alpha, 'emission')  # the logit's own, for reference
        CUR_E = E
    else:
        th, alpha = train(others)
    for mode in ('emission', 'greedy', 'viterbi'):
        if mode == 'emission' and a.joint:
            continue
        r[mode] = evaluate(w, th, alpha, mode)
    if a.joint:
        r['joint_emission'] = evaluate(w, th, alpha, 'emission')
    CUR_E = None
    return w, r, th, alpha


tot = collections.Counter()
modes = ('emission', 'greedy', 'viterbi') + (('joint_emission',) if a.joint else ())
with multiprocessing.Pool(os.cpu_count() or 2) as pool:  # the folds in parallel (fork: data is shared)
    for w, r, th, alpha in pool.imap(fold, works):
        n = r['viterbi'][1]
        for m in modes:
            tot[m] += r[m][0]
        tot['n'] += n
        print(f'{w:30s} n={n:5d} ' + ' '.join(f'{m}={r[m][0]:5d}' for m in modes) +
              f'  alpha={alpha:.2f} th=' + ' '.join(f'{x:.2f}' for x in th), flush=True)
print("POOLED " + " ".join(f"{m}={tot[m]}" for m in modes) + f" of {tot['n']}" +
      (' (greedy, viterbi and joint_emission with the jointly trained weights; emission the logit alone)'
       if a.joint else ''))

# for reference: the built-in ranker (two passes, its own guesses as
# history) on the same quotations, in sample (it was trained on them)
right = total = 0
for w, seq in data.items():
    res = json.load(open(f'{WORK}/json/{w}.json'))
    names = {c['id']: c['name'] for c in res['characters']}
    said = {q['spans'][0][0]: names.get(q['speaker']) for q in res['quotes']}
    for it in seq:
        if it['ranked'] and it.get('group') is not None:
            total += 1
            lab = [n for n, l in zip(it['names'], it['labels']) if l == 1]
            right += 1 if lab and said.get(it['start']) == lab[0] else 0
print(f'built-in ranker, in sample: {right} / {total}')
