#!/usr/bin/env python3
"""`quoth index`: the SQLite corpus index (cli/index.c, docs/index.md).

Indexes the repository's examples and reader fixtures and checks every row
against `quoth --text FILE` JSON (works, characters, aliases, quotations,
addressees); runs the example queries of docs/index.md and checks their
answers; re-runs (everything unchanged), changes and touches one file (only
it is re-analysed); a failing input among good ones (they stay committed,
the exit status is non-zero); a run killed mid-way (what was committed is
intact, the next run finishes the rest); databases that are not a quoth
index; and the PDNC dev corpus beside the checkout (../shared/corpus,
read at test time, never copied into the repository; missing = failure):
15 works, quotation and character counts equal to the JSON per work.
Every database passes PRAGMA integrity_check, foreign_key_check and the
FTS5 index's integrity-check.

usage: index_test.py --quoth build/quoth --repo . --corpus ../shared/corpus --out DIR [-k NAME]
Prints `N passed, N failed`; exits 1 on any failure. Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, args):
        self.quoth = os.path.abspath(args.quoth)
        self.repo = os.path.abspath(args.repo)
        self.corpus = os.path.abspath(args.corpus)
        self.out = os.path.abspath(args.out)
        self.json_cache = {}

    def run(self, *args, timeout=1200):
        p = subprocess.run([self.quoth, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        assert p.returncode >= 0, f'killed by signal {-p.returncode}: {p.stderr[-2000:]!r}'
        assert b'Sanitizer' not in p.stderr, p.stderr.decode('utf-8', 'replace')[-3000:]
        return p

    def index(self, db, *paths, code=0, extra=()):
        p = self.run('index', *extra, '-o', db, *paths)
        err = p.stderr.decode('utf-8', 'replace')
        assert p.returncode == code, f'quoth index: exit {p.returncode}, wanted {code}: {err[-1500:]}'
        return summary(err), err

    def json(self, path):
        """quoth --text PATH as a dict (cached by path and mtime)."""
        key = (path, os.stat(path).st_mtime_ns)
        if key not in self.json_cache:
            p = self.run('--text', path)
            assert p.returncode == 0, f'quoth {path}: exit {p.returncode}: {p.stderr[-500:]!r}'
            self.json_cache[key] = json.loads(p.stdout)
        return self.json_cache[key]

    def dir(self, name):
        d = os.path.join(self.out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def fixtures(self):
        read = os.path.join(self.repo, 'tests', 'fixtures', 'read')
        files = [os.path.join(self.repo, 'examples', 'the-lamplighter.txt')]
        files += sorted(os.path.join(read, f) for f in os.listdir(read)
                        if f.endswith(('.html', '.md')))
        return files


def summary(err):
    m = re.search(r'(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) failed', err)
    assert m, f'no summary line on stderr: {err[-800:]}'
    return dict(zip(('added', 'updated', 'unchanged', 'failed'), map(int, m.groups())))


def connect(db):
    con = sqlite3.connect(db)
    con.execute('PRAGMA foreign_keys = ON')
    return con


def check_consistent(db):
    """integrity_check, foreign_key_check, the FTS index, schema markers."""
    con = connect(db)
    try:
        assert con.execute('PRAGMA integrity_check').fetchall() == [('ok',)], 'integrity_check'
        bad = con.execute('PRAGMA foreign_key_check').fetchall()
        assert not bad, f'foreign_key_check: {bad[:5]}'
        con.execute("INSERT INTO quotations_fts(quotations_fts) VALUES ('integrity-check')")
        assert con.execute('PRAGMA user_version').fetchone()[0] == 1
        assert con.execute('PRAGMA application_id').fetchone()[0] == 0x51746831
        # characters.quotes is the number of quotations attributed to them
        bad = con.execute('SELECT c.id, c.quotes, (SELECT count(*) FROM quotations q'
                          ' WHERE q.speaker = c.id) n FROM characters c WHERE c.quotes != n'
                          ).fetchall()
        assert not bad, f'characters.quotes disagrees with the quotations: {bad[:5]}'
    finally:
        con.close()


def check_work(con, path, doc):
    """Every row of one work equals quoth's JSON of it."""
    row = con.execute('SELECT id, title, author, reader, bytes FROM works WHERE path = ?',
                      (os.path.realpath(path),)).fetchone()
    assert row, f'{path}: not in the index'
    work, title, author, reader, nbytes = row
    meta = doc.get('meta', {})
    first = lambda v: v[0] if isinstance(v, list) else v
    assert title == first(meta.get('title')), f'{path}: title {title!r}'
    assert author == first(meta.get('author')), f'{path}: author {author!r}'
    assert reader == meta.get('reader', 'text'), f'{path}: reader {reader!r}'
    assert nbytes == os.path.getsize(path)
    chars = {r[0]: r[1:] for r in con.execute(
        'SELECT cid, name, gender, quotes, id FROM characters WHERE work = ?', (work,))}
    assert len(chars) == len(doc['characters']), \
        f'{path}: {len(chars)} characters, JSON has {len(doc["characters"])}'
    rowid = {}
    for ch in doc['characters']:
        name, gender, quotes, cid = chars[ch['id']]
        assert (name, gender, quotes) == (ch['name'], ch['gender'], ch['quotes']), \
            f'{path} {ch["id"]}: {(name, gender, quotes)} vs {ch}'
        aliases = [a for (a,) in con.execute(
            'SELECT alias FROM aliases WHERE character = ? ORDER BY seq', (cid,))]
        assert aliases == ch['aliases'], f'{path} {ch["id"]}: aliases {aliases} vs {ch["aliases"]}'
        rowid[cid] = ch['id']
    quotes = con.execute(
        'SELECT q.id, qid, speaker, type, confidence, rule, text, section, paragraph, spans,'
        ' start, end FROM quotations q WHERE work = ? ORDER BY start, id', (work,)).fetchall()
    assert len(quotes) == len(doc['quotes']), \
        f'{path}: {len(quotes)} quotations, JSON has {len(doc["quotes"])}'
    by_qid = {r[1]: r for r in quotes}
    for q in doc['quotes']:
        qrow, qid, speaker, typ, conf, rule, text, section, para, spans, start, end = by_qid[q['id']]
        assert (rowid.get(speaker) if speaker else None) == q['speaker'], f'{path} {qid}: speaker'
        assert (typ, rule, text) == (q['type'], q['rule'], q['text']), f'{path} {qid}'
        assert abs(conf - q['confidence']) < 0.006, f'{path} {qid}: confidence {conf}'
        assert (section, para) == (q['section'], q['paragraph']), f'{path} {qid}: section'
        assert json.loads(spans) == q['spans'], f'{path} {qid}: spans'
        assert (start, end) == (q['spans'][0][0], q['spans'][-1][1]), f'{path} {qid}: start/end'
        addressees = sorted(rowid[c] for (c,) in con.execute(
            'SELECT character FROM addressees WHERE quotation = ?', (qrow,)))
        assert addressees == sorted(q['addressees']), f'{path} {qid}: addressees'
    nsect = con.execute('SELECT count(*) FROM sections WHERE work = ?', (work,)).fetchone()[0]
    assert nsect == len(doc['sections']), f'{path}: {nsect} sections'
    return work


