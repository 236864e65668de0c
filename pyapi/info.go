package pyapi

import "github.com/metalfaiss/metalfaiss/core/kernels"

// KernelSet names the CPU kernels this process runs ("avx2+fma", "neon",
// "go").
func KernelSet() string { return kernels.KernelSet() }
