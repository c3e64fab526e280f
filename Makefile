# lemma: the README's two commands, and a few more.
#   make run                 install what is missing, build Release in build/, start the web
#                            workbench (`lemma serve`, which prints its URL); PORT=N picks the port
#   make test                install what is missing, then every test CI runs (tests/run-all):
#                            Release + ASan/UBSan + 60 s each of two libFuzzer targets; ends with `N passed, N failed`
#   make fuzz SECONDS=N      only the libFuzzer run, for N seconds (default 60)
#   make bench [SUITE=name]  benchmarks against NumPy/SymPy (bench/run; see bench/README.md)
#   make clean               removes every build directory
# CMake + Ninja do the building; Ninja uses every core.

SECONDS ?= 60
SUITE ?=

.PHONY: all run build test fuzz bench deps clean

all: build

deps:
	sh scripts/install-deps

# A build/ made by another generator is started afresh: cmake cannot switch in place.
build: deps
	@if [ -f build/CMakeCache.txt ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$$' build/CMakeCache.txt; then \
		echo "build/ was configured with another generator; starting it afresh"; rm -rf build; fi
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build build

PORT ?= 8080

run: build
	@echo "Starting the lemma workbench: open the URL below in a browser (the REPL is ./build/lemma)."
	./build/lemma serve --port $(PORT)

test: deps
	bash tests/run-all

fuzz: deps
	FUZZ_SECONDS=$(SECONDS) bash tests/run-all fuzz

bench:
	bash bench/run $(SUITE)

clean:
	rm -rf build build-asan build-fuzz build-bench