# ---- the example queries of docs/index.md ------------------------------------

Q_MOST_PER_WORK = '''
SELECT w.path, c.name, c.quotes
FROM characters c JOIN works w ON w.id = c.work
WHERE c.quotes = (SELECT max(quotes) FROM characters WHERE work = c.work) AND c.quotes > 0
ORDER BY w.path, c.name'''
Q_MOST_CORPUS = '''
SELECT c.name, sum(c.quotes) AS lines, count(DISTINCT c.work) AS works
FROM characters c GROUP BY c.name ORDER BY lines DESC, c.name LIMIT 10'''
Q_TO_WHOM = '''
SELECT s.name AS speaker, a.name AS addressee, count(*) AS n
FROM quotations q
JOIN characters s ON s.id = q.speaker
JOIN addressees x ON x.quotation = q.id
JOIN characters a ON a.id = x.character
WHERE q.work = (SELECT id FROM works WHERE path LIKE ?)
GROUP BY s.id, a.id ORDER BY n DESC, speaker, addressee'''
Q_LINES_OF = '''
SELECT w.path, q.qid, q.text
FROM quotations q JOIN characters c ON c.id = q.speaker JOIN works w ON w.id = q.work
WHERE c.name = ?
ORDER BY w.path, q.start'''
Q_FTS = '''
SELECT w.path, q.qid, c.name, q.text
FROM quotations_fts JOIN quotations q ON q.id = quotations_fts.rowid
JOIN works w ON w.id = q.work LEFT JOIN characters c ON c.id = q.speaker
WHERE quotations_fts MATCH ?
ORDER BY rank'''


