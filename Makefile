# quoth: a thin wrapper over CMake/CTest and the scripts, for the README's
# two commands (`make demo`, `make test`) and a few more. CMake does the
# building; every target here can be done by hand with the commands it echoes.

MAKEFLAGS += --no-print-directory
# CMake and CTest parallelise inside each step (-j $(JOBS)); the steps run in order.
.NOTPARALLEL:

CMAKE   ?= cmake
CTEST   ?= ctest
PYTHON  ?= python3
JOBS    ?= 2
EXAMPLE ?= examples/the-lamplighter.txt
SHARED  ?= ../shared
CORPUS  ?= $(SHARED)/corpus/pdnc-dev $(SHARED)/corpus/fanfic

# CI (CI=true) turns warnings into errors; CI=false/0/no does not.
WERROR := $(if $(filter-out 0 false FALSE False no NO off OFF,$(CI)),ON,OFF)

# $(call configure,DIR,CMAKE ARGS...): configure and build one tree.
define configure
	$(CMAKE) -S . -B $(1) $(2)
	$(CMAKE) --build $(1) -j $(JOBS)
endef

SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CTEST_ARGS    := --output-on-failure --no-tests=error -j $(JOBS)

.PHONY: all build deps demo test test-release test-asan fuzz fuzz-build fuzz-ci lint valgrind bench eval ranker-weights ranker-cv clean format format-check help

all: build

help:
	@echo 'make demo    build and run quoth on $(EXAMPLE): results in out/'
	@echo 'make test    Release (build/) and ASan+UBSan (build-asan/) builds, ctest in both,'
	@echo '             then each fuzz target for $(FUZZ_CI_SECONDS) s (fuzz/README.md), then make lint'
	@echo 'make lint    clang-tidy (clang-analyzer-*) and cppcheck over src/ and cli/'
	@echo 'make fuzz    libFuzzer targets (build-fuzz/, clang) for FUZZ_SECONDS=$(FUZZ_SECONDS) s each'
	@echo 'make bench   benchmark on the shared corpus: bench/results/latest.md'
	@echo 'make eval    score quoth on the shared corpus, without and with a gold cast'
	@echo 'make ranker-weights  retrain the ranker on PDNC dev (src/rank_weights.inc)'
	@echo 'make ranker-cv       its cross-validated accuracy (trained without the novel tested)'
	@echo 'make format  clang-format the C sources;  make clean  remove builds and out/'

deps:
	@scripts/install-deps.sh

build: deps
	$(call configure,build,-DCMAKE_BUILD_TYPE=Release -DQUOTH_WERROR=$(WERROR) -DQUOTH_TESTS=ON)

demo: build
	@test -f $(EXAMPLE) || { echo "make demo: no $(EXAMPLE)" >&2; exit 1; }
	@mkdir -p out
	build/quoth $(EXAMPLE) -f json,script,html,fountain,tei -o out/demo.json -o out/demo.txt \
		-o out/demo.html -o out/demo.fountain -o out/demo.tei.xml
	@echo
	@echo "quoth read $(EXAMPLE):"
	@echo "  out/demo.json  characters and attributed quotations (JSON)"
	@echo "  out/demo.txt   the story as a script"
	@echo "  out/demo.html  a reading view coloured by speaker (open it in a browser)"
	@echo "  out/demo.fountain, out/demo.tei.xml  a screenplay and TEI XML"

test: test-release test-asan fuzz-ci lint

test-release: build
	$(CTEST) --test-dir build $(CTEST_ARGS)

test-asan: deps
	$(call configure,build-asan,-DCMAKE_BUILD_TYPE=Debug -DQUOTH_SANITIZE=ON -DQUOTH_WERROR=$(WERROR) -DQUOTH_TESTS=ON)
	$(SANITIZER_ENV) $(CTEST) --test-dir build-asan $(CTEST_ARGS)

