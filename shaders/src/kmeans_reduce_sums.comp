#version 450
// k-means centroid update, second half: adds the groups' partial sums and
// counts in group order (one thread per value), so the result is the same
// on every run.
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint k;
    uint d;
    uint groups;
} p;

layout(std430, binding = 1) readonly buffer PartialSums { float partial[]; };
layout(std430, binding = 2) readonly buffer PartialCounts { float partialCounts[]; };
layout(std430, binding = 3) writeonly buffer Sums { float sums[]; };
layout(std430, binding = 4) writeonly buffer Counts { float counts[]; };

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint kd = p.k * p.d;
    if (i < kd) {
        float s = 0.0;
        for (uint g = 0u; g < p.groups; g++) {
            s += partial[g * kd + i];
        }
        sums[i] = s;
    }
    if (i < p.k) {
        float c = 0.0;
        for (uint g = 0u; g < p.groups; g++) {
            c += partialCounts[g * p.k + i];
        }
        counts[i] = c;
    }
}
