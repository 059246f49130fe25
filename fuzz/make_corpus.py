#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from the
project's own test material: the spec examples (tests/spec/*.spec), the
reader fixtures (tests/fixtures/read/), the EPUBs tests/read_fixtures.py
builds, the cast files (examples/, tests/fixtures/) and JSON lines made
from all of these. Nothing comes from ../shared/corpus.

usage: fuzz/make_corpus.py            (from anywhere; rewrites seed-* files)

Seeds are named seed-*; files named regress-* (inputs that once found a
bug, added by hand, see fuzz/README.md) are left alone. Each seed is under
64 KiB. Standard library only; the output is the same on every run.
"""
import io
import json
import os
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'tests'))
import spec_runner  # noqa: E402
import read_fixtures  # noqa: E402

MAX_SEED = 64 * 1024


def read(*parts):
    with open(os.path.join(ROOT, *parts), 'rb') as f:
        return f.read()


def spec_examples():
    """(name, text bytes, cast text or None) for every spec example."""
    out = []
    spec_dir = os.path.join(ROOT, 'tests', 'spec')
    for fn in sorted(os.listdir(spec_dir)):
        if not fn.endswith('.spec'):
            continue
        for i, ex in enumerate(spec_runner.parse_spec(os.path.join(spec_dir, fn))):
            if ex.directive('file') is not None:
                continue  # the Lamplighter, added once below
            out.append((f'{fn[:-5]}-{i:02d}', spec_runner.example_text(ex), spec_runner.cast_text(ex)))
    return out


def fixed_times(data, method=None):
    """The zip rewritten with every entry dated 1980-01-01 (zipfile stamps
    the time of writing), optionally with another compression method.
    A damaged zip is returned as it is."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, 'w') as z:
            for info in src.infolist():
                new = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
                new.compress_type = info.compress_type if method is None else method
                if info.filename == 'mimetype':
                    new.compress_type = zipfile.ZIP_STORED
                z.writestr(new, src.read(info))
        return out.getvalue()
    except zipfile.BadZipFile:
        return data


def write(corpus, target, name, data):
    assert len(data) < MAX_SEED, (target, name, len(data))
    corpus.setdefault(target, {})[f'seed-{name}'] = data


