#!/usr/bin/env python3
"""The readers through the CLI (issue 5): each fixture of tests/fixtures/read/
and the EPUBs tests/read_fixtures.py builds, read by content, with the text
extracted (`--format text`), sections, metadata, paratext kept out of
attribution, and the same speakers as the same story in plain text; then bad
inputs: each fails with the file named and its exit code (3 unreadable, 5
over a limit, 7 invalid in its format), in bounded time and memory.

usage: read_test.py --quoth BUILD/quoth --out DIR
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures', 'read')
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import read_fixtures  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(quoth, *args, timeout=120):
    p = subprocess.run([quoth, *args], capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def analyse(quoth, path, *extra):
    rc, out, err = run(quoth, '--text', *extra, path)
    check(rc == 0, f'{path}: exit {rc}: {err}')
    if rc:
        return None, b''
    rc, text, err = run(quoth, '-f', 'text', *extra, path)
    check(rc == 0, f'{path} -f text: exit {rc}: {err}')
    return json.loads(out), text


def speakers(d):
    names = {c['id']: c['name'] for c in d['characters']}
    return [names.get(q['speaker']) for q in d['quotes']]


def offsets_refer_to_text(name, d, text):
    """Every quotation's spans slice the extracted text into its quoted words."""
    for q in d['quotes']:
        got = ' '.join(text[s:e].decode('utf-8') for s, e in q['spans'])
        check(got == q['text'] or q['text'].replace('\n', ' ') == got.replace('\n', ' '),
              f'{name}: {q["id"]} spans give {got!r}, text says {q["text"]!r}')


def paratext_unattributed(name, d, text, *needles):
    para = [(s, e) for s, e, kind in d['paragraphs'] if kind == 'paratext']
    for q in d['quotes']:
        for s, e in q['spans']:
            check(not any(ps <= s < pe for ps, pe in para), f'{name}: {q["id"]} lies in paratext')
    for n in needles:
        at = text.find(n.encode('utf-8'))
        check(at >= 0, f'{name}: {n!r} not in the text')
        check(any(ps <= at < pe for ps, pe in para), f'{name}: {n!r} is not paratext')


