#!/bin/sh
# Counts the machine instructions one run of a benchmark executes, per
# agent-tick (per sweep run for SweepRun), under valgrind's callgrind. Unlike time, the count does not
# move with the machine's load, so it compares two versions of the engine
# on a shared or noisy machine. Usage (from the repository root):
#
#   .ci/bench/instructions.sh [benchmark name] [runs]
#
# It builds the sim package's test binary and runs the benchmark `runs`
# times (at least 2; the testing package adds one warm-up run first).
# Callgrind zeroes its counters on entering sim.(*Model).Run and dumps them
# on entering sim.runDone, which the benchmark calls right after each run,
# so each dump is one run. (Counting from a function's entry to its
# return, with --toggle-collect as this script did until commit e73f734,
# undercounts by chance: callgrind loses track of a return when Go moves a
# goroutine's stack or switches goroutines; the same run counted 824 or
# 567 depending on an allocation before it.) The warm-up's dump is left
# out: it holds only another thread's start, not the run. It prints
# instructions per run and per agent-tick (100 agents × 1,000 ticks),
# averaged over the timed runs, which use seeds 1 to `runs`. For SweepRun it builds the sweep
# package's and counts whole sweep runs (sweep.(*Sweep).runOne: copy,
# build, run, passive twin, summary). Needs valgrind (Debian: apt-get
# install valgrind); it offers to install it when run as root.
set -eu
bench=${1:-StandardRun}
runs=${2:-3}
if [ "$runs" -lt 2 ]; then
	echo "instructions.sh: runs must be at least 2" >&2
	exit 2
fi
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
pkg=sim start='*sim.(*Model).Run'
if [ "$bench" = SweepRun ]; then
	pkg=sweep start='*sweep.(*Sweep).runOne'
fi
go test -c -o "$tmp/$pkg.test" "./$pkg"
# Go's asynchronous preemption signals confuse callgrind; one P keeps the
# run on one thread. The test binary runs in its package's directory, as
# go test runs it.
(cd "$pkg" && GOGC=off GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
	--callgrind-out-file="$tmp/cg.out" --zero-before="$start" --dump-before="*$pkg.runDone" \
	"$tmp/$pkg.test" -test.run '^$' -test.bench "^Benchmark$bench\$" -test.benchtime "${runs}x") >/dev/null 2>"$tmp/log" || {
	cat "$tmp/log" >&2
	exit 1
}
# One dump per run: cg.out.1 the warm-up (b.N = 1), then cg.out.2 to
# cg.out.(runs+1) the timed runs; cg.out itself holds what followed.
n=0 total=0
k=2
while [ -e "$tmp/cg.out.$k" ]; do
	c=$(awk '/^summary:/ {print $2; exit}' "$tmp/cg.out.$k")
	[ -n "${VERBOSE:-}" ] && echo "run $((k - 1)): $c instructions" >&2
	total=$((total + c))
	n=$((n + 1))
	k=$((k + 1))
done
if [ "$n" -ne "$runs" ]; then
	echo "instructions.sh: $n dumps of timed runs, want $runs" >&2
	exit 1
fi
if [ "$pkg" = sweep ]; then
	echo "$bench: $((total / n)) instructions per sweep run"
else
	echo "$bench: $((total / n)) instructions per run, $((total / n / 100000)) per agent-tick"
fi
if [ -n "${KEEP:-}" ]; then
	cp "$tmp"/cg.out.2 "$KEEP"
	echo "callgrind profile of the first timed run kept in $KEEP (callgrind_annotate --inclusive=yes $KEEP)"
fi