def build():
    corpus = {}
    specs = spec_examples()
    lamp = read('examples', 'the-lamplighter.txt')
    kitchen = read('tests', 'fixtures', 'eval', 'kitchen', 'text.txt')
    story_md = read('tests', 'fixtures', 'read', 'story.md')
    html = {fn[:-5]: read('tests', 'fixtures', 'read', fn)
            for fn in sorted(os.listdir(os.path.join(ROOT, 'tests', 'fixtures', 'read')))
            if fn.endswith('.html')}
    casts = {'lamplighter': read('examples', 'the-lamplighter.cast'),
             'conversations': read('tests', 'fixtures', 'conversations.cast')}
    voices = b'# test voices\nTOM ASHBY = en-GB-Test-A\nnarrator = en-GB-Narr\n\nunknown=mystery\nc2 = v2\n'

    # text: option byte (see fuzz_text.c), then the story; the option bytes
    # cycle so every option is in some seed
    opts = [0x00, 0x01, 0x10, 0x21, 0x40, 0x51, 0x80, 0x02, 0x04, 0x06, 0x08, 0xF1]
    for i, (name, text, cast) in enumerate(specs):
        opt = opts[i % len(opts)]
        if cast is not None:
            opt |= 1
        pre = bytes([opt]) + (b'\x05' if opt & 0x40 else b'')
        write(corpus, 'text', name, pre + text)
    write(corpus, 'text', 'lamplighter', b'\x01' + lamp)
    write(corpus, 'text', 'lamplighter-all', b'\xf1\x0b' + lamp)
    write(corpus, 'text', 'kitchen', b'\x10' + kitchen)
    write(corpus, 'text', 'story-md', b'\x00' + story_md)
    write(corpus, 'text', 'empty', b'\x00')

    # html: option byte (see fuzz_html.c), then the page
    for i, (name, page) in enumerate(html.items()):
        write(corpus, 'html', name, bytes([0x00 | (i << 4)]) + page)
        write(corpus, 'html', name + '-tags-all', bytes([0x0c | (i << 4)]) + page)
        write(corpus, 'html', name + '-auto', bytes([0x02]) + page)
    write(corpus, 'html', 'story-md', b'\x03' + story_md)
    write(corpus, 'html', 'story-md-auto', b'\x02' + story_md)
    write(corpus, 'html', 'small', b'\x00<p>"Go home," Lex said.</p><p>&ldquo;No,&rdquo; it said.<br>Fine.</p>'
          b'<h2>Chapter 2</h2><hr><blockquote>"Hm."</blockquote><script>x</script>')
    write(corpus, 'html', 'binary', b'\x00<html>\x00\x01\x02' + bytes(range(256)))

    # epub: the zip as it is (options from its last byte, see fuzz_epub.c)
    with tempfile.TemporaryDirectory() as tmp:
        for fn in read_fixtures.write_all(tmp):
            with open(os.path.join(tmp, fn), 'rb') as f:
                data = f.read()
            if fn.endswith(('.epub', '.zip')):
                write(corpus, 'epub', fn.rsplit('.', 1)[0], fixed_times(data))
                if fn in ('ao3.epub', 'gutenberg.epub', 'fanficfare.epub'):
                    write(corpus, 'epub', fn[:-5] + '-stored', fixed_times(data, zipfile.ZIP_STORED))

    ao3 = corpus['epub']['seed-ao3']
    corpus['epub']['seed-truncated'] = ao3[:len(ao3) // 2]  # as read_fixtures.py cuts it

    # cast: the file, optionally a NUL and a story (see fuzz_cast.c)
    for name, c in casts.items():
        write(corpus, 'cast', name, c)
    write(corpus, 'cast', 'lamplighter-story', casts['lamplighter'] + b'\x00' + lamp)
    write(corpus, 'cast', 'voices', voices)
    write(corpus, 'cast', 'voices-story', voices + b'\x00' + lamp[:3000])
    write(corpus, 'cast', 'bad', b'Lex | \n| Lex\nA|B|C|D\n# x\n\n  \t\n')
    for name, text, cast in specs:
        if cast is not None:
            write(corpus, 'cast', name, cast.encode() + b'\x00' + text)

    # jsonl: lines, optionally a NUL and the file every "path" names (see fuzz_jsonl.c)
    def line(obj):
        return json.dumps(obj, ensure_ascii=False).encode() + b'\n'
    lines = b''.join(line({'id': name, 'text': text.decode('utf-8', 'replace')}) for name, text, _ in specs[:40])
    write(corpus, 'jsonl', 'specs', lines)
    write(corpus, 'jsonl', 'kitchen', line({'id': 7, 'text': kitchen.decode()}))
    write(corpus, 'jsonl', 'errors',
          b'{"id": 1, "text": "\\"Hi,\\" he said."}\n'
          b'not json\n[1, 2]\n{"text": "no id"}\n{"id": null, "text": "x"}\n'
          b'{"id": 2}\n{"id": 3, "text": "a", "path": "b"}\n{"id": 4, "text": 5}\n'
          b'\n   \t\r\n{"id": {"k": [1]}, "path": "missing.txt"}\n'
          b'{"id": 5, "text": "\\u0000\\ud800"}\n{"id": 6, "text": "\\"Go\\"' b'\xff' b'"}')
    write(corpus, 'jsonl', 'path-html', line({'id': 'h', 'path': 'work.html'}) +
          line({'id': 'm', 'path': 'missing/work.html'}) + b'\x00' + html['ao3-single'])
    write(corpus, 'jsonl', 'path-md', line({'id': 'md', 'path': 'story.md'}) + b'\x00' + story_md)
    write(corpus, 'jsonl', 'path-text', line({'id': 't', 'path': 'x.txt'}) + b'\x00' + kitchen)
    write(corpus, 'jsonl', 'path-utf16', line({'id': 'u', 'path': 'x.txt'}) + b'\x00\xff\xfe"\x00H\x00')
    write(corpus, 'jsonl', 'path-epub', line({'id': 'e', 'path': 'book.epub'}) + b'\x00' +
          corpus['epub']['seed-fanficfare'])
    return corpus


def main():
    corpus = build()
    total = 0
    for target, seeds in sorted(corpus.items()):
        d = os.path.join(HERE, 'corpus', target)
        os.makedirs(d, exist_ok=True)
        for fn in os.listdir(d):
            if fn.startswith('seed-') and fn not in seeds:
                os.remove(os.path.join(d, fn))
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
            total += len(data)
        print(f'{target}: {len(seeds)} seeds')
    print(f'total {total} bytes')


if __name__ == '__main__':
    main()
