#!/usr/bin/env python3
"""Builders for the readers' test inputs (issue 5), standard library only.

- ao3_html(): an AO3 download (HTML), in the markup AO3 writes: div#preface
  (p.message, div.meta with dl.tags, h1, div.byline, summary and notes in
  blockquote.userstuff), div#chapters (per chapter div.meta.group with
  h2.heading and chapter notes, div.userstuff between <!--chapter content-->
  comments, end notes), div#afterword.
- ao3_epub(), gutenberg_epub(), fanficfare_epub(): EPUBs as those tools lay them out
  (mimetype stored first, META-INF/container.xml, an OPF with a spine, a nav
  document, XHTML chapters).
- bad inputs: a truncated EPUB, a zip that is not an EPUB, an EPUB without
  container.xml, one whose container names a missing OPF, a zip bomb.

`python3 read_fixtures.py OUTDIR` writes the EPUBs and bad inputs for
tests/read_test.py into OUTDIR (the build tree); nothing generated is
committed. The story texts are the project's own (tests/fixtures/read/,
CC0) or public domain (the opening of Pride and Prejudice, 1813).
"""
import html
import io
import os
import sys
import urllib.parse
import zipfile

sys.dont_write_bytecode = True  # importing the story must not write into the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures', 'read')


def esc(s):
    return html.escape(s, quote=False)


def paras(lines, indent='    '):
    return '\n'.join(f'{indent}<p>{esc(p)}</p>' for p in lines)


def ao3_preface(title, author, tags, summary=None, notes=None, work_id='000001'):
    url = f'http://archiveofourown.org/works/{work_id}'
    dl = []
    for label, values in tags:
        if isinstance(values, str):
            dl.append(f'          <dt>{esc(label)}:</dt>\n          <dd>{esc(values)}</dd>')
        else:
            links = ', '.join(f'<a rel="tag" class="tag" href="http://archiveofourown.org/tags/{urllib.parse.quote(v)}">{esc(v)}</a>' for v in values)
            dl.append(f'          <dt>{esc(label)}:</dt>\n          <dd>{links}</dd>')
    out = [f'''    <div id="preface">
      <p class="message">
        <b>{esc(title)}</b><br/>
        Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a> at <a href="{url}">{url}</a>.
      </p>
      <div class="meta">
        <dl class="tags">
''' + '\n'.join(dl) + f'''
        </dl>
        <h1>{esc(title)}</h1>
        <div class="byline">by <a rel="author" href="http://archiveofourown.org/users/{esc(author)}/pseuds/{esc(author)}">{esc(author)}</a></div>''']
    if summary:
        out.append('        <p>Summary</p>\n        <blockquote class="userstuff">\n' + paras(summary, '          ') + '\n        </blockquote>')
    if notes:
        out.append('        <p>Notes</p>\n        <blockquote class="userstuff">\n' + paras(notes, '          ') + '\n        </blockquote>')
    out.append('      </div>\n    </div>')
    return '\n'.join(out)


def ao3_chapter(i, title, body, notes=None, end_notes=None, multi=True):
    """One chapter as AO3 writes it inside div#chapters."""
    if not multi:
        return '\n'.join(f'      <p>{esc(p)}</p>' for p in body)
    out = ['      <div class="meta group">', f'        <h2 class="heading">{esc(title)}</h2>']
    if notes:
        out.append('        <p>Chapter Notes</p>\n        <blockquote class="userstuff">\n' + paras(notes, '          ') + '\n        </blockquote>')
    if end_notes:
        out.append(f'        <p>See the end of the chapter for  <a href="#endnotes{i}">more notes</a></p>')
    out.append('      </div>')
    out.append('      <div class="userstuff"><!--chapter content-->\n' + paras(body, '        ') + '\n      <!--/chapter content--></div>')
    if end_notes:
        out.append(f'      <div id="endnotes{i}" class="endnote">\n        <p>Chapter End Notes</p>\n        <blockquote class="userstuff">\n'
                   + paras(end_notes, '          ') + '\n        </blockquote>\n      </div>')
    return '\n'.join(out)