@test
def fixtures_rows_equal_json(c):
    d = c.dir('fixtures')
    db = os.path.join(d, 'corpus.db')
    read_dir = os.path.join(c.repo, 'tests', 'fixtures', 'read')
    s, _ = c.index(db, os.path.join(c.repo, 'examples', 'the-lamplighter.txt'), read_dir)
    files = c.fixtures()
    assert s == {'added': len(files), 'updated': 0, 'unchanged': 0, 'failed': 0}, s
    check_consistent(db)
    con = connect(db)
    paths = sorted(p for (p,) in con.execute('SELECT path FROM works'))
    assert paths == sorted(os.path.realpath(f) for f in files), f'works: {paths}'
    for f in files:
        check_work(con, f, c.json(f))
    con.close()


@test
def example_queries(c):
    d = c.dir('queries')
    db = os.path.join(d, 'corpus.db')
    files = c.fixtures()
    c.index(db, *files)
    docs = {os.path.realpath(f): c.json(f) for f in files}
    con = connect(db)
    # who speaks most, per work
    want = []
    for path, doc in docs.items():
        top = max((ch['quotes'] for ch in doc['characters']), default=0)
        want += [(path, ch['name'], top) for ch in doc['characters'] if top and ch['quotes'] == top]
    assert con.execute(Q_MOST_PER_WORK).fetchall() == sorted(want), 'most per work'
    # across the corpus, by name
    totals, works = {}, {}
    for doc in docs.values():
        for ch in doc['characters']:
            totals[ch['name']] = totals.get(ch['name'], 0) + ch['quotes']
            works[ch['name']] = works.get(ch['name'], 0) + 1
    want = sorted(((n, t, works[n]) for n, t in totals.items()), key=lambda r: (-r[1], r[0]))[:10]
    assert con.execute(Q_MOST_CORPUS).fetchall() == want, 'most across the corpus'
    # speaker -> addressee in the Lamplighter
    doc = docs[os.path.realpath(files[0])]
    names = {ch['id']: ch['name'] for ch in doc['characters']}
    pairs = {}
    for q in doc['quotes']:
        for a in q['addressees'] if q['speaker'] else ():
            k = (names[q['speaker']], names[a])
            pairs[k] = pairs.get(k, 0) + 1
    want = sorted(((s, a, n) for (s, a), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))
    got = con.execute(Q_TO_WHOM, ('%the-lamplighter.txt',)).fetchall()
    assert got == want and got, f'to whom: {got[:5]} vs {want[:5]}'
    # every line of the top speaker across works
    top = con.execute(Q_MOST_CORPUS).fetchone()[0]
    want = []
    for path, doc in sorted(docs.items()):
        ids = {ch['id'] for ch in doc['characters'] if ch['name'] == top}
        want += [(path, q['id'], q['text']) for q in sorted(doc['quotes'], key=lambda q: q['spans'][0][0])
                 if q['speaker'] in ids]
    got = con.execute(Q_LINES_OF, (top,)).fetchall()
    assert got == want and len(got) > 5, f'lines of {top}: {len(got)} vs {len(want)}'
    # full-text search: a rare word and a common one, against the JSON texts
    for word in ('doorknobs', 'lamp'):
        want = sorted((p, q['id']) for p, doc in docs.items() for q in doc['quotes']
                      if re.search(rf'(?<!\w){word}(?!\w)', q['text'], re.I))
        got = sorted((p, qid) for p, qid, _, _ in con.execute(Q_FTS, (word,)))
        assert got == want and got, f'FTS {word}: {got[:5]} vs {want[:5]}'
    row = con.execute(Q_FTS, ('doorknobs',)).fetchone()
    assert row[2] and 'Doorknobs' in row[3], row
    con.close()


