package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditedEventLabels: an override that changes an event, other than by
// setting its label, appends what it set to the label every output shows
// ("government bonds fall 10%" would otherwise describe a 20% shock), and
// to the description; the resolved scenario carries the marks, so that
// running it again shows them once. An override that sets the event to
// what it was, sets the label itself, or changes nothing in the events
// leaves the label alone; one that sets the description leaves that.
func TestEditedEventLabels(t *testing.T) {
	const label0 = "government bonds fall 10%"
	const desc0 = "Fire-sale stress test of 48 EU banks (EBA 2018 transparency figures; Cont-Schaanning leverage thresholds 3/4/5%) after a 10% fall in government bonds."
	for _, c := range []struct {
		sets        []string
		label, desc string
	}{
		{nil, label0, desc0},
		{[]string{"depth_scale=2"}, label0, desc0},
		{[]string{"events.0.shocks.GOVB=-0.2"}, label0 + " (edited: shocks.GOVB=-0.2)", desc0 + " Edited: events.0.shocks.GOVB=-0.2."},
		// The last of two overrides of one field is what the event has.
		{[]string{"events.0.shocks.GOVB=-0.3", "events[0].shocks.GOVB=-0.2", "events.0.shocks.CORPB=-0.05"},
			label0 + " (edited: shocks.GOVB=-0.2, shocks.CORPB=-0.05)", desc0 + " Edited: events[0].shocks.GOVB=-0.2, events.0.shocks.CORPB=-0.05."},
		{[]string{"events.*.tick=3"}, label0 + " (edited: tick=3)", desc0 + " Edited: events.*.tick=3."},
		{[]string{"events.0.shocks.GOVB=-0.1"}, label0, desc0}, // what it was
		{[]string{"events.0.shocks.GOVB=-0.2", "events.0.label=bonds fall 20%"}, "bonds fall 20%", desc0 + " Edited: events.0.shocks.GOVB=-0.2."},
		{[]string{"events.0.shocks.GOVB=-0.2", "description=a 20% shock"}, label0 + " (edited: shocks.GOVB=-0.2)", "a 20% shock"},
	} {
		sc, err := Load("eba2018", c.sets)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.File.Events[0].Label; got != c.label {
			t.Errorf("%q: label %q, want %q", c.sets, got, c.label)
		}
		if got := sc.File.Description; got != c.desc {
			t.Errorf("%q: description %q, want %q", c.sets, got, c.desc)
		}
	}

	// The resolved scenario, run again, keeps the marks as they are.
	sc, err := Load("eba2018", []string{"events.0.shocks.GOVB=-0.2"})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "resolved.yaml")
	if err := os.WriteFile(p, sc.Resolved, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := again.File.Events[0].Label, label0+" (edited: shocks.GOVB=-0.2)"; got != want {
		t.Errorf("resolved scenario: label %q, want %q", got, want)
	}
	if again.File.Events[0].Shocks["GOVB"] != -0.2 || strings.Count(again.File.Description, "Edited") != 1 {
		t.Errorf("resolved scenario: shock %v, description %q", again.File.Events[0].Shocks, again.File.Description)
	}

	// compare: --set on both sides, --set-b on B's only; the sides' labels
	// then differ as their events do.
	a, err := LoadOverrides("mini", Overrides{"--set", []string{"depth_scale=2"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOverrides("mini", Overrides{"--set", []string{"depth_scale=2"}}, Overrides{"--set-b", []string{"events.1.shocks.USDJPY=-0.03"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.File.Events[1].Label != "hawkish guidance" || b.File.Events[1].Label != "hawkish guidance (edited: shocks.USDJPY=-0.03)" || b.File.Events[0].Label != "BOJ hike" {
		t.Errorf("compare: A's label %q, B's %q and %q", a.File.Events[1].Label, b.File.Events[0].Label, b.File.Events[1].Label)
	}
}
