#include <metal_stdlib>
#include <simd/simd.h>

using namespace metal;

struct Params
{
    uint n;
    uint d;
};

struct Rows
{
    float x[1];
};

struct Norms
{
    float norms[1];
};

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

kernel void norms_rows(constant Params& p [[buffer(0)]], const device Rows& _49 [[buffer(1)]], device Norms& _69 [[buffer(2)]], uint3 gl_GlobalInvocationID [[thread_position_in_grid]])
{
    uint i = gl_GlobalInvocationID.x;
    if (i >= p.n)
    {
        return;
    }
    float s = 0.0;
    for (uint j = 0u; j < p.d; j++)
    {
        float v = _49.x[(i * p.d) + j];
        s += (v * v);
    }
    _69.norms[i] = s;
}

