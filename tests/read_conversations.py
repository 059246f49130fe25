#!/usr/bin/env python3
"""The Conversations story three ways (issue 5): as plain text, wrapped as an
AO3 HTML download, and as an AO3-style EPUB; quoth must find the same
quotations (same count, same quoted words at the offsets of each extracted
text) with the same speakers, and score exactly as well with score.py once
each result's offsets are mapped back to the original text.

The story is read at test time from the shared corpus beside the repository
(../shared/corpus/fanfic/conversations/text.txt); the HTML and the EPUB are
built in the build tree and never committed. The test fails loudly when the
corpus is missing.

In the HTML the front matter (disclaimer, author's note) becomes the work's
notes (metadata, not text); in the EPUB it stays in the text as chapter 1's
chapter notes, a paratext span, so both ways of handling notes are checked.

usage: read_conversations.py --quoth BUILD/quoth --corpus SHARED/corpus
                             --score SHARED/tools/score.py --out DIR
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import read_fixtures as rf  # noqa: E402


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode:
        sys.exit(f'FAIL: {" ".join(cmd)}: exit {p.returncode}: {p.stderr.decode()}')
    return p.stdout


def split_story(text):
    """Front matter paragraphs, then (heading, paragraphs) per conversation."""
    blocks = [b for b in re.split(r'\n[ \t]*\n', text) if b.strip()]
    for b in blocks:
        if '\n' in b.strip('\n'):
            sys.exit(f'FAIL: a paragraph spans lines; the mapping assumes one line each: {b[:60]!r}')
    front, chapters = [], []
    for b in blocks:
        b = b.strip('\n')
        if re.fullmatch(r'Conversation [IVX]+', b):
            chapters.append((b, []))
        elif chapters:
            chapters[-1][1].append(b)
        else:
            front.append(b)
    return front, chapters


def map_to_original(result, extracted, original):
    """Moves every quotation span from the extracted text to the original, by
    finding each quotation's paragraph in the original (in order)."""
    paras = result['paragraphs']
    starts = [p[0] for p in paras]
    cursor = 0
    where = {}
    out = []
    import bisect
    for q in result['quotes']:
        spans = []
        for s, e in q['spans']:
            i = bisect.bisect_right(starts, s) - 1
            ps, pe, _ = paras[i]
            if i not in where:
                at = original.find(extracted[ps:pe], cursor)
                if at < 0:
                    sys.exit(f'FAIL: paragraph {i} of the extracted text is not in the original: {extracted[ps:pe][:60]!r}')
                where[i] = at
                cursor = at + (pe - ps)
            spans.append([where[i] + s - ps, where[i] + e - ps])
        out.append(dict(q, spans=spans))
    return dict(result, quotes=out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--score', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    gold = os.path.join(a.corpus, 'fanfic', 'conversations')
    src = os.path.join(gold, 'text.txt')
    if not os.path.isfile(src) or not os.path.isfile(a.score):
        sys.exit(f'FAIL: the shared corpus is missing ({src}, {a.score}); it must sit beside the repository')
    os.makedirs(a.out, exist_ok=True)
    original = open(src, 'rb').read()
    text = original.decode('utf-8')
    front, chapters = split_story(text)
    if len(chapters) != 3 or len(front) < 2:
        sys.exit(f'FAIL: expected front matter and three conversations, found {len(front)} and {len(chapters)}')
    tags = [('Rating', ['Teen And Up Audiences']), ('Fandom', ['Smallville']),
            ('Relationship', ['Clark Kent/Lex Luthor']), ('Character', ['Clark Kent', 'Lex Luthor']),
            ('Language', 'English')]
    html_path = os.path.join(a.out, 'conversations.html')
    with open(html_path, 'w', encoding='utf-8') as f:
        f.write(rf.ao3_html('Conversations', 'author', tags, [(t, b, None, None) for t, b in chapters],
                            summary=['Three conversations.'], notes=front, fandom='Smallville'))
    epub_path = os.path.join(a.out, 'conversations.epub')
    with open(epub_path, 'wb') as f:
        f.write(rf.ao3_epub('Conversations', 'author', tags,
                            [(t, b, front if i == 0 else None, None) for i, (t, b) in enumerate(chapters)]))

    results = {}
    for name, path in (('text', src), ('ao3-html', html_path), ('ao3-epub', epub_path)):
        res = json.loads(run([a.quoth, '--text', path]))
        extracted = run([a.quoth, '-f', 'text', path])
        mapped = map_to_original(res, extracted, original)
        mpath = os.path.join(a.out, f'{name}.json')
        with open(mpath, 'w') as f:
            json.dump(mapped, f)
        score = json.loads(run([sys.executable, a.score, gold, mpath, '--json']))
        results[name] = (res, extracted, mapped, score)

    failures = 0
    base_res, _, base_mapped, base_score = results['text']
    names = lambda r: {c['id']: c['name'] for c in r['characters']}  # noqa: E731
    for name in ('ao3-html', 'ao3-epub'):
        res, extracted, mapped, score = results[name]
        problems = []
        if len(res['quotes']) != len(base_res['quotes']):
            problems.append(f'{len(res["quotes"])} quotations, plain text has {len(base_res["quotes"])}')
        for q, b in zip(res['quotes'], base_res['quotes']):
            words = ' '.join(extracted[s:e].decode('utf-8') for s, e in q['spans'])
            if words != ' '.join(original[s:e].decode('utf-8') for s, e in b['spans']):
                problems.append(f'{q["id"]}: {words[:50]!r} differs from the plain text\'s quotation')
            if names(res).get(q['speaker']) != names(base_res).get(b['speaker']):
                problems.append(f'{q["id"]}: speaker {names(res).get(q["speaker"])} vs {names(base_res).get(b["speaker"])}')
        if [q['spans'] for q in mapped['quotes']] != [q['spans'] for q in base_mapped['quotes']]:
            problems.append('spans mapped back to the original differ from the plain text\'s')
        for k in ('accuracy', 'detect_recall', 'detect_precision', 'speaker_correct', 'by_type'):
            if score.get(k) != base_score.get(k):
                problems.append(f'{k} {score.get(k)} vs {base_score.get(k)}')
        if res.get('meta', {}).get('characters') != 'Clark Kent\nLex Luthor':
            problems.append(f'meta characters {res.get("meta", {}).get("characters")!r}')
        for p in problems[:20]:
            print(f'FAIL: {name}: {p}')
        failures += len(problems)
        print(f'{name}: {len(res["quotes"])} quotations, accuracy {score.get("accuracy")} '
              f'(plain text {base_score.get("accuracy")}), {"same" if not problems else "DIFFERENT"}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
