# jifen — a thin front over CMake.
#   make        build build/jifen
#   make run    build, then serve the API on 127.0.0.1:8080 from the embedded SQLite store
#               (jifen.db, created with the demo shop on first start); Ctrl-C stops it
#   make test   install what is missing, build, run every suite, then again under ASan+UBSan
#               (but the browser tests: they test the pages, and the server under ASan is the
#               HTTP suites' job; and but the PostgreSQL copies of the HTTP suites: the same
#               handlers and service run under ASan on SQLite, and the PostgreSQL driver under
#               ASan in scenario/postgres and store/bulk-pg), each fuzz target briefly
#               (FUZZ_TEST_TIME seconds each, in the clang ASan+UBSan build of build-fuzz), and
#               the threaded suites under ThreadSanitizer (the writer, the HTTP suites on SQLite
#               but the one-client hostile, equivalence and openapi_check — the last two restart
#               their server with a shifted clock, libfaketime, whose timed waits ThreadSanitizer
#               takes for a double lock — and on PostgreSQL those of many clients at once: load,
#               idempotency, bank)
#   make fuzz   build the libFuzzer targets (tests/fuzz) and run each for FUZZ_TIME seconds
#               (60 by default) with its corpus; prints the executions of each and the findings
#   make bench  build and run the benchmarks (they print numbers; they are not tests)
#   make crash  build, then kill `jifen serve` with SIGKILL COUNT times (100 by default) under a
#               load of HTTP clients, some kills in the middle of a settlement, checking the store
#               after every restart (tests/crash/server_kill.py; `make test` runs it 8 times);
#               the figures are printed and written to $(BUILD)/crash.json

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME  ?= 60
FUZZ_TEST_TIME ?= 10
CMAKE_GEN  := -G Ninja
JOBS       ?= 2
COUNT      ?= 100

.PHONY: all build deps run test test-fast test-asan test-tsan test-fuzz fuzz fuzz-build bench crash \
        clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: deps build
	$(BUILD)/jifen serve --db jifen.db --demo

test-fast: deps build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DJIFEN_SANITIZE=ON

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir $(ASAN_BUILD) -j $(JOBS) --output-on-failure -E '^browser/|^http-pg/'

$(TSAN_BUILD)/build.ninja:
	cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJIFEN_TSAN=ON

# a data race makes the server exit with 66, which the HTTP suites check after every stop
test-tsan: deps $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		ctest --test-dir $(TSAN_BUILD) -j $(JOBS) --output-on-failure \
		-R 'writer|^http/|^http-pg/(load_50_clients|idempotency|bank)$$' -E 'hostile|equivalence|openapi_check'

$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang -DJIFEN_FUZZ=ON

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz: fuzz-build
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_TIME)

# four targets: about 4 x FUZZ_TEST_TIME seconds, a finding fails the run
test-fuzz: fuzz-build
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_TEST_TIME)

test: test-fast test-asan test-fuzz test-tsan

bench: deps build
	bash bench/replay_bench.sh $(BUILD)/jifen
	bash bench/simulate_bench.sh $(BUILD)/jifen
	$(BUILD)/jifen-bench settle --members 100000 --shape random
	$(BUILD)/jifen-bench settle --members 100000 --shape chain
	bash bench/pg_settle_bench.sh $(BUILD) 100000
	command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
	bash bench/http_bench.sh $(BUILD)/jifen

crash: deps build
	python3 tests/crash/server_kill.py $(BUILD)/jifen $(BUILD)/jifen-bench --kills $(COUNT) \
		--json $(BUILD)/crash.json

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
