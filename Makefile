# jifen — a thin front over CMake.
#   make        build build/jifen
#   make run    build, then run the main job on the embedded SQLite store (jifen.db)
#   make test   install what is missing, build, run every suite, then again under ASan+UBSan
#   make bench  build and run the benchmarks (they print numbers; they are not tests)

BUILD      ?= build
ASAN_BUILD ?= build-asan
CMAKE_GEN  := -G Ninja
JOBS       ?= 2

.PHONY: all build deps run test test-fast test-asan bench clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: deps build
	$(BUILD)/jifen demo --db jifen.db

test-fast: deps build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DJIFEN_SANITIZE=ON

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir $(ASAN_BUILD) -j $(JOBS) --output-on-failure

test: test-fast test-asan

bench: deps build
	bash bench/replay_bench.sh $(BUILD)/jifen
	$(BUILD)/jifen-bench settle --members 100000 --shape random
	$(BUILD)/jifen-bench settle --members 100000 --shape chain
	command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
	bash bench/http_bench.sh $(BUILD)/jifen

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
