package output

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/sim"
)

// CompareScoreRow is one observed quantity of a replay, scored on both
// sides of a comparison at one seed: what markets did, each side's
// simulated value (null where its run gives none) and whether it is within
// tolerance.
type CompareScoreRow struct {
	Name      string  `json:"name"`
	Observed  float64 `json:"observed"`
	Tolerance string  `json:"tolerance"`
	A         sim.Num `json:"a"`
	B         sim.Num `json:"b"`
	AWithin   bool    `json:"a_within"`
	BWithin   bool    `json:"b_within"`
	bounds    []float64
}

// CompareScore lists two runs' scores against one observed list side by
// side: a[i] and b[i] are the same observation's rows.
func CompareScore(a, b []ScoreRow) ([]CompareScoreRow, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("compare: %d scored quantities against %d", len(a), len(b))
	}
	rows := make([]CompareScoreRow, len(a))
	for i := range a {
		if a[i].Name != b[i].Name {
			return nil, fmt.Errorf("compare: scored quantity %d is %q on one side, %q on the other", i, a[i].Name, b[i].Name)
		}
		rows[i] = CompareScoreRow{Name: a[i].Name, Observed: a[i].Observed, Tolerance: a[i].Tolerance,
			A: sim.Num(a[i].Simulated), B: sim.Num(b[i].Simulated), AWithin: a[i].Pass, BWithin: b[i].Pass, bounds: a[i].bounds}
	}
	return rows, nil
}

// CompareScoreSeedsRow is one observed quantity scored on both sides at
// several seeds: each side's value at every seed (null where a run gives
// none), the medians over the seeds with a value, the median of B − A
// taken seed by seed, and on how many seeds each side is within
// tolerance.
type CompareScoreSeedsRow struct {
	Name       string    `json:"name"`
	Observed   float64   `json:"observed"`
	Tolerance  string    `json:"tolerance"`
	A          []sim.Num `json:"a"`
	B          []sim.Num `json:"b"`
	MedianA    sim.Num   `json:"median_a"`
	MedianB    sim.Num   `json:"median_b"`
	MedianDiff sim.Num   `json:"median_diff"`
	AWithin    int       `json:"a_within"`
	BWithin    int       `json:"b_within"`
	bounds     []float64
}

// CompareScoreSeeds lists the scores of pairs of runs, as[k] and bs[k]
// made on seed k, quantity by quantity.
func CompareScoreSeeds(as, bs [][]ScoreRow) ([]CompareScoreSeedsRow, error) {
	if len(as) != len(bs) || len(as) == 0 {
		return nil, fmt.Errorf("compare: %d scored runs against %d", len(as), len(bs))
	}
	var out []CompareScoreSeedsRow
	for k := range as {
		rows, err := CompareScore(as[k], bs[k])
		if err != nil {
			return nil, err
		}
		if k == 0 {
			out = make([]CompareScoreSeedsRow, len(rows))
		} else if len(rows) != len(out) {
			return nil, fmt.Errorf("compare: seed %d has %d scored quantities, seed 0 %d", k, len(rows), len(out))
		}
		for i, r := range rows {
			o := &out[i]
			if k == 0 {
				o.Name, o.Observed, o.Tolerance, o.bounds = r.Name, r.Observed, r.Tolerance, r.bounds
			}
			o.A, o.B = append(o.A, r.A), append(o.B, r.B)
			if r.AWithin {
				o.AWithin++
			}
			if r.BWithin {
				o.BWithin++
			}
		}
	}
	for i := range out {
		o := &out[i]
		diff := make([]sim.Num, len(o.A))
		for k := range diff {
			diff[k] = o.B[k] - o.A[k]
		}
		o.MedianA, _, _ = seedStats(o.A)
		o.MedianB, _, _ = seedStats(o.B)
		o.MedianDiff, _, _ = seedStats(diff)
	}
	return out, nil
}

// PrintCompareScore writes the scored quantities of a comparison at one
// seed: observed, tolerance, each side's value with the digits cascade
// score gives it, B − A, and whether each side is within tolerance.
func PrintCompareScore(w io.Writer, scenario, labelA, labelB string, rows []CompareScoreRow) {
	fmt.Fprintf(w, "scored against %s's observed: list, as cascade score scores it\n", scenario)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tobserved\ttolerance\t%s\t%s\tB - A\tA within\tB within\t\n", labelA, labelB)
	na, nb := 0, 0
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, ScoreValue(r.Observed), r.Tolerance,
			scoreValue(r.A, r.bounds), scoreValue(r.B, r.bounds), trim(float64(r.B-r.A)), passFail(r.AWithin), passFail(r.BWithin))
		if r.AWithin {
			na++
		}
		if r.BWithin {
			nb++
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "within tolerance: %s %d of %d, %s %d of %d\n", labelA, na, len(rows), labelB, nb, len(rows))
}

// PrintCompareScoreSeeds writes the scored quantities of a comparison at
// several seeds: each side's median, the median of B − A, and on how many
// seeds each side is within tolerance.
func PrintCompareScoreSeeds(w io.Writer, scenario, labelA, labelB string, seeds int, rows []CompareScoreSeedsRow) {
	fmt.Fprintf(w, "scored against %s's observed: list, as cascade score --seeds scores it: medians over %d seeds, B - A taken seed by seed, and the seeds within tolerance\n", scenario, seeds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tobserved\ttolerance\t%s\t%s\tB - A\tA within\tB within\t\n", labelA, labelB)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t%d/%d\t\n", r.Name, ScoreValue(r.Observed), r.Tolerance,
			scoreValue(r.MedianA, r.bounds), scoreValue(r.MedianB, r.bounds), trim(float64(r.MedianDiff)), r.AWithin, seeds, r.BWithin, seeds)
	}
	tw.Flush()
}

// scoreValue shows a simulated value as the score table does: with the
// digits that keep it on its side of the tolerance's ends.
func scoreValue(x sim.Num, bounds []float64) string {
	return ScoreValue(float64(x), bounds...)
}

func passFail(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}
