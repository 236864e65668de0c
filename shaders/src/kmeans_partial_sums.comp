#version 450
// k-means centroid update, first half: workgroup g sums (with weights) the
// points of rows [g*rowsPerGroup, ...) into its own k x d slab of partial
// sums, in row order. Thread j owns dimensions j, j+256, ... of the slab, so
// no two threads touch one value and no atomics are needed; the sums are
// the same on every run.
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint n;
    uint d;
    uint k;
    uint rowsPerGroup;
    uint weighted;  // 1: weights holds one weight per row
} p;

layout(std430, binding = 1) readonly buffer Points { float x[]; };
layout(std430, binding = 2) readonly buffer Labels { int labels[]; };
layout(std430, binding = 3) readonly buffer Weights { float weights[]; };
layout(std430, binding = 4) buffer PartialSums { float sums[]; };
layout(std430, binding = 5) buffer PartialCounts { float counts[]; };

void main() {
    uint g = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint slab = g * p.k * p.d;
    for (uint i = t; i < p.k * p.d; i += 256u) {
        sums[slab + i] = 0.0;
    }
    for (uint c = t; c < p.k; c += 256u) {
        counts[g * p.k + c] = 0.0;
    }
    barrier();
    memoryBarrierBuffer();
    uint r0 = g * p.rowsPerGroup;
    uint r1 = min(p.n, r0 + p.rowsPerGroup);
    for (uint r = r0; r < r1; r++) {
        uint c = uint(labels[r]);
        float w = p.weighted == 1u ? weights[r] : 1.0;
        for (uint j = t; j < p.d; j += 256u) {
            sums[slab + c * p.d + j] += w * x[r * p.d + j];
        }
        if (t == 0u) {
            counts[g * p.k + c] += w;
        }
    }
}
