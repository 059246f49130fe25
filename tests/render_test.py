#!/usr/bin/env python3
"""The output formats of issue 6, checked by independent parsers.

usage: render_test.py --quoth BIN --repo DIR --out DIR CHECK
CHECK is one of:
  golden    every format on examples/the-lamplighter.txt equals tests/golden/
            (regenerate: python3 tests/render_test.py --quoth build/quoth
             --repo . --out /tmp/golden update-golden)
  fountain  fountain-js (npm, tests/js; `npm ci` into --out) parses the
            Fountain: every quotation span comes back as dialogue under its
            speaker's cue, compared with the JSON
  tei       xmllint well-formedness, jing validity against data/tei-quoth.rng,
            every said/@who a person, every span a <said> with its speaker
  html      headless Chromium loads the page (--dump-dom): every span is an
            element with data-quote/data-speaker matching the JSON; no external
            URL; screenshots at desktop and phone widths are PNGs of that size
  csv       Python's csv module: one row per quotation, speakers and text as
            in the JSON, formula injection neutralised
  ssml      xmllint well-formedness; --voices maps voices; the [voice:] script
  hostile   a story full of markup, formulas and control characters: every
            format stays well formed and injects nothing
Each check runs on the Lamplighter, the Conversations story and Pride and
Prejudice from ../shared/corpus (relative to --repo), and fails loudly when
the corpus or a tool (node, npm, xmllint, jing, chromium) is missing: the
tools come from scripts/install-deps.sh. Nothing derived from the corpus is
written outside --out.
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

FORMATS = {'fountain': 'fountain', 'tei': 'tei.xml', 'html': 'html', 'csv': 'csv',
           'ssml': 'ssml', 'voices': 'voices.txt'}
TEI = '{http://www.tei-c.org/ns/1.0}'
XML_ID = '{http://www.w3.org/XML/1998/namespace}id'

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    sys.stderr.write(f'FAIL: {msg}\n')


def die(msg):
    sys.stderr.write(f'render_test: {msg}\n')
    sys.exit(1)


def need(tool, pkg):
    path = shutil.which(tool)
    if not path:
        die(f'{tool} is not installed (Debian package {pkg}; scripts/install-deps.sh installs it)')
    return path


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, **kw)
    if p.returncode != 0:
        die(f'{" ".join(map(str, cmd))} exited {p.returncode}:\n'
            f'{p.stderr.decode("utf-8", "replace")[-3000:]}')
    return p.stdout


class Story:
    """A text, its JSON result and the bytes of every quotation span."""

    def __init__(self, a, name, path):
        self.name, self.path = name, path
        if not os.path.isfile(path):
            die(f'missing {path}: the shared corpus must sit beside the repository (../shared)')
        self.data = open(path, 'rb').read()
        self.result = json.loads(run([a.quoth, path, '-f', 'json', '--text']))
        self.chars = {c['id']: c for c in self.result['characters']}

    def span_text(self, s):
        return self.data[s[0]:s[1]].decode('utf-8', 'replace')

    def spans(self):
        """(quote id, part, speaker id or None, span text) in text order."""
        for q in self.result['quotes']:
            for i, s in enumerate(q['spans']):
                yield q['id'], i, q['speaker'], self.span_text(s)

    def render(self, a, fmt, *extra):
        out = os.path.join(a.out, f'{self.name}.{FORMATS.get(fmt, fmt)}')
        run([a.quoth, self.path, '-f', fmt, '-o', out, *extra])
        return out


def norm(text):
    """Whitespace collapsed, controls dropped: how the formats may differ."""
    text = re.sub(r'[\x00-\x08\x0b-\x1f\x7f\u200b]', '', text.replace('\r', ''))
    return re.sub(r'\s+', ' ', text).strip()


def stories(a):
    corpus = os.path.join(a.repo, '..', 'shared', 'corpus')
    return [Story(a, 'lamplighter', os.path.join(a.repo, 'examples', 'the-lamplighter.txt')),
            Story(a, 'conversations', os.path.join(corpus, 'fanfic', 'conversations', 'text.txt')),
            Story(a, 'pride', os.path.join(corpus, 'pdnc-dev', 'PrideAndPrejudice', 'text.txt'))]


# ---- golden ------------------------------------------------------------------

def golden_path(a, fmt):
    return os.path.join(a.repo, 'tests', 'golden', f'the-lamplighter.{FORMATS[fmt]}')


def check_golden(a, update=False):
    story = Story(a, 'lamplighter', os.path.join(a.repo, 'examples', 'the-lamplighter.txt'))
    for fmt in FORMATS:
        got = open(story.render(a, fmt), 'rb').read()
        path = golden_path(a, fmt)
        if update:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, 'wb').write(got)
            print(f'wrote {path}')
            continue
        if not os.path.isfile(path):
            fail(f'no golden file {path} (see --help for the regeneration command)')
        elif open(path, 'rb').read() != got:
            fail(f'{fmt}: output differs from {path}; diff it with '
                 f'{os.path.join(a.out, "lamplighter." + FORMATS[fmt])} and regenerate if intended')


# ---- fountain ----------------------------------------------------------------

def fountain_tokens(a, path):
    node = need('node', 'nodejs')
    npm = need('npm', 'npm')
    js = os.path.join(a.out, 'js')
    src = os.path.join(a.repo, 'tests', 'js')
    if not os.path.isdir(os.path.join(js, 'node_modules', 'fountain-js')):
        os.makedirs(js, exist_ok=True)
        for f in ('package.json', 'package-lock.json', 'fountain_tokens.js'):
            shutil.copy(os.path.join(src, f), js)
        run([npm, 'ci', '--no-audit', '--no-fund', '--prefix', js])
    shutil.copy(os.path.join(src, 'fountain_tokens.js'), js)
    return json.loads(run([node, os.path.join(js, 'fountain_tokens.js'), path]))


def fountain_unescape(text):
    text = re.sub(r'\[\[.*?\]\]', '', text)  # quoth's [[note: ...]]
    return re.sub(r'\\([@#!*_$~`+=.><\\/])', r'\1', text)


def cue_of(story, speaker):
    if speaker is None:
        return 'unknown'
    return norm(re.sub(r'[()^]', ' ', story.chars[speaker]['name'].upper())).casefold()


def check_fountain(a, story):
    path = story.render(a, 'fountain')
    out = fountain_tokens(a, path)
    got, cue = [], None
    for t in out['tokens']:
        if t['type'] == 'character':
            cue = norm(re.sub(r"\s*\(CONT'D\)$", '', t['text'])).casefold()
        elif t['type'] == 'dialogue':
            for line in t['text'].split('\n'):
                got.append((cue, norm(fountain_unescape(line))))
        elif t['type'] == 'dialogue_end':
            cue = None
    want = [(cue_of(story, sp), norm(text) or '...') for _, _, sp, text in story.spans()]
    if len(got) != len(want):
        fail(f'fountain {story.name}: {len(got)} dialogue lines, {len(want)} quotation spans')
    bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
    for i, g, w in bad[:5]:
        fail(f'fountain {story.name}: span {i}: fountain-js read {g!r}, the JSON has {w!r}')
    kinds = {t['type'] for t in out['tokens']}
    if story.name == 'lamplighter' and not {'scene_heading', 'section', 'centered', 'parenthetical',
                                            'action', 'note'} <= kinds:
        fail(f'fountain {story.name}: token kinds {sorted(kinds)} lack headings, breaks or parentheticals')
    print(f'fountain {story.name}: {len(got)} dialogue lines, {len(bad)} mismatches')


# ---- tei ---------------------------------------------------------------------

def check_tei(a, story):
    path = story.render(a, 'tei')
    xml_valid(a, path, rng=True)
    root = ET.parse(path).getroot()
    persons = {p.get(XML_ID) for p in root.iter(TEI + 'person')}
    saids = list(root.iter(TEI + 'said'))
    got = []
    for s in saids:
        who = s.get('who')
        if who is not None and who[1:] not in persons:
            fail(f'tei {story.name}: said {s.get(XML_ID)} who={who} is no person')
        for t in (s.get('toWhom') or '').split():
            if t[1:] not in persons:
                fail(f'tei {story.name}: said {s.get(XML_ID)} toWhom {t} is no person')
        got.append((who[1:] if who else None, norm(s.text or '')))
    want = [(sp, norm(text)) for _, _, sp, text in story.spans()]
    if got != want:
        diff = [(g, w) for g, w in zip(got, want) if g != w][:3]
        fail(f'tei {story.name}: {len(got)} <said> against {len(want)} spans; first differences {diff}')
    print(f'tei {story.name}: {len(saids)} <said>, {len(persons)} persons, valid')


def xml_valid(a, path, rng=False):
    xmllint = need('xmllint', 'libxml2-utils')
    p = subprocess.run([xmllint, '--noout', path], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f'xmllint: {path} is not well formed:\n{p.stderr[-2000:]}')
    if rng:
        jing = need('jing', 'jing')
        schema = os.path.join(a.repo, 'data', 'tei-quoth.rng')
        p = subprocess.run([jing, schema, path], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f'jing: {path} is not valid against {schema}:\n{p.stdout[-2000:]}{p.stderr[-500:]}')


# ---- html --------------------------------------------------------------------

class QuoteCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.quotes, self.cur, self.urls = [], None, []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for k in ('src', 'href', 'action', 'poster', 'data'):
            if d.get(k) and not d[k].startswith('#'):
                self.urls.append(d[k])
        if tag == 'link':
            self.urls.append(d.get('href', 'link'))
        if 'data-quote' in d:
            self.cur = [d['data-quote'], d.get('data-speaker'), '']
        elif self.cur is not None:
            self.cur = None
            fail('an element inside a quotation span')

    def handle_endtag(self, tag):
        if self.cur is not None and tag == 'span':
            self.quotes.append(tuple(self.cur))
            self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[2] += data


def chromium(a, *args):
    exe = need('chromium', 'chromium')
    profile = tempfile.mkdtemp(prefix='quoth-chromium-', dir=a.out)
    try:
        p = subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                            '--no-first-run', '--disable-extensions', f'--user-data-dir={profile}',
                            *args], capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if p.returncode != 0:
        die(f'chromium {" ".join(args)} exited {p.returncode}: {p.stderr.decode()[-2000:]}')
    return p.stdout


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', head[16:24])


def screenshot(a, page, png, width, height):
    if os.path.exists(png):
        os.remove(png)
    chromium(a, f'--screenshot={png}', f'--window-size={width},{height}', 'file://' + os.path.abspath(page))
    return png_size(png)


def check_html(a, story):
    path = story.render(a, 'html')
    text = open(path, encoding='utf-8').read()
    if re.search(r'url\(|@import|<link\b|<iframe|\ssrc=', text):
        fail(f'html {story.name}: refers to an outside resource')
    for need_ in ('<meta name="viewport"', '<svg', '@media'):
        if need_ not in text:
            fail(f'html {story.name}: lacks {need_}')
    dom = chromium(a, '--dump-dom', 'file://' + os.path.abspath(path)).decode('utf-8')
    c = QuoteCollector()
    c.feed(dom)
    if c.urls:
        fail(f'html {story.name}: links {c.urls[:3]}')
    got = [(q, sp or None, norm(t)) for q, sp, t in c.quotes]
    want = [(q, sp, norm(t)) for q, _, sp, t in story.spans()]
    if got != want:
        diff = [(g, w) for g, w in zip(got, want) if g != w][:3]
        fail(f'html {story.name}: {len(got)} quotation elements against {len(want)} spans; '
             f'first differences {diff}')
    print(f'html {story.name}: {len(got)} quotation elements in the DOM')
    if story.name == 'lamplighter':
        for w, h, name in ((1280, 1000, 'desktop'), (390, 1600, 'phone')):
            size = screenshot(a, path, os.path.join(a.out, f'html-{name}.png'), w, h)
            png = os.path.join(a.out, f'html-{name}.png')
            if size != (w, h) or os.path.getsize(png) < 20000:
                fail(f'html screenshot {name}: {size} {os.path.getsize(png) if os.path.exists(png) else 0} '
                     f'bytes; expected a {w}x{h} picture of the page')
            else:
                print(f'html screenshot {name}: {w}x{h}, {os.path.getsize(png)} bytes')


# ---- csv ---------------------------------------------------------------------

def check_csv(a, story):
    path = story.render(a, 'csv')
    raw = open(path, 'rb').read()
    if re.search(rb'(?<!\r)\n', raw):
        fail(f'csv {story.name}: a line end that is not CRLF')
    rows = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))
    if rows[0] != ['id', 'section', 'start', 'end', 'speaker', 'addressees', 'type', 'confidence', 'text']:
        fail(f'csv {story.name}: header {rows[0]}')
    rows = rows[1:]
    qs = story.result['quotes']
    if len(rows) != len(qs):
        fail(f'csv {story.name}: {len(rows)} rows for {len(qs)} quotations')
    for r, q in zip(rows, qs):
        name = story.chars[q['speaker']]['name'] if q['speaker'] else ''
        addr = ';'.join(story.chars[x]['name'] for x in q['addressees'])
        text = ' '.join(story.span_text(s) for s in q['spans'])
        want = [q['id'], str(q['section']), str(q['spans'][0][0]), str(q['spans'][-1][1]), name, addr,
                q['type'], f"{q['confidence']:.2f}", text]
        got = list(r)
        if got[8][:1] == "'" and want[8][:1] in ('=', '+', '-', '@', '\t', '\r'):
            got[8] = got[8][1:]
        got[8], want[8] = norm(got[8]), norm(want[8])
        if got != want:
            fail(f'csv {story.name}: row {got[:8]} differs from the JSON {want[:8]}')
            break
    print(f'csv {story.name}: {len(rows)} rows')


# ---- ssml --------------------------------------------------------------------

def check_ssml(a, story):
    path = story.render(a, 'ssml')
    xml_valid(a, path)
    root = ET.parse(path).getroot()
    ns = '{http://www.w3.org/2001/10/synthesis}'
    voices = [(v.get('name'), norm(v.text or '')) for v in root.iter(ns + 'voice')]
    # defaults: voice<k> for the k-th speaking character in id order
    speaking = [c['id'] for c in story.result['characters'] if c['quotes'] > 0]
    default = {cid: f'voice{i + 1}' for i, cid in enumerate(speaking)}
    spoken = [v for v in voices if v[0] != 'narrator']
    want = [(default[sp] if sp else 'unknown', norm(t)) for _, _, sp, t in story.spans() if norm(t)]
    if spoken != want:
        diff = [(g, w) for g, w in zip(spoken, want) if g != w][:3]
        fail(f'ssml {story.name}: {len(spoken)} character voices against {len(want)} spans; {diff}')
    # a voice map: the first speaker by name, the narrator, unknown
    if speaking:
        first = story.chars[speaking[0]]['name']
        vmap = os.path.join(a.out, f'{story.name}.voices')
        with open(vmap, 'w') as f:
            f.write(f'# test voices\n{first.upper()} = en-GB-Test-A\nnarrator = en-GB-Narr\n\nunknown=mystery\n')
        mapped = story.render(a, 'ssml', '--voices', vmap)
        xml_valid(a, mapped)
        names = [v.get('name') for v in ET.parse(mapped).getroot().iter(ns + 'voice')]
        if 'en-GB-Test-A' not in names or 'en-GB-Narr' not in names or 'narrator' in names \
                or 'voice1' in names:
            fail(f'ssml {story.name}: --voices not applied: {sorted(set(names))[:8]}')
        script = open(story.render(a, 'voices', '--voices', vmap), encoding='utf-8').read()
        segs = re.findall(r'^\[voice:([^\]]*)\](.*)\[/voice\]$', script, re.M)
        lines = [ln for ln in script.split('\n') if ln]
        if len(segs) != len(lines):
            fail(f'voices {story.name}: {len(lines) - len(segs)} lines are not [voice:NAME]...[/voice]')
        if not any(v == 'en-GB-Test-A' for v, _ in segs):
            fail(f'voices {story.name}: the mapped voice is missing')
    print(f'ssml {story.name}: {len(voices)} voice segments')


def check_voice_errors(a):
    story = os.path.join(a.repo, 'examples', 'the-lamplighter.txt')
    bad = os.path.join(a.out, 'bad.voices')
    for body, line in (('Tom = a\nno equals sign here\n', 2), ('# c\n\n = voice\n', 3),
                       ('Tom = a\ntom = b\n', 2), ('Tom =\n', 1)):
        with open(bad, 'w') as f:
            f.write(body)
        p = subprocess.run([a.quoth, story, '-f', 'ssml', '--voices', bad], capture_output=True, text=True)
        if p.returncode != 4 or f'{bad}:{line}:' not in p.stderr:
            fail(f'--voices with a bad line {line}: exit {p.returncode}, {p.stderr.strip()!r}')
    p = subprocess.run([a.quoth, story, '-f', 'ssml', '--voices', bad + '.missing'], capture_output=True)
    if p.returncode != 3:
        fail(f'--voices with a missing file: exit {p.returncode}')


# ---- hostile -----------------------------------------------------------------

def hostile_bytes():
    return ('Chapter 1\n\n'
            '"Stop </script><script>alert(1)</script> now," said Ann. "A <said who=\'#x\'>x</said> ]]> &amp; done."\n\n'
            '"=HYPERLINK(A1,B2)," Bob replied.\n\n'
            'INT. HOUSE - NIGHT\n\n'
            '"+1, -2 and @sum(A1)," said Ann.\n\n'
            'THE DOOR SLAMS\n\n'
            '"Bell\x07 esc\x1b vt\x0b nul\x00 del\x7f end," said Bob.\n\n'
            '~ lyrics? *bold* _under_ [[not a note]] /* no boneyard */ \\ back.\n\n'
            '"Fine," said \u017bofia.\n').encode('utf-8') + b'\n"Bad \xff\xfe bytes," said Ann.\n'


def check_hostile(a):
    path = os.path.join(a.out, 'hostile.txt')
    with open(path, 'wb') as f:
        f.write(hostile_bytes())
    story = Story(a, 'hostile', path)
    nspans = sum(len(q['spans']) for q in story.result['quotes'])
    for fmt in FORMATS:
        out = story.render(a, fmt)
        raw = open(out, 'rb').read()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            fail(f'hostile {fmt}: invalid UTF-8 ({e})')
            continue
        if re.search(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', text):
            fail(f'hostile {fmt}: a control character passed through')
        if fmt in ('tei', 'ssml', 'html'):
            if 'alert(1)</script>' in text or "<said who='#x'>" in text or ']]>' in text:
                fail(f'hostile {fmt}: story markup came through unescaped')
        if fmt in ('tei', 'ssml'):
            xml_valid(a, out, rng=fmt == 'tei')
        if fmt == 'tei' and text.count('<said') != nspans:
            fail(f'hostile tei: {text.count("<said")} <said> for {nspans} spans')
        if fmt == 'html':
            if text.count('<script') != 1 or text.count('</script>') != 1:
                fail('hostile html: story text opened or closed a script')
            dom = chromium(a, '--dump-dom', 'file://' + os.path.abspath(out)).decode('utf-8')
            c = QuoteCollector()
            c.feed(dom)
            if len(c.quotes) != nspans or 'alert(1)' not in ''.join(q[2] for q in c.quotes):
                fail(f'hostile html: {len(c.quotes)} quotation elements for {nspans} spans')
        if fmt == 'csv':
            rows = list(csv.reader(io.StringIO(text, newline='')))[1:]
            for r in rows:
                for cell in r:
                    if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
                        fail(f'hostile csv: a cell starts with a formula character: {cell!r}')
            if not any(r[8].startswith("'=HYPERLINK") for r in rows):
                fail('hostile csv: the =HYPERLINK quotation is not neutralised with a leading quote')
        if fmt == 'fountain':
            if '\n!INT. HOUSE - NIGHT\n' not in text or '\n!THE DOOR SLAMS\n' not in text:
                fail('hostile fountain: action that looks like a heading or a cue is not forced with !')
            if '[[not a note]]' in text or '/*' in text:
                fail('hostile fountain: story text opened a note or a boneyard')
            if '\n@\u017bOFIA\n' not in text:
                fail('hostile fountain: a cue with non-Latin letters is not forced with @')
            check_fountain(a, story)
        if fmt == 'voices' and '\\[\u200b' not in text and '\\[\\[' not in text:
            fail('hostile voices: [ in the text is not escaped')
    print(f'hostile: {len(FORMATS)} formats checked')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--repo', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('check', choices=['golden', 'update-golden', 'fountain', 'tei', 'html', 'csv', 'ssml',
                                      'hostile', 'screenshots'])
    a = ap.parse_args()
    a.quoth = os.path.abspath(a.quoth)
    os.makedirs(a.out, exist_ok=True)
    if a.check in ('golden', 'update-golden'):
        check_golden(a, update=a.check == 'update-golden')
    elif a.check == 'hostile':
        check_hostile(a)
    elif a.check == 'screenshots':
        # docs/img/: the committed pictures of the Lamplighter's page
        story = Story(a, 'lamplighter', os.path.join(a.repo, 'examples', 'the-lamplighter.txt'))
        page = story.render(a, 'html')
        img = os.path.join(a.repo, 'docs', 'img')
        os.makedirs(img, exist_ok=True)
        print(screenshot(a, page, os.path.join(img, 'html-view.png'), 1280, 1000))
        print(screenshot(a, page, os.path.join(img, 'html-view-phone.png'), 390, 1600))
    else:
        for story in stories(a):
            {'fountain': check_fountain, 'tei': check_tei, 'html': check_html, 'csv': check_csv,
             'ssml': check_ssml}[a.check](a, story)
        if a.check == 'ssml':
            check_voice_errors(a)
    if FAILURES:
        print(f'0 passed, {len(FAILURES)} failed')
        return 1
    print(f'render_test {a.check}: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
