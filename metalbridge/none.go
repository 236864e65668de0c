//go:build !(linux && cgo) && !darwin

package metalbridge

import "runtime"

func openDriver() (Device, error) {
	return nil, unavailable("gpu", "no GPU driver for %s/%s in this build (Vulkan needs linux with cgo, Metal needs darwin)",
		runtime.GOOS, runtime.GOARCH)
}
