#!/usr/bin/env bash
# Regenerates src/rank_weights.inc, the built-in model of the ranker
# (src/rank.c), from PDNC dev: `make ranker-weights`.
#
#   tools/ranker/train.sh [CORPUS_DIR] [WORK_DIR]
#
# 1. quoth eval --features-dir dumps every candidate speaker of every
#    quotation the named tags do not settle, with the features rank.c
#    computes, once without a cast and once with a cast from the gold
#    characters; the dump runs with the hand-set starting model
#    (tools/ranker/start.txt), so the history features are those of a
#    model that never saw the gold.
# 2. tools/ranker/label.py marks the candidate that is the gold speaker.
# 3. ranker_train (tools/ranker/train.c) fits the conditional logit on all
#    of it and writes src/rank_weights.inc.
# tools/ranker/cv.sh gives the cross-validated figures (trained without the
# novel tested on).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$here/../shared/corpus/pdnc-dev}
work=${2:-$here/out/ranker}
quoth=$here/build/quoth
train=$here/build/ranker_train
[[ -d $corpus ]] || { echo "train.sh: corpus '$corpus' not found" >&2; exit 1; }
[[ -x $quoth && -x $train ]] || { echo "train.sh: build first (make build)" >&2; exit 1; }
mkdir -p "$work/nocast" "$work/cast"
"$quoth" eval --ranker-weights "$here/tools/ranker/start.txt" --features-dir "$work/nocast" "$corpus" >/dev/null
"$quoth" eval --ranker-weights "$here/tools/ranker/start.txt" --cast-from-gold --features-dir "$work/cast" "$corpus" >/dev/null
python3 "$here/tools/ranker/label.py" --features-dir "$work/nocast" --out "$work/nocast.tsv" "$corpus"
python3 "$here/tools/ranker/label.py" --features-dir "$work/cast" --out "$work/cast.tsv" "$corpus"
(cd "$work" && "$train" --inc "$here/src/rank_weights.inc" nocast.tsv cast.tsv)
echo "train.sh: wrote src/rank_weights.inc; rebuild (make build) to use it"
