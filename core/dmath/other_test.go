//go:build !amd64 || amd64.v3

package dmath

// baseline: this build is not the one the reference results were made
// with, so the comparisons with package math are skipped.
const baseline = false
