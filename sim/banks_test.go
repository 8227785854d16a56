package sim_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// ratioWatch is an Observer that follows each bank's leverage ratio at
// every tick's close from its balance sheet, not from agents.Bank.Assets:
// assets are the positive entries of the balance sheet valued from
// scratch (core.Holder.AssetsLiabilities) plus the gross cash, which the
// holder's USD balance nets against the debt.
type ratioWatch struct {
	banks     []*agents.Bank
	min       []float64
	minTick   []int
	end       []float64
	endEquity []float64
}

func (r *ratioWatch) Begin(m *sim.Model) error {
	for _, a := range m.Agents {
		if b, ok := a.(*agents.Bank); ok {
			r.banks = append(r.banks, b)
		}
	}
	n := len(r.banks)
	r.min, r.minTick, r.end, r.endEquity = make([]float64, n), make([]int, n), make([]float64, n), make([]float64, n)
	for k, b := range r.banks {
		a, _ := b.Holder().AssetsLiabilities(m.W)
		r.min[k], r.minTick[k] = b.Holder().Book0/(a+b.Cash()), -1
	}
	return nil
}

func (r *ratioWatch) Observe(f *sim.Frame) error {
	book := f.Books().Book
	for k, b := range r.banks {
		a, _ := b.Holder().AssetsLiabilities(f.Model.W)
		eq := book[b.Holder().Index]
		x := eq / (a + b.Cash())
		r.end[k], r.endEquity[k] = x, eq
		if x < r.min[k] {
			r.min[k], r.minTick[k] = x, f.Tick
		}
	}
	return nil
}

func (r *ratioWatch) End(*sim.Model) error { return nil }

