package sim

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestFormatSpan: summary.json's "tick" is written as scenarios write it
// (docs/outputs.md); a span whose minutes end in 0 keeps its digit.
func TestFormatSpan(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{time.Hour, "1h"},
		{15 * time.Minute, "15m"},
		{10 * time.Minute, "10m"},
		{30 * time.Minute, "30m"},
		{90 * time.Minute, "1h30m"},
		{24 * time.Hour, "1d"},
	} {
		if got := FormatSpan(c.d); got != c.want {
			t.Errorf("FormatSpan(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// vixOver runs testWorld with SPX on the New York session, every agent
// passive, from Monday 29 Jul 2024 for the given number of ticks, and
// returns the VIX proxy of every frame and the model.
func vixOver(t *testing.T, ticks int) ([]float64, *Model) {
	t.Helper()
	cfg := testWorld(2)
	cfg.Ticks = ticks
	cfg.Warmup = 5 * 24 * time.Hour
	cfg.Channels.Off = []string{"all"}
	for i := range cfg.Assets {
		if cfg.Assets[i].ID == "SPX" {
			cfg.Assets[i].Session = "new_york"
		}
	}
	var vix []float64
	m := run(t, cfg, func(_ *Model, f *Frame) { vix = append(vix, f.VIX) })
	return vix, m
}

// TestVIXIndependentOfHorizon: Y_v, the VIX asset's trading ticks a year,
// is measured over a fixed 52 weeks, so the proxy at a tick is the same
// whether the run stops on Friday, goes on over the weekend or lasts a year
// (it was the share of the run's own ticks, which made Monday's VIX depend
// on how long the run went on after it).
func TestVIXIndependentOfHorizon(t *testing.T) {
	short, ms := vixOver(t, 5*24)  // Mon 00:00 – Sat 00:00
	long, ml := vixOver(t, 7*24)   // Mon 00:00 – Mon 00:00
	year, my := vixOver(t, 364*24) // 52 weeks
	t.Logf("Y_v: 5-day run %.0f, 7-day run %.0f, 52-week run %.0f (NYSE: about 252 days × 7 hourly ticks = 1764)",
		ms.rec.vixYear, ml.rec.vixYear, my.rec.vixYear)
	// Monday 20:00 UTC, after SPX's first session (13:30–20:00 UTC).
	k := 20
	t.Logf("VIX at tick %d: 5-day run %.4f, 7-day run %.4f, 52-week run %.4f", k, short[k], long[k], year[k])
	if math.Abs(short[k]-long[k]) > 1e-9 || math.Abs(long[k]-year[k]) > 1e-9 {
		t.Errorf("VIX proxy at tick %d depends on the run's horizon: %.4f (5 days), %.4f (7 days), %.4f (52 weeks)", k, short[k], long[k], year[k])
	}
}

// twoPassMeanCorr is the mean off-diagonal Pearson correlation of the
// returns in the recorder's window, computed in two passes from the ring
// itself: "Only pairs whose members both have positive variance count"
// (docs/outputs.md, mean_corr).
func twoPassMeanCorr(r *recorder) float64 {
	k, n := len(r.set), r.n
	if n < 3 {
		return math.NaN()
	}
	mean, v := make([]float64, k), make([]float64, k)
	for t := 0; t < n; t++ {
		for a := 0; a < k; a++ {
			mean[a] += r.ring[t*k+a] / float64(n)
		}
	}
	for t := 0; t < n; t++ {
		for a := 0; a < k; a++ {
			d := r.ring[t*k+a] - mean[a]
			v[a] += d * d
		}
	}
	sum, cnt := 0.0, 0
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			if !(v[a] > 0 && v[b] > 0) {
				continue
			}
			c := 0.0
			for t := 0; t < n; t++ {
				c += (r.ring[t*k+a] - mean[a]) * (r.ring[t*k+b] - mean[b])
			}
			sum += c / math.Sqrt(v[a]*v[b])
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// twoPairsMeanCorr is, under correlation_rows: trading, the mean Pearson
// correlation over the recorder's pairs, each computed in two passes from the pair's own window of rows:
// "Only pairs whose members both have positive variance count"
// (docs/outputs.md, mean_corr).
func twoPairsMeanCorr(r *recorder) float64 {
	sum, cnt := 0.0, 0
	for p := range r.pairs {
		q := &r.pairs[p]
		n := q.n
		if n < 3 {
			continue
		}
		ring := r.pring[2*r.W*p:]
		var mean, v [2]float64
		for t := 0; t < n; t++ {
			for j := range mean {
				mean[j] += ring[2*t+j] / float64(n)
			}
		}
		for t := 0; t < n; t++ {
			for j := range v {
				d := ring[2*t+j] - mean[j]
				v[j] += d * d
			}
		}
		if !(v[0] > 0 && v[1] > 0) {
			continue
		}
		c := 0.0
		for t := 0; t < n; t++ {
			c += (ring[2*t] - mean[0]) * (ring[2*t+1] - mean[1])
		}
		sum += c / math.Sqrt(v[0]*v[1])
		cnt++
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// TestMeanCorrClosedMarkets: mean_corr counts only pairs whose members both
// vary over the window (docs/outputs.md). A market shut for the whole window
// has returns of exactly 0, but the running sums keep a rounding residue of
// either sign, so deciding on them counted some shut markets' pairs at a
// correlation of about 0 (aug2024's Tokyo holiday on 12 Aug halved the
// value). At every tick the recorder must agree with a two-pass computation
// from its own window (each pair's own under correlation_rows: trading).
func TestMeanCorrClosedMarkets(t *testing.T) {
	for _, rows := range []string{"every_tick", "trading"} {
		t.Run(rows, func(t *testing.T) {
			cfg := testWorld(2)
			cfg.Ticks = 14 * 24
			cfg.Warmup = 5 * 24 * time.Hour
			cfg.Channels.Off = []string{"all"}
			cfg.Report.CorrelationRows = rows
			for i := range cfg.Assets {
				switch cfg.Assets[i].ID {
				case "SPX":
					cfg.Assets[i].Session = "new_york"
				case "NKY":
					cfg.Assets[i].Session = "tokyo"
				}
			}
			twoPass := twoPassMeanCorr
			if rows == "trading" {
				twoPass = twoPairsMeanCorr
			}
			bad := 0
			run(t, cfg, func(m *Model, f *Frame) {
				want := twoPass(&m.rec)
				if math.Abs(want-f.MeanCorr) > 1e-9 || (want != want) != (f.MeanCorr != f.MeanCorr) {
					if bad < 3 {
						t.Errorf("tick %d (%s): mean_corr %.4f, the window's pairs with positive variance give %.4f",
							f.Tick, f.Time.Format("Mon 02 Jan 15:04Z"), f.MeanCorr, want)
					}
					bad++
				}
			})
			if bad > 0 {
				t.Errorf("%d of %d ticks off", bad, cfg.Ticks)
			}
		})
	}
}

// TestCompressionUndefined: with no levered sector the compression index
// is undefined and written as null (NaN), not 0, which would read as "no
// stress stored".
func TestCompressionUndefined(t *testing.T) {
	cfg := noEquityWorld()
	cfg.Ticks = 24
	s, err := RunSummary(context.Background(), cfg, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Has(Levered...) {
		t.Fatalf("world has a levered sector: %v", s.Agents)
	}
	if ci := float64(s.CompressionIndex); !math.IsNaN(ci) {
		t.Errorf("no levered sector (agents %v): compression_index %v, compression %+v; want NaN (null)", s.Agents, ci, s.Compression)
	}
}

// TestReturnStatsConstant: ReturnStats are null when the returns do not
// vary. A constant non-zero return leaves a rounding residue in Σ(x − mean)²,
// which must not pass for variation (it gave excess kurtosis −2).
func TestReturnStatsConstant(t *testing.T) {
	r := make([]float64, 30)
	for i := range r {
		r[i] = 1e-5
	}
	s := returnStats(r, make([]float64, len(r)), 5)
	if !math.IsNaN(float64(s.ExcessKurtosis)) || !math.IsNaN(float64(s.AbsACF1)) || !math.IsNaN(float64(s.AbsACFMean)) {
		t.Errorf("30 returns of 1e-5: excess kurtosis %v, abs_acf_1 %v, abs_acf_mean %v; want null (NaN) for returns that do not vary",
			s.ExcessKurtosis, s.AbsACF1, s.AbsACFMean)
	}
}
