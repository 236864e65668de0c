//go:build linux && cgo

package metalbridge

/*
#cgo LDFLAGS: -ldl -lpthread
#include <stdlib.h>
#include "vulkan_linux.h"
*/
import "C"

import (
	"sync"
	"unsafe"

	"github.com/metalfaiss/metalfaiss/shaders"
)

const errLen = 512

type vulkanDevice struct {
	mu        sync.Mutex
	vk        *C.mbvk
	info      Info
	pipelines map[string]*C.mbvk_pipeline
	closed    bool
}

type vulkanBuffer struct {
	dev  *vulkanDevice
	b    *C.mbvk_buffer
	size int64
}

var deviceKinds = map[C.uint32_t]string{0: "other", 1: "integrated", 2: "discrete", 3: "virtual", 4: "cpu"}

func openDriver() (Device, error) {
	var errBuf [errLen]C.char
	var info C.mbvk_info
	var vk *C.mbvk
	if C.mbvk_open(&vk, &info, &errBuf[0], errLen) != 0 {
		return nil, unavailable("vulkan", "%s", C.GoString(&errBuf[0]))
	}
	d := &vulkanDevice{vk: vk, pipelines: map[string]*C.mbvk_pipeline{}}
	d.info = Info{
		Name:   C.GoString(&info.name[0]),
		Driver: "vulkan",
		Kind:   deviceKinds[info.deviceType],
		Limits: Limits{
			MaxBinding:      int64(info.maxStorageBufferRange),
			MaxBuffer:       int64(info.maxAllocation),
			MaxSharedMemory: int(info.maxComputeSharedMemorySize),
			MaxGroups:       [3]int{int(info.maxWorkGroupCount[0]), int(info.maxWorkGroupCount[1]), int(info.maxWorkGroupCount[2])},
			MaxThreads:      int(info.maxWorkGroupInvocations),
		},
	}
	if d.info.Kind == "" {
		d.info.Kind = "other"
	}
	if int(info.maxPushConstantsSize) < C.MBVK_MAX_PUSH {
		d.Close()
		return nil, unavailable("vulkan", "%s allows %d bytes of push constants; the kernels need %d",
			d.info.Name, info.maxPushConstantsSize, C.MBVK_MAX_PUSH)
	}
	return d, nil
}

func (d *vulkanDevice) Info() Info { return d.info }

func (d *vulkanDevice) NewBuffer(size int64) (Buffer, error) {
	if size < 0 {
		return nil, errorf("vulkan.NewBuffer", "negative size %d", size)
	}
	if size > d.info.Limits.MaxBuffer {
		return nil, errorf("vulkan.NewBuffer", "%d bytes exceed the device's %d-byte memory", size, d.info.Limits.MaxBuffer)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errorf("vulkan.NewBuffer", "the device is closed")
	}
	var errBuf [errLen]C.char
	var b *C.mbvk_buffer
	if C.mbvk_buffer_new(d.vk, C.uint64_t(size), &b, &errBuf[0], errLen) != 0 {
		return nil, errorf("vulkan.NewBuffer", "%s", C.GoString(&errBuf[0]))
	}
	return &vulkanBuffer{dev: d, b: b, size: size}, nil
}

func (b *vulkanBuffer) Size() int64 { return b.size }

func (b *vulkanBuffer) Write(off int64, src []byte) error {
	return b.copy("vulkan.Buffer.Write", off, src, true)
}

func (b *vulkanBuffer) Read(off int64, dst []byte) error {
	return b.copy("vulkan.Buffer.Read", off, dst, false)
}

