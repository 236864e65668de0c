#pragma clang diagnostic ignored "-Wmissing-prototypes"
#pragma clang diagnostic ignored "-Wunused-variable"

#include <metal_stdlib>
#include <simd/simd.h>
#include <metal_atomic>

using namespace metal;

struct Params
{
    uint nrows;
    uint ncols;
    uint k;
    uint ldIn;
    uint ldOut;
    uint outOffset;
    uint idMode;
    int idBase;
};

struct InIds
{
    int inIds[1];
};

struct InKeys
{
    uint inKeys[1];
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

static inline __attribute__((always_inline))
int idAt(thread const uint& row, thread const uint& c, constant Params& p, const device InIds& v_54)
{
    int _48;
    if (p.idMode == 1u)
    {
        _48 = v_54.inIds[(row * p.ldIn) + c];
    }
    else
    {
        _48 = p.idBase + int(c);
    }
    return _48;
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

kernel void topk_select_rows(constant Params& p [[buffer(0)]], const device InKeys& _138 [[buffer(1)]], const device InIds& v_54 [[buffer(2)]], device OutKeys& _450 [[buffer(3)]], device OutIds& _467 [[buffer(4)]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]])
{
    threadgroup uint hist[256];
    threadgroup uint prefixShared;
    threadgroup uint remainingShared;
    threadgroup uint nLess;
    threadgroup uint nEqual;
    threadgroup uint sKeys[2048];
    threadgroup int sIds[2048];
    uint row = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint inBase = row * p.ldIn;
    uint want = min(p.k, p.ncols);
    uint prefix = 0u;
    uint mask = 0u;
    uint remaining = want;
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        hist[t] = 0u;
        threadgroup_barrier(mem_flags::mem_threadgroup);
        for (uint c = t; c < p.ncols; c += 256u)
        {
            uint key = _138.inKeys[inBase + c];
            if ((key & mask) == prefix)
            {
                uint _159 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&hist[(key >> uint(shift)) & 255u], 1u, memory_order_relaxed);
            }
        }
        threadgroup_barrier(mem_flags::mem_threadgroup);
        if (t == 0u)
        {
            uint below = 0u;
            uint bin = 0u;
            for (; bin < 255u; bin++)
            {
                if ((below + hist[bin]) >= remaining)
                {
                    break;
                }
                below += hist[bin];
            }
            prefixShared = prefix | (bin << uint(shift));
            remainingShared = remaining - below;
        }
        threadgroup_barrier(mem_flags::mem_threadgroup);
        prefix = prefixShared;
        remaining = remainingShared;
        mask |= (255u << uint(shift));
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    uint less = want - remaining;
    if (t == 0u)
    {
        nLess = 0u;
        nEqual = 0u;
    }
    for (uint i = t; i < 2048u; i += 256u)
    {
        sKeys[i] = 4294967295u;
        sIds[i] = -1;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (uint c_1 = t; c_1 < p.ncols; c_1 += 256u)
    {
        uint key_1 = _138.inKeys[inBase + c_1];
        if (key_1 < prefix)
        {
            uint _271 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&nLess, 1u, memory_order_relaxed);
            uint slot = _271;
            sKeys[slot] = key_1;
            uint param = row;
            uint param_1 = c_1;
            sIds[slot] = idAt(param, param_1, p, v_54);
        }
        else
        {
            if ((key_1 == prefix) && (want > 0u))
            {
                uint _293 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&nEqual, 1u, memory_order_relaxed);
                uint slot_1 = less + _293;
                if (slot_1 < 2048u)
                {
                    sKeys[slot_1] = key_1;
                    uint param_2 = row;
                    uint param_3 = c_1;
                    sIds[slot_1] = idAt(param_2, param_3, p, v_54);
                }
            }
        }
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    uint used = min(2048u, (less + nEqual));
    uint n = 1u;
    while (n < used)
    {
        n = n << 1u;
    }
    for (uint size = 2u; size <= n; size = size << 1u)
    {
        uint _338 = size >> 1u;
        for (uint stride = _338; stride > 0u; stride = stride >> 1u)
        {
            for (uint i_1 = t; i_1 < (n / 2u); i_1 += 256u)
            {
                uint lo = (2u * i_1) - (i_1 & (stride - 1u));
                uint hi = lo + stride;
                bool ascending = (lo & size) == 0u;
                uint kl = sKeys[lo];
                uint kh = sKeys[hi];
                int il = sIds[lo];
                int ih = sIds[hi];
                uint param_4 = kh;
                int param_5 = ih;
                uint param_6 = kl;
                int param_7 = il;
                if (keyBefore(param_4, param_5, param_6, param_7) == ascending)
                {
                    sKeys[lo] = kh;
                    sKeys[hi] = kl;
                    sIds[lo] = ih;
                    sIds[hi] = il;
                }
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
        }
    }
    uint outBase = (row * p.ldOut) + p.outOffset;
    uint _455;
    int _472;
    for (uint i_2 = t; i_2 < p.k; i_2 += 256u)
    {
        bool have = i_2 < want;
        if (have)
        {
            _455 = sKeys[i_2];
        }
        else
        {
            _455 = 4294967295u;
        }
        _450.outKeys[outBase + i_2] = _455;
        if (have)
        {
            _472 = sIds[i_2];
        }
        else
        {
            _472 = -1;
        }
        _467.outIds[outBase + i_2] = _472;
    }
}

