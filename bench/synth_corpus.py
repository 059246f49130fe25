#!/usr/bin/env python3
"""A synthetic corpus for benchmarking `quoth index`: N works, each a slice
of one of the PDNC dev novels (../shared/corpus/pdnc-dev/*/text.txt), cut
at paragraph boundaries, a few KB to ~100 KB (log-uniform), written as
DIR/NNN/wNNNNN.txt (1,000 works a folder). Deterministic for a seed. The
corpus is made in a directory you name (a temp dir); its text is never
committed.

usage: synth_corpus.py --corpus ../shared/corpus/pdnc-dev --out /tmp/synth -n 10000
                       [--min-kb 4] [--max-kb 100] [--seed 7]
Prints the number of works and bytes written.
"""
import argparse
import math
import os
import random
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--corpus', default=os.path.join(os.path.dirname(__file__), '..', '..',
                                                     'shared', 'corpus', 'pdnc-dev'))
    ap.add_argument('--out', required=True, help='directory to create (must not exist or be empty)')
    ap.add_argument('-n', type=int, default=10000, help='number of works')
    ap.add_argument('--min-kb', type=float, default=4)
    ap.add_argument('--max-kb', type=float, default=100)
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()

    if not os.path.isdir(args.corpus):
        sys.exit(f'synth_corpus: no corpus at {args.corpus}')
    texts = []
    for name in sorted(os.listdir(args.corpus)):
        path = os.path.join(args.corpus, name, 'text.txt')
        if os.path.isfile(path):
            with open(path, 'rb') as f:
                texts.append(f.read())
    if not texts:
        sys.exit(f'synth_corpus: no */text.txt under {args.corpus}')
    if os.path.isdir(args.out) and os.listdir(args.out):
        sys.exit(f'synth_corpus: {args.out} is not empty')

    rng = random.Random(args.seed)
    lo, hi = math.log(args.min_kb * 1024), math.log(args.max_kb * 1024)
    total = 0
    for i in range(args.n):
        text = texts[rng.randrange(len(texts))]
        size = min(int(math.exp(rng.uniform(lo, hi))), len(text))
        start = rng.randrange(0, max(1, len(text) - size))
        # start and end at a paragraph boundary, so quotations are whole
        s = text.find(b'\n\n', start)
        s = 0 if s < 0 else s + 2
        e = text.find(b'\n\n', s + size)
        e = len(text) if e < 0 else e + 1
        folder = os.path.join(args.out, f'{i // 1000:03d}')
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f'w{i:05d}.txt'), 'wb') as f:
            f.write(text[s:e])
        total += e - s
    print(f'{args.n} works, {total} bytes ({total / 1e6:.1f} MB) in {args.out}')


if __name__ == '__main__':
    main()
