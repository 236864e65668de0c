// Package metalbridge runs the kernels of package shaders on a GPU. One
// interface (Device: buffers, dispatches, pipelines compiled on first use)
// has two drivers: Metal on darwin (Objective-C runtime calls through
// purego, MSL compiled at run time) and Vulkan on linux (libvulkan.so.1
// opened at run time, SPIR-V pipelines). Neither needs GPU headers or
// libraries to build; where no device exists, Default returns an error that
// IsUnavailable recognises and callers run on the CPU.
//
// Device limits (shared memory, binding range, workgroup counts) are read
// from the device; callers size their dispatches from Info().Limits.
package metalbridge
