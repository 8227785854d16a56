#!/bin/sh
# Runs the packages' tests (all but cmd/cascade, whose tests execute the
# host's binary) as other machines build them: for arm64 under
# qemu-aarch64, and for amd64 at GOAMD64=v3 when this processor has it.
# Among them, core/dmath's hashes and sim's TestSameSeriesEverywhere and
# TestReplaysSameEverywhere pin results to the bits of the baseline amd64
# build, so a pass means the same results on those machines. As root it
# installs qemu-user with apt-get if needed (Debian: qemu-user).
set -eu
pkgs="./core/... ./agents ./market ./sim ./sweep ./scenarios ./output"
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get install -y -q --no-install-recommends qemu-user >/dev/null
	else
		echo "portable.sh: qemu-aarch64 is not installed (apt-get install qemu-user)" >&2
		exit 2
	fi
fi
echo "== arm64, under qemu-aarch64"
GOARCH=arm64 go test -count=1 -exec qemu-aarch64 $pkgs
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then
	echo "== amd64 at GOAMD64=v3"
	GOAMD64=v3 go test -count=1 $pkgs
else
	echo "== amd64 at GOAMD64=v3: skipped, this processor lacks AVX2, FMA or BMI2"
fi
