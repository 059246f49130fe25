#!/usr/bin/env bash
# Benchmarks quoth on the shared corpus (see bench/README.md):
#   bench/run.sh            builds build-bench/ (Release) if needed, measures,
#                           writes bench/results/latest.md and prints it, then
#                           bench/results/readers.md (plain text vs HTML vs EPUB)
#                           and bench/results/batch.md (quoth -j 2 against -j 1).
# QUOTH_CORPUS overrides the corpus (default ../shared/corpus/pdnc-dev).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

corpus="${QUOTH_CORPUS:-../shared/corpus/pdnc-dev}"
if ! compgen -G "$corpus/*/text.txt" >/dev/null; then
    echo "bench: no corpus texts at $(realpath -m "$corpus")/*/text.txt;" \
         "the shared corpus must sit beside the repository (../shared), or set QUOTH_CORPUS" >&2
    exit 2
fi
for tool in cmake hyperfine python3; do
    command -v "$tool" >/dev/null || {
        echo "bench: $tool is not installed (run scripts/install-deps.sh)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || {
    echo "bench: GNU time (/usr/bin/time) is not installed (run scripts/install-deps.sh)" >&2; exit 2; }

# Always let CMake decide: a no-op when build-bench/ is up to date.
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DQUOTH_TESTS=OFF >/dev/null
cmake --build build-bench -j "${JOBS:-2}" >/dev/null

python3 bench/bench.py --quoth build-bench/quoth --corpus "$corpus" \
    --report bench/results/latest.md --raw bench/results "$@"
# The readers' cost: the same texts as plain text, HTML and EPUB (one
# hyperfine run; bench/results/readers.md).
python3 bench/readers.py --quoth build-bench/quoth --corpus "$corpus" \
    --report bench/results/readers.md --raw bench/results
# Whole-archive runs: -j 2 against -j 1 on the novels and on 1,000 works
# sliced from them in a temporary folder (bench/results/batch.md).
exec python3 bench/batch.py --quoth build-bench/quoth --corpus "$corpus" \
    --report bench/results/batch.md --raw bench/results