def ao3_afterword(end_notes=None):
    out = ['    <div id="afterword">', '      <div class="meta">']
    if end_notes:
        out.append('        <p>End Notes</p>\n        <blockquote class="userstuff">\n' + paras(end_notes, '          ') + '\n        </blockquote>')
    out.append('      </div>')
    out.append('      <p class="message">Please <a href="http://archiveofourown.org/works/000001#comments">drop by the archive and comment</a> to let the creator know if you enjoyed their work!</p>')
    out.append('    </div>')
    return '\n'.join(out)


def ao3_html(title, author, tags, chapters, summary=None, notes=None, end_notes=None, fandom='Original Work'):
    """chapters: list of (title, paragraphs, notes, end_notes). One chapter
    without a title is written as AO3 writes a one-shot."""
    multi = len(chapters) > 1 or chapters[0][0]
    body = '\n'.join(ao3_chapter(i + 1, t, b, n, e, multi) for i, (t, b, n, e) in enumerate(chapters))
    return f'''<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
    <title>{esc(title)} - {esc(author)} - {esc(fandom)} [Archive of Our Own]</title>
    <link rel="stylesheet" type="text/css" href="style.css"/>
    <style type="text/css">#chapters {{ font-family: serif; }}</style>
  </head>
  <body>
{ao3_preface(title, author, tags, summary, notes)}
    <div id="chapters" class="userstuff">
{body}
    </div>
{ao3_afterword(end_notes)}
  </body>
</html>
'''


# ---- EPUB -------------------------------------------------------------------------

def xhtml(title, body):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en">
<head>
  <meta charset="UTF-8"/>
  <title>{esc(title)}</title>
  <link rel="stylesheet" type="text/css" href="stylesheet.css"/>
</head>
<body>
{body}
</body>
</html>
'''


def epub_bytes(meta, items, container=True, opf_name='OEBPS/content.opf', mimetype=True, extra=()):
    """items: list of (zip name relative to the OPF folder, id, xhtml, properties, in_spine)."""
    folder = opf_name.rsplit('/', 1)[0] + '/' if '/' in opf_name else ''
    manifest = []
    spine = []
    for name, iid, _, props, in_spine in items:
        p = f' properties="{props}"' if props else ''
        manifest.append(f'    <item id="{iid}" href="{name}" media-type="application/xhtml+xml"{p}/>')
        if in_spine:
            spine.append(f'    <itemref idref="{iid}"/>')
    dc = '\n'.join(f'    <dc:{k}>{esc(v)}</dc:{k}>' for k, v in meta)
    opf = f'''<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
{dc}
  </metadata>
  <manifest>
    <item id="css" href="stylesheet.css" media-type="text/css"/>
{chr(10).join(manifest)}
  </manifest>
  <spine>
{chr(10).join(spine)}
  </spine>
</package>
'''
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as z:
        if mimetype:
            z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip', compress_type=zipfile.ZIP_STORED)
        if container:
            z.writestr('META-INF/container.xml', f'''<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf_name}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
