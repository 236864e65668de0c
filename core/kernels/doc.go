// Package kernels holds the CPU hot loops: vector distances, norms and the
// blocked inner-product tile used by L2 and inner-product search.
//
// Each kernel's doc comment shows its reference loop. These are the pure-Go
// versions; SIMD (Go assembly) versions will share the same names, chosen
// by build tags and CPU features, so callers never change. Kernels trust
// their callers: lengths are checked by core before the call.
package kernels
