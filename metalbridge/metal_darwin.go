//go:build darwin

package metalbridge

import (
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/ebitengine/purego/objc"

	"github.com/metalfaiss/metalfaiss/shaders"
)

// The Metal driver: Objective-C messages sent through purego, so it needs
// no cgo and CI can compile it from Linux. Kernels are compiled from the
// embedded MSL at first use; buffers use shared storage (Apple Silicon's
// unified memory, so reads and writes are plain copies).

// mtlSize is Metal's MTLSize.
type mtlSize struct{ Width, Height, Depth uint }

const (
	mtlResourceStorageModeShared = 0
	mtlCommandBufferStatusError  = 5
)

var (
	metalOnce sync.Once
	metalErr  error

	createSystemDefaultDevice func() objc.ID
	// dispatchThreadgroups sends dispatchThreadgroups:threadsPerThreadgroup:,
	// whose two struct arguments objc.ID.Send cannot pass.
	dispatchThreadgroups func(enc objc.ID, sel objc.SEL, groups, threads mtlSize)

	sel = struct {
		alloc, init, release, drain                                                  objc.SEL
		stringWithUTF8String, utf8String, localizedDescription, name                 objc.SEL
		newCommandQueue, newLibraryWithSource, newFunctionWithName, newPipeline      objc.SEL
		maxThreadsPerThreadgroup, maxThreadgroupMemoryLength, maxBufferLength        objc.SEL
		hasUnifiedMemory, newBufferWithLength, contents, length                      objc.SEL
		commandBuffer, computeCommandEncoder, setComputePipelineState, setBytes      objc.SEL
		setBuffer, dispatch, endEncoding, commit, waitUntilCompleted, status, error_ objc.SEL
		maxTotalThreadsPerThreadgroup, setFastMathEnabled                            objc.SEL
	}{}
)

func loadMetal() error {
	metalOnce.Do(func() {
		lib, err := purego.Dlopen("/System/Library/Frameworks/Metal.framework/Metal", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			metalErr = unavailable("metal", "cannot load Metal.framework: %v", err)
			return
		}
		if _, err := purego.Dlopen("/System/Library/Frameworks/Foundation.framework/Foundation", purego.RTLD_NOW|purego.RTLD_GLOBAL); err != nil {
			metalErr = unavailable("metal", "cannot load Foundation.framework: %v", err)
			return
		}
		objcLib, err := purego.Dlopen("/usr/lib/libobjc.A.dylib", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			metalErr = unavailable("metal", "cannot load libobjc: %v", err)
			return
		}
		msgSend, err := purego.Dlsym(objcLib, "objc_msgSend")
		if err != nil {
			metalErr = unavailable("metal", "libobjc has no objc_msgSend: %v", err)
			return
		}
		purego.RegisterLibFunc(&createSystemDefaultDevice, lib, "MTLCreateSystemDefaultDevice")
		purego.RegisterFunc(&dispatchThreadgroups, msgSend)
		r := objc.RegisterName
		sel.alloc, sel.init, sel.release, sel.drain = r("alloc"), r("init"), r("release"), r("drain")
		sel.stringWithUTF8String, sel.utf8String = r("stringWithUTF8String:"), r("UTF8String")
		sel.localizedDescription, sel.name = r("localizedDescription"), r("name")
		sel.newCommandQueue, sel.newLibraryWithSource = r("newCommandQueue"), r("newLibraryWithSource:options:error:")
		sel.newFunctionWithName, sel.newPipeline = r("newFunctionWithName:"), r("newComputePipelineStateWithFunction:error:")
		sel.maxThreadsPerThreadgroup, sel.maxThreadgroupMemoryLength = r("maxThreadsPerThreadgroup"), r("maxThreadgroupMemoryLength")
		sel.maxBufferLength, sel.hasUnifiedMemory = r("maxBufferLength"), r("hasUnifiedMemory")
		sel.newBufferWithLength, sel.contents, sel.length = r("newBufferWithLength:options:"), r("contents"), r("length")
		sel.commandBuffer, sel.computeCommandEncoder = r("commandBuffer"), r("computeCommandEncoder")
		sel.setComputePipelineState, sel.setBytes = r("setComputePipelineState:"), r("setBytes:length:atIndex:")
		sel.setBuffer, sel.dispatch = r("setBuffer:offset:atIndex:"), r("dispatchThreadgroups:threadsPerThreadgroup:")
		sel.endEncoding, sel.commit, sel.waitUntilCompleted = r("endEncoding"), r("commit"), r("waitUntilCompleted")
		sel.status, sel.error_ = r("status"), r("error")
		sel.maxTotalThreadsPerThreadgroup = r("maxTotalThreadsPerThreadgroup")
		sel.setFastMathEnabled = r("setFastMathEnabled:")
	})
	return metalErr
}

