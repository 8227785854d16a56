package cli

import (
	"os/exec"
	"testing"
)

// TestNoFusedMultiplyAdd: no multiply-add of the module's code may be fused
// by the compiler on arm64 or on amd64 built with GOAMD64=v3 (fused, it
// skips the rounding of the product, and results differ in their last bits
// from the default amd64 build's). It runs .ci/fusion -check, which builds
// the module for those targets and lists the sites the compiler reports;
// go run ./.ci/fusion wraps their products in float64(...). The tool's other
// targets (ppc64le, s390x, riscv64, loong64) would make a cold run (a new
// build cache compiles the standard library for each target) too slow here.
func TestNoFusedMultiplyAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module for two other targets")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command("go", "run", "./.ci/fusion", "-check", "-arch", "arm64,amd64/v3")
	cmd.Dir = "../../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./.ci/fusion -check: %v\n%s", err, out)
	}
}
