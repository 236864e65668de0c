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
    float x[1];
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

constant spvUnsafeArray<float4, 4> _208 = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });

static inline __attribute__((always_inline))
float qRow(thread const uint& r, thread const uint& c, const device Queries& v_101, constant Params& p)
{
    return v_101.q[(r * p.d) + c];
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_86)
{
    return v_86.x[(row * d) + col];
}

static inline __attribute__((always_inline))
float xRow(thread const uint& r, thread const uint& c, const device Database& v_86, constant Params& p)
{
    uint param = r;
    uint param_1 = c;
    uint param_2 = p.d;
    return xAt(param, param_1, param_2, v_86);
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _56;
    if ((u & 2147483648u) != 0u)
    {
        _56 = ~u;
    }
    else
    {
        _56 = u | 2147483648u;
    }
    return _56;
}

static inline __attribute__((always_inline))
bool keyBefore(thread const uint& ka, thread const int& ia, thread const uint& kb, thread const int& ib)
{
    if (ka != kb)
    {
        return ka < kb;
    }
    return uint(ia) < uint(ib);
}

kernel void kmeans_assign_tiled(constant Params& p [[buffer(0)]], const device Queries& v_101 [[buffer(1)]], const device Database& v_86 [[buffer(2)]], const device DatabaseNorms& _475 [[buffer(3)]], const device QueryNorms& _427 [[buffer(4)]], device OutKeys& _668 [[buffer(5)]], device OutIds& _684 [[buffer(6)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup float4 qs[16][16];
    threadgroup float4 xs[16][16];
    threadgroup uint block[64][65];
    threadgroup int blockIds[64][4];
    uint q0 = gl_WorkGroupID.x * 64u;
    uint split = gl_WorkGroupID.y;
    uint tr = gl_LocalInvocationIndex / 16u;
    uint tc = gl_LocalInvocationIndex % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    uint myRow = gl_LocalInvocationIndex / 4u;
    uint sub = gl_LocalInvocationIndex % 4u;
    spvUnsafeArray<uint, 1> bestKey;
    spvUnsafeArray<int, 1> bestId;
    for (uint i = 0u; i < 1u; i++)
    {
        bestKey[i] = 4294967295u;
        bestId[i] = -1;
    }
    uint worst = 4294967295u;
    float _421;
    uint _468;
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
                bool _244 = (q0 + row) < p.nq;
                bool _253;
                if (_244)
                {
                    _253 = (k0 + kk) < p.d;
                }
                else
                {
                    _253 = _244;
                }
                if (_253)
                {
                    uint param = q0 + row;
                    uint param_1 = k0 + kk;
                    v = qRow(param, param_1, v_101, p);
                }
                ((threadgroup float*)&qs[kk][row / 4u])[row % 4u] = v;
            }
            uint row_1 = gl_LocalInvocationIndex / 4u;
            uint kk0_1 = (gl_LocalInvocationIndex % 4u) * 4u;
            for (uint e_1 = 0u; e_1 < 4u; e_1++)
            {
                uint kk_1 = kk0_1 + e_1;
                float v_1 = 0.0;
                bool _303 = (j0 + row_1) < jEnd;
                bool _312;
                if (_303)
                {
                    _312 = (k0 + kk_1) < p.d;
                }
                else
                {
                    _312 = _303;
                }
                if (_312)
                {
                    uint param_2 = j0 + row_1;
                    uint param_3 = k0 + kk_1;
                    v_1 = xRow(param_2, param_3, v_86, p);
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
            bool _411 = p.metric == 1u;
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
                _421 = _427.qn[q0 + r];
            }
            else
            {
                _421 = 0.0;
            }
            float qni = _421;
            for (uint c = 0u; c < 4u; c++)
            {
                uint j = (j0 + (tc * 4u)) + c;
                uint key = 4294967295u;
                bool _453 = j < jEnd;
                bool _462;
                if (_453)
                {
                    _462 = (q0 + r) < p.nq;
                }
                else
                {
                    _462 = _453;
                }
                if (_462)
                {
                    if (p.metric == 1u)
                    {
                        float param_4 = (qni + _475.xn[j]) - (2.0 * acc[i_1][c]);
                        _468 = max(toKey(param_4), 2147483648u);
                    }
                    else
                    {
                        float param_5 = -acc[i_1][c];
                        _468 = toKey(param_5);
                    }
                    key = _468;
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
                    bool _555 = pos > 0u;
                    bool _564;
                    if (_555)
                    {
                        _564 = bestKey[pos - 1u] > key_1;
                    }
                    else
                    {
                        _564 = _555;
                    }
                    if (_564)
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
    block[myRow][sub] = bestKey[0];
    blockIds[myRow][sub] = bestId[0];
    threadgroup_barrier(mem_flags::mem_threadgroup);
    bool _610 = sub == 0u;
    bool _619;
    if (_610)
    {
        _619 = (q0 + myRow) < p.nq;
    }
    else
    {
        _619 = _610;
    }
    if (_619)
    {
        uint key_2 = block[myRow][0];
        int id_1 = blockIds[myRow][0];
        for (uint s = 1u; s < 4u; s++)
        {
            uint param_6 = block[myRow][s];
            int param_7 = blockIds[myRow][s];
            uint param_8 = key_2;
            int param_9 = id_1;
            if (keyBefore(param_6, param_7, param_8, param_9))
            {
                key_2 = block[myRow][s];
                id_1 = blockIds[myRow][s];
            }
        }
        _668.outKeys[((q0 + myRow) * gl_NumWorkGroups.y) + split] = key_2;
        _684.outIds[((q0 + myRow) * gl_NumWorkGroups.y) + split] = id_1;
    }
}