def lantern_plain(story):
    """The fixture story as plain text, chapter headings and all."""
    parts = [f'Chapter 1: {story.CH1_TITLE}', *story.CH1, f'Chapter 2: {story.CH2_TITLE}', *story.CH2]
    return '\n\n'.join(parts) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    quoth, out = a.quoth, a.out
    os.makedirs(out, exist_ok=True)
    read_fixtures.write_all(out)
    story = read_fixtures.lantern()

    plain = os.path.join(out, 'lantern.txt')
    with open(plain, 'w', encoding='utf-8') as f:
        f.write(lantern_plain(story))
    d, text = analyse(quoth, plain)
    both = speakers(d)
    check(both == ['Tobias Fenn', 'Mara Quill'] * 3 + ['Tobias Fenn'] * 3 + ['Mara Quill', 'Tobias Fenn', 'Mara Quill'],
          f'plain Lantern speakers {both}')
    check('meta' not in d, 'plain text has no metadata')
    check(text == open(plain, 'rb').read(), '-f text of plain text is the file itself')
    ch1 = both[:7]

    # ---- each reader on its fixture -------------------------------------------------
    cases = [
        # name, path, reader, speakers, section titles, paratext needles, meta subset, absent from text
        ('ao3-multi', os.path.join(FIX, 'ao3-multi.html'), 'ao3', both,
         ['Chapter 1: The Crossing', 'Chapter 2: The Lamp'],
         ['Thank you', 'Reviews are love', 'The last chapter.'],
         {'title': 'The Lantern Keeper', 'author': 'quoth_tests', 'fandom': 'Original Work', 'language': 'English',
          'summary': 'A ferry, a lighthouse gone dark, and a keeper who arrives exactly on time.',
          'characters': 'Mara Quill\nTobias Fenn\nOriginal Female Character(s)\nAgnes Bell\nKara Danvers | Supergirl',
          'source': 'http://archiveofourown.org/works/000001', 'site': 'ao3'},
         ['Posted originally', 'General Audiences', 'drop by the archive', 'See the end', 'Written for quoth',
          'Thanks for reading', '#chapters']),
        ('ao3-single', os.path.join(FIX, 'ao3-single.html'), 'ao3', ch1, [''], [],
         {'title': 'The Crossing', 'characters': 'Mara Quill\nTobias Fenn'}, ['Summary', 'Posted originally']),
        ('ffn', os.path.join(FIX, 'ffn.html'), 'ffn', ch1, ['# 1. The Crossing', '* * *'], ['Disclaimer'],
         {'title': 'The Lantern Keeper', 'author': 'quoth tests', 'language': 'English', 'fandom': 'Original',
          'genre': 'Drama/Friendship', 'characters': 'Mara Q.\nTobias F.', 'rating': 'Fiction K+',
          'source': 'https://www.fanfiction.net/s/1234567/1/The-Lantern-Keeper', 'site': 'ffn'},
         ['Follow/Fav', 'Post Review', 'Nobody."', 'unleash', 'Rated', 'Terms of Service', 'Next']),
        ('fanficfare', os.path.join(FIX, 'fanficfare.html'), 'fanficfare', both,
         ['# The Crossing', '* * *', '# The Lamp'], ['Thank you'],
         {'title': 'The Lantern Keeper', 'author': 'quoth tests', 'characters': 'Mara Q.\nTobias F.',
          'language': 'English', 'site': 'fanficfare'},
         ['Category', 'Packaged', 'CI {']),
        ('markdown', os.path.join(FIX, 'story.md'), 'markdown',
         ch1 + ['Tobias Fenn', 'Mara Quill'], ['# The Lantern Keeper', '## Chapter 1', '* * *', '## Chapter 2'], [],
         {}, ['**', '_exactly_', '*"You']),
        ('ao3-epub', os.path.join(out, 'ao3.epub'), 'epub', both,
         ['Chapter 1: The Crossing', 'Chapter 2: The Lamp'], ['Thank you', 'Reviews are love'],
         {'title': 'The Lantern Keeper', 'author': 'quoth_tests', 'language': 'en', 'site': 'ao3',
          'source': 'http://archiveofourown.org/works/000001',
          'characters': 'Mara Quill\nTobias Fenn\nOriginal Female Character(s)\nAgnes Bell'},
         ['Posted originally', 'Contents', 'drop by the archive']),
        ('fanficfare-epub', os.path.join(out, 'fanficfare.epub'), 'epub', both, ['# The Crossing', '# The Lamp'], [],
         {'title': 'The Lantern Keeper', 'author': 'quoth tests', 'characters': 'Mara Q.\nTobias F.'},
         ['Table of Contents', 'Category']),
    ]
    for name, path, reader, spk, titles, notes, meta, absent in cases:
        d, text = analyse(quoth, path)
        if d is None:
            continue
        m = d.get('meta', {})
        check(m.get('reader') == reader, f'{name}: reader {m.get("reader")!r}, expected {reader!r}')
        check(speakers(d) == spk, f'{name}: speakers {speakers(d)} != {spk}')
        got_titles = [s['title'] for s in d['sections']]
        check(got_titles == titles, f'{name}: sections {got_titles} != {titles}')
        for k, v in meta.items():
            check(m.get(k) == v, f'{name}: meta {k} = {m.get(k)!r}, expected {v!r}')
        offsets_refer_to_text(name, d, text)
        paratext_unattributed(name, d, text, *notes)
        for s in absent:
            check(s.encode('utf-8') not in text, f'{name}: {s!r} should not be in the extracted text')
        check(b'<' not in text or name == 'markdown', f'{name}: markup left in the text')

    # the Gutenberg EPUB reads as its chapter does as plain text
    d, text = analyse(quoth, os.path.join(out, 'gutenberg.epub'))
    pg_plain = os.path.join(out, 'pride.txt')
    with open(pg_plain, 'w', encoding='utf-8') as f:
        f.write('CHAPTER I.\n\n' + '\n\n'.join(read_fixtures.PRIDE) + '\n')
    dp, _ = analyse(quoth, pg_plain)
    check([q['text'] for q in d['quotes']] == [q['text'] for q in dp['quotes']], 'gutenberg.epub: quotations differ from plain text')
    check(speakers(d) == speakers(dp), f'gutenberg.epub: speakers {speakers(d)} != plain {speakers(dp)}')
    m = d.get('meta', {})
    check(m.get('title') == 'Pride and Prejudice' and m.get('author') == 'Jane Austen' and m.get('language') == 'en',
          f'gutenberg.epub meta {m}')
    paratext_unattributed('gutenberg', d, text, 'START OF THE PROJECT GUTENBERG', 'Updated editions')
    for s in ('Contents', 'PRIDE AND PREJUDICE\n\nBy Jane Austen', 'img'):
        check(s.encode() not in text, f'gutenberg.epub: front matter {s!r} in the text')

    # the cast hint: only tags that are names and occur in the story
    rc, o, err = run(quoth, '--cast-from-tags', os.path.join(FIX, 'ao3-multi.html'))
    check(rc == 0, f'--cast-from-tags: exit {rc} {err}')
    if rc == 0:
        dc = json.loads(o)
        check(sorted(c['name'] for c in dc['characters']) == ['Mara Quill', 'Tobias Fenn'],
              f'--cast-from-tags characters {[c["name"] for c in dc["characters"]]}')
        check(speakers(dc) == both, f'--cast-from-tags speakers {speakers(dc)}')
    rc, o, err = run(quoth, '--cast-from-tags', plain)
    check(rc == 0 and 'no character tags' in err, f'--cast-from-tags on text: exit {rc}, {err!r}')

    # forcing a reader; the script format still works
    rc, o, _ = run(quoth, '--reader', 'text', '-f', 'text', os.path.join(FIX, 'ffn.html'))
    check(rc == 0 and o == open(os.path.join(FIX, 'ffn.html'), 'rb').read(), '--reader text keeps the HTML as is')
    rc, o, _ = run(quoth, '-f', 'script', os.path.join(FIX, 'ao3-multi.html'))
    check(rc == 0 and b'TOBIAS FENN:' in o.upper(), '-f script on AO3 HTML')
    rc, o, err = run(quoth, '--reader', 'pdf', plain)
    check(rc == 2 and 'pdf' in err, f'--reader pdf: exit {rc} {err!r}')
    # by content, whatever the name says
    renamed = os.path.join(out, 'ao3-multi.txt')
    with open(renamed, 'wb') as f:
        f.write(open(os.path.join(FIX, 'ao3-multi.html'), 'rb').read())
    rc, o, _ = run(quoth, renamed)
    check(rc == 0 and json.loads(o).get('meta', {}).get('reader') == 'ao3', 'AO3 HTML named .txt is read as AO3')
    renamed = os.path.join(out, 'book.bin')
    with open(renamed, 'wb') as f:
        f.write(open(os.path.join(out, 'ao3.epub'), 'rb').read())
    rc, o, _ = run(quoth, renamed)
    check(rc == 0 and json.loads(o).get('meta', {}).get('reader') == 'epub', 'an EPUB named .bin is read as EPUB')
    with open(renamed, 'rb') as f:
        rc, o, _ = 0, None, None
        p = subprocess.run([quoth, '-'], stdin=f, capture_output=True)
    check(p.returncode == 0 and json.loads(p.stdout).get('meta', {}).get('reader') == 'epub', 'an EPUB on standard input')

    # broken HTML: recovered, not an error
    broken = os.path.join(out, 'broken.html')
    with open(broken, 'w') as f:
        f.write('<html><body><p>"Stop," Anna said.<p><b>"Why?" asked <i>Ben.</div></table>\n<p>"Because')
    rc, o, err = run(quoth, broken)
    check(rc == 0 and len(json.loads(o)['quotes']) == 3, f'broken HTML: exit {rc} {err}')

    # ---- bad input: exit codes and messages that name the file ------------------------
    bad = [('truncated.epub', 7, 'truncated'), ('not-epub.zip', 7, 'not an EPUB'),
           ('no-container.epub', 7, 'container.xml'), ('no-opf.epub', 7, 'OPF'),
           ('binary.html', 7, 'binary'), ('missing.epub', 3, 'No such file')]
    deep = os.path.join(out, 'deep.html')
    with open(deep, 'w') as f:
        f.write('<html><body>' + '<div>' * 200000 + 'Hi.')
    bad.append(('deep.html', 5, 'deep'))
    notepub = os.path.join(out, 'story-as-epub.txt')
    with open(notepub, 'w') as f:
        f.write('Once upon a time.\n')
    for name, code, words in bad:
        path = os.path.join(out, name)
        t0 = time.time()
        rc, o, err = run(quoth, path, timeout=60)
        check(rc == code, f'{name}: exit {rc}, expected {code} ({err.strip()})')
        check(path in err and words in err, f'{name}: message {err.strip()!r} should name the file and say {words!r}')
        check(time.time() - t0 < 30, f'{name}: took {time.time() - t0:.1f} s')
    rc, o, err = run(quoth, '--reader', 'epub', notepub)
    check(rc == 7 and notepub in err, f'--reader epub on text: exit {rc} {err!r}')

    # zip bombs: one entry past QUOTH_READ_MAX_ENTRY_BYTES (32 MiB), and
    # entries past QUOTH_READ_MAX_EXPANDED_BYTES (128 MiB) in all
    bomb = os.path.join(out, 'bomb.epub')
    read_fixtures.zip_bomb(bomb, 40)
    check(os.path.getsize(bomb) < 1 << 20, f'the bomb is {os.path.getsize(bomb)} bytes compressed')
    total = os.path.join(out, 'bomb-total.epub')
    with zipfile.ZipFile(total, 'w') as z:  # 20 x 30 MiB = 600 MiB of text entries
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip')
        chunk = b'\0' * (1 << 20)
        for i in range(20):
            info = zipfile.ZipInfo(f'c{i}.xhtml')
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, 'w') as f:
                for _ in range(30):
                    f.write(chunk)
    for path, words in ((bomb, 'bomb.xhtml'), (total, 'in all')):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.time()
        rc, o, err = run(quoth, path, timeout=120)
        took = time.time() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        check(rc == 5, f'{os.path.basename(path)}: exit {rc}, expected 5 ({err.strip()})')
        check(path in err and words in err and 'limit' in err, f'{os.path.basename(path)}: message {err.strip()!r}')
        check(took < 60, f'{os.path.basename(path)}: took {took:.1f} s')
        if rss > before:  # peak of any child so far: only a bound when it grew here
            # 128 MiB of entries kept, with slack for a sanitizer build: far
            # below the 600 MiB the bomb expands to
            check(rss < 450 * 1024, f'{os.path.basename(path)}: peak memory {rss // 1024} MiB')
        print(f'{os.path.basename(path)}: refused in {took:.1f} s: {err.strip()}')

    if failures:
        print(f'{len(failures)} failure(s)')
        return 1
    print('read: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
