#include <metal_stdlib>
#include <simd/simd.h>

using namespace metal;

struct Params
{
    uint n;
    uint d;
    uint k;
    uint rowsPerGroup;
    uint weighted;
};

struct PartialSums
{
    float sums[1];
};

struct PartialCounts
{
    float counts[1];
};

struct Labels
{
    int labels[1];
};

struct Weights
{
    float weights[1];
};

struct Points
{
    float x[1];
};

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

kernel void kmeans_partial_sums(constant Params& p [[buffer(0)]], const device Points& _168 [[buffer(1)]], const device Labels& _120 [[buffer(2)]], const device Weights& _138 [[buffer(3)]], device PartialSums& _53 [[buffer(4)]], device PartialCounts& _78 [[buffer(5)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]])
{
    uint g = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint slab = (g * p.k) * p.d;
    for (uint i = t; i < (p.k * p.d); i += 256u)
    {
        _53.sums[slab + i] = 0.0;
    }
    for (uint c = t; c < p.k; c += 256u)
    {
        _78.counts[(g * p.k) + c] = 0.0;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    threadgroup_barrier(mem_flags::mem_device);
    uint r0 = g * p.rowsPerGroup;
    uint r1 = min(p.n, (r0 + p.rowsPerGroup));
    float _132;
    for (uint r = r0; r < r1; r++)
    {
        uint c_1 = uint(_120.labels[r]);
        if (p.weighted == 1u)
        {
            _132 = _138.weights[r];
        }
        else
        {
            _132 = 1.0;
        }
        float w = _132;
        for (uint j = t; j < p.d; j += 256u)
        {
            uint _163 = (slab + (c_1 * p.d)) + j;
            _53.sums[_163] += (w * _168.x[(r * p.d) + j]);
        }
        if (t == 0u)
        {
            uint _193 = (g * p.k) + c_1;
            _78.counts[_193] += w;
        }
    }
}

