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

struct Database
{
    uint xh[1];
};

struct Queries
{
    float q[1];
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

constant spvUnsafeArray<float4, 4> _188 = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });

static inline __attribute__((always_inline))
float qRow(thread const uint& r, thread const uint& c, const device Queries& v_110, constant Params& p)
{
    return v_110.q[(r * p.d) + c];
}

static inline __attribute__((always_inline))
uint rowStride(thread const uint& d)
{
    return (d + 1u) & 4294967294u;
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_83)
{
    uint param = d;
    uint i = (row * rowStride(param)) + col;
    float2 v = float2(as_type<half2>(v_83.xh[i >> uint(1)]));
    float _96;
    if ((i & 1u) == 0u)
    {
        _96 = v.x;
    }
    else
    {
        _96 = v.y;
    }
    return _96;
}

static inline __attribute__((always_inline))
float xRow(thread const uint& r, thread const uint& c, const device Database& v_83, constant Params& p)
{
    uint param = r;
    uint param_1 = c;
    uint param_2 = p.d;
    return xAt(param, param_1, param_2, v_83);
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _51;
    if ((u & 2147483648u) != 0u)
    {
        _51 = ~u;
    }
    else
    {
        _51 = u | 2147483648u;
    }
    return _51;
}

kernel void knn_distances_tiled_f16(constant Params& p [[buffer(0)]], const device Queries& v_110 [[buffer(1)]], const device Database& v_83 [[buffer(2)]], const device DatabaseNorms& _455 [[buffer(3)]], const device QueryNorms& _407 [[buffer(4)]], device OutKeys& _496 [[buffer(5)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]])
{
    threadgroup float4 qs[16][16];
    threadgroup float4 xs[16][16];
    uint q0 = gl_WorkGroupID.x * 64u;
    uint split = gl_WorkGroupID.y;
    uint tr = gl_LocalInvocationIndex / 16u;
    uint tc = gl_LocalInvocationIndex % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    float _401;
    uint _448;
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
                bool _224 = (q0 + row) < p.nq;
                bool _233;
                if (_224)
                {
                    _233 = (k0 + kk) < p.d;
                }
                else
                {
                    _233 = _224;
                }
                if (_233)
                {
                    uint param = q0 + row;
                    uint param_1 = k0 + kk;
                    v = qRow(param, param_1, v_110, p);
                }
                ((threadgroup float*)&qs[kk][row / 4u])[row % 4u] = v;
            }
            uint row_1 = gl_LocalInvocationIndex / 4u;
            uint kk0_1 = (gl_LocalInvocationIndex % 4u) * 4u;
            for (uint e_1 = 0u; e_1 < 4u; e_1++)
            {
                uint kk_1 = kk0_1 + e_1;
                float v_1 = 0.0;
                bool _283 = (j0 + row_1) < jEnd;
                bool _292;
                if (_283)
                {
                    _292 = (k0 + kk_1) < p.d;
                }
                else
                {
                    _292 = _283;
                }
                if (_292)
                {
                    uint param_2 = j0 + row_1;
                    uint param_3 = k0 + kk_1;
                    v_1 = xRow(param_2, param_3, v_83, p);
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
            bool _391 = p.metric == 1u;
            bool _400;
            if (_391)
            {
                _400 = (q0 + r) < p.nq;
            }
            else
            {
                _400 = _391;
            }
            if (_400)
            {
                _401 = _407.qn[q0 + r];
            }
            else
            {
                _401 = 0.0;
            }
            float qni = _401;
            for (uint c = 0u; c < 4u; c++)
            {
                uint j = (j0 + (tc * 4u)) + c;
                uint key = 4294967295u;
                bool _433 = j < jEnd;
                bool _442;
                if (_433)
                {
                    _442 = (q0 + r) < p.nq;
                }
                else
                {
                    _442 = _433;
                }
                if (_442)
                {
                    if (p.metric == 1u)
                    {
                        float param_4 = (qni + _455.xn[j]) - (2.0 * acc[i][c]);
                        _448 = max(toKey(param_4), 2147483648u);
                    }
                    else
                    {
                        float param_5 = -acc[i][c];
                        _448 = toKey(param_5);
                    }
                    key = _448;
                }
                bool _481 = j < jEnd;
                bool _490;
                if (_481)
                {
                    _490 = (q0 + r) < p.nq;
                }
                else
                {
                    _490 = _481;
                }
                if (_490)
                {
                    _496.outKeys[((q0 + r) * p.ldOut) + j] = key;
                }
            }
        }
    }
}

