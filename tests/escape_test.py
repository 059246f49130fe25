#!/usr/bin/env python3
"""Output safety: a hostile story cannot inject anything into any format.

usage: escape_test.py --quoth build/quoth [--keep]

The story's quotations, the character names (from a cast file) and the
metadata (an HTML page's <title> and author) carry markup (`</script>`,
`<said>`, `]]>`, `<![CDATA[`, `&amp;`), spreadsheet formulas (`=HYPERLINK`,
`+`, `-`, `@` at a cell's start), markers of the plain formats (`[voice:]`,
`[[note]]`, `*bold*`) and control characters (ESC sequences, C0 and C1
controls, DEL, U+2028/U+2029). Every format is rendered and parsed with a
real parser (html.parser, xml.etree, csv, json) or checked line by line
(script, voices, Fountain), and the hostile text must be there only as
text: no element, attribute, cell formula, voice tag or note comes from
the story, and no control character reaches the output (JSON escapes
them). Prints `N passed, N failed`; exits 1 on any failure. Standard
library only.
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

MARKUP = "</script><script>alert(1)</script> <said who='#c9'>evil</said>"
CDATA_END = ']]> <![CDATA[x]]>'
PLAIN_MARKERS = '[/voice][voice:evil] [[note: evil]] *bold* _u_'
CONTROLS = 'Esc \x1b[31mred\x1b[0m bell \x07 ctl \x01\x02\x0b\x0c line\u2028sep\u2029para del \x7f c1 \u0085\u009b'

STORY = ('Chapter 1 </script><!-- ]]>\n\n'
         '"=HYPERLINK(\'http://x\',\'y\')," said Eve.\n\n'
         '"+cmd|\' /C calc\'!A0," said Mallory. "-2+3," she added.\n\n'
         '"@SUM(A1)," Eve said.\n\n'
         f'"{MARKUP} {CDATA_END} & &amp; <!-- --> {PLAIN_MARKERS} \\ back," said Mallory.\n\n'
         f'"{CONTROLS}," said Eve.\n\n'
         '"\tTab start," said Mallory.\n')
EVE = '=HYPERLINK("http://x","y") </script><said> ]]> & \x1b[31m'
MALLORY = '@Mallory <b>M</b>'
CAST = f'{EVE} | Eve | she\n{MALLORY} | Mallory | he\n'
TITLE = '</script><script>alert(1)</script> ]]> & =SUM(1)'
AUTHOR = '<said> ]]> =cmd'
PAGE = ('<html><head><title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; =SUM(1)</title>'
        '<meta name="author" content="&lt;said&gt; ]]&gt; =cmd"></head><body>'
        f'<p>"{MARKUP.replace("<", "&lt;")}," said Eve.</p><p>"Hi," said Mallory.</p></body></html>')

FORMATS = ['json', 'script', 'fountain', 'tei', 'html', 'csv', 'ssml', 'voices']
# C0 controls but tab, LF and CR; DEL; C1 controls
FORBIDDEN = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]')

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, quoth, tmp):
        self.quoth = quoth
        self.tmp = tmp
        self.story = os.path.join(tmp, 'hostile.txt')
        self.cast = os.path.join(tmp, 'hostile.cast')
        self.page = os.path.join(tmp, 'hostile.html')
        for path, data in ((self.story, STORY), (self.cast, CAST), (self.page, PAGE)):
            with open(path, 'w', encoding='utf-8') as f:
                f.write(data)
        self.cache = {}

    def render(self, fmt, page=False):
        """The output of one format (str), for the story with the cast, or
        for the HTML page."""
        key = (fmt, page)
        if key not in self.cache:
            args = [self.quoth, '-f', fmt]
            args += [self.page] if page else ['-c', self.cast, self.story]
            if fmt == 'json':
                args.insert(1, '--text')
            p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            assert p.returncode == 0, f'{fmt}: exit {p.returncode}: {p.stderr.decode(errors="replace")}'
            assert b'Sanitizer' not in p.stderr
            out = p.stdout.decode('utf-8')  # strict: any invalid UTF-8 fails
            m = FORBIDDEN.search(out)
            assert not m, f'{fmt}: control character {m.group()!r} in the output at {m.start()}'
            self.cache[key] = out
        return self.cache[key]

    def quotes(self):
        return json.loads(self.render('json'))['quotes']


def visible(s):
    """What a reader sees of s once control characters are dropped."""
    return FORBIDDEN.sub('', s)


@test
def json_is_data(c):
    for page in (False, True):
        out = c.render('json', page)
        assert '</' not in out and '<said' not in out, 'raw markup in JSON (unsafe inside a <script>)'
        assert '\u2028' not in out and '\u2029' not in out, 'raw U+2028/U+2029 in JSON'
        doc = json.loads(out)
        if page:
            assert doc['meta']['title'] == TITLE, doc['meta']
            assert doc['meta']['author'] == AUTHOR, doc['meta']
        else:
            names = [ch['name'] for ch in doc['characters']]
            assert EVE in names and MALLORY in names, names  # JSON keeps them exactly, escaped
            texts = ' '.join(q.get('text', '') for q in doc['quotes'])
            assert MARKUP in texts and CDATA_END in texts, texts


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.script = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        (self.script if self._in in ('script', 'style') else self.text).append(data)


@test
def html_is_text(c):
    for page in (False, True):
        t = Tags()
        t.feed(c.render('html', page))
        t.close()
        for bad in ('said', 'b'):
            assert bad not in t.tags, f'<{bad}> from the story became an element'
        assert t.tags.count('script') == 1, f'{t.tags.count("script")} <script> elements, expected 1'
        for name, _ in t.attrs:
            assert not name.startswith('on') or name in (), f'event handler attribute {name}'
            assert name not in ('who',), f'attribute {name} from the story'
        text = ''.join(t.text)
        assert MARKUP in text, 'the markup of the story is not in the page as text'
        if page:
            assert TITLE in text and AUTHOR in text, 'the title or author is not in the page as text'
        else:
            assert visible(EVE) in ''.join(v or '' for _, v in t.attrs) + text
        script = ''.join(t.script)
        assert 'alert(1)' not in script, 'story text inside a <script>'


def xml_check(c, fmt, page, allowed):
    out = c.render(fmt, page)
    root = ET.fromstring(out.encode('utf-8'))
    tags = {el.tag.split('}')[-1] for el in root.iter()}
    assert tags <= allowed, f'{fmt}: unexpected elements {tags - allowed}'
    text = ''.join(root.itertext())
    return root, text


TEI_ELEMENTS = {'TEI', 'teiHeader', 'fileDesc', 'titleStmt', 'title', 'author', 'respStmt', 'resp', 'name',
                'publicationStmt', 'p', 'sourceDesc', 'bibl', 'profileDesc', 'particDesc', 'listPerson',
                'person', 'persName', 'text', 'body', 'div', 'head', 'said', 'idno', 'langUsage', 'language',
                'textClass', 'keywords', 'term', 'note', 'milestone', 'ptr', 'ref', 'availability', 'publisher',
                'date', 'encodingDesc', 'projectDesc', 'extent', 'fw', 'front', 'back', 'lb', 'ab', 'label'}


@test
def tei_is_text(c):
    for page in (False, True):
        root, text = xml_check(c, 'tei', page, TEI_ELEMENTS)
        ns = '{http://www.tei-c.org/ns/1.0}'
        ids = {el.get('{http://www.w3.org/XML/1998/namespace}id') for el in root.iter(ns + 'person')}
        saids = list(root.iter(ns + 'said'))
        for s in saids:
            who = s.get('who')
            assert who is None or who[1:] in ids, f'<said who="{who}"> names no declared person'
        assert MARKUP in text, 'the markup of the story is not in the TEI as text'
        if page:
            assert TITLE in text and AUTHOR in text
        else:
            spans = sum(len(q['spans']) for q in c.quotes())
            assert len(saids) == spans, f'{len(saids)} <said> elements for {spans} quotation spans'
            assert CDATA_END in text
            names = [p.text for p in root.iter(ns + 'persName') if p.get('type') is None]
            assert visible(EVE) in names and MALLORY in names, names


@test
def ssml_is_text(c):
    for page in (False, True):
        root, text = xml_check(c, 'ssml', page, {'speak', 'p', 's', 'voice', 'meta', 'metadata', 'title',
                                                 'creator', 'break', 'mark'})
        assert MARKUP in text and (not page or TITLE in text)
        if not page:
            assert CDATA_END in text


@test
def csv_has_no_formula(c):
    rows = list(csv.reader(io.StringIO(c.render('csv'), newline='')))
    header, rows = rows[0], rows[1:]
    assert header[-1] == 'text' and len(rows) == len(c.quotes()), (header, len(rows))
    for row in rows:
        assert len(row) == len(header), row
        for cell in row:
            assert not cell or cell[0] not in '=+-@\t\r', f'cell starts a formula: {cell!r}'
    cells = [cell for row in rows for cell in row]
    assert "'" + visible(EVE) in cells, 'the hostile name is not kept (behind a quote)'
    assert "'" + MALLORY in cells
    assert any(cell == "'@SUM(A1)," for cell in cells), cells
    assert any(cell.startswith("'+cmd|") for cell in cells), cells
    assert any(MARKUP in cell for cell in cells)


@test
def voices_tags_only_from_quoth(c):
    out = c.render('voices')
    tags = re.findall(r'(?<!\\)\[(/?voice[^\]]*)\]', out)
    assert 'voice:evil' not in tags, 'a [voice:] tag from the story'
    for line in out.split('\n'):
        if line:
            assert re.fullmatch(r'\[voice:(narrator|voice\d+|unknown)\].*\[/voice\]', line), line
            inner = line[line.index(']') + 1:-len('[/voice]')]
            assert not re.search(r'(?<!\\)(\\\\)*\[', inner), f'unescaped [ in {line!r}'


@test
def script_and_fountain_plain(c):
    script = c.render('script')
    assert MARKUP in script, 'the script lost the story text'
    fountain = c.render('fountain')
    for fmt, out in (('script', script), ('fountain', fountain), ('voices', c.render('voices'))):
        assert '\u2028' not in out and '\u2029' not in out, f'{fmt}: a line separator from the story'
    for m in re.finditer(r'\[\[', fountain):
        assert fountain.startswith('[[note: uncertain', m.start()) or \
            fountain.startswith('[[note: unknown', m.start()), f'a [[note]] from the story: {fountain[m.start():m.start() + 40]!r}'
    assert '*bold*' not in fountain.replace('\\*', ''), 'emphasis from the story'
    # a character cue from a name Fountain would not read as one is forced with @
    cues = [ln for ln in fountain.split('\n') if 'MALLORY' in ln and ln.upper() == ln]
    assert cues and all(ln.startswith('@') for ln in cues), cues
    page = c.render('fountain', True)
    assert page.split('\n')[0].startswith('Title: ') and 'alert(1)' in page.split('\n')[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quoth', required=True)
    ap.add_argument('-k', '--filter')
    ap.add_argument('--keep', action='store_true')
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='quoth-escape-')
    c = Ctx(a.quoth, tmp)
    passed = failed = 0
    for fn in TESTS:
        if a.filter and a.filter not in fn.__name__:
            continue
        try:
            fn(c)
            print(f'ok    {fn.__name__}')
            passed += 1
        except AssertionError as e:
            print(f'FAIL  {fn.__name__}: {e}')
            failed += 1
    if a.keep:
        print(f'inputs and outputs in {tmp}')
        for (fmt, page), out in c.cache.items():
            with open(os.path.join(tmp, f'out-{"page" if page else "story"}.{fmt}'), 'w') as f:
                f.write(out)
    else:
        shutil.rmtree(tmp)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
