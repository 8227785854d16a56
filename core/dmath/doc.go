// Package dmath gives the transcendental functions the simulation computes
// with (Exp, Expm1, Log and Pow) the same bits on every machine.
//
// The standard library's math.Exp and math.Log are written in assembly on
// some architectures and in Go on others, and the assembly math.Exp of amd64
// picks one of two code paths at run time, by whether the processor has
// fused multiply-add. The Go code of math.Expm1 and math.Pow is compiled
// with fused multiply-adds on arm64 (and on amd64 at GOAMD64=v3). Each
// variant is accurate, but they differ in the last bit for some arguments,
// and a run of the simulator amplifies a last-bit difference into a
// different path. The functions here are written in Go with every product
// rounded before it is added (or fused explicitly with math.FMA, which is
// exact everywhere), so they give one result on amd64 and arm64, with or
// without hardware fused multiply-add, at any GOAMD64 level.
//
// They reproduce the results the simulator had on amd64 with the standard
// library, bit for bit (tests compare them with package math there):
//
//   - Exp follows the fused path of amd64's math.Exp (the method of
//     N. Shibata, "Efficient evaluation methods of elementary functions
//     suitable for SIMD computation", ISC 2010): argument reduction by
//     ln 2 in two parts, a Taylor series of x/16, four squarings;
//   - Log and Expm1 follow FreeBSD's msun (Sun's fdlibm) as package math
//     writes them;
//   - Pow follows package math's Pow, with Exp and Log from here.
//
// Their structure and constants come from Go's math package; see
// LICENSE-go in this directory for its copyright notice and licence.
//
// Arguments that are subnormal, infinite or NaN are handled as package math
// handles them, except that Log normalizes a subnormal argument (amd64's
// assembly math.Log does not, and is wrong there). Other special cases defer to package math, whose results
// there are exact and the same everywhere.
package dmath
