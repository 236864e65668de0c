//go:build !(amd64 || arm64) || noasm

package kernels

// availableLevels: pure Go only, without assembly.
func availableLevels() []string { return []string{"go"} }

func selectKernels(string) {}
