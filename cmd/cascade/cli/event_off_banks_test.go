package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestBankNoteOffEvent: a bank that starts below its min_ratio fails in
// the first tick "before any event", or "whatever the events" when an
// event falls at tick 0; an event at tick 0 switched off (off: true, as
// --set 'events[LABEL].off=true' writes it) is not applied, so the note
// says "before any event" again. Before, it counted the off event.
func TestBankNoteOffEvent(t *testing.T) {
	const note = "bank DE21 starts at a leverage ratio (equity over assets) of 1.76%, below its min_ratio of 3%, so it fails in the first tick, "
	for _, c := range []struct {
		sets []string
		when string
	}{
		{nil, "before any event"},
		{[]string{"events.0.tick=0"}, "whatever the events"},
		{[]string{"events.0.tick=0", "events.0.off=true"}, "before any event"},
		{[]string{"events.0.tick=0", "events[government bonds fall 10%].off=true"}, "before any event"},
	} {
		sc, err := scenarios.Load("eba2018", append([]string{"agents.DE21.equity=3e9"}, c.sets...))
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, 1)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{note + c.when}; !slices.Equal(m.Notes, want) {
			t.Errorf("%q: notes\n%q\nwant\n%q", c.sets, m.Notes, want)
		}
	}
}

// TestBanksTallyOffEvent: cascade banks says when the banks below their
// buffer sell, against the events of the scenario they are put in: before
// its shock, in the tick of an event at tick 0, or with every event off
// at calm prices, with no event to come.
func TestBanksTallyOffEvent(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "b.csv")
	// EUR million; WEAK starts at 3.5%, below eba2018's 4% buffer.
	if err := os.WriteFile(table, []byte("id,equity,cash,GOVB,CORPB,OTHER\nSTRONG,80,50,120,80,750\nWEAK,35,40,200,50,710\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const shock = "  - {tick: 0, kind: shock, shocks: {GOVB: -0.1}, label: bonds fall"
	for _, c := range []struct {
		name, events, want string
	}{
		{"eba2018", "", "sell at the first tick, before the shock, at calm prices (--buffer-at-start"},
		{"on", shock + "}\n", "sell at the first tick, in the tick of the first event, whatever the events (--buffer-at-start"},
		{"off", shock + ", off: true}\n", "sell at the first tick, at calm prices, with no event on in the scenario (--buffer-at-start keeps their holdings): WEAK"},
	} {
		into := "eba2018"
		if c.events != "" {
			into = filepath.Join(dir, c.name+".yaml")
			if err := os.WriteFile(into, []byte("extends: eba2018\nname: "+c.name+"\nevents:\n"+c.events), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, "out-"+c.name+".yaml")
		stdout, stderr, code := cascade(t, "banks", table, out, "--into", into, "--scale", "1e6")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		if !strings.Contains(stdout, c.want) {
			t.Errorf("%s: stdout lacks %q:\n%s", c.name, c.want, stdout)
		}
	}
}
