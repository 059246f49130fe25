#!/usr/bin/env bash
# Installs the Debian packages quoth needs to build, test and benchmark, and
# only those that are missing: quiet and quick when everything is there, so
# `make demo` and `make test` can call it every time.
set -euo pipefail

packages=(
    build-essential   # cc, make
    cmake
    pkg-config
    libutf8proc-dev   # the library's only dependency
    libjansson-dev    # the CLI's `quoth eval`: reads the gold JSON
    libgumbo-dev      # the HTML reader: an HTML5 parser (AO3, FFN, FanFicFare, EPUB chapters)
    libarchive-dev    # the EPUB reader: opens the zip
    libxml2-dev       # the EPUB reader: container.xml and the OPF
    libsqlite3-dev    # `quoth index`: the corpus database (SQLite with FTS5)
    sqlite3           # the sqlite3 shell, for the index's example queries (docs/index.md)
    libcmocka-dev     # API tests
    python3           # tools/ and bench/ helpers, score.py
    hyperfine         # bench/run.sh timings
    time              # GNU /usr/bin/time: peak memory in bench/run.sh
    libxml2-utils     # xmllint: the TEI and SSML outputs are well-formed XML (tests/render_test.py)
    jing              # RELAX NG validation of the TEI output against data/tei-quoth.rng
    chromium          # headless: the HTML view's DOM test and screenshots (docs/img/)
    fonts-dejavu-core # a font for those screenshots
    parallel          # GNU parallel: tests/batch_test.py runs `quoth --jsonl` under it
    clang             # the fuzz targets (fuzz/, `make fuzz`, and `make test`'s short run)
    libclang-rt-14-dev # libFuzzer and the sanitizer runtimes for clang 14 (Debian 12's clang)
    clang-tidy        # `make lint` (part of `make test`): the clang static analyzer's checks
    cppcheck          # `make lint`: the second static analyzer
)
# node + npm: fountain-js (tests/js, from npm) parses the Fountain output.
# A Node.js installed another way (it brings its own npm) is used as it is.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing packages (${missing[*]}) and no apt-get to install them;" \
         "install them by hand" >&2
    exit 1
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-deps: missing packages (${missing[*]}); not root and no sudo:" \
             "install them by hand" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