// TestBankSummary: summary.json's banks, row by row in the scenario's
// order, against the scenario's balance sheets (the ratio at the start is
// the equity over holdings and cash the spec gives), a watcher that values
// each balance sheet from scratch at every close (lowest and last ratio),
// the defaults list, and forced_sales_usd (the banks' sales add up to
// by_kind.bank). eba2018's 10% shock fails DE21 and NL33, which end below
// their 3%; with the banks passive and a 20% shock none fails, none sells,
// and seven end below 3%. With 1,047 banks the 1,000 that fell lowest are
// listed, and the 1,026 that fail end below their minimum.
func TestBankSummary(t *testing.T) {
	for _, c := range []struct {
		name      string
		sets      []string
		defaulted []string
		below     []string
		passive   bool
		leftOut   int // rows left out; then the outcome is checked against the defaults list only
	}{
		{"10% shock", nil, []string{"DE21", "NL33"}, []string{"DE21", "NL33"}, false, 0},
		{"20% shock, banks passive", []string{"events.0.shocks.GOVB=-0.2", "channels.off=[bank]"}, nil,
			[]string{"BE04", "FR13", "DE21", "IT26", "NL30", "NL33", "ES38"}, true, 0},
		// Targeting never fails a bank, but four end below 3%.
		{"target mode", []string{"agents.*.mode=target"}, nil, []string{"DK05", "FR13", "DE21", "NL33"}, false, 0},
		{"1,047 banks", []string{"agents.AT01.count=1000"}, nil, nil, false, 47},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load("eba2018", c.sets)
			if err != nil {
				t.Fatal(err)
			}
			m, err := sim.Build(&sc.File.Config, sc.File.Config.Seed)
			if err != nil {
				t.Fatal(err)
			}
			col, watch := sim.NewCollector(), &ratioWatch{}
			if err := m.Run(context.Background(), col, watch); err != nil {
				t.Fatal(err)
			}
			s := col.S
			nb := len(watch.banks)
			if len(s.Banks) != nb-c.leftOut || s.BanksLeftOut != c.leftOut {
				t.Fatalf("%d rows, %d left out; want %d and %d", len(s.Banks), s.BanksLeftOut, nb-c.leftOut, c.leftOut)
			}
			var ids, defaulted, below []string
			sold := 0.0
			close := func(got sim.Num, want float64) bool { return math.Abs(float64(got)-want) <= 1e-9*math.Abs(want) }
			kept := map[string]bool{}
			worstKept := math.Inf(-1)
			for k := range s.Banks {
				kept[s.Banks[k].ID] = true
				worstKept = max(worstKept, float64(s.Banks[k].RatioMin))
			}
			row := 0
			for k, b := range watch.banks {
				spec := b.Spec
				if !kept[spec.ID] {
					if watch.min[k] < worstKept {
						t.Errorf("%s left out with a lowest ratio %v, below %v of a bank listed", spec.ID, watch.min[k], worstKept)
					}
					continue
				}
				r := s.Banks[row]
				row++
				ids = append(ids, r.ID)
				if r.ID != spec.ID {
					t.Fatalf("row %d is %s, want %s (the scenario's order)", row-1, r.ID, spec.ID)
				}
				assets := spec.Cash
				for _, v := range spec.Holdings {
					assets += v
				}
				if !close(r.RatioStart, spec.Equity/assets) {
					t.Errorf("%s: ratio_start %v, want %v", r.ID, r.RatioStart, spec.Equity/assets)
				}
				if !close(r.RatioMin, watch.min[k]) || r.RatioMinTick != watch.minTick[k] || !close(r.RatioEnd, watch.end[k]) {
					t.Errorf("%s: ratio_min %v (tick %d), ratio_end %v; want %v (tick %d), %v", r.ID, r.RatioMin, r.RatioMinTick, r.RatioEnd,
						watch.min[k], watch.minTick[k], watch.end[k])
				}
				if r.MinRatio != spec.MinRatio || r.BufferRatio != spec.BufferRatio || r.TargetRatio != spec.TargetRatio {
					t.Errorf("%s: thresholds %v/%v/%v, want the spec's %v/%v/%v", r.ID, r.MinRatio, r.BufferRatio, r.TargetRatio, spec.MinRatio, spec.BufferRatio, spec.TargetRatio)
				}
				if want := map[bool]string{false: "threshold", true: "target"}[spec.Mode == "target"]; r.Mode != want {
					t.Errorf("%s: mode %q, want %q", r.ID, r.Mode, want)
				}
				if r.Passive != c.passive || (c.passive && r.Sold != 0) {
					t.Errorf("%s: passive %v, sold %v; want passive %v", r.ID, r.Passive, r.Sold, c.passive)
				}
				if r.BelowMin != (watch.end[k] < spec.MinRatio || watch.endEquity[k] <= 0) {
					t.Errorf("%s: below_min %v at a ratio of %v against %v", r.ID, r.BelowMin, watch.end[k], spec.MinRatio)
				}
				if r.Defaulted {
					defaulted = append(defaulted, r.ID)
					i := slices.IndexFunc(s.Defaults, func(d sim.DefaultSummary) bool { return d.Agent == r.ID })
					if i < 0 || s.Defaults[i].Tick != r.DefaultTick {
						t.Errorf("%s: defaulted at tick %d; the defaults list has %+v", r.ID, r.DefaultTick, s.Defaults)
					}
				} else if r.DefaultTick != -1 {
					t.Errorf("%s: default_tick %d without a default", r.ID, r.DefaultTick)
				}
				if r.BelowMin {
					below = append(below, r.ID)
				}
				sold += float64(r.Sold)
			}
			if s.BanksBelowMin == nil || *s.BanksBelowMin < len(below) {
				t.Fatalf("banks_below_min %v, %d rows below", s.BanksBelowMin, len(below))
			}
			if c.leftOut > 0 {
				// The rows kept are those that fell lowest: here all failed.
				if len(defaulted) != len(s.Banks) || len(below) != len(s.Banks) || *s.BanksBelowMin != 1026 || len(s.Defaults) != 1026 {
					t.Errorf("%d rows defaulted, %d rows below min (banks_below_min %d, %d defaults); want all %d", len(defaulted), len(below), *s.BanksBelowMin, len(s.Defaults), len(s.Banks))
				}
			} else if !slices.Equal(defaulted, c.defaulted) || !slices.Equal(below, c.below) || *s.BanksBelowMin != len(c.below) {
				t.Errorf("defaulted %v, below min %v (banks_below_min %d); want %v and %v", defaulted, below, *s.BanksBelowMin, c.defaulted, c.below)
			}
			if want := float64(s.ForcedSales.ByKind["bank"]); c.leftOut == 0 && math.Abs(sold-want) > 1e-12*want {
				t.Errorf("the banks sold %v in all, forced_sales_usd.by_kind.bank %v", sold, want)
			}
			if !c.passive && sold == 0 {
				t.Error("no bank sold")
			}
		})
	}
}

