#!/bin/sh
# Counts the machine instructions one run of a benchmark executes, per
# agent-tick (per sweep run for SweepRun), under valgrind's callgrind. Unlike time, the count does not
# move with the machine's load, so it compares two versions of the engine
# on a shared or noisy machine. Usage (from the repository root):
#
#   .ci/bench/instructions.sh [benchmark name] [runs]
#
# It builds the sim package's test binary, runs the benchmark `runs` times
# (plus the one warm-up run the testing package makes) with only
# sim.(*Model).Run instrumented, and prints instructions per run and per
# agent-tick (100 agents × 1,000 ticks). For SweepRun it builds the sweep
# package's and instruments a whole sweep run (sweep.(*Sweep).runOne:
# copy, build, run, passive twin, summary). Needs valgrind (Debian: apt-get
# install valgrind); it offers to install it when run as root.
set -eu
bench=${1:-StandardRun}
runs=${2:-3}
if ! command -v valgrind >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get install -y -q valgrind >/dev/null
	else
		echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2
		exit 2
	fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pkg=sim toggle='*sim.(*Model).Run'
if [ "$bench" = SweepRun ]; then
	pkg=sweep toggle='*sweep.(*Sweep).runOne'
fi
go test -c -o "$tmp/$pkg.test" "./$pkg"
# Go's asynchronous preemption signals confuse callgrind; one P keeps the
# run on one thread. The test binary runs in its package's directory, as
# go test runs it.
(cd "$pkg" && GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
	--callgrind-out-file="$tmp/cg.out" --toggle-collect="$toggle" \
	"$tmp/$pkg.test" -test.run '^$' -test.bench "^Benchmark$bench\$" -test.benchtime "${runs}x") >/dev/null 2>"$tmp/log" || {
	cat "$tmp/log" >&2
	exit 1
}
total=$(callgrind_annotate "$tmp/cg.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
# The testing package runs a benchmark once with b.N = 1 before b.N = runs.
n=$runs
[ "$runs" -gt 1 ] && n=$((runs + 1))
if [ "$pkg" = sweep ]; then
	echo "$bench: $((total / n)) instructions per sweep run"
else
	echo "$bench: $((total / n)) instructions per run, $((total / n / 100000)) per agent-tick"
fi
if [ -n "${KEEP:-}" ]; then
	cp "$tmp/cg.out" "$KEEP"
	echo "callgrind profile kept in $KEEP (callgrind_annotate --inclusive=yes $KEEP)"
fi
