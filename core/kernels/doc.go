// Package kernels holds the CPU hot loops: vector distances, norms, the
// blocked inner-product tile used by L2 and inner-product search and k-means,
// the L2 expansion and the SIMD skip used by top-k selection.
//
// Each exported kernel's doc comment shows its reference loop. The pure-Go
// versions always exist; Go assembly versions replace them at start-up
// when the CPU has the features (amd64: AVX2+FMA, *_amd64.s; arm64: NEON,
// *_arm64.s, for rows whose length is a multiple of 8). The `noasm` build
// tag forces pure Go. KernelSet names what runs.
//
// One promise holds in every version: a value is computed with the same
// operations in the same order wherever its rows sit in a tile, so results
// never depend on how callers split work across threads.
//
// Exported kernels check that their slices are long enough (the assembly
// reads raw memory); core validates everything else before calling.
package kernels
