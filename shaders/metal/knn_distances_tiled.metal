#pragma clang diagnostic ignored "-Wmissing-prototypes"
#pragma clang diagnostic ignored "-Wmissing-braces"

#include <metal_stdlib>
#include <simd/simd.h>

using namespace metal;

template<typename T, size_t Num>
struct spvUnsafeArray
{
    T elements[Num ? Num : 1];
    
    thread T& operator [] (size_t pos) thread
    {
        return elements[pos];
    }
    constexpr const thread T& operator [] (size_t pos) const thread
    {
        return elements[pos];
    }
    
    device T& operator [] (size_t pos) device
    {
        return elements[pos];
    }
    constexpr const device T& operator [] (size_t pos) const device
    {
        return elements[pos];
    }
    
    constexpr const constant T& operator [] (size_t pos) const constant
    {
        return elements[pos];
    }
    
    threadgroup T& operator [] (size_t pos) threadgroup
    {
        return elements[pos];
    }
    constexpr const threadgroup T& operator [] (size_t pos) const threadgroup
    {
        return elements[pos];
    }
};

struct Params
{
    uint nq;
    uint nb;
    uint d;
    uint k;
    uint metric;
    uint span;
    int idBase;
    uint ldOut;
};

struct Queries
{
    float q[1];
};

struct Database
{
    float x[1];
};

struct QueryNorms
{
    float qn[1];
};

struct DatabaseNorms
{
    float xn[1];
};

struct OutKeys
{
    uint outKeys[1];
};

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

struct OutIds
{
    int outIds[1];
};

constant spvUnsafeArray<float4, 4> _101 = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _32;
    if ((u & 2147483648u) != 0u)
    {
        _32 = ~u;
    }
    else
    {
        _32 = u | 2147483648u;
    }
    return _32;
}

kernel void knn_distances_tiled(constant Params& p [[buffer(0)]], const device Queries& _154 [[buffer(1)]], const device Database& _221 [[buffer(2)]], const device DatabaseNorms& _385 [[buffer(3)]], const device QueryNorms& _337 [[buffer(4)]], device OutKeys& _426 [[buffer(5)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]])
{
    threadgroup float4 qs[16][16];
    threadgroup float4 xs[16][16];
    uint q0 = gl_WorkGroupID.x * 64u;
    uint split = gl_WorkGroupID.y;
    uint tr = gl_LocalInvocationIndex / 16u;
    uint tc = gl_LocalInvocationIndex % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    float _331;
    uint _378;
    for (uint j0 = jStart; j0 < jEnd; j0 += 64u)
    {
        spvUnsafeArray<float4, 4> acc = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });
        for (uint k0 = 0u; k0 < p.d; k0 += 16u)
        {
            uint row = gl_LocalInvocationIndex / 4u;
            uint kk0 = (gl_LocalInvocationIndex % 4u) * 4u;
            for (uint e = 0u; e < 4u; e++)
            {
                uint kk = kk0 + e;
                float v = 0.0;
                bool _139 = (q0 + row) < p.nq;
                bool _148;
                if (_139)
                {
                    _148 = (k0 + kk) < p.d;
                }
                else
                {
                    _148 = _139;
                }
                if (_148)
                {
                    v = _154.q[(((q0 + row) * p.d) + k0) + kk];
                }
                ((threadgroup float*)&qs[kk][row / 4u])[row % 4u] = v;
            }
            uint row_1 = gl_LocalInvocationIndex / 4u;
            uint kk0_1 = (gl_LocalInvocationIndex % 4u) * 4u;
            for (uint e_1 = 0u; e_1 < 4u; e_1++)
            {
                uint kk_1 = kk0_1 + e_1;
                float v_1 = 0.0;
                bool _206 = (j0 + row_1) < jEnd;
                bool _215;
                if (_206)
                {
                    _215 = (k0 + kk_1) < p.d;
                }
                else
                {
                    _215 = _206;
                }
                if (_215)
                {
                    v_1 = _221.x[(((j0 + row_1) * p.d) + k0) + kk_1];
                }
                ((threadgroup float*)&xs[kk_1][row_1 / 4u])[row_1 % 4u] = v_1;
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            for (uint kk_2 = 0u; kk_2 < 16u; kk_2++)
            {
                float4 a = qs[kk_2][tr];
                float4 b = xs[kk_2][tc];
                acc[0] += (b * a.x);
                acc[1] += (b * a.y);
                acc[2] += (b * a.z);
                acc[3] += (b * a.w);
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
        }
        for (uint i = 0u; i < 4u; i++)
        {
            uint r = (tr * 4u) + i;
            bool _321 = p.metric == 1u;
            bool _330;
            if (_321)
            {
                _330 = (q0 + r) < p.nq;
            }
            else
            {
                _330 = _321;
            }
            if (_330)
            {
                _331 = _337.qn[q0 + r];
            }
            else
            {
                _331 = 0.0;
            }
            float qni = _331;
            for (uint c = 0u; c < 4u; c++)
            {
                uint j = (j0 + (tc * 4u)) + c;
                uint key = 4294967295u;
                bool _363 = j < jEnd;
                bool _372;
                if (_363)
                {
                    _372 = (q0 + r) < p.nq;
                }
                else
                {
                    _372 = _363;
                }
                if (_372)
                {
                    if (p.metric == 1u)
                    {
                        float param = (qni + _385.xn[j]) - (2.0 * acc[i][c]);
                        _378 = max(toKey(param), 2147483648u);
                    }
                    else
                    {
                        float param_1 = -acc[i][c];
                        _378 = toKey(param_1);
                    }
                    key = _378;
                }
                bool _411 = j < jEnd;
                bool _420;
                if (_411)
                {
                    _420 = (q0 + r) < p.nq;
                }
                else
                {
                    _420 = _411;
                }
                if (_420)
                {
                    _426.outKeys[((q0 + r) * p.ldOut) + j] = key;
                }
            }
        }
    }
}