type metalDevice struct {
	mu        sync.Mutex
	dev       objc.ID
	queue     objc.ID
	info      Info
	pipelines map[string]objc.ID
	closed    bool
}

type metalBuffer struct {
	dev  *metalDevice
	buf  objc.ID
	ptr  unsafe.Pointer
	size int64
}

func openDriver() (Device, error) {
	if err := loadMetal(); err != nil {
		return nil, err
	}
	dev := createSystemDefaultDevice()
	if dev == 0 {
		return nil, unavailable("metal", "MTLCreateSystemDefaultDevice returned no device")
	}
	d := &metalDevice{dev: dev, queue: dev.Send(sel.newCommandQueue), pipelines: map[string]objc.ID{}}
	threads := objc.Send[mtlSize](dev, sel.maxThreadsPerThreadgroup)
	maxBuffer := int64(objc.Send[uint](dev, sel.maxBufferLength))
	kind := "discrete"
	if objc.Send[bool](dev, sel.hasUnifiedMemory) {
		kind = "integrated"
	}
	d.info = Info{
		Name:   goString(dev.Send(sel.name)),
		Driver: "metal",
		Kind:   kind,
		Limits: Limits{
			// Metal binds whole buffers: the binding limit is the buffer limit.
			MaxBinding:      maxBuffer,
			MaxBuffer:       maxBuffer,
			MaxSharedMemory: int(objc.Send[uint](dev, sel.maxThreadgroupMemoryLength)),
			// Metal reports no grid limit; its grid sizes are 32-bit.
			MaxGroups:  [3]int{1<<31 - 1, 65535, 65535},
			MaxThreads: int(threads.Width),
		},
	}
	return d, nil
}

func (d *metalDevice) Info() Info { return d.info }

func (d *metalDevice) NewBuffer(size int64) (Buffer, error) {
	if size < 0 || size > d.info.Limits.MaxBuffer {
		return nil, errorf("metal.NewBuffer", "size %d is outside 0..%d", size, d.info.Limits.MaxBuffer)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errorf("metal.NewBuffer", "the device is closed")
	}
	buf := d.dev.Send(sel.newBufferWithLength, uint(max(size, 16)), uint(mtlResourceStorageModeShared))
	if buf == 0 {
		return nil, errorf("metal.NewBuffer", "newBufferWithLength(%d) failed (out of GPU memory?)", size)
	}
	ptr := objc.Send[unsafe.Pointer](buf, sel.contents) // Metal owns this memory
	return &metalBuffer{dev: d, buf: buf, ptr: ptr, size: size}, nil
}

func (b *metalBuffer) Size() int64 { return b.size }

func (b *metalBuffer) Write(off int64, src []byte) error {
	if err := b.check("metal.Buffer.Write", off, len(src)); err != nil {
		return err
	}
	copy(unsafe.Slice((*byte)(unsafe.Add(b.ptr, off)), len(src)), src)
	return nil
}

func (b *metalBuffer) Read(off int64, dst []byte) error {
	if err := b.check("metal.Buffer.Read", off, len(dst)); err != nil {
		return err
	}
	copy(dst, unsafe.Slice((*byte)(unsafe.Add(b.ptr, off)), len(dst)))
	return nil
}

func (b *metalBuffer) check(op string, off int64, n int) error {
	if b.buf == 0 {
		return errorf(op, "the buffer is released")
	}
	if off < 0 || off+int64(n) > b.size {
		return errorf(op, "bytes %d..%d are outside a %d-byte buffer", off, off+int64(n), b.size)
	}
	return nil
}

func (b *metalBuffer) Release() {
	b.dev.mu.Lock()
	defer b.dev.mu.Unlock()
	if b.buf != 0 {
		b.buf.Send(sel.release)
	}
	b.buf, b.ptr = 0, nil
}

