#!/bin/sh
# Runs the packages' tests (all but cmd/cascade/cli, whose tests execute the
# host's binary) as other machines build them. On an amd64 host: for
# arm64 under qemu-aarch64, and at GOAMD64=v3 when this processor has it.
# On an arm64 host: for amd64 under qemu-x86_64. Among the tests,
# core/dmath's hashes and sim's TestSameSeriesEverywhere and
# TestReplaysSameEverywhere pin results to the bits of the baseline amd64
# build, so a pass means the same results on those machines (plain
# `make test` checks the host itself). Linux only; as root it installs
# qemu-user with apt-get if needed (Debian: qemu-user).
set -eu
pkgs="./core/... ./agents ./market ./sim ./sweep ./scenarios ./output"
case "$(go env GOHOSTARCH)" in
amd64) other=arm64 qemu=qemu-aarch64 ;;
arm64) other=amd64 qemu=qemu-x86_64 ;;
*)
	echo "portable.sh: no other architecture to test from $(go env GOHOSTARCH)" >&2
	exit 2
	;;
esac
if ! command -v "$qemu" >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get install -y -q --no-install-recommends qemu-user >/dev/null
	else
		echo "portable.sh: $qemu is not installed (apt-get install qemu-user)" >&2
		exit 2
	fi
fi
echo "== $other, under $qemu"
GOARCH=$other go test -count=1 -exec "$qemu" $pkgs
if [ "$other" = amd64 ]; then
	exit 0
fi
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then
	echo "== amd64 at GOAMD64=v3"
	GOAMD64=v3 go test -count=1 $pkgs
else
	echo "== amd64 at GOAMD64=v3: skipped, this processor lacks AVX2, FMA or BMI2"
fi
