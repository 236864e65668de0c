#include <metal_stdlib>
#include <simd/simd.h>

using namespace metal;

struct Params
{
    uint k;
    uint d;
    uint groups;
};

struct PartialSums
{
    float partial[1];
};

struct Sums
{
    float sums[1];
};

struct PartialCounts
{
    float partialCounts[1];
};

struct Counts
{
    float counts[1];
};

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

kernel void kmeans_reduce_sums(constant Params& p [[buffer(0)]], const device PartialSums& _53 [[buffer(1)]], const device PartialCounts& _93 [[buffer(2)]], device Sums& _69 [[buffer(3)]], device Counts& _109 [[buffer(4)]], uint3 gl_GlobalInvocationID [[thread_position_in_grid]])
{
    uint i = gl_GlobalInvocationID.x;
    uint kd = p.k * p.d;
    if (i < kd)
    {
        float s = 0.0;
        for (uint g = 0u; g < p.groups; g++)
        {
            s += _53.partial[(g * kd) + i];
        }
        _69.sums[i] = s;
    }
    if (i < p.k)
    {
        float c = 0.0;
        for (uint g_1 = 0u; g_1 < p.groups; g_1++)
        {
            c += _93.partialCounts[(g_1 * p.k) + i];
        }
        _109.counts[i] = c;
    }
}