@test
def rerun_change_touch(c):
    d = c.dir('incremental')
    src = os.path.join(d, 'works')
    os.makedirs(src)
    for f in c.fixtures():
        shutil.copy2(f, src)
    db = os.path.join(d, 'corpus.db')
    n = len(c.fixtures())
    s, _ = c.index(db, src)
    assert s['added'] == n, s
    con = connect(db)
    snapshot = lambda: con.execute(
        'SELECT w.id, w.path, w.analysed_at, (SELECT count(*) FROM quotations q WHERE q.work = w.id),'
        ' (SELECT min(id) FROM quotations q WHERE q.work = w.id) FROM works w ORDER BY w.path'
    ).fetchall()
    before = snapshot()
    s, _ = c.index(db, src)
    assert s == {'added': 0, 'updated': 0, 'unchanged': n, 'failed': 0}, s
    assert snapshot() == before, 'an unchanged re-run changed rows'
    # change one file: one more quotation; only it is re-analysed
    story = os.path.join(src, 'the-lamplighter.txt')
    with open(story, 'a', encoding='utf-8') as f:
        f.write('\n"I keep the secret of the lamps," said Tom Ashby.\n')
    s, _ = c.index(db, src)
    assert s == {'added': 0, 'updated': 1, 'unchanged': n - 1, 'failed': 0}, s
    after = snapshot()
    real = os.path.realpath(story)
    assert [r for r in after if r[1] != real] == [r for r in before if r[1] != real], \
        'other works were rewritten'
    old = next(r for r in before if r[1] == real)
    new = next(r for r in after if r[1] == real)
    assert new[3] == old[3] + 1, f'quotations {old[3]} -> {new[3]}'
    check_work(con, story, c.json(story))
    hits = con.execute(Q_FTS, ('secret',)).fetchall()
    assert any('secret of the lamps' in r[3] for r in hits), hits
    # touch another: re-analysed, same rows
    md = os.path.join(src, 'story.md')
    os.utime(md, ns=(time.time_ns(), time.time_ns()))
    s, _ = c.index(db, src)
    assert s == {'added': 0, 'updated': 1, 'unchanged': n - 1, 'failed': 0}, s
    check_work(con, md, c.json(md))
    assert con.execute('SELECT count(*) FROM quotations').fetchone()[0] == sum(r[3] for r in after)
    # --force re-analyses everything
    s, _ = c.index(db, src, extra=('--force',))
    assert s == {'added': 0, 'updated': n, 'unchanged': 0, 'failed': 0}, s
    con.close()
    check_consistent(db)


@test
def failures_keep_the_others(c):
    d = c.dir('failures')
    src = os.path.join(d, 'works')
    os.makedirs(os.path.join(src, 'sub'))
    shutil.copy2(c.fixtures()[0], os.path.join(src, 'a-good.txt'))
    with open(os.path.join(src, 'b-damaged.epub'), 'wb') as f:  # a truncated zip
        f.write(b'PK\x03\x04\x14\x00\x00\x00\x08\x00' + b'\x00' * 20 + b'mimetypeapplication/ep')
    os.symlink('nowhere.txt', os.path.join(src, 'c-dangling.txt'))
    with open(os.path.join(src, 'd-deep.html'), 'wb') as f:  # past the nesting limit
        f.write(b'<html><body>' + b'<div>' * 5000 + b'"Hello," she said.')
    shutil.copy2(c.fixtures()[-1], os.path.join(src, 'sub', 'e-good.md'))
    db = os.path.join(d, 'corpus.db')
    s, err = c.index(db, src, code=7)  # the first failure: the damaged EPUB
    assert s == {'added': 2, 'updated': 0, 'unchanged': 0, 'failed': 3}, s
    for name in ('b-damaged.epub', 'c-dangling.txt', 'd-deep.html'):
        assert name in err, f'{name} not named on stderr: {err}'
    check_consistent(db)
    con = connect(db)
    check_work(con, os.path.join(src, 'a-good.txt'), c.json(os.path.join(src, 'a-good.txt')))
    check_work(con, os.path.join(src, 'sub', 'e-good.md'), c.json(os.path.join(src, 'sub', 'e-good.md')))
    con.close()
    # a missing path given on the command line: exit 3, the rest indexed
    s, err = c.index(db, os.path.join(d, 'missing.txt'), src, code=3)
    assert s == {'added': 0, 'updated': 0, 'unchanged': 2, 'failed': 4}, s
    assert 'missing.txt' in err


