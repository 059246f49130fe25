#!/usr/bin/env python3
"""Character-discovery regression guards (issue 3), without a cast file:

1. PDNC dev: the share of gold characters with 10+ quotations that quoth
   finds (tools/character_recall.py) stays at or above --floor.
2. Conversations: exactly two speaking characters, one of them Lex Luthor
   and the other the alien (whatever name it takes: Clark Kent or Kal-El),
   and none of mentioned_only.json among the speakers.

usage: check_characters.py --quoth build/quoth [--corpus DIR] [--floor F] [--out DIR]
Never skips: a missing corpus is a loud failure. Prints `N passed, N failed`."""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', default=os.path.join(REPO, '..', 'shared', 'corpus'))
    ap.add_argument('--floor', type=float, default=0.96)
    ap.add_argument('--out')
    a = ap.parse_args()
    pdnc = os.path.join(a.corpus, 'pdnc-dev')
    conv = os.path.join(a.corpus, 'fanfic', 'conversations')
    for d in (pdnc, conv):
        if not os.path.isdir(d):
            print(f'check_characters: FAILED: the corpus is missing: {os.path.abspath(d)}', file=sys.stderr)
            print('0 passed, 1 failed')
            return 1
    out = a.out or tempfile.mkdtemp(prefix='quoth-characters-')
    passed = failed = 0

    r = subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'corpus_eval.py'), '--quoth', a.quoth,
                        '--out', out, pdnc], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print(r.stdout[-2000:], r.stderr[-2000:], sep='\n')
        print('check_characters: FAILED: corpus_eval.py failed', file=sys.stderr)
        failed += 1
    else:
        r = subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'character_recall.py'), '--floor',
                            str(a.floor), '--pairs', os.path.join(out, 'pairs.tsv')],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        print(r.stdout, end='')
        if r.returncode == 0:
            passed += 1
        else:
            print(r.stderr, file=sys.stderr)
            failed += 1

    p = subprocess.run([a.quoth, os.path.join(conv, 'text.txt')], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    doc = json.loads(p.stdout) if p.returncode == 0 else {'characters': []}
    speakers = [c for c in doc['characters'] if c.get('quotes', 0) > 0]
    names = [c['name'] for c in speakers]
    every = {n.lower() for c in speakers for n in [c['name']] + c.get('aliases', [])}
    mentioned = json.load(open(os.path.join(conv, 'mentioned_only.json'), encoding='utf-8'))
    checks = [
        ('two speaking characters', len(speakers) == 2),
        ('Lex Luthor speaks', 'Lex Luthor' in names),
        ('the alien speaks as Clark Kent or Kal-El',
         any(n in ('Clark Kent', 'Kal-El') for n in names) and 'the alien' in every),
        ('no mentioned-only person speaks', not any(m.lower() in every for m in mentioned)),
    ]
    for what, ok in checks:
        print(f'{"ok  " if ok else "FAIL"} conversations: {what}  (speakers: {names})')
        passed += ok
        failed += not ok
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