// TestBankSummaryLeftOut: a world without banks has no banks section
// (calm), a world with one has its row (mini).
func TestBankSummaryLeftOut(t *testing.T) {
	for _, c := range []struct {
		name  string
		banks int
	}{{"calm", 0}, {"mini", 1}} {
		sc, err := scenarios.Load(c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sim.RunSummary(context.Background(), &sc.File.Config, sc.File.Config.Seed, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Banks) != c.banks || (s.BanksBelowMin != nil) != (c.banks > 0) || s.BanksLeftOut != 0 {
			t.Errorf("%s: banks %v, banks_below_min %v, left out %d; want %d rows", c.name, s.Banks, s.BanksBelowMin, s.BanksLeftOut, c.banks)
		}
	}
}

// TestBankNames: a bank's display name is carried into its row of banks
// and of capital.by_agent, and a bank without one has none.
func TestBankNames(t *testing.T) {
	sc, err := scenarios.Load("eba2018", []string{"agents.AT01.name=Erste Group Bank", "agents.UK46.name=\"HSBC, plc\""})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.RunSummary(context.Background(), &sc.File.Config, sc.File.Config.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"AT01": "Erste Group Bank", "UK46": "HSBC, plc"}
	for _, r := range s.Banks {
		if r.Name != want[r.ID] || s.Capital.ByAgent[r.ID].Name != want[r.ID] {
			t.Errorf("%s: name %q, in capital %q; want %q", r.ID, r.Name, s.Capital.ByAgent[r.ID].Name, want[r.ID])
		}
	}
}

// peekCheck is an Observer that compares, at every close, the equity
// World.PeekBook gives each holder that is nobody's lender with what
// PeekAll gives it (the frame's books), to the bit.
type peekCheck struct {
	t        *testing.T
	scratch  core.Peek
	checked  int
	mismatch int
}

func (p *peekCheck) Begin(m *sim.Model) error {
	n := len(m.W.Holders)
	p.scratch = core.Peek{Book: make([]float64, n), CashUSD: make([]float64, n)}
	return nil
}

func (p *peekCheck) Observe(f *sim.Frame) error {
	w := f.Model.W
	book := f.Books().Book
	for _, h := range w.Holders {
		if h.Index == 0 || len(h.Clients) > 0 {
			continue
		}
		if got := w.PeekBook(h, &p.scratch); got != book[h.Index] {
			if p.mismatch++; p.mismatch <= 5 {
				p.t.Errorf("tick %d, %s (%s): PeekBook %v, PeekAll %v", f.Tick, h.ID, h.Kind, got, book[h.Index])
			}
		}
		p.checked++
	}
	return nil
}

func (p *peekCheck) End(*sim.Model) error { return nil }

// TestPeekBook: the books the summary reads each bank's ratio from
// (World.PeekBook, one holder at a time) are those every other observer
// reads (PeekAll), to the bit, for every holder that lends to no one, in
// worlds with banks, funds on margin, insurers, dealers and coupons.
func TestPeekBook(t *testing.T) {
	for _, name := range []string{"eba2018", "mini", "aug2024"} {
		sc, err := scenarios.Load(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, sc.File.Config.Seed)
		if err != nil {
			t.Fatal(err)
		}
		p := &peekCheck{t: t}
		if err := m.Run(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if p.checked < sc.File.Config.Ticks {
			t.Errorf("%s: %d books checked", name, p.checked)
		}
	}
}
