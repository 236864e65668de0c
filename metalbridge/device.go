package metalbridge

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"
)

// Limits are what the device reports, not assumptions.
type Limits struct {
	MaxBinding      int64  // largest byte range one buffer binding may cover
	MaxBuffer       int64  // largest buffer (the memory heap it comes from)
	MaxSharedMemory int    // bytes of workgroup (threadgroup) memory
	MaxGroups       [3]int // workgroups per dispatch in x, y, z
	MaxThreads      int    // threads per workgroup
}

// Info names the device and its driver.
type Info struct {
	Name   string // the device's own name
	Driver string // "vulkan" or "metal"
	Kind   string // "discrete", "integrated", "cpu" (software, e.g. lavapipe), ...
	Limits Limits
}

// Buffer is device memory. Write and Read copy bytes between it and the
// host; Release frees it (a released buffer must not be used).
type Buffer interface {
	Size() int64
	Write(off int64, src []byte) error
	Read(off int64, dst []byte) error
	Release()
}

// Binding is a byte range of a buffer bound to one kernel argument; Size 0
// means "to the end of the buffer". Offsets must be multiples of 256 bytes
// (the largest alignment Vulkan lets a device ask for).
type Binding struct {
	Buffer       Buffer
	Offset, Size int64
}

// BindingAlign is the alignment of every Binding.Offset.
const BindingAlign = 256

// Dispatch is one kernel launch: its params struct encoded by
// shaders.Bytes, its buffers in binding order, and the workgroup grid.
type Dispatch struct {
	Kernel   string
	Params   []byte
	Bindings []Binding
	Groups   [3]int
}

// Device is one GPU. Run executes dispatches in order, each seeing what the
// previous ones wrote, and returns once the GPU has finished. A Device is
// safe for concurrent use; calls are serialised.
type Device interface {
	Info() Info
	NewBuffer(size int64) (Buffer, error)
	Run(dispatches []Dispatch) error
	// ResetPipelines drops the compiled kernels, so the next Run compiles
	// them again from package shaders (tests swap kernel code).
	ResetPipelines()
	Close()
}

// Error is a driver failure. Unavailable marks "there is no usable GPU"
// (no driver, no device, or the backend switched off), as opposed to a
// failure of a device that exists.
type Error struct {
	Op          string
	Msg         string
	Unavailable bool
}

func (e *Error) Error() string { return e.Op + ": " + e.Msg }

// IsUnavailable reports whether err means that no GPU can be used.
func IsUnavailable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Unavailable
}

func errorf(op, format string, args ...any) error {
	return &Error{Op: op, Msg: fmt.Sprintf(format, args...)}
}

func unavailable(op, format string, args ...any) error {
	return &Error{Op: op, Msg: fmt.Sprintf(format, args...), Unavailable: true}
}

// BackendEnv switches the whole library to the CPU ("cpu") or asks for the
// GPU ("gpu"); unset means "use the GPU where one is asked for".
const BackendEnv = "METALFAISS_BACKEND"

var (
	defaultOnce sync.Once
	defaultDev  Device
	defaultErr  error
)

// Default opens the process's device on first use and returns it, or an
// error for which IsUnavailable is true when there is no GPU (or
// METALFAISS_BACKEND=cpu).
func Default() (Device, error) {
	defaultOnce.Do(func() {
		if strings.EqualFold(os.Getenv(BackendEnv), "cpu") {
			defaultErr = unavailable("gpu", "%s=cpu switches the GPU off", BackendEnv)
			return
		}
		defaultDev, defaultErr = openDriver()
	})
	return defaultDev, defaultErr
}

// Bytes views a slice of fixed-size values (float32, int32, ...) as bytes
// for Buffer.Write and Buffer.Read, without copying.
func Bytes[T ~float32 | ~int32 | ~uint32 | ~int64 | ~uint16](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