@test
def killed_mid_run_then_pdnc(c):
    dev = os.path.join(c.corpus, 'pdnc-dev')
    assert os.path.isdir(dev), f'the PDNC dev corpus is missing: {dev} (see README)'
    texts = sorted(os.path.join(dev, w, 'text.txt') for w in os.listdir(dev)
                   if os.path.isfile(os.path.join(dev, w, 'text.txt')))
    assert len(texts) == 15, f'{len(texts)} works in {dev}, expected 15'
    d = c.dir('pdnc')
    db = os.path.join(d, 'corpus.db')
    p = subprocess.Popen([c.quoth, 'index', '-o', db, dev], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    committed = 0
    deadline = time.time() + 600
    while p.poll() is None and time.time() < deadline:
        try:
            con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=1)
            committed = con.execute('SELECT count(*) FROM works').fetchone()[0]
            con.close()
        except sqlite3.Error:
            committed = 0
        if committed >= 3:
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    p.wait()
    p.stderr.close()
    assert p.returncode == -signal.SIGKILL, f'the run ended (exit {p.returncode}) before it was killed'
    check_consistent(db)
    con = connect(db)
    kept = con.execute('SELECT count(*) FROM works').fetchone()[0]
    assert 3 <= kept < 15, f'{kept} works after the kill'
    docs = {t: c.json(t) for t in texts}
    for (path,) in con.execute('SELECT path FROM works').fetchall():
        check_work(con, path, docs[path])
    con.close()
    # the next run adds the rest and leaves the committed works alone
    s, _ = c.index(db, dev)
    assert s == {'added': 15 - kept, 'updated': 0, 'unchanged': kept, 'failed': 0}, s
    check_consistent(db)
    con = connect(db)
    assert con.execute('SELECT count(*) FROM works').fetchone()[0] == 15
    for t in texts:
        work = con.execute('SELECT id FROM works WHERE path = ?', (os.path.realpath(t),)).fetchone()[0]
        nq = con.execute('SELECT count(*) FROM quotations WHERE work = ?', (work,)).fetchone()[0]
        nc = con.execute('SELECT count(*) FROM characters WHERE work = ?', (work,)).fetchone()[0]
        assert (nq, nc) == (len(docs[t]['quotes']), len(docs[t]['characters'])), \
            f'{t}: {nq} quotations, {nc} characters; JSON {len(docs[t]["quotes"])}, {len(docs[t]["characters"])}'
    total = sum(len(doc['quotes']) for doc in docs.values())
    assert con.execute('SELECT count(*) FROM quotations').fetchone()[0] == total
    # the example queries run on a real corpus
    assert len(con.execute(Q_MOST_CORPUS).fetchall()) == 10
    assert len(con.execute(Q_MOST_PER_WORK).fetchall()) >= 15
    assert con.execute(Q_FTS, ('secret',)).fetchall()
    con.close()


def dump(db):
    """Every row of every table but the analysis times, in a stable order."""
    con = connect(db)
    out = {}
    for t in ('works', 'work_meta', 'sections', 'characters', 'aliases', 'quotations', 'addressees'):
        cols = [r[1] for r in con.execute(f'PRAGMA table_info({t})') if r[1] != 'analysed_at']
        out[t] = con.execute(f'SELECT {", ".join(cols)} FROM {t} ORDER BY 1, 2').fetchall()
    out['fts'] = con.execute("SELECT rowid FROM quotations_fts WHERE quotations_fts MATCH 'lamp OR the'"
                             ' ORDER BY rowid').fetchall()
    con.close()
    return out