# Fuzzing (issue 8, fuzz/README.md): clang + libFuzzer, ASan+UBSan. The
# corpora also replay in both ctest trees (replay_<target>) under gcc.
FUZZ_SECONDS    ?= 20
FUZZ_CI_SECONDS ?= 15
FUZZ_CC         ?= clang
LIBFUZZER       := $(shell $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-$(shell uname -m).a 2>/dev/null)

fuzz-build: deps
	$(call configure,build-fuzz,-DCMAKE_C_COMPILER=$(FUZZ_CC) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUOTH_FUZZ=ON -DQUOTH_TESTS=OFF -DQUOTH_WERROR=$(WERROR))

fuzz: fuzz-build
	fuzz/run.sh -j $(JOBS) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# make test's short run: every target for FUZZ_CI_SECONDS, two at a time.
# scripts/install-deps.sh installs clang and libFuzzer; without them (a
# machine where apt could not) it is skipped with a note, except in CI.
fuzz-ci: deps
	@if command -v $(FUZZ_CC) >/dev/null 2>&1 && test -f "$(LIBFUZZER)"; then \
		$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS); \
	elif test "$(WERROR)" = ON; then \
		echo "make fuzz-ci: $(FUZZ_CC) with libFuzzer is missing (scripts/install-deps.sh installs it)" >&2; exit 1; \
	else \
		echo "make fuzz-ci: skipped: $(FUZZ_CC) with libFuzzer is missing (scripts/install-deps.sh installs it)" >&2; \
	fi

# Static analysis over src/ and cli/ (compile_commands.json from build/):
# clang-tidy's clang-analyzer-* checks (less the "use memcpy_s" advice,
# which C11 Annex K libraries do not offer) and cppcheck; any finding fails
# (`make test` runs it last). A false positive gets an inline suppression
# with its reason: `// NOLINT(check): why` or `// cppcheck-suppress id`.
# cppcheck matches --file-filter against paths relative to the checkout.
LINT_SOURCES = $(wildcard src/*.c src/read/*.c src/render/*.c cli/*.c)
TIDY_CHECKS  = -*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-security.insecureAPI.strcpy
lint: build
	printf '%s\n' $(LINT_SOURCES) | xargs -P $(JOBS) -n 4 clang-tidy -p build --quiet \
		--checks='$(TIDY_CHECKS)' --warnings-as-errors='*'
	cppcheck --project=build/compile_commands.json --file-filter='src/*' --file-filter='cli/*' \
		--enable=warning,portability --inline-suppr --error-exitcode=1 -q -j $(JOBS)

# The spec suite under valgrind memcheck (about 10 minutes here: not in CI).
valgrind: build
	QUOTH_WRAPPER='valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect -q' \
		$(PYTHON) tests/spec_runner.py --quoth build/quoth

bench: deps
	bench/run.sh

eval: build
	$(PYTHON) tools/corpus_eval.py --quoth build/quoth $(CORPUS)
	$(PYTHON) tools/corpus_eval.py --quoth build/quoth --cast-from-gold $(CORPUS)

ranker-weights: build
	tools/ranker/train.sh
	$(call configure,build,-DCMAKE_BUILD_TYPE=Release -DQUOTH_WERROR=$(WERROR) -DQUOTH_TESTS=ON)

ranker-cv: build
	# the tables hold the features of the binary that dumped them: redo them when it is newer
	if [ ! -f out/ranker/nocast.tsv ] || [ build/quoth -nt out/ranker/nocast.tsv ]; then tools/ranker/train.sh && $(MAKE) build; fi
	rm -f out/ranker/cv-*.txt
	$(PYTHON) tools/ranker/cv.py --json out/ranker/cv.json

clean:
	rm -rf build build-asan build-bench build-fuzz out

C_SOURCES = $(shell find src include cli tests bench fuzz -name '*.[ch]' 2>/dev/null)

format:
	@test -n "$(C_SOURCES)" || { echo "make format: no C sources" >&2; exit 1; }
	clang-format -i $(C_SOURCES)

format-check:
	clang-format --dry-run -Werror $(C_SOURCES)