// pipeline compiles the kernel's MSL on first use.
func (d *metalDevice) pipeline(name string) (objc.ID, shaders.Kernel, error) {
	k, err := shaders.Lookup(name)
	if err != nil {
		return 0, k, errorf("metal.Run", "%v", err)
	}
	if p, ok := d.pipelines[name]; ok {
		return p, k, nil
	}
	src, err := shaders.MSL(name)
	if err != nil {
		return 0, k, errorf("metal.Run", "kernel %s: %v", name, err)
	}
	// Fast math would let the compiler assume no NaN, and the kernels rank
	// NaN distances last by testing for it.
	opts := objc.ID(objc.GetClass("MTLCompileOptions")).Send(sel.alloc).Send(sel.init)
	defer opts.Send(sel.release)
	opts.Send(sel.setFastMathEnabled, false)
	var nsErr objc.ID
	lib := d.dev.Send(sel.newLibraryWithSource, nsString(src), opts, unsafe.Pointer(&nsErr))
	if lib == 0 {
		return 0, k, errorf("metal.Run", "kernel %s does not compile: %s", name, errorText(nsErr))
	}
	defer lib.Send(sel.release)
	fn := lib.Send(sel.newFunctionWithName, nsString(name))
	if fn == 0 {
		return 0, k, errorf("metal.Run", "kernel %s: the compiled library has no function %s", name, name)
	}
	defer fn.Send(sel.release)
	nsErr = 0
	p := d.dev.Send(sel.newPipeline, fn, unsafe.Pointer(&nsErr))
	if p == 0 {
		return 0, k, errorf("metal.Run", "kernel %s: no pipeline: %s", name, errorText(nsErr))
	}
	if got := objc.Send[uint](p, sel.maxTotalThreadsPerThreadgroup); got < shaders.WorkgroupSize {
		p.Send(sel.release)
		return 0, k, errorf("metal.Run", "kernel %s runs at most %d threads per threadgroup on %s, it needs %d",
			name, got, d.info.Name, shaders.WorkgroupSize)
	}
	d.pipelines[name] = p
	return p, k, nil
}

func (d *metalDevice) Run(ds []Dispatch) error {
	const op = "metal.Run"
	if len(ds) == 0 {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errorf(op, "the device is closed")
	}
	// Command buffers and encoders are autoreleased: drain them on this
	// thread before returning.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pool := objc.ID(objc.GetClass("NSAutoreleasePool")).Send(sel.alloc).Send(sel.init)
	defer pool.Send(sel.drain)
	pipes := make([]objc.ID, len(ds))
	for i, dsp := range ds {
		p, k, err := d.pipeline(dsp.Kernel)
		if err != nil {
			return err
		}
		if err := checkDispatch(dsp, k, d.info.Limits); err != nil {
			return err
		}
		for j, b := range dsp.Bindings {
			if mb, ok := b.Buffer.(*metalBuffer); !ok || mb.buf == 0 || mb.dev != d {
				return errorf(op, "%s: binding %d is not a live buffer of this device", dsp.Kernel, j+1)
			}
		}
		pipes[i] = p
	}
	cb := d.queue.Send(sel.commandBuffer)
	enc := cb.Send(sel.computeCommandEncoder) // serial: each dispatch sees the previous ones' writes
	threads := mtlSize{shaders.WorkgroupSize, 1, 1}
	for i, dsp := range ds {
		enc.Send(sel.setComputePipelineState, pipes[i])
		enc.Send(sel.setBytes, unsafe.Pointer(&dsp.Params[0]), uint(len(dsp.Params)), uint(0))
		for j, b := range dsp.Bindings {
			enc.Send(sel.setBuffer, b.Buffer.(*metalBuffer).buf, uint(b.Offset), uint(j+1))
		}
		dispatchThreadgroups(enc, sel.dispatch, mtlSize{uint(dsp.Groups[0]), uint(dsp.Groups[1]), uint(dsp.Groups[2])}, threads)
		runtime.KeepAlive(dsp.Params)
	}
	enc.Send(sel.endEncoding)
	cb.Send(sel.commit)
	cb.Send(sel.waitUntilCompleted)
	if objc.Send[uint](cb, sel.status) == mtlCommandBufferStatusError {
		return errorf(op, "the command buffer failed: %s", errorText(cb.Send(sel.error_)))
	}
	return nil
}

func (d *metalDevice) ResetPipelines() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for name, p := range d.pipelines {
		p.Send(sel.release)
		delete(d.pipelines, name)
	}
}

func (d *metalDevice) Close() {
	d.ResetPipelines()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.queue.Send(sel.release)
		d.dev.Send(sel.release)
		d.closed = true
	}
}

// nsString makes an autoreleased NSString from s.
func nsString(s string) objc.ID {
	b := append([]byte(s), 0)
	id := objc.ID(objc.GetClass("NSString")).Send(sel.stringWithUTF8String, unsafe.Pointer(&b[0]))
	runtime.KeepAlive(b)
	return id
}

// goString copies an NSString's text.
func goString(ns objc.ID) string {
	if ns == 0 {
		return ""
	}
	return objc.Send[string](ns, sel.utf8String) // purego copies the C string
}

func errorText(nsErr objc.ID) string {
	if nsErr == 0 {
		return "no error description"
	}
	return goString(nsErr.Send(sel.localizedDescription))
}
