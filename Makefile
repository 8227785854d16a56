# cascade: the two set-up commands are `make run` and `make test`.
GO       ?= go
BIN      := bin/cascade
SCENARIO ?= aug2024
OUT      ?= out/$(SCENARIO)

.PHONY: all build run test test-slurm test-portable bench bench-instructions fuzz vet whatif clean

all: build

build:
	$(GO) build -trimpath -buildvcs=auto -o $(BIN) ./cmd/cascade

# Builds the binary and runs the default replay, writing outputs and plots to $(OUT).
run: build
	./$(BIN) run $(SCENARIO) --out $(OUT) --force

test: vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

# The packages' tests as other machines build them: arm64 under qemu-aarch64 (as root:
# installs qemu-user with apt-get if needed) and amd64 at GOAMD64=v3. Tests pin results
# to the baseline amd64 build's bits, so a pass means the same results there
# (docs/determinism.md).
test-portable:
	.ci/portable.sh

# Benchmarks (never timed assertions in tests): ns per agent-tick of the standard run,
# one aug2024 sweep run (build, run, passive twin: time, bytes and allocations), and
# sweep runs per second of aug2024 with 1 and 2 workers (and the speedup).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 50x ./sim/
	$(GO) test -run '^$$' -bench Synced ./core/
	$(GO) test -run '^$$' -bench SweepRun -benchtime 300x ./sweep/
	$(GO) test -run '^$$' -bench SweepScaling -benchtime 3x ./sweep/

# Instructions per agent-tick of the standard run and the engine floor, and per
# aug2024 sweep run, counted under valgrind (deterministic, unlike time: compares
# versions on a noisy machine).
bench-instructions:
	.ci/bench/instructions.sh StandardRun 3
	.ci/bench/instructions.sh StandardRunCallsAtRuns 3
	.ci/bench/instructions.sh EngineFloor 3
	.ci/bench/instructions.sh SweepRun 20

# Searches for scenario files, --set overrides and sweep files that crash the loader or
# the engine, lose an error's position, break the accounting identities, or pass
# validation and then fail to run (FUZZTIME per target). make test runs only the seed
# corpus; a failing input lands in {scenarios,sweep}/testdata/fuzz/ and then runs in
# make test too.
FUZZTIME ?= 2m
fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	$(GO) test ./sweep -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s

# The sweep's Slurm test on a single-node cluster on localhost (as root: installs Slurm
# and munge with apt-get if needed); the daemons started are stopped afterwards, by PID.
test-slurm:
	.ci/slurm/start.sh
	CASCADE_SLURM=1 CASCADE_REQUIRE_SLURM=1 $(GO) test -count=1 -run 'TestSlurmArray' -v ./cmd/cascade/cli/; \
	status=$$?; .ci/slurm/stop.sh; exit $$status

# Runs the boj2026-* what-if family (40 seeds each) and rewrites docs/whatif.md (review the diff).
whatif: build
	./$(BIN) whatif --out docs/whatif.md --force

clean:
	rm -rf bin out