''', compress_type=zipfile.ZIP_DEFLATED)
        if opf_name:
            z.writestr(opf_name, opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(folder + 'stylesheet.css', 'p { text-indent: 1em; }\n', compress_type=zipfile.ZIP_DEFLATED)
        for name, _, content, _, _ in items:
            z.writestr(folder + name, content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in extra:
            z.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def nav(entries):
    lis = '\n'.join(f'      <li><a href="{h}">{esc(t)}</a></li>' for h, t in entries)
    return xhtml('Contents', f'<nav epub:type="toc" id="toc">\n  <h1>Contents</h1>\n  <ol>\n{lis}\n  </ol>\n</nav>')


def ao3_epub(title, author, tags, chapters, summary=None, notes=None, end_notes=None, source='http://archiveofourown.org/works/000001'):
    """AO3's EPUB: preface.xhtml (div#preface), one file per chapter with the
    same chapter markup as the HTML download, afterword.xhtml."""
    items = [('preface.xhtml', 'preface', xhtml(title, ao3_preface(title, author, tags, summary, notes)), None, True)]
    multi = len(chapters) > 1 or chapters[0][0]
    for i, (t, b, n, e) in enumerate(chapters):
        body = '<div id="chapters" class="userstuff">\n' + ao3_chapter(i + 1, t, b, n, e, multi) + '\n</div>'
        items.append((f'chapter_{i + 1:03d}.xhtml', f'chapter_{i + 1:03d}', xhtml(t or title, body), None, True))
    items.append(('afterword.xhtml', 'afterword', xhtml('Afterword', ao3_afterword(end_notes)), None, True))
    items.append(('nav.xhtml', 'nav', nav([(n, n) for n, *_ in items]), 'nav', False))
    meta = [('identifier', source), ('title', title), ('creator', author), ('language', 'en'),
            ('publisher', 'Archive of Our Own')]
    return epub_bytes(meta, items)


PRIDE = [
    'It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.',
    'However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he is considered the rightful property of some one or other of their daughters.',
    '\u201cMy dear Mr. Bennet,\u201d said his lady to him one day, \u201chave you heard that Netherfield Park is let at last?\u201d',
    'Mr. Bennet replied that he had not.',
    '\u201cBut it is,\u201d returned she; \u201cfor Mrs. Long has just been here, and she told me all about it.\u201d',
    'Mr. Bennet made no answer.',
    '\u201cDo you not want to know who has taken it?\u201d cried his wife impatiently.',
    '\u201cYou want to tell me, and I have no objection to hearing it.\u201d',
    'This was invitation enough.',
    '\u201cWhy, my dear, you must know, Mrs. Long says that Netherfield is taken by a young man of large fortune from the north of England; that he came down on Monday in a chaise and four to see the place, and was so much delighted with it, that he agreed with Mr. Morris immediately; that he is to take possession before Michaelmas, and some of his servants are to be in the house by the end of next week.\u201d',
    '\u201cWhat is his name?\u201d',
    '\u201cBingley.\u201d',
    '\u201cIs he married or single?\u201d',
    '\u201cOh! Single, my dear, to be sure! A single man of large fortune; four or five thousand a year. What a fine thing for our girls!\u201d',
]


def gutenberg_epub():
    """A Project Gutenberg-style EPUB 3: a cover wrapper, the PG header,
    a chapter, the licence; a nav document and a title page."""
    header = xhtml('The Project Gutenberg eBook of Pride and Prejudice', '''<section class="pg-boilerplate pgheader" id="pg-header">
<h2 id="pg-header-heading" title="">The Project Gutenberg eBook of <span lang="en" id="pg-title-no-subtitle">Pride and Prejudice</span></h2>
<p>This ebook is for the use of anyone anywhere in the United States and most other parts of the world at no cost and with almost no restrictions whatsoever.</p>
<div id="pg-start-separator"><span>*** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***</span></div>
</section>''')
    chapter = xhtml('Chapter I', '<div class="chapter">\n<h2><a id="CHAPTER_I"></a>CHAPTER I.</h2>\n' + paras(PRIDE, '') + '\n</div>')
    licence = xhtml('Licence', '''<section class="pg-boilerplate pgheader" id="pg-footer">
