package shaders

import "sync"

// Tests replace a kernel's code to check that a broken kernel surfaces as a
// clear error, not a crash.

type replacement struct {
	spirv []byte
	msl   string
}

var (
	overridesMu sync.Mutex
	overrides   = map[string]replacement{}
)

// Override makes SPIRV and MSL return the given code for kernel name until
// ClearOverrides. Drivers cache pipelines, so tests drop their caches too.
func Override(name string, spirv []byte, msl string) {
	overridesMu.Lock()
	defer overridesMu.Unlock()
	overrides[name] = replacement{spirv: spirv, msl: msl}
}

// ClearOverrides restores every kernel's generated code.
func ClearOverrides() {
	overridesMu.Lock()
	defer overridesMu.Unlock()
	clear(overrides)
}

func override(name string) (replacement, bool) {
	overridesMu.Lock()
	defer overridesMu.Unlock()
	o, ok := overrides[name]
	return o, ok
}
