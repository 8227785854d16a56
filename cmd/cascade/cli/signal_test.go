package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptEndsAtOnce: a step that does not look for the first
// SIGINT (planning a sweep of 100 million runs, about a minute) ends at
// the second, by the signal, as an uncaught one would end it. The first
// alone was the only one caught: the command ran on to its end.
func TestSecondInterruptEndsAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on windows")
	}
	cmd := exec.Command(bin, "sweep", filepath.Join("..", "..", "..", "sweeps", "aug2024.yaml"), "--runs", "100000000", "--check")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // past the start, where the signal is caught
	cmd.Process.Signal(os.Interrupt)
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("exit %v, want an end by SIGINT; stderr:\n%s", err, stderr.String())
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("ended %v, want by SIGINT; stderr:\n%s", err, stderr.String())
	}
}

// TestInterruptedStepExitsNonZero sends one SIGINT to a step that does not
// look at the context (planning four million sweep runs) and lets it run to
// its end: the command must still exit non-zero and say it was interrupted,
// so that a calling script stops.
func TestInterruptedStepExitsNonZero(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on windows")
	}
	cmd := exec.Command(bin, "sweep", filepath.Join("..", "..", "..", "sweeps", "aug2024.yaml"), "--runs", "4000000", "--check")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // past the start, where the signal is caught
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want exit status 1; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "cascade: interrupted") {
		t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
	}
}
