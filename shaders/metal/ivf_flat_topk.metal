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
    float4 x[1];
};

struct Params
{
    uint nq;
    uint d;
    uint k;
    uint metric;
    uint ntasks;
    uint slotBase;
    uint ldOut;
    uint rowBase;
    uint taskBase;
    uint residual;
    uint nsel;
};

struct Work
{
    uint work[1];
};

struct Queries
{
    float q[1];
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

constant spvUnsafeArray<float4, 4> _210 = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_64)
{
    uint i = (row * d) + col;
    return ((device float*)&v_64.x[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
float listValue(thread const uint& row, thread const uint& col, thread const uint& list, const device Database& v_64, constant Params& p)
{
    uint param = row;
    uint param_1 = col;
    uint param_2 = p.d;
    float v = xAt(param, param_1, param_2, v_64);
    return v;
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _43;
    if ((u & 2147483648u) != 0u)
    {
        _43 = ~u;
    }
    else
    {
        _43 = u | 2147483648u;
    }
    return _43;
}

kernel void ivf_flat_topk(constant Params& p [[buffer(0)]], const device Queries& _287 [[buffer(1)]], const device Database& v_64 [[buffer(2)]], const device Work& _139 [[buffer(3)]], device OutKeys& _665 [[buffer(4)]], device OutIds& _676 [[buffer(5)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup float4 qs[16][16];
    threadgroup float4 xs[16][16];
    threadgroup uint block[64][65];
    uint t = gl_LocalInvocationIndex;
    uint tr = t / 16u;
    uint tc = t % 16u;
    uint myRow = t / 4u;
    uint sub = t % 4u;
    spvUnsafeArray<uint, 32> bestKey;
    spvUnsafeArray<int, 32> bestId;
    uint _232;
    float _281;
    float _315;
    uint _517;
    for (uint tn = gl_WorkGroupID.x; tn < p.ntasks; tn += gl_NumWorkGroups.x)
    {
        uint task = p.taskBase + tn;
        uint start = _139.work[5u * task];
        uint len = _139.work[(5u * task) + 1u];
        uint slot0 = _139.work[(5u * task) + 2u];
        uint nslots = _139.work[(5u * task) + 3u];
        uint list = _139.work[(5u * task) + 4u];
        for (uint i = 0u; i < 32u; i++)
        {
            bestKey[i] = 4294967295u;
            bestId[i] = -1;
        }
        uint worst = 4294967295u;
        for (uint j0 = 0u; j0 < len; j0 += 64u)
        {
            spvUnsafeArray<float4, 4> acc = spvUnsafeArray<float4, 4>({ float4(0.0), float4(0.0), float4(0.0), float4(0.0) });
            for (uint k0 = 0u; k0 < p.d; k0 += 16u)
            {
                uint row = t / 4u;
                uint kk0 = (t % 4u) * 4u;
                if (row < nslots)
                {
                    _232 = _139.work[p.slotBase + (2u * (slot0 + row))];
                }
                else
                {
                    _232 = 0u;
                }
                uint qi = _232;
                for (uint e = 0u; e < 4u; e++)
                {
                    uint kk = kk0 + e;
                    bool inDim = (k0 + kk) < p.d;
                    if ((row < nslots) && inDim)
                    {
                        _281 = _287.q[((qi * p.d) + k0) + kk];
                    }
                    else
                    {
                        _281 = 0.0;
                    }
                    ((threadgroup float*)&qs[kk][row / 4u])[row % 4u] = _281;
                    if (((j0 + row) < len) && inDim)
                    {
                        uint param = ((start - p.rowBase) + j0) + row;
                        uint param_1 = k0 + kk;
                        uint param_2 = list;
                        _315 = listValue(param, param_1, param_2, v_64, p);
                    }
                    else
                    {
                        _315 = 0.0;
                    }
                    ((threadgroup float*)&xs[kk][row / 4u])[row % 4u] = _315;
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
                if (p.metric == 1u)
                {
                    for (uint kk_1 = 0u; kk_1 < 16u; kk_1++)
                    {
                        float4 a = qs[kk_1][tr];
                        float4 b = xs[kk_1][tc];
                        float4 d0 = float4(a.x) - b;
                        float4 d1 = float4(a.y) - b;
                        float4 d2 = float4(a.z) - b;
                        float4 d3 = float4(a.w) - b;
                        acc[0] += (d0 * d0);
                        acc[1] += (d1 * d1);
                        acc[2] += (d2 * d2);
                        acc[3] += (d3 * d3);
                    }
                }
                else
                {
                    for (uint kk_2 = 0u; kk_2 < 16u; kk_2++)
                    {
                        float4 a_1 = qs[kk_2][tr];
                        float4 b_1 = xs[kk_2][tc];
                        acc[0] += (b_1 * a_1.x);
                        acc[1] += (b_1 * a_1.y);
                        acc[2] += (b_1 * a_1.z);
                        acc[3] += (b_1 * a_1.w);
                    }
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
            }
            for (uint i_1 = 0u; i_1 < 4u; i_1++)
            {
                uint r = (tr * 4u) + i_1;
                for (uint c = 0u; c < 4u; c++)
                {
                    uint j = (j0 + (tc * 4u)) + c;
                    uint key = 4294967295u;
                    if ((j < len) && (r < nslots))
                    {
                        if (p.metric == 1u)
                        {
                            float param_3 = acc[i_1][c];
                            _517 = toKey(param_3);
                        }
                        else
                        {
                            float param_4 = -acc[i_1][c];
                            _517 = toKey(param_4);
                        }
                        key = _517;
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
                    int id = int((start + j0) + c_1);
                    uint pos = p.k - 1u;
                    for (;;)
                    {
                        bool _589 = pos > 0u;
                        bool _598;
                        if (_589)
                        {
                            _598 = bestKey[pos - 1u] > key_1;
                        }
                        else
                        {
                            _598 = _589;
                        }
                        if (_598)
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
        if (myRow < nslots)
        {
            uint outRow = _139.work[(p.slotBase + (2u * (slot0 + myRow))) + 1u];
            uint base = ((outRow * 4u) + sub) * p.k;
            for (uint i_2 = 0u; i_2 < p.k; i_2++)
            {
                _665.outKeys[base + i_2] = bestKey[i_2];
                _676.outIds[base + i_2] = bestId[i_2];
            }
        }
    }
}