@test
def threads_give_the_same_database(c):
    d = c.dir('threads')
    src = os.path.join(d, 'works')
    os.makedirs(src)
    for f in c.fixtures():
        shutil.copy2(f, src)
    for i in range(6):  # more works than threads, so the window is used
        shutil.copy2(c.fixtures()[0], os.path.join(src, f'copy{i}.txt'))
    with open(os.path.join(src, 'x-damaged.epub'), 'wb') as f:
        f.write(b'PK\x03\x04 not a zip')
    dbs = []
    for jobs in ('1', '3', '0'):
        db = os.path.join(d, f'j{jobs}.db')
        s, err = c.index(db, src, code=7, extra=('-j', jobs))
        assert s == {'added': len(c.fixtures()) + 6, 'updated': 0, 'unchanged': 0, 'failed': 1}, s
        assert 'x-damaged.epub' in err
        check_consistent(db)
        dbs.append(dump(db))
    assert dbs[0] == dbs[1] == dbs[2], 'the database differs with -j'
    p = c.run('index', '-j', 'many', '-o', os.path.join(d, 'u.db'), src)
    assert p.returncode == 2, p.stderr


@test
def refuses_other_databases(c):
    d = c.dir('refuse')
    story = c.fixtures()[0]
    other = os.path.join(d, 'other.db')
    con = sqlite3.connect(other)
    con.execute('CREATE TABLE notes (x TEXT)')
    con.execute("INSERT INTO notes VALUES ('keep me')")
    con.commit()
    con.close()
    before = open(other, 'rb').read()
    p = c.run('index', '-o', other, story)
    err = p.stderr.decode()
    assert p.returncode == 6 and 'not a quoth index' in err, (p.returncode, err)
    assert open(other, 'rb').read() == before, 'the other database was changed'
    text = os.path.join(d, 'notes.db')
    with open(text, 'w') as f:
        f.write('these are not the tables you are looking for\n' * 100)
    p = c.run('index', '-o', text, story)
    assert p.returncode == 6 and 'notes.db' in p.stderr.decode(), p.stderr
    # another schema version of a quoth index
    db = os.path.join(d, 'v99.db')
    c.index(db, story)
    con = sqlite3.connect(db)
    con.execute('PRAGMA user_version = 99')
    con.commit()
    con.close()
    p = c.run('index', '-o', db, story)
    assert p.returncode == 6 and 'version 99' in p.stderr.decode(), p.stderr
    # cannot be created
    p = c.run('index', '-o', os.path.join(d, 'no', 'such', 'dir.db'), story)
    assert p.returncode == 6 and 'dir.db' in p.stderr.decode(), p.stderr
    p = c.run('index', '-o', d, story)
    assert p.returncode == 6, p.stderr


@test
def usage(c):
    p = c.run('index', '--help')
    assert p.returncode == 0 and b'quotations_fts' in p.stdout and b'-o' in p.stdout
    for args, what in ((['index', 'x.txt'], 'no database'),
                       (['index', '-o', os.path.join(c.out, 'u.db')], 'no directory'),
                       (['index', '--bogus', '-o', 'u.db', 'x'], 'unknown option'),
                       (['index', '-r', 'pdf', '-o', 'u.db', 'x'], 'unknown reader'),
                       (['index', '-o'], 'missing')):
        p = c.run(*args)
        assert p.returncode == 2 and what.encode() in p.stderr, (args, p.returncode, p.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--repo', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('-k', help='run only tests whose name contains this')
    args = ap.parse_args()
    c = Ctx(args)
    os.makedirs(c.out, exist_ok=True)
    passed = failed = 0
    for fn in TESTS:
        if args.k and args.k not in fn.__name__:
            continue
        t0 = time.time()
        try:
            fn(c)
            passed += 1
            print(f'ok   {fn.__name__} ({time.time() - t0:.1f} s)')
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f'FAIL {fn.__name__}: {type(e).__name__}: {e}')
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
