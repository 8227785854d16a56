package scenarios

import (
	"strings"
	"testing"
)

// TestRateExpectedDefault: a rate that leaves expected out expects no
// change, the policy rate (it was 0, which halved the carry priced on the
// mean of the two); an expected written out, 0 included, is kept.
func TestRateExpectedDefault(t *testing.T) {
	for _, c := range []struct {
		set              string
		policy, expected float64
	}{
		{"rates.JPY={policy: 0.01}", 0.01, 0.01},
		{"rates.JPY={policy: 0.01, expected: 0}", 0.01, 0},
		{"rates.JPY={policy: 0.01, expected: 0.02}", 0.01, 0.02},
		{"rates.JPY.policy=0.01", 0.01, 0.003}, // mini's expected stays as written
	} {
		sc, err := Load("mini", []string{c.set})
		if err != nil {
			t.Fatalf("%s: %v", c.set, err)
		}
		if r := sc.File.Rates["JPY"]; r.Policy != c.policy || r.Expected != c.expected {
			t.Errorf("%s: policy %v, expected %v; want %v, %v", c.set, r.Policy, r.Expected, c.policy, c.expected)
		}
	}
}

// TestRatesUsed: a currency the world uses and rates leaves out is
// refused at its first use, naming the field and what to add; USD is used
// by what borrows, lends or hedges in dollars, so eba2018 (banks and USD
// bonds, no rates) needs none.
func TestRatesUsed(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
		want string // "" loads
	}{
		{"eba2018", nil, ""},
		{"mini", nil, ""},
		{"mini", []string{"rates={USD: {policy: 0.05}}"}, "builtin:mini:11:49: assets[0].currency: JPY has no rate: USDJPY is priced in it, and rates leaves JPY out"},
		{"mini", []string{"rates={JPY: {policy: 0.001}}"}, "agents[0].trades[0].kind: USD has no rate: the carry trade holds dollars"},
		{"eba2018", []string{"rates={EUR: {policy: 0.0}}"}, "rates.EUR: unknown currency"},
	} {
		_, err := Load(c.name, c.sets)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %v: %v", c.name, c.sets, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %v: %v, want %q", c.name, c.sets, err, c.want)
		}
	}
}
