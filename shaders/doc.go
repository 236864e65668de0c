// Package shaders holds metalfaiss's GPU kernels. Each kernel is written
// once as a GLSL compute shader under src/; `make shaders` compiles it to
// SPIR-V for Vulkan (spirv/) and translates that to Metal Shading Language
// (metal/). Both outputs are committed and embedded, so building needs no
// shader tools, and a test fails when they are older than their sources.
//
// Conventions every kernel follows: 256 threads per workgroup; storage
// buffers at bindings 1..Buffers (Metal buffer indices 1..Buffers); the
// parameters in one push-constant struct (Metal buffer 0), mirrored here by
// a Go struct of the same field order.
package shaders
