package output

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/sim"
)

// reportMaxBanks is the most banks report.md's Banks table lists in the
// scenario's order; past it, the reportMaxRows that fell lowest.
const reportMaxBanks = 60

// ratioPct writes a leverage ratio in percent with two decimals.
func ratioPct(r sim.Num) string {
	if math.IsNaN(float64(r)) {
		return "n/a"
	}
	return strconv.FormatFloat(100*float64(r), 'f', 2, 64) + "%"
}

// thresholdPct writes a threshold in percent, as short as it reads back
// to four significant digits: 3, 3.41, 4.5.
func thresholdPct(x float64) string {
	return strconv.FormatFloat(100*x, 'g', 4, 64)
}

// bankCounts counts the banks that failed, that end below their
// min_ratio without failing, that sold, that are passive and that target
// their leverage.
type bankCounts struct{ failed, below, sold, passive, target int }

func countBanks(rows []sim.BankSummary) bankCounts {
	var n bankCounts
	for _, b := range rows {
		switch {
		case b.Defaulted:
			n.failed++
		case b.BelowMin:
			n.below++
		}
		if b.Sold > 0 {
			n.sold++
		}
		if b.Passive {
			n.passive++
		}
		if b.Mode == "target" {
			n.target++
		}
	}
	return n
}

// writeBanks writes the Banks section of report.md: each bank's leverage
// ratio at the start, at its lowest and at the end, its thresholds, what
// it sold and how it ended (summary.json's banks); nothing in a world
// without banks.
func writeBanks(p func(string, ...any), s *sim.Summary, at func(int) string) {
	rows := s.Banks
	if len(rows) == 0 {
		return
	}
	total := len(rows) + s.BanksLeftOut
	n := countBanks(rows)
	p("## Banks\n\n")
	p("Each bank's leverage ratio, equity over assets (cash included: the ratio its thresholds read), at the start, at its lowest at a tick's close and at the end; its `min_ratio`, `buffer_ratio` and `target_ratio`; what it sold.")
	below := 0
	if s.BanksBelowMin != nil {
		below = *s.BanksBelowMin
	}
	p(" Of %d %s, %d failed and %d sold; %d %s below %s `min_ratio`", total, plural(total, "bank", "banks"), n.failed, n.sold,
		below, plural(below, "ends", "end"), plural(below, "its", "their"))
	if both := below - n.below; both > 0 && len(rows) == total {
		p(" (%d of them failed)", both)
	}
	p(".")
	var failed, short []string
	for _, b := range rows {
		if b.Defaulted {
			failed = append(failed, b.ID)
		}
		if b.BelowMin {
			short = append(short, b.ID)
		}
	}
	if len(rows) == total && len(failed)+len(short) <= reportMaxRows {
		if len(failed) > 0 {
			p(" Failed: %s.", markdownList(failed))
		}
		if len(short) > 0 {
			p(" Below `min_ratio` at the end: %s.", markdownList(short))
		}
	}
	if n.passive > 0 {
		p(" **The bank channel is off**: banks are passive, so they neither sell nor fail in the model, however low their ratio falls; a bank marked `below min` ends where an active one would have failed.")
	}
	if n.target > 0 {
		p(" A bank in target mode restores its leverage every round and never fails; `below min` compares it with its `min_ratio` all the same.")
	}
	list := rows
	if len(rows) > reportMaxBanks {
		list = slices.Clone(rows)
		slices.SortStableFunc(list, func(a, b sim.BankSummary) int { return cmp.Compare(lowFirst(a.RatioMin), lowFirst(b.RatioMin)) })
		list = list[:reportMaxRows]
		p(" The %d that fell lowest:", reportMaxRows)
	}
	p("\n\n| bank | start | lowest | end | min / buffer / target (%%) | sold (%s) | end state |\n|---|--:|--:|--:|--:|--:|---|\n", CurrencyCode(s.Currency))
	for _, b := range list {
		lowest := ratioPct(b.RatioMin)
		if b.RatioMinTick >= 0 && b.RatioMin != b.RatioStart {
			lowest += " (" + at(b.RatioMinTick) + ")"
		}
		var state []string
		if b.Defaulted {
			state = append(state, "failed "+at(b.DefaultTick))
		}
		if b.BelowMin {
			state = append(state, "below min")
		}
		p("| %s | %s | %s | %s | %s / %s / %s | %s | %s |\n", agentCell(b.ID, b.Name), ratioPct(b.RatioStart), lowest, ratioPct(b.RatioEnd),
			thresholdPct(b.MinRatio), thresholdPct(b.BufferRatio), thresholdPct(b.TargetRatio), amount(float64(b.Sold)), strings.Join(state, ", "))
	}
	if left := total - len(list); left > 0 {
		p("| and %d more (`summary.json` has %d) | | | | | | |\n", left, len(rows))
	}
	p("\n")
}

// banksLine is the printed summary's line on the banks: how many end
// below their min_ratio, the lowest first with their ratio at the end (at
// most six), how many of them failed, and, with the bank channel off, that
// passive banks do not fail in the model ("" in a world without banks).
func banksLine(s *sim.Summary) string {
	if s.BanksBelowMin == nil {
		return ""
	}
	rows := s.Banks
	total := len(rows) + s.BanksLeftOut
	below := *s.BanksBelowMin
	var short []sim.BankSummary
	for _, b := range rows {
		if b.BelowMin {
			short = append(short, b)
		}
	}
	slices.SortStableFunc(short, func(a, b sim.BankSummary) int { return cmp.Compare(lowFirst(a.RatioEnd), lowFirst(b.RatioEnd)) })
	n := countBanks(rows)
	line := fmt.Sprintf("banks: %d of %d end below their min_ratio", below, total)
	if below == 1 {
		line = fmt.Sprintf("banks: 1 of %d ends below its min_ratio", total)
	}
	if len(short) > 0 {
		var parts []string
		for i, b := range short {
			if i == 6 {
				parts = append(parts, "...")
				break
			}
			parts = append(parts, b.ID+" "+ratioPct(b.RatioEnd))
		}
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	if failed := below - n.below; failed > 0 && len(rows) == total {
		line += fmt.Sprintf(", %d of them failed", failed)
	}
	if n.passive > 0 {
		line += "; the bank channel is off: passive banks neither sell nor fail in the model, so defaults counts none of them"
	}
	return line
}

// lowFirst orders ratios lowest first, a missing one last.
func lowFirst(r sim.Num) float64 {
	if r != r {
		return math.Inf(1)
	}
	return float64(r)
}

// agentCell writes an agent's id for a table cell, with its display name
// when it has one: "ALPHA (Alpha Bank)".
func agentCell(id, name string) string {
	if name == "" {
		return MarkdownCell(id)
	}
	return MarkdownCell(id + " (" + name + ")")
}
