package output

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStaleStage: a stage whose process was killed outright (SIGKILL) is
// removed by the next NewStage of the same output; a stage whose process
// is alive is not, and neither is a directory without a lock file.
func TestStaleStage(t *testing.T) {
	if !canLock {
		t.Skip("no file locks on this system")
	}
	parent := t.TempDir()
	final := filepath.Join(parent, "out")

	// A child process stages the output, reports its stage and waits.
	line, kill := startChild(t, "TestStageChild", "CASCADE_STAGE_CHILD="+final)
	staged := strings.TrimSpace(strings.TrimPrefix(line, "stage "))
	if !strings.HasPrefix(staged, final+".tmp-") {
		t.Fatalf("child reported %q", line)
	}
	// An older version's leftover (no lock file) stays.
	old := final + ".tmp-old"
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}

	if got := RemoveStale(final); len(got) != 0 {
		t.Fatalf("removed %v while their process lives", got)
	}
	if _, err := os.Stat(filepath.Join(staged, "summary.json")); err != nil {
		t.Fatalf("the live stage lost its file: %v", err)
	}

	kill()
	if _, err := os.Stat(staged); err != nil {
		t.Fatalf("SIGKILL should leave the stage behind: %v", err)
	}

	st, err := NewStage(final, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Errorf("the killed process's stage is still there (%v)", err)
	}
	if err := st.WriteFile("a.txt", func(w io.Writer) error { _, err := io.WriteString(w, "a"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	var names []string
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "out out.tmp-old" {
		t.Errorf("the output's parent holds %q, want %q", got, "out out.tmp-old")
	}
	if ents, _ := os.ReadDir(final); len(ents) != 1 || ents[0].Name() != "a.txt" {
		t.Errorf("the output holds %v, want a.txt alone (no lock file)", ents)
	}
}

// TestStageChild is TestStaleStage's child process: it stages an output,
// writes a file, reports the stage and waits to be killed.
func TestStageChild(t *testing.T) {
	final := os.Getenv("CASCADE_STAGE_CHILD")
	if final == "" {
		t.Skip("run by TestStaleStage")
	}
	st, err := NewStage(final, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriteFile("summary.json", func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("stage " + st.Dir() + "\n")
	time.Sleep(time.Minute)
}

// startChild starts the test binary running only the test named run, with
// env added to its environment, and returns the first line the child
// prints ("" if none) and kill, which SIGKILLs it and waits for it. It
// skips the test where the binary cannot start itself: make test-portable
// runs the tests for arm64 under qemu-aarch64, and the host's make test
// runs these.
func startChild(t *testing.T, run, env string) (line string, kill func()) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^"+run+"$")
	child.Env = append(os.Environ(), env)
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		if errors.Is(err, syscall.ENOEXEC) {
			t.Skipf("cannot start the test binary as a child here: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill() })
	line, _ = bufio.NewReader(stdout).ReadString('\n')
	return line, func() {
		t.Helper()
		if err := child.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		child.Wait()
		io.Copy(io.Discard, stdout)
	}
}