<div id="pg-end-separator"><span>*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***</span></div>
<p>Updated editions will replace the previous one&#8212;the old editions will be renamed.</p>
</section>''')
    cover = xhtml('Cover', '<div style="text-align: center"><img src="cover.jpg" alt="Pride and Prejudice"/></div>')
    title = xhtml('Title', '<h1>PRIDE AND PREJUDICE</h1>\n<p>By Jane Austen</p>')
    items = [('wrap0000.xhtml', 'coverpage-wrapper', cover, None, True),
             ('titlepage.xhtml', 'titlepage', title, None, True),
             ('1342-h-0.htm.xhtml', 'item1', header, None, True),
             ('1342-h-1.htm.xhtml', 'item2', chapter, None, True),
             ('1342-h-2.htm.xhtml', 'item3', licence, None, True),
             ('toc.xhtml', 'toc', nav([('1342-h-1.htm.xhtml', 'Chapter I')]), 'nav', False)]
    meta = [('identifier', 'http://www.gutenberg.org/1342'), ('title', 'Pride and Prejudice'),
            ('creator', 'Jane Austen'), ('language', 'en'), ('source', 'https://www.gutenberg.org/files/1342/1342-h/1342-h.htm')]
    return epub_bytes(meta, items)


def fanficfare_epub(title, author, chapters, source):
    """FanFicFare's EPUB: title_page.xhtml (a table of labels and values),
    toc_page.xhtml, one file per chapter with h2.fff_chapter_title."""
    rows = [('Title', title), ('Author', author), ('Category', 'Original'), ('Characters', 'Mara Q., Tobias F.'),
            ('Language', 'English'), ('Summary', 'A ferry, a lighthouse gone dark.'), ('Source', source)]
    table = '\n'.join(f'<tr><td><b>{esc(k)}:</b></td><td>{esc(v)}</td></tr>' for k, v in rows)
    items = [('title_page.xhtml', 'title_page', xhtml(title, f'<h3><a href="{source}">{esc(title)}</a> by {esc(author)}</h3>\n<table class="full">\n{table}\n</table>'), None, True),
             ('toc_page.xhtml', 'toc_page', xhtml('Table of Contents', '<div><h3>Table of Contents</h3>' + ''.join(f'<a href="file{i + 1:04d}.xhtml">{esc(t)}</a><br />' for i, (t, _) in enumerate(chapters)) + '</div>'), None, True)]
    for i, (t, b) in enumerate(chapters):
        items.append((f'file{i + 1:04d}.xhtml', f'file{i + 1:04d}', xhtml(t, f'<h2 class="fff_chapter_title">{esc(t)}</h2>\n<div class="fff_chapter">\n' + paras(b, '') + '\n</div>'), None, True))
    meta = [('identifier', source), ('title', title), ('creator', author), ('language', 'English'), ('source', source)]
    return epub_bytes(meta, items)


def zip_bomb(path, megabytes):
    """An EPUB whose one chapter is megabytes MiB of zeros (deflated to ~1/1000)."""
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip', compress_type=zipfile.ZIP_STORED)
        z.writestr('META-INF/container.xml', '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr('content.opf', '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest><item id="c" href="bomb.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/></spine></package>')
        info = zipfile.ZipInfo('bomb.xhtml')
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, 'w', force_zip64=True) as f:
            chunk = b'\0' * (1 << 20)
            for _ in range(megabytes):
                f.write(chunk)


def lantern():
    """The fixture story (tests/fixtures/read/story.py holds its text)."""
    sys.path.insert(0, FIX)
    import story  # noqa: E402
    return story


def write_all(out):
    os.makedirs(out, exist_ok=True)
    s = lantern()
    tags = [('Rating', ['General Audiences']), ('Archive Warning', ['No Archive Warnings Apply']),
            ('Fandom', ['Original Work']), ('Character', ['Mara Quill', 'Tobias Fenn', 'Original Female Character(s)', 'Agnes Bell']),
            ('Additional Tags', ['Lighthouses', 'Ferries']), ('Language', 'English')]
    chapters = [(f'Chapter 1: {s.CH1_TITLE}', s.CH1, s.CH1_NOTES, s.CH1_END),
                (f'Chapter 2: {s.CH2_TITLE}', s.CH2, s.CH2_NOTES, None)]
    files = {
        'ao3.epub': ao3_epub(s.TITLE, 'quoth_tests', tags, chapters, s.SUMMARY, s.NOTES, s.END_NOTES),
        'gutenberg.epub': gutenberg_epub(),
        'fanficfare.epub': fanficfare_epub(s.TITLE, 'quoth tests', [(s.CH1_TITLE, s.CH1), (s.CH2_TITLE, s.CH2)],
                                           'https://www.fanfiction.net/s/1234567/1/'),
    }
    good = files['ao3.epub']
    files['truncated.epub'] = good[:len(good) // 2]
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, 'w') as z:
        z.writestr('notes.txt', 'not a book\n')
    files['not-epub.zip'] = plain.getvalue()
    files['no-container.epub'] = epub_bytes([('title', 'x')], [('c.xhtml', 'c', xhtml('c', '<p>Hi.</p>'), None, True)], container=False)
    # container.xml naming an OPF the zip lacks
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip')
        z.writestr('META-INF/container.xml', '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr('OEBPS/c.xhtml', xhtml('c', '<p>Hi.</p>'))
    files['no-opf.epub'] = b.getvalue()
    files['binary.html'] = b'<html>\x00\x01\x02' + bytes(range(256)) * 40
    for name, data in files.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    return sorted(files)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: read_fixtures.py OUTDIR')
    for n in write_all(sys.argv[1]):
        print(n)
