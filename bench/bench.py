#!/usr/bin/env python3
"""The measurements behind bench/run.sh (which builds quoth and calls this).

usage: bench.py --quoth BIN --corpus DIR --report FILE [--raw DIR] [--base-mb N]

(a) hyperfine: `wc -w` over every DIR/*/text.txt against quoth run on each of
    them and against one `quoth --jsonl` process reading them all (JSON to
    /dev/null), in one invocation (warmup 1, at least 5 runs);
(b) quoth's throughput: total bytes / mean time, both ways;
(c) quoth's peak memory (max RSS, GNU time) on the largest work;
(d) growth: 1x, 4x and 16x copies of a ~1 MB base made by concatenating the
    texts, each timed by hyperfine (3 runs) and measured for max RSS.
(e) rendering: hyperfine runs quoth on the whole corpus, once per novel,
    with `-f none` (the analysis alone: nothing rendered) and with
    `-f json,script,fountain,tei,html,csv,ssml,voices` (the analysis once and
    all eight formats, to /dev/null), in one invocation; the overhead is
    their ratio less one (target: at most 20%).
The derived inputs live in a temporary folder that is removed at the end.
--only-render runs (e) alone and prints it.
Writes a Markdown report to FILE; hyperfine's JSON goes to --raw."""
import argparse
import datetime
import glob
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile

MB = 1_000_000  # throughput is reported in decimal megabytes
# the growth sizes: k copies of a ~1 MB base (64x is 64 MB, about three
# seconds and 250 MB of memory a run)
GROWTH = (1, 4, 16, 64)


def fail(msg):
    sys.stderr.write(f'bench: {msg}\n')
    sys.exit(2)


