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

struct Lens
{
    uint lens[1];
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
int idAt(thread const uint& row, thread const uint& c, constant Params& p, const device InIds& v_188)
{
    int _182;
    if (p.idMode == 1u)
    {
        _182 = v_188.inIds[(row * p.ldIn) + c];
    }
    else
    {
        _182 = p.idBase + int(c);
    }
    return _182;
}

static inline __attribute__((always_inline))
uint pow2AtLeast(thread const uint& n)
{
    uint m = 1u;
    while (m < n)
    {
        m = m << 1u;
    }
    return m;
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

static inline __attribute__((always_inline))
void sortShared(thread const uint& n, thread uint& gl_LocalInvocationIndex, threadgroup uint (&sKeys)[2048], threadgroup int (&sIds)[2048])
{
    uint t = gl_LocalInvocationIndex;
    for (uint size = 2u; size <= n; size = size << 1u)
    {
        uint _64 = size >> 1u;
        for (uint stride = _64; stride > 0u; stride = stride >> 1u)
        {
            for (uint i = t; i < (n / 2u); i += 256u)
            {
                uint lo = (2u * i) - (i & (stride - 1u));
                uint hi = lo + stride;
                bool ascending = (lo & size) == 0u;
                uint kl = sKeys[lo];
                uint kh = sKeys[hi];
                int il = sIds[lo];
                int ih = sIds[hi];
                uint param = kh;
                int param_1 = ih;
                uint param_2 = kl;
                int param_3 = il;
                if (keyBefore(param, param_1, param_2, param_3) == ascending)
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
}

kernel void topk_select_counted(constant Params& p [[buffer(0)]], const device InKeys& _275 [[buffer(1)]], const device InIds& v_188 [[buffer(2)]], device OutKeys& _474 [[buffer(3)]], device OutIds& _491 [[buffer(4)]], const device Lens& _231 [[buffer(5)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]])
{
    threadgroup uint sKeys[2048];
    threadgroup int sIds[2048];
    threadgroup uint hist[256];
    threadgroup uint prefixShared;
    threadgroup uint remainingShared;
    threadgroup uint nLess;
    threadgroup uint nEqual;
    uint row = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint inBase = row * p.ldIn;
    uint ncols = min(p.ncols, _231.lens[row]);
    uint want = min(p.k, ncols);
    uint prefix = 0u;
    uint mask = 0u;
    uint remaining = want;
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        hist[t] = 0u;
        threadgroup_barrier(mem_flags::mem_threadgroup);
        for (uint c = t; c < ncols; c += 256u)
        {
            uint key = _275.inKeys[inBase + c];
            if ((key & mask) == prefix)
            {
                uint _295 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&hist[(key >> uint(shift)) & 255u], 1u, memory_order_relaxed);
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
    for (uint c_1 = t; c_1 < ncols; c_1 += 256u)
    {
        uint key_1 = _275.inKeys[inBase + c_1];
        if (key_1 < prefix)
        {
            uint _398 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&nLess, 1u, memory_order_relaxed);
            uint slot = _398;
            sKeys[slot] = key_1;
            uint param = row;
            uint param_1 = c_1;
            sIds[slot] = idAt(param, param_1, p, v_188);
        }
        else
        {
            if ((key_1 == prefix) && (want > 0u))
            {
                uint _420 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&nEqual, 1u, memory_order_relaxed);
                uint slot_1 = less + _420;
                if (slot_1 < 2048u)
                {
                    sKeys[slot_1] = key_1;
                    uint param_2 = row;
                    uint param_3 = c_1;
                    sIds[slot_1] = idAt(param_2, param_3, p, v_188);
                }
            }
        }
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    uint param_4 = min(2048u, (less + nEqual));
    uint param_5 = pow2AtLeast(param_4);
    sortShared(param_5, gl_LocalInvocationIndex, sKeys, sIds);
    uint outBase = (row * p.ldOut) + p.outOffset;
    uint _479;
    int _496;
    for (uint i_1 = t; i_1 < p.k; i_1 += 256u)
    {
        bool have = i_1 < want;
        if (have)
        {
            _479 = sKeys[i_1];
        }
        else
        {
            _479 = 4294967295u;
        }
        _474.outKeys[outBase + i_1] = _479;
        if (have)
        {
            _496 = sIds[i_1];
        }
        else
        {
            _496 = -1;
        }
        _491.outIds[outBase + i_1] = _496;
    }
}

