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

struct OutIds
{
    int outIds[1];
};

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

constant spvUnsafeArray<float4, 4> _218 = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });

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

kernel void knn_topk_tiled_f16(constant Params& p [[buffer(0)]], const device Queries& v_110 [[buffer(1)]], const device Database& v_83 [[buffer(2)]], const device DatabaseNorms& _485 [[buffer(3)]], const device QueryNorms& _437 [[buffer(4)]], device OutKeys& _641 [[buffer(5)]], device OutIds& _652 [[buffer(6)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup float4 qs[16][16];
    threadgroup float4 xs[16][16];
    threadgroup uint block[64][65];
    uint q0 = gl_WorkGroupID.x * 64u;
    uint split = gl_WorkGroupID.y;
    uint tr = gl_LocalInvocationIndex / 16u;
    uint tc = gl_LocalInvocationIndex % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    uint myRow = gl_LocalInvocationIndex / 4u;
    uint sub = gl_LocalInvocationIndex % 4u;
    spvUnsafeArray<uint, 32> bestKey;
    spvUnsafeArray<int, 32> bestId;
    for (uint i = 0u; i < 32u; i++)
    {
        bestKey[i] = 4294967295u;
        bestId[i] = -1;
    }
    uint worst = 4294967295u;
    float _431;
    uint _478;
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
                bool _254 = (q0 + row) < p.nq;
                bool _263;
                if (_254)
                {
                    _263 = (k0 + kk) < p.d;
                }
                else
                {
                    _263 = _254;
                }
                if (_263)
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
                bool _313 = (j0 + row_1) < jEnd;
                bool _322;
                if (_313)
                {
                    _322 = (k0 + kk_1) < p.d;
                }
                else
                {
                    _322 = _313;
                }
                if (_322)
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
        for (uint i_1 = 0u; i_1 < 4u; i_1++)
        {
            uint r = (tr * 4u) + i_1;
            bool _421 = p.metric == 1u;
            bool _430;
            if (_421)
            {
                _430 = (q0 + r) < p.nq;
            }
            else
            {
                _430 = _421;
            }
            if (_430)
            {
                _431 = _437.qn[q0 + r];
            }
            else
            {
                _431 = 0.0;
            }
            float qni = _431;
            for (uint c = 0u; c < 4u; c++)
            {
                uint j = (j0 + (tc * 4u)) + c;
                uint key = 4294967295u;
                bool _463 = j < jEnd;
                bool _472;
                if (_463)
                {
                    _472 = (q0 + r) < p.nq;
                }
                else
                {
                    _472 = _463;
                }
                if (_472)
                {
                    if (p.metric == 1u)
                    {
                        float param_4 = (qni + _485.xn[j]) - (2.0 * acc[i_1][c]);
                        _478 = max(toKey(param_4), 2147483648u);
                    }
                    else
                    {
                        float param_5 = -acc[i_1][c];
                        _478 = toKey(param_5);
                    }
                    key = _478;
                }
                block[r][(tc * 4u) + c] = key;
            }
        }
        threadgroup_barrier(mem_flags::mem_threadgroup);
        for (uint c_1 = sub; c_1 < 64u; c_1 += 4u)
        {
            uint key_1 = block[myRow][c_1];
            if (key_1 < worst)
            {
                int id = p.idBase + int(j0 + c_1);
                uint pos = p.k - 1u;
                for (;;)
                {
                    bool _565 = pos > 0u;
                    bool _574;
                    if (_565)
                    {
                        _574 = bestKey[pos - 1u] > key_1;
                    }
                    else
                    {
                        _574 = _565;
                    }
                    if (_574)
                    {
                        bestKey[pos] = bestKey[pos - 1u];
                        bestId[pos] = bestId[pos - 1u];
                        pos--;
                        continue;
                    }
                    else
                    {
                        break;
                    }
                }
                bestKey[pos] = key_1;
                bestId[pos] = id;
                worst = bestKey[p.k - 1u];
            }
        }
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    if ((q0 + myRow) < p.nq)
    {
        uint base = (((((q0 + myRow) * gl_NumWorkGroups.y) + split) * 4u) + sub) * p.k;
        for (uint i_2 = 0u; i_2 < p.k; i_2++)
        {
            _641.outKeys[base + i_2] = bestKey[i_2];
            _652.outIds[base + i_2] = bestId[i_2];
        }
    }
}