def hyperfine(commands, export, warmup=0, min_runs=None, runs=None):
    """commands: [(name, shell command)]. Returns hyperfine's result list."""
    cmd = ['hyperfine', '--style', 'basic', '--export-json', export, '--warmup', str(warmup)]
    if runs:
        cmd += ['--runs', str(runs)]
    if min_runs:
        cmd += ['--min-runs', str(min_runs)]
    for name, c in commands:
        cmd += ['-n', name, c]
    sys.stderr.write('bench: ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
    p = subprocess.run(cmd, stdout=sys.stderr)
    if p.returncode != 0:
        fail(f'hyperfine failed (exit {p.returncode})')
    with open(export) as f:
        return json.load(f)['results']


NO_ASLR = ['setarch', '-R'] if shutil.which('setarch') else []


def quoth_once(quoth, path, timeout):
    """One run under GNU time: (exit code, wall seconds, max RSS KiB, stderr)."""
    with tempfile.NamedTemporaryFile('r', suffix='.time') as t:
        try:
            # without address-space randomisation (setarch -R): the peak
            # of a small run moved by ~160 KiB from run to run with it
            p = subprocess.run(NO_ASLR + ['/usr/bin/time', '-o', t.name, '-f', '%e %M',
                                          quoth, path, '-f', 'json'],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, timeout, None, f'timed out after {timeout:.0f} s'
        fields = t.read().split()
    # GNU time writes "Command exited with non-zero status N" before the format
    # line when the command fails; the last two fields are ours.
    wall, rss = float(fields[-2]), int(fields[-1])
    return p.returncode, wall, rss, p.stderr.decode('utf-8', 'replace').strip()


def fmt_s(x):
    return f'{x * 1000:.1f} ms' if x < 1 else f'{x:.2f} s'


ALL_FORMATS = 'json,script,fountain,tei,html,csv,ssml,voices'


def measure_render(quoth, texts, raw):
    """(e): the analysis alone against the analysis and every format, per
    novel over the whole corpus, in one hyperfine run; report lines."""
    with tempfile.TemporaryDirectory(prefix='quoth-bench-render-') as tmp:
        scripts = {}
        for name, fmt in (('analysis', 'none'), ('all-formats', ALL_FORMATS)):
            path = os.path.join(tmp, f'{name}.sh')
            with open(path, 'w') as f:
                f.write('#!/bin/sh\n')
                for t in texts:
                    f.write(f'{shlex.quote(quoth)} {shlex.quote(t)} -f {fmt} >/dev/null || exit 1\n')
            scripts[name] = path
        res = hyperfine([('quoth -f none', f'sh {shlex.quote(scripts["analysis"])}'),
                         (f'quoth -f {ALL_FORMATS}', f'sh {shlex.quote(scripts["all-formats"])}')],
                        os.path.join(raw, 'render.json'), warmup=1, min_runs=10)
    base, full = res[0], res[1]
    over = full['mean'] / base['mean'] - 1
    best = min(full['times']) / min(base['times']) - 1
    # CPU time (user + system) is what the rendering adds, and the figure
    # least disturbed by other work on a shared machine
    cpu = (full['user'] + full['system']) / (base['user'] + base['system']) - 1
    L = ['## (e) rendering every format',
         '',
         f'hyperfine, warmup 1, at least 10 runs; quoth once per text over the {len(texts)} texts: '
         f'`-f none` analyses and renders nothing, `-f {ALL_FORMATS}` analyses once and renders '
         f'all eight formats to /dev/null.',
         '',
         '| command | mean | ± σ | min | user + system | runs |',
         '| --- | ---: | ---: | ---: | ---: | ---: |']
    for r in (base, full):
        L.append(f"| {r['command']} | {fmt_s(r['mean'])} | {fmt_s(r['stddev'] or 0)} | "
                 f"{fmt_s(r['min'])} | {fmt_s(r['user'] + r['system'])} | {len(r['times'])} |")
    L.append('')
    L.append(f'**Rendering all eight formats adds {cpu * 100:.1f}% CPU time** (user + system) to the '
             f'analysis; wall time: {over * 100:.1f}% on the means, {best * 100:.1f}% on the best runs '
             f'(target at most 20%).')
    return L


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quoth', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--report', required=True)
    ap.add_argument('--raw', help='folder for hyperfine JSON (default: beside the report)')
    ap.add_argument('--base-mb', type=float, default=1.0)
    ap.add_argument('--only-render', action='store_true',
                    help='measure (e), rendering every format, and nothing else')
    ap.add_argument('--timeout', type=float, default=600,
                    help='seconds one quoth run may take before growth stops')
    a = ap.parse_args()

    quoth = os.path.abspath(a.quoth)
    texts = sorted(glob.glob(os.path.join(a.corpus, '*', 'text.txt')))
    if not texts:
        fail(f'no corpus texts at {os.path.join(os.path.abspath(a.corpus), "*", "text.txt")}')
    for tool in ('hyperfine', 'wc'):
        if not shutil.which(tool):
            fail(f'{tool} is not installed (scripts/install-deps.sh installs it)')
    if not os.access('/usr/bin/time', os.X_OK):
        fail('GNU time (/usr/bin/time) is not installed (scripts/install-deps.sh installs it)')
    raw = a.raw or os.path.dirname(os.path.abspath(a.report))
    os.makedirs(raw, exist_ok=True)
    sizes = {t: os.path.getsize(t) for t in texts}
    total = sum(sizes.values())

    try:
        load0 = ' '.join(open('/proc/loadavg').read().split()[:3])
    except OSError:
        load0 = '?'

    # Every text must go through before anything is timed: a failing quoth
    # would otherwise be timed as a fast one.
    for t in texts:
        code, _, _, err = quoth_once(quoth, t, a.timeout)
        if code != 0:
            fail(f'quoth failed on {t}: exit {code}: {err}')

    render_lines = measure_render(quoth, texts, raw)
    if a.only_render:
        print('\n'.join(render_lines))
        return 0

    with tempfile.TemporaryDirectory(prefix='quoth-bench-') as tmp:
        # (a) + (b)
        loop = os.path.join(tmp, 'quoth-all.sh')
        with open(loop, 'w') as f:
            f.write('#!/bin/sh\n')
            for t in texts:
                f.write(f'{shlex.quote(quoth)} {shlex.quote(t)} -f json >/dev/null || exit 1\n')
        # ... and in one process over every text, as `wc -w` reads them: the
        # same analysis without a process start-up per text (--jsonl with
        # one {"id", "path"} line per text)
        listing = os.path.join(tmp, 'texts.jsonl')
        with open(listing, 'w') as f:
            for t in texts:
                f.write(json.dumps({'id': t, 'path': os.path.abspath(t)}) + '\n')
        wc = 'wc -w ' + ' '.join(shlex.quote(t) for t in texts) + ' >/dev/null'
        res = hyperfine([('wc -w', wc), ('quoth', f'sh {shlex.quote(loop)}'),
                         ('quoth --jsonl', f'{shlex.quote(quoth)} --jsonl {shlex.quote(listing)} >/dev/null')],
                        os.path.join(raw, 'corpus.json'), warmup=1, min_runs=5)
        wc_r, q_r, one_r = res[0], res[1], res[2]
        ratio = q_r['mean'] / wc_r['mean']
        ratio_one = one_r['mean'] / wc_r['mean']
        mbps = total / MB / q_r['mean']
        mbps_one = total / MB / one_r['mean']

        # (c)
        # Peak memory against the program's own: the same run on a 4 KB
        # work (the largest's first paragraphs: the same code, libraries and
        # tables are resident) is the constant; what the work adds above it,
        # per input byte, is the figure issue 7 sets at 4. Each the least of
        # three runs (the RSS of one run moves by ~100 KB with the address
        # layout).
        largest = max(texts, key=lambda t: sizes[t])
        peak = min(quoth_once(quoth, largest, a.timeout)[2] for _ in range(3))
        with open(largest, 'rb') as f:
            head = f.read(4096)
        cut = head.rfind(b'\n\n')
        small = os.path.join(tmp, 'small-work.txt')
        with open(small, 'wb') as f:
            f.write(head[:cut + 2] if cut > 0 else head)
        small_rss = min(quoth_once(quoth, small, a.timeout)[2] for _ in range(3))

        # (d)
        # The texts in name order, cut at the last paragraph break before
        # base_mb, so the base is whole paragraphs of real prose.
        want = int(a.base_mb * MB)
        base = bytearray()
        for t in texts:
            if len(base) >= want:
                break
            with open(t, 'rb') as f:
                base += f.read().rstrip(b'\n') + b'\n\n\n'
        cut = base.rfind(b'\n\n', 0, want)
        if cut > want // 2:
            base = base[:cut] + b'\n\n'
        growth = []
        for k in GROWTH:
            path = os.path.join(tmp, f'base-x{k}.txt')
            with open(path, 'wb') as f:
                for _ in range(k):
                    f.write(base)
            n = len(base) * k
            code, wall, rss, err = quoth_once(quoth, path, a.timeout)
            row = {'k': k, 'bytes': n, 'rss_kib': rss}
            if code != 0:
                row['error'] = f'exit {code}: {err}'
                growth.append(row)
                break
            if wall * 3 > a.timeout:  # too slow to repeat: keep the one run
                row.update(mean=wall, stddev=0.0, runs=1, best=wall)
            else:
                # best of several: on a shared 2-core machine the minimum is
                # the figure least disturbed by other work
                r = hyperfine([(f'quoth x{k}', f'{shlex.quote(quoth)} {shlex.quote(path)} '
                                               f'-f json >/dev/null')],
                              os.path.join(raw, f'growth-x{k}.json'),
                              runs=3 if wall > 5 else 5)[0]
                row.update(mean=r['mean'], stddev=r['stddev'], runs=len(r['times']),
                           best=min(r['times']))
            growth.append(row)
            os.remove(path)

    # report
    def git(*args):
        try:
            return subprocess.run(['git', *args], capture_output=True, text=True,
                                  cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
        except OSError:
            return ''
    commit = git('rev-parse', '--short', 'HEAD') or 'no commit'
    if git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'include', 'cli'):
        commit += ' (with uncommitted changes to src/include/cli)'
    version = subprocess.run([quoth, '--version'], capture_output=True, text=True).stdout.strip()
    cpu = ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass

    L = []
    L.append('# quoth benchmark')
    L.append('')
    L.append(f'- date: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}')
    L.append(f'- quoth: {version or "?"}, commit {commit}, Release build')
    L.append(f'- machine: {cpu or platform.machine()}, {os.cpu_count()} cores, '
             f'{platform.system()} {platform.release()}')
    L.append(f'- load average when the run started: {load0} (other work on the machine '
             f'makes the timings noisier)')
    L.append(f'- corpus: {len(texts)} texts from `{os.path.relpath(a.corpus, os.getcwd())}`, '
             f'{total:,} bytes ({total / MB:.2f} MB)')
    L.append(f'- reproduce: `bench/run.sh` (or `make bench`)')
    L.append('')
    L.append('## (a) quoth against `wc -w` over the whole corpus')
    L.append('')
    L.append('hyperfine, warmup 1, at least 5 runs; JSON to /dev/null. `quoth` runs once per text '
             f'({len(texts)} processes); `quoth --jsonl` reads every text in one process, as `wc -w` does '
             '(a list of `{"id", "path"}` lines).')
    L.append('')
    L.append('| command | mean | ± σ | min | max | runs |')
    L.append('| --- | ---: | ---: | ---: | ---: | ---: |')
    for r in (wc_r, q_r, one_r):
        L.append(f"| {r['command']} | {fmt_s(r['mean'])} | {fmt_s(r['stddev'] or 0)} | "
                 f"{fmt_s(r['min'])} | {fmt_s(r['max'])} | {len(r['times'])} |")
    L.append('')
    L.append(f'**quoth / wc -w = {ratio_one:.1f}x** the time of counting the words in one process '
             f'(--jsonl); **{ratio:.1f}x** once per text, with {len(texts)} process start-ups.')
    L.append('')
    L.append('## (b) throughput')
    L.append('')
    L.append(f'**{mbps_one:.2f} MB/s** in one process ({total:,} bytes / {fmt_s(one_r["mean"])} mean; '
             f'1 MB = 10^6 bytes); {mbps:.2f} MB/s once per text (includes process start-up for '
             f'{len(texts)} runs).')
    L.append('')
    L.append('## (c) peak memory on the largest work')
    L.append('')
    L.append(f'**{peak / 1024:.1f} MiB** max RSS on `{os.path.basename(os.path.dirname(largest))}` '
             f'({sizes[largest]:,} bytes; {peak * 1024 / sizes[largest]:.1f} bytes of RSS per '
             f'input byte), GNU time `%M`{" under `setarch -R`" if NO_ASLR else ""}, the least of three runs.')
    L.append('')
    above = (peak - small_rss) * 1024 / sizes[largest]
    L.append(f'The program itself (the same run on the first 4 KB of that work) is {small_rss / 1024:.1f} MiB; '
             f'the work adds **{above:.2f} bytes per input byte** above it (target: 4).')
    L.append('')
    L.append('## (d) growth with input size')
    L.append('')
    L.append(f'k copies of a {len(base):,}-byte base (the texts in name order, concatenated and cut '
             f'at a paragraph break), each run 5 times by hyperfine (3 when one run takes over '
             f'5 s). MB/s and the linearity column use the best run, the one least disturbed '
             f'by other work on the machine.')
    L.append('')
    L.append('| input | bytes | best | mean ± σ | MB/s | best / (k × best at 1x) | max RSS | RSS / byte |')
    L.append('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    t1 = growth[0].get('best')
    for g in growth:
        if 'error' in g:
            L.append(f"| {g['k']}x | {g['bytes']:,} | failed: {g['error']} | | | | | |")
            continue
        rel = g['best'] / (g['k'] * t1) if t1 else float('nan')
        L.append(f"| {g['k']}x | {g['bytes']:,} | {fmt_s(g['best'])} | "
                 f"{fmt_s(g['mean'])} ± {fmt_s(g['stddev'] or 0)} | "
                 f"{g['bytes'] / MB / g['best']:.2f} | {rel:.2f} | {g['rss_kib'] / 1024:.1f} MiB | "
                 f"{g['rss_kib'] * 1024 / g['bytes']:.1f} |")
    L.append('')
    ok = [g for g in growth if 'error' not in g and g.get('rss_kib')]
    if len(ok) >= 2:
        slope = (ok[-1]['rss_kib'] - ok[0]['rss_kib']) * 1024 / (ok[-1]['bytes'] - ok[0]['bytes'])
        L.append(f'Memory grows by **{slope:.2f} bytes per input byte** from {ok[0]["k"]}x to '
                 f'{ok[-1]["k"]}x (the slope of max RSS, free of the constant).')
        L.append('')
    done = [g for g in growth if 'error' not in g]
    if len(done) == len(GROWTH) and t1:
        rels = [(g['best'] / (g['k'] * t1), g['k']) for g in done]
        worst, worst_k = max(rels)
        verdict = ('linear' if worst <= 1.25 else 'somewhat worse than linear' if worst <= 2
                   else 'super-linear: look for a quadratic path')
        # the verdict is the worst size's, so the sentence names it
        L.append(f'Time per byte at {GROWTH[-1]}x is {done[-1]["best"] / (GROWTH[-1] * t1):.2f}x that at 1x, and at most '
                 f'{worst:.2f}x (at {worst_k}x): **{verdict}** (1.00 is perfectly linear; up to 1.25 '
                 f'counts as linear; a single noisy best run can move one size).')
    else:
        L.append('**Growth was not measured at every size** (see the table).')
    L.append('')
    L.extend(render_lines)
    L.append('')
    report = '\n'.join(L)
    os.makedirs(os.path.dirname(os.path.abspath(a.report)), exist_ok=True)
    with open(a.report, 'w') as f:
        f.write(report)
    print(report, end='')
    return 0


if __name__ == '__main__':
    sys.exit(main())
