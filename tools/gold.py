"""A gold work of ../shared/corpus/FORMAT.md, read once: its characters
with score.py's alias index, and its quotations by position. Shared by
tools/calibration.py and tools/ranker/label.py so both map a predicted
character and find a gold quotation exactly as score.py does."""
import bisect
import collections
import json
import os
import re

NARRATOR = {'_narr', 'narr', 'narrator', 'the narrator', 'i'}


def norm(s):
    """score.py's normal form of a name."""
    s = re.sub(r"[.\u2019'`]", '', s.lower())
    s = re.sub(r'\s+', ' ', s).strip()
    return '__narrator__' if s in NARRATOR else s


class Gold:
    def __init__(self, work_dir):
        chars = json.load(open(os.path.join(work_dir, 'characters.json'), encoding='utf-8'))
        if isinstance(chars, dict):
            chars = chars.get('characters', [])
        self.chars = chars
        self.skip = {c['id'] for c in chars if c['name'] in ('_group', '_unknowable')}
        self.alias = collections.defaultdict(set)
        for c in chars:
            for n in list(c.get('aliases', [])) + [c['name']]:
                self.alias[norm(n)].add(c['id'])
        self.quotes = [json.loads(l) for l in open(os.path.join(work_dir, 'quotes.jsonl'), encoding='utf-8')
                       if l.strip()]
        self._flat = sorted((s, e, i) for i, q in enumerate(self.quotes) for s, e in q['spans'])
        self._starts = [f[0] for f in self._flat]

    def map_names(self, name, aliases):
        """The gold id a predicted character maps to (its name, else the
        first alias naming exactly one gold character), or None."""
        for n in [name] + list(aliases):
            ids = self.alias.get(norm(n), set())
            if len(ids) == 1:
                return next(iter(ids))
        return None

    def quote_at(self, start, end):
        """The gold quotation overlapping [start, end) most, or None."""
        j = bisect.bisect_right(self._starts, start) - 1
        best, most = None, 0
        for k in range(max(j - 2, 0), min(j + 3, len(self._flat))):
            fs, fe, i = self._flat[k]
            o = min(end, fe) - max(start, fs)
            if o > most:
                best, most = i, o
        return self.quotes[best] if best is not None else None

    def speaker_at(self, start, end):
        """That quotation's gold speaker, None when it has none or is
        _group / _unknowable."""
        q = self.quote_at(start, end)
        s = q.get('speaker') if q else None
        return None if s is None or s in self.skip else s