func (b *vulkanBuffer) copy(op string, off int64, p []byte, toDevice bool) error {
	if len(p) == 0 {
		return nil
	}
	if off < 0 || off+int64(len(p)) > b.size {
		return errorf(op, "bytes %d..%d are outside a %d-byte buffer", off, off+int64(len(p)), b.size)
	}
	d := b.dev
	d.mu.Lock()
	defer d.mu.Unlock()
	if b.b == nil || d.closed {
		return errorf(op, "the buffer is released")
	}
	var errBuf [errLen]C.char
	var rc C.int
	if toDevice {
		rc = C.mbvk_buffer_write(d.vk, b.b, C.uint64_t(off), unsafe.Pointer(&p[0]), C.uint64_t(len(p)), &errBuf[0], errLen)
	} else {
		rc = C.mbvk_buffer_read(d.vk, b.b, C.uint64_t(off), unsafe.Pointer(&p[0]), C.uint64_t(len(p)), &errBuf[0], errLen)
	}
	if rc != 0 {
		return errorf(op, "%s", C.GoString(&errBuf[0]))
	}
	return nil
}

func (b *vulkanBuffer) Release() {
	d := b.dev
	d.mu.Lock()
	defer d.mu.Unlock()
	if b.b != nil && !d.closed {
		C.mbvk_buffer_free(d.vk, b.b)
	}
	b.b = nil
}

// pipeline returns the compiled kernel, building it on first use.
func (d *vulkanDevice) pipeline(name string) (*C.mbvk_pipeline, shaders.Kernel, error) {
	k, err := shaders.Lookup(name)
	if err != nil {
		return nil, k, errorf("vulkan.Run", "%v", err)
	}
	if p, ok := d.pipelines[name]; ok {
		return p, k, nil
	}
	code, err := shaders.SPIRV(name)
	if err != nil {
		return nil, k, errorf("vulkan.Run", "kernel %s: %v", name, err)
	}
	if err := checkSPIRV(code); err != nil {
		return nil, k, errorf("vulkan.Run", "kernel %s: %v", name, err)
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var errBuf [errLen]C.char
	var p *C.mbvk_pipeline
	pushSize := len(shaders.Bytes(k.Params))
	if C.mbvk_pipeline_new(d.vk, unsafe.Pointer(&code[0]), C.uint64_t(len(code)), cname,
		C.uint32_t(k.Buffers), C.uint32_t(pushSize), &p, &errBuf[0], errLen) != 0 {
		return nil, k, errorf("vulkan.Run", "kernel %s does not compile: %s", name, C.GoString(&errBuf[0]))
	}
	d.pipelines[name] = p
	return p, k, nil
}

func (d *vulkanDevice) Run(ds []Dispatch) error {
	const op = "vulkan.Run"
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errorf(op, "the device is closed")
	}
	cds := make([]C.mbvk_dispatch, len(ds))
	for i, ds := range ds {
		p, k, err := d.pipeline(ds.Kernel)
		if err != nil {
			return err
		}
		if err := checkDispatch(ds, k, d.info.Limits); err != nil {
			return err
		}
		cd := &cds[i]
		cd.pipeline = p
		cd.nbind = C.uint32_t(len(ds.Bindings))
		for j, b := range ds.Bindings {
			vb, ok := b.Buffer.(*vulkanBuffer)
			if !ok || vb.b == nil || vb.dev != d {
				return errorf(op, "%s: binding %d is not a live buffer of this device", ds.Kernel, j+1)
			}
			cd.buffers[j] = vb.b
			cd.offsets[j] = C.uint64_t(b.Offset)
			cd.sizes[j] = C.uint64_t(bindingSize(b))
		}
		cd.pushSize = C.uint32_t(len(ds.Params))
		for j, v := range ds.Params {
			cd.push[j] = C.uint8_t(v)
		}
		for j, g := range ds.Groups {
			cd.groups[j] = C.uint32_t(g)
		}
	}
	var errBuf [errLen]C.char
	if C.mbvk_run(d.vk, &cds[0], C.uint32_t(len(cds)), &errBuf[0], errLen) != 0 {
		return errorf(op, "%s", C.GoString(&errBuf[0]))
	}
	return nil
}

func (d *vulkanDevice) ResetPipelines() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for name, p := range d.pipelines {
		C.mbvk_pipeline_free(d.vk, p)
		delete(d.pipelines, name)
	}
}

func (d *vulkanDevice) Close() {
	d.ResetPipelines()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		C.mbvk_close(d.vk)
		d.closed = true
	}
}
