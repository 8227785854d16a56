// Package eba turns the European Banking Authority's 2018 transparency
// figures for 48 banks (EBA_2018.csv, beside this file) into the built-in
// scenario eba2018: the fire-sale stress test of the European banking
// system in the style of Cont and Schaanning (2017) and of the INET Oxford
// system-wide stress-test model.
//
// Each row gives a bank's CET1 capital (EUR million), its leverage ratio
// (percent), its debt securities and its government bonds (EUR million;
// some government-bond fields are written as a sum a+b). A balance sheet is
// built from a row as the literature does:
//
//	assets          = CET1 / leverage ratio
//	cash            = 5% of assets
//	government bonds as given
//	corporate bonds = debt securities − government bonds
//	other assets    = assets − debt securities − cash (held, never sold)
//	debt            = assets − CET1
//
// The source (EBA_2018.csv as distributed with the Apache-2.0
// ox-inet-resilience/firesale_stresstest repository, sha256 ebef06cd...) is
// described in README.md beside it.
package eba

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CSV is the source file.
//
//go:embed EBA_2018.csv
var CSV []byte

// Bank is one row of the source, amounts in EUR million.
type Bank struct {
	ID       string
	CET1     float64 // common equity tier 1 capital
	Leverage float64 // leverage ratio, percent
	DebtSec  float64 // debt securities
	GovBonds float64 // government bonds
}

// Sheet is a bank's balance sheet at the start, EUR.
type Sheet struct {
	Equity, Assets, Cash, Gov, Corp, Other float64
}

// CashShare is the share of assets held as cash.
const CashShare = 0.05

// Sheet builds the bank's balance sheet (package comment), in whole EUR.
func (b Bank) Sheet() Sheet {
	const mn = 1e6
	a := b.CET1 / (b.Leverage / 100) * mn
	s := Sheet{
		Equity: float64(b.CET1 * mn),
		Assets: math.Round(a),
		Cash:   math.Round(CashShare * a),
		Gov:    float64(b.GovBonds * mn),
		Corp:   float64((b.DebtSec - b.GovBonds) * mn),
	}
	s.Other = s.Assets - s.Cash - s.Gov - s.Corp
	return s
}

// Parse reads the source: a comma-separated header, then one bank per line
// with space-separated fields.
func Parse(src []byte) ([]Bank, error) {
	var banks []Bank
	sc := bufio.NewScanner(bytes.NewReader(src))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			if text != "bank_id,CET1E,leverage,debt_sec,govbonds" {
				return nil, fmt.Errorf("line 1: unexpected header %q", text)
			}
			continue
		}
		if text == "" {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		b := Bank{ID: f[0]}
		for k, dst := range []*float64{&b.CET1, &b.Leverage, &b.DebtSec, &b.GovBonds} {
			v, err := sum(f[k+1])
			if err != nil {
				return nil, fmt.Errorf("line %d, field %d: %w", line, k+2, err)
			}
			*dst = v
		}
		if !(b.CET1 > 0 && b.Leverage > 0 && b.GovBonds >= 0 && b.DebtSec >= b.GovBonds) {
			return nil, fmt.Errorf("line %d: bank %s: need CET1 > 0, leverage > 0 and 0 <= government bonds <= debt securities", line, b.ID)
		}
		if s := b.Sheet(); s.Other < 0 {
			return nil, fmt.Errorf("line %d: bank %s: debt securities and cash exceed its assets", line, b.ID)
		}
		banks = append(banks, b)
	}
	return banks, sc.Err()
}

// sum parses a number or a sum of numbers written a+b.
func sum(s string) (float64, error) {
	t := 0.0
	for _, p := range strings.Split(s, "+") {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		t += v
	}
	return t, nil
}

// Depth is δ of the exponential impact law for a market in which the
// banks together hold q units (at price 1), by the convention of the INET
// model: selling a tenth of what they hold lowers the price by a tenth
// (e^(−0.1·q/δ) = 0.9).
func Depth(q float64) float64 { return 0.1 * q / -math.Log(0.9) }

// DepthScale is the scenario's depth_scale: the banks are assumed to hold
// a fifth of each market, the INET model's convention taking their
// holdings for the whole market (depth_scale 1).
const DepthScale = 5

// Thresholds are the banks' leverage ratios (equity over assets): default
// below Min, sell below Buffer, back to Target (Cont and Schaanning 2017).
const (
	Min    = 0.03
	Buffer = 0.04
	Target = 0.05
)

// BufferOf is a bank's buffer: Buffer, or its leverage ratio at the start
// when that is lower (to 0.01bp, rounded down). A bank that starts below
// the buffer manages to its starting ratio: taken at 4%, the two banks
// below it would fire-sell with no shock at all.
func BufferOf(s Sheet) float64 {
	return min(Buffer, math.Floor(s.Equity/s.Assets*1e6)/1e6)
}

// Shock is the default fall in government bond prices.
const Shock = 0.1

