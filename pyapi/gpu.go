package pyapi

import (
	"fmt"
	"strings"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/gpu"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// GpuStatus returns "" when a GPU is usable, else the status of why not
// (kind gpu_unavailable). It opens the device on first call.
func GpuStatus() string {
	return guard("gpu", func() error {
		_, err := gpu.Default()
		return err
	})
}

// GpuInfo describes the device as "key=value" lines (driver, name, kind
// and the limits read from it); it fails like GpuStatus without a GPU.
func GpuInfo() string {
	var b strings.Builder
	st := guard("gpu_info", func() error {
		e, err := gpu.Default()
		if err != nil {
			return err
		}
		info := e.Device().Info()
		l := info.Limits
		fmt.Fprintf(&b, "driver=%s\nname=%s\nkind=%s\nmax_binding_bytes=%d\nmax_buffer_bytes=%d\n"+
			"max_shared_memory_bytes=%d\nmax_threads_per_group=%d\nmax_k=%d\n",
			info.Driver, info.Name, info.Kind, l.MaxBinding, l.MaxBuffer, l.MaxSharedMemory, l.MaxThreads, gpu.MaxK)
		return nil
	})
	if st != "" {
		return st
	}
	return "=" + b.String()
}

// GpuIndexFlatNew makes a GPU flat index and writes its handle to out
// (int64[1]).
func GpuIndexFlatNew(d int64, metric int64, half bool, out uintptr) string {
	return newIndex("GpuIndexFlat", out, func() (core.Index, error) {
		e, err := gpu.Default()
		if err != nil {
			return nil, err
		}
		if half {
			return gpu.NewIndexFlatF16(e, int(d), core.Metric(metric))
		}
		return gpu.NewIndexFlat(e, int(d), core.Metric(metric))
	})
}

// GpuIndexIVFFlatNew makes a GPU IVF-Flat index (with a GPU flat
// quantizer) and writes its handle to out (int64[1]).
func GpuIndexIVFFlatNew(d, nlist, metric int64, out uintptr) string {
	return newIndex("GpuIndexIVFFlat", out, func() (core.Index, error) {
		e, err := gpu.Default()
		if err != nil {
			return nil, err
		}
		return gpu.NewIndexIVFFlat(e, int(d), int(nlist), core.Metric(metric))
	})
}

// GpuIndexIVFSQNew makes a GPU IVF-SQ index (with a GPU flat quantizer)
// and writes its handle to out (int64[1]).
func GpuIndexIVFSQNew(d, nlist, qtype, metric int64, byResidual bool, out uintptr) string {
	return newIndex("GpuIndexIVFScalarQuantizer", out, func() (core.Index, error) {
		e, err := gpu.Default()
		if err != nil {
			return nil, err
		}
		return gpu.NewIndexIVFScalarQuantizer(e, int(d), int(nlist), core.QuantizerType(qtype), core.Metric(metric), byResidual)
	})
}

// GpuIndexIVFPQNew makes a GPU IVF-PQ index (with a GPU flat quantizer)
// and writes its handle to out (int64[1]).
func GpuIndexIVFPQNew(d, nlist, m, nbits, metric int64, out uintptr) string {
	return newIndex("GpuIndexIVFPQ", out, func() (core.Index, error) {
		e, err := gpu.Default()
		if err != nil {
			return nil, err
		}
		return gpu.NewIndexIVFPQ(e, int(d), int(nlist), int(m), int(nbits), core.Metric(metric))
	})
}

// GpuIndexFromCPU copies the flat, IVF-Flat, IVF-SQ or IVF-PQ index behind h to
// the GPU (float16 storage of flat vectors when half is set) and writes the new handle to out
// (faiss's index_cpu_to_gpu).
func GpuIndexFromCPU(h int64, half bool, out uintptr) string {
	const op = "index_cpu_to_gpu"
	return withIndex(op, h, false, func(ix core.Index) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		e, err := gpu.Default()
		if err != nil {
			return err
		}
		var g core.Index
		switch src := ix.(type) {
		case *core.IndexFlat:
			g, err = gpu.FromCPU(e, src, half)
		case *core.IndexIVF:
			switch {
			case src.SQ() != nil:
				g, err = gpu.IVFSQFromCPU(e, src)
			case src.PQ() != nil:
				g, err = gpu.IVFPQFromCPU(e, src)
			default:
				g, err = gpu.IVFFlatFromCPU(e, src, half)
			}
		default:
			return core.Errorf(core.KindUnsupported, op, "flat, IVF-Flat, IVF-SQ and IVF-PQ indexes have a GPU version so far, not %T", ix)
		}
		if err != nil {
			return err
		}
		dst[0] = register(g)
		return nil
	})
}

// GpuIndexToCPU copies a GPU index's host side into a new CPU index and
// writes its handle to out (faiss's index_gpu_to_cpu).
func GpuIndexToCPU(h int64, out uintptr) string {
	const op = "index_gpu_to_cpu"
	return withIndex(op, h, false, func(ix core.Index) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		if g, ok := ix.(interface {
			ToCPU() (*core.IndexIVF, error)
		}); ok { // the GPU IVF indexes
			c, err := g.ToCPU()
			if err != nil {
				return err
			}
			dst[0] = register(c)
			return nil
		}
		g, ok := ix.(*gpu.IndexFlat)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "%T is not a GPU index", ix)
		}
		c, err := core.NewIndexFlat(g.D(), g.Metric())
		if err != nil {
			return err
		}
		c.SetMetricArg(g.MetricArg())
		if err := c.Add(g.Vectors()); err != nil {
			return err
		}
		dst[0] = register(c)
		return nil
	})
}

// IndexOnGpu reports whether handle h is a GPU index ("1") or not ("0").
func IndexOnGpu(h int64) string {
	on := "0"
	st := withIndex("Index.on_gpu", h, false, func(ix core.Index) error {
		switch ix.(type) {
		case *gpu.IndexFlat, *gpu.IndexIVFFlat, *gpu.IndexIVFScalarQuantizer, *gpu.IndexIVFPQ:
			on = "1"
		}
		return nil
	})
	if st != "" {
		return st
	}
	return "=" + on
}

// GpuPlantBrokenKernel replaces a kernel's code with a damaged copy, so
// tests can check that a kernel that does not compile raises a Python
// exception; GpuRestoreKernels undoes it.
func GpuPlantBrokenKernel(name string) string {
	return guard("gpu_plant_broken_kernel", func() error {
		e, err := gpu.Default()
		if err != nil {
			return err
		}
		code, err := shaders.SPIRV(name)
		if err != nil {
			return err
		}
		broken := append([]byte{}, code...)
		broken[0] ^= 0xff
		shaders.Override(name, broken, "#error planted by a test\n")
		e.Device().ResetPipelines()
		return nil
	})
}

// GpuRestoreKernels drops every planted kernel.
func GpuRestoreKernels() string {
	return guard("gpu_restore_kernels", func() error {
		shaders.ClearOverrides()
		if e, err := gpu.Default(); err == nil {
			e.Device().ResetPipelines()
		}
		return nil
	})
}
