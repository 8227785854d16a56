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

// startCheck starts `cascade sweep sweeps/aug2024.yaml --runs RUNS --check`,
// a step that does not look at the context (planning the runs), and waits
// past the start, where the signal is caught. It skips on windows, which
// has no SIGINT to send.
func startCheck(t *testing.T, runs string, wait time.Duration) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on windows")
	}
	cmd := exec.Command(bin, "sweep", filepath.Join("..", "..", "..", "sweeps", "aug2024.yaml"), "--runs", runs, "--check")
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	return cmd, stderr
}

// TestSecondInterruptEndsAtOnce: a step that does not look for the first
// SIGINT (planning a sweep of 100 million runs, about a minute) ends at
// the second, by the signal, as an uncaught one would end it. The first
// alone was the only one caught: the command ran on to its end.
func TestSecondInterruptEndsAtOnce(t *testing.T) {
	cmd, stderr := startCheck(t, "100000000", time.Second)
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
	cmd, stderr := startCheck(t, "4000000", 300*time.Millisecond)
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