// Generate writes the scenario file from the source.
func Generate(src []byte) ([]byte, error) {
	banks, err := Parse(src)
	if err != nil {
		return nil, err
	}
	var gov, corp float64
	var low []string // the banks that start below the buffer
	for _, b := range banks {
		s := b.Sheet()
		gov += s.Gov
		corp += s.Corp
		if BufferOf(s) < Buffer {
			low = append(low, fmt.Sprintf("%s at %v%%", b.ID, b.Leverage))
		}
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	whole := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	var w bytes.Buffer
	fmt.Fprintf(&w, `# eba2018: the fire-sale stress test of the European banking system, on
# the EBA's 2018 transparency figures for 48 banks (Cont and Schaanning 2017,
# "Fire sales, indirect contagion and systemic stress testing"; Farmer,
# Kleinnijenhuis, Nahai-Williamson and Wetzer 2020, "Foundations of
# system-wide financial stress testing with heterogeneous institutions").
#
# Generated by go generate ./scenarios (scenarios/internal/geneba) from
# scenarios/internal/eba/EBA_2018.csv; edit the generator, not this file.
#
# Balance sheets, from each bank's CET1 capital and leverage ratio (EBA 2018
# transparency exercise, as distributed with the INET Oxford fire-sale
# model): assets = CET1 / leverage ratio; cash %.0f%% of assets; government
# bonds as reported; corporate bonds = debt securities - government bonds;
# other assets (loans and the rest, never sold) make up the difference; debt
# = assets - CET1. Amounts are euros: the model's account currency is read
# as EUR here (report.currency labels the outputs; there is no exchange
# rate, and summary.json keeps its _usd key names).
#
# Behaviour: threshold banks (Cont and Schaanning; leverage ratio = equity
# over assets, cash included): below %.0f%% a bank repays debt with its cash,
# then sells government and corporate bonds pro rata to get back to %.0f%%,
# which bonds, a tenth of the median bank's assets, are too few to do for
# most of them (they sell every bond they hold); below %.0f%% it fails and
# sells every bond it holds. %d banks start below the
# buffer (%s): their buffer is their starting
# ratio (assumed: at %.0f%% they would fire-sell with no shock at all).
#
# Market: government and corporate bonds trade in one market each, with
# exponential impact on the units sold, p = p0 * exp(-X/delta). delta is set
# so that selling a tenth of what the banks hold lowers the price a tenth
# (the INET model's convention, which takes the banks' holdings for the
# whole market), and depth_scale %d makes each market %d times deeper: the
# banks are assumed to hold a fifth of it. With depth_scale 1 any shock at
# all brings most banks down. Prices start at 1, so units are euros.
#
# Timing: banks decide once a day on the morning's prices and fill at the
# midpoint of the day's price move (max_rounds 1, execution mid); a day's
# sales add to the last (impact wholly permanent).
#
# The shock: government bonds fall %.0f%% on 2 Jan 2019 (a stress scenario,
# not a dated event). Vary it with --set events.0.shocks.GOVB=-0.2, or sweep
# it with sweeps/eba2018.yaml. The bonds' yields, durations and volatilities
# are nominal: with the noise off, only the reported yields read them.
name: eba2018
description: Fire-sale stress test of 48 EU banks (EBA 2018 transparency figures; Cont-Schaanning leverage thresholds 3/4/5%%) after a %.0f%% fall in government bonds.
start: 2019-01-01T00:00:00Z
tick: 1d
horizon: 10d
seed: 1
noise: {off: true}
conventions: {execution: mid, flow: units, max_rounds: 1}
depth_scale: %d

assets:
  - {id: GOVB, kind: bond, currency: USD, price: 1, vol: 0.05, yield: 0.01, duration: 7, adv: 0, impact: {function: exponential, delta: %s, permanent: 1}}  # delta: 0.1 x %s held / -ln 0.9
  - {id: CORPB, kind: bond, currency: USD, price: 1, vol: 0.05, yield: 0.02, duration: 5, adv: 0, impact: {function: exponential, delta: %s, permanent: 1}}  # delta: 0.1 x %s held / -ln 0.9
  - {id: OTHER, kind: illiquid, currency: USD, price: 1, vol: 0, adv: 0}

agents:
`, 100*CashShare, 100*Buffer, 100*Target, 100*Min, len(low), strings.Join(low, ", "), 100*Buffer, DepthScale, DepthScale, 100*Shock, 100*Shock, DepthScale,
		num(Depth(gov)), num(gov), num(Depth(corp)), num(corp))
	for _, b := range banks {
		s := b.Sheet()
		fmt.Fprintf(&w, "  - {kind: bank, id: %s, equity: %s, cash: %s, holdings: {", b.ID, whole(s.Equity), whole(s.Cash))
		sep := ""
		for _, h := range []struct {
			id string
			v  float64
		}{{"GOVB", s.Gov}, {"CORPB", s.Corp}, {"OTHER", s.Other}} {
			if h.v > 0 {
				fmt.Fprintf(&w, "%s%s: %s", sep, h.id, whole(h.v))
				sep = ", "
			}
		}
		fmt.Fprintf(&w, "}, min_ratio: %s, buffer_ratio: %s, target_ratio: %s}  # CET1 %s mn, leverage ratio %s%%\n",
			num(Min), num(BufferOf(s)), num(Target), num(b.CET1), num(b.Leverage))
	}
	fmt.Fprintf(&w, `
events:
  - {at: 2019-01-02T00:00:00Z, kind: shock, shocks: {GOVB: %s}, label: government bonds fall %.0f%%}

report:
  currency: EUR
  headline: GOVB
  correlation_assets: [GOVB, CORPB]
  correlation_window: 5
`, num(-Shock), 100*Shock)
	return w.Bytes(), nil
}
