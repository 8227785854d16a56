package output

import (
	"runtime/debug"
	"testing"
)

// TestVersionOf: a binary names the version the go command recorded: the
// module's version from a tag or a pseudo-version, else the commit (with
// +dirty for a modified tree), else dev.
func TestVersionOf(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "edc80642e2e2ec4e4b1ac20b5333cd181d943af4"}}
	for _, c := range []struct {
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.2.0", nil, "v1.2.0"},
		{"v0.0.0-20261121203056-edc80642e2e2+dirty", rev, "v0.0.0-20261121203056-edc80642e2e2+dirty"},
		{"(devel)", rev, "dev-edc80642e2e2"},
		{"(devel)", append(rev[:2:2], debug.BuildSetting{Key: "vcs.modified", Value: "true"}), "dev-edc80642e2e2+dirty"},
		{"(devel)", append(rev[:2:2], debug.BuildSetting{Key: "vcs.modified", Value: "false"}), "dev-edc80642e2e2"},
		{"(devel)", nil, "dev"},
		{"", nil, "dev"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/cascade-sim/cascade", Version: c.main}, Settings: c.settings}
		if got := versionOf(bi); got != c.want {
			t.Errorf("main %q, settings %v: %q, want %q", c.main, c.settings, got, c.want)
		}
	}
	if got := Version("v9.9.9"); got != "v9.9.9" {
		t.Errorf("Version(v9.9.9) = %q: a version set at build time wins", got)
	}
}
