#!/usr/bin/env python3
"""Labels the ranker's feature tables with the gold speaker.

    label.py --features-dir DIR [--out FILE] GOLD_DIR...

For every work WORK under the GOLD_DIRs (folders with quotes.jsonl and
characters.json, ../shared/corpus/FORMAT.md) reads DIR/WORK.features.tsv
(written by `quoth eval --features-dir DIR`) and writes one table:

    work  group  label  reachable  <features...>

group numbers one quotation's candidates; label is 1 for the candidate that
names the gold speaker, mapped as score.py maps a predicted character (its
name, else the first alias naming exactly one gold character); reachable is
1 when some candidate is right. Quotations whose gold speaker is missing,
_group or _unknowable, or that match no gold quotation, are left out.
"""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from gold import Gold  # noqa: E402


def works(dirs):
    for d in dirs:
        if os.path.exists(os.path.join(d, 'quotes.jsonl')):
            yield d
            continue
        for name in sorted(os.listdir(d)):
            sub = os.path.join(d, name)
            if os.path.exists(os.path.join(sub, 'quotes.jsonl')):
                yield sub


def read_features(path):
    """A WORK.features.tsv: its feature names and its rows, grouped by
    quotation as {(quote, start, end): [row, ...]} (each row split on tabs:
    quote, start, end, chosen, name, aliases, features...)."""
    rows = collections.defaultdict(list)
    with open(path, encoding='utf-8') as f:
        head = f.readline().rstrip('\n').split('\t')
        for line in f:
            p = line.rstrip('\n').split('\t')
            rows[(int(p[0]), int(p[1]), int(p[2]))].append(p)
    return head[6:], rows


def label(gold, cands, speaker):
    """1 for the candidate that maps to the gold speaker (as score.py maps a
    predicted character; the first when two do), 0 for the others."""
    labels = [1 if speaker is not None and gold.map_names(c[4], [x for x in c[5].split('|') if x]) == speaker
              else 0 for c in cands]
    if sum(labels) > 1:  # two predicted characters map to one gold: keep the first
        first = labels.index(1)
        labels = [1 if i == first else 0 for i in range(len(labels))]
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--features-dir', required=True)
    ap.add_argument('--out', default='-')
    ap.add_argument('gold', nargs='+')
    a = ap.parse_args()
    out = sys.stdout if a.out == '-' else open(a.out, 'w', encoding='utf-8')
    header_done = False
    group = 0
    stats = collections.Counter()
    for wd in works(a.gold):
        work = os.path.basename(os.path.normpath(wd))
        fpath = os.path.join(a.features_dir, work + '.features.tsv')
        if not os.path.exists(fpath):
            sys.exit(f'label.py: {fpath} is missing: run quoth eval --features-dir first')
        gold = Gold(wd)

        feats, rows = read_features(fpath)
        if not header_done:
            out.write('work\tgroup\tlabel\treachable\t' + '\t'.join(feats) + '\n')
            header_done = True
        for (q, s, e), cands in sorted(rows.items()):
            g = gold.speaker_at(s, e)
            if g is None:
                stats['no gold speaker'] += 1
                continue
            labels = label(gold, cands, g)
            reach = 1 if any(labels) else 0
            stats['reachable' if reach else 'unreachable'] += 1
            group += 1
            for c, l in zip(cands, labels):
                out.write(f'{work}\t{group}\t{l}\t{reach}\t' + '\t'.join(c[6:]) + '\n')
    print('label.py: ' + ', '.join(f'{k} {v}' for k, v in sorted(stats.items())), file=sys.stderr)


if __name__ == '__main__':
    main()
