#!/usr/bin/env python3
"""Accuracy regression guard: score quoth on a shared corpus and compare the
pooled figures with the floors in tests/accuracy_floors.json.

usage: check_floors.py --quoth build/quoth --set NAME [--corpus DIR]
                       [--floors FILE] [--out DIR] [--mode plain|cast_from_gold|both]

NAME is a key of the floors file ("conversations", "pdnc"); its "corpus" is
a path below the shared corpus (DIR, default ../shared/corpus beside the
repository). tools/corpus_eval.py runs quoth over it (without a cast, and
with the gold cast for --mode both) and prints a JSON summary; every
measure listed under the mode in the floors file must be >= its floor
(addressee_* ones are tools/addressees.py's, from the summary's "addressees").

Never skips: a missing corpus, scorer, corpus_eval.py or a failed run is a
loud failure (exit 1), so a guard that cannot run is never mistaken for one
that passed. Prints `N passed, N failed` over the checked measures.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def loud(msg):
    bar = '!' * 72
    sys.stderr.write(f'{bar}\ncheck_floors: FAILED: {msg}\n{bar}\n')


def run_eval(args, corpus_dir, mode):
    cmd = [sys.executable, os.path.join(REPO, 'tools', 'corpus_eval.py'), '--quoth', args.quoth,
           '--json', '--out', os.path.join(args.out, f'{args.set}-{mode}')]
    if mode == 'cast_from_gold':
        cmd.append('--cast-from-gold')
    cmd.append(corpus_dir)
    print('$ ' + ' '.join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(p.stderr)
    summary = None
    try:
        summary = json.loads(p.stdout)
    except ValueError:
        pass
    if p.returncode == 2:
        loud(f'corpus_eval could not run (exit 2): {p.stderr.strip()[-500:]}')
        return None
    if p.returncode != 0:
        loud(f'corpus_eval exit {p.returncode}: quoth failed on some work '
             f'({(summary or {}).get("failed")})')
        return None
    if not isinstance(summary, dict) or 'pooled' not in summary:
        loud(f'corpus_eval printed no JSON summary: {p.stdout[:500]!r}')
        return None
    return summary


# Rules that settle a quotation by something in the text: their pick
# carries that evidence (a span), whichever pass of the ranker kept it.
EVIDENCE_RULES = {'tag-after', 'tag-before', 'beat', 'intro', 'narration-before'}


def check_evidence(out_dir):
    """Quotations attributed by an evidence rule with no evidence, or whose
    addressees list someone twice or the speaker, per work."""
    bad = {}
    for name in sorted(os.listdir(out_dir)):
        if not name.endswith('.json') or name.startswith(('pairs', 'summary')):
            continue
        try:
            with open(os.path.join(out_dir, name), encoding='utf-8') as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get('quotes'), list):
            continue
        ids = [q.get('id') for q in doc['quotes']
               if (q.get('rule') in EVIDENCE_RULES and not q.get('evidence'))
               or len(set(q.get('addressees') or [])) != len(q.get('addressees') or [])
               or q.get('speaker') in (q.get('addressees') or [])]
        if ids:
            bad[name] = ids
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--set', required=True, help='a key of the floors file')
    ap.add_argument('--corpus', default=os.path.join(REPO, '..', 'shared', 'corpus'))
    ap.add_argument('--floors', default=os.path.join(HERE, 'accuracy_floors.json'))
    ap.add_argument('--out', default=os.path.join(REPO, 'out', 'floors'),
                    help='where corpus_eval writes its results')
    ap.add_argument('--mode', default='both', choices=['plain', 'cast_from_gold', 'both'])
    args = ap.parse_args()
    args.quoth = os.path.abspath(args.quoth)
    args.out = os.path.abspath(args.out)

    try:
        with open(args.floors, encoding='utf-8') as f:
            floors = json.load(f)
    except (OSError, ValueError) as e:
        loud(f'cannot read floors {args.floors}: {e}')
        return 1
    if args.set not in floors:
        loud(f'no set {args.set!r} in {args.floors}')
        return 1
    entry = floors[args.set]
    corpus_dir = os.path.abspath(os.path.join(args.corpus, entry['corpus']))
    if not os.path.isdir(corpus_dir):
        loud(f'the corpus is missing: no {corpus_dir}. The accuracy guard needs the shared '
             f'corpus beside the repository (../shared/corpus); it never skips.')
        print('0 passed, 1 failed')
        return 1

    modes = ['plain', 'cast_from_gold'] if args.mode == 'both' else [args.mode]
    passed = failed = 0
    for mode in modes:
        want = entry.get(mode)
        if not want:
            loud(f'no floors for mode {mode!r} of set {args.set!r}')
            failed += 1
            continue
        summary = run_eval(args, corpus_dir, mode)
        if summary is None:
            failed += 1
            continue
        bad = check_evidence(os.path.join(args.out, f'{args.set}-{mode}'))
        if bad:
            failed += 1
            loud(f'{args.set}/{mode}: quotations attributed by a rule of the text with no evidence, '
                 f'or listing an addressee twice or the speaker: '
                 + '; '.join(f'{w}: {", ".join(ids[:5])}' for w, ids in bad.items()))
        else:
            passed += 1
            print(f'ok   {args.set}/{mode} every rule-attributed quotation has its evidence; '
                  f'no addressee listed twice or speaking')
        pooled = summary['pooled']
        addr = (summary.get('addressees') or {}).get('pooled') or {}
        for measure, floor in sorted(want.items()):
            # addressee_f1 and the like: tools/addressees.py's measures
            got = addr.get(measure[len('addressee_'):]) if measure.startswith('addressee_') else pooled.get(measure)
            if not isinstance(got, (int, float)):
                loud(f'{args.set}/{mode}: the summary has no {measure!r}')
                failed += 1
                continue
            ok = got + 1e-9 >= floor
            print(f'{"ok  " if ok else "FAIL"} {args.set}/{mode} {measure} = {got:.4f} '
                  f'(floor {floor:.4f})')
            if ok:
                passed += 1
            else:
                failed += 1
                loud(f'{args.set}/{mode}: {measure} fell to {got:.4f}, below its floor '
                     f'{floor:.4f} (tests/accuracy_floors.json)')
        for w in summary.get('works', []):
            if isinstance(w, dict) and 'accuracy' in w:
                print(f'     {str(w.get("work", "?"))[:40]:40} accuracy {w["accuracy"]:.3f}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
