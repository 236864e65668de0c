#pragma clang diagnostic ignored "-Wmissing-prototypes"
#pragma clang diagnostic ignored "-Wunused-variable"

#include <metal_stdlib>
#include <simd/simd.h>
#include <metal_atomic>

using namespace metal;

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

struct Codes
{
    uint codes[1];
};

struct Queries
{
    float q[1];
};

struct Centroids
{
    float cent[1];
};

struct Work
{
    uint work[1];
};

struct PQCentroids
{
    float pq[1];
};

struct Partial
{
    uint partial[1];
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
float queryValue(thread const uint& qi, thread const uint& list, thread const uint& i, thread const bool& l2res, constant Params& p, const device Queries& v_332, const device Centroids& v_350)
{
    float _344;
    if (l2res)
    {
        _344 = v_350.cent[(list * p.d) + i];
    }
    else
    {
        _344 = 0.0;
    }
    return v_332.q[(qi * p.d) + i] - _344;
}

static inline __attribute__((always_inline))
uint codeAt(thread const uint& row, thread const uint& sq, constant Params& p, const device Codes& v_312)
{
    uint i = (row * p.k) + sq;
    return (v_312.codes[i >> uint(2)] >> ((i & 3u) * 8u)) & 255u;
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _69;
    if ((u & 2147483648u) != 0u)
    {
        _69 = ~u;
    }
    else
    {
        _69 = u | 2147483648u;
    }
    return _69;
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
void offer(thread const uint& key, thread const int& id, threadgroup uint (&sKeys)[512], threadgroup int (&sIds)[512], constant Params& p)
{
    uint param = key;
    int param_1 = id;
    uint param_2 = sKeys[p.nsel - 1u];
    int param_3 = sIds[p.nsel - 1u];
    if (keyBefore(param, param_1, param_2, param_3))
    {
        uint _249 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&offers, 1u, memory_order_relaxed);
        uint slot = p.nsel + _249;
        sKeys[slot] = key;
        sIds[slot] = id;
    }
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
void sortShared(thread const uint& n, thread uint& gl_LocalInvocationIndex, threadgroup uint (&sKeys)[512], threadgroup int (&sIds)[512])
{
    uint t = gl_LocalInvocationIndex;
    for (uint size = 2u; size <= n; size = size << 1u)
    {
        uint _113 = size >> 1u;
        for (uint stride = _113; stride > 0u; stride = stride >> 1u)
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

static inline __attribute__((always_inline))
void mergeOffers(thread uint& gl_LocalInvocationIndex, threadgroup uint (&sKeys)[512], threadgroup int (&sIds)[512], constant Params& p, threadgroup uint& offers)
{
    threadgroup_barrier(mem_flags::mem_threadgroup);
    uint n = offers;
    if (n == 0u)
    {
        return;
    }
    uint param = p.nsel + n;
    uint param_1 = pow2AtLeast(param);
    sortShared(param_1, gl_LocalInvocationIndex, sKeys, sIds);
    uint t = gl_LocalInvocationIndex;
    uint _278 = p.nsel + t;
    for (uint i = _278; i < (p.nsel + n); i += 256u)
    {
        sKeys[i] = 4294967295u;
        sIds[i] = -1;
    }
    if (t == 0u)
    {
        offers = 0u;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
}

kernel void ivf_pq_topk(constant Params& p [[buffer(0)]], const device Queries& v_332 [[buffer(1)]], const device Codes& v_312 [[buffer(2)]], const device Work& _420 [[buffer(3)]], device OutKeys& _771 [[buffer(4)]], device OutIds& _785 [[buffer(5)]], const device PQCentroids& _595 [[buffer(6)]], const device Centroids& v_350 [[buffer(7)]], device Partial& _687 [[buffer(8)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup uint sKeys[512];
    threadgroup int sIds[512];
    threadgroup uint offers;
    threadgroup float table[4096];
    uint t = gl_LocalInvocationIndex;
    uint dsub = p.d / p.k;
    uint per = 16u;
    for (uint i = t; i < 512u; i += 256u)
    {
        sKeys[i] = 4294967295u;
        sIds[i] = -1;
    }
    if (t == 0u)
    {
        offers = 0u;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    float _623;
    float _679;
    uint _735;
    float _836;
    uint _904;
    for (uint tn = gl_WorkGroupID.x; tn < p.ntasks; tn += gl_NumWorkGroups.x)
    {
        uint task = p.taskBase + tn;
        uint start = _420.work[5u * task];
        uint len = _420.work[(5u * task) + 1u];
        uint slot0 = _420.work[(5u * task) + 2u];
        uint nslots = _420.work[(5u * task) + 3u];
        uint list = _420.work[(5u * task) + 4u];
        bool _455 = p.metric == 1u;
        bool _462;
        if (_455)
        {
            _462 = p.residual == 1u;
        }
        else
        {
            _462 = _455;
        }
        bool l2res = _462 && (len > 0u);
        for (uint s = 0u; s < nslots; s++)
        {
            uint qi = _420.work[p.slotBase + (2u * (slot0 + s))];
            uint outRow = _420.work[(p.slotBase + (2u * (slot0 + s))) + 1u];
            float base = 0.0;
            bool _500 = p.metric == 0u;
            bool _506;
            if (_500)
            {
                _506 = p.residual == 1u;
            }
            else
            {
                _506 = _500;
            }
            if (_506 && (len > 0u))
            {
                for (uint i_1 = 0u; i_1 < p.d; i_1++)
                {
                    base += (v_332.q[(qi * p.d) + i_1] * v_350.cent[(list * p.d) + i_1]);
                }
            }
            for (uint sq0 = 0u; sq0 < p.k; sq0 += per)
            {
                uint sq1 = min(p.k, (sq0 + per));
                for (uint e = t; e < ((sq1 - sq0) * 256u); e += 256u)
                {
                    uint sq = sq0 + (e / 256u);
                    uint c = e % 256u;
                    float acc = 0.0;
                    for (uint i_2 = 0u; i_2 < dsub; i_2++)
                    {
                        float v = _595.pq[(((sq * 256u) + c) * dsub) + i_2];
                        uint param = qi;
                        uint param_1 = list;
                        uint param_2 = (sq * dsub) + i_2;
                        bool param_3 = l2res;
                        float x = queryValue(param, param_1, param_2, param_3, p, v_332, v_350);
                        if (p.metric == 1u)
                        {
                            _623 = (x - v) * (x - v);
                        }
                        else
                        {
                            _623 = x * v;
                        }
                        acc += _623;
                    }
                    table[e] = acc;
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
                if (sq1 == p.k)
                {
                    for (uint j0 = 0u; j0 < len; j0 += 256u)
                    {
                        uint j = j0 + t;
                        if (j < len)
                        {
                            if (sq0 == 0u)
                            {
                                _679 = base;
                            }
                            else
                            {
                                _679 = as_type<float>(_687.partial[(gl_WorkGroupID.x * p.ldOut) + j]);
                            }
                            float dis = _679;
                            for (uint sq_1 = sq0; sq_1 < sq1; sq_1++)
                            {
                                uint param_4 = (start - p.rowBase) + j;
                                uint param_5 = sq_1;
                                dis += table[((sq_1 - sq0) * 256u) + codeAt(param_4, param_5, p, v_312)];
                            }
                            if (p.metric == 1u)
                            {
                                float param_6 = dis;
                                _735 = toKey(param_6);
                            }
                            else
                            {
                                float param_7 = -dis;
                                _735 = toKey(param_7);
                            }
                            uint param_8 = _735;
                            int param_9 = int(start + j);
                            offer(param_8, param_9, sKeys, sIds, p);
                        }
                        mergeOffers(gl_LocalInvocationIndex, sKeys, sIds, p, offers);
                    }
                    for (uint i_3 = t; i_3 < p.nsel; i_3 += 256u)
                    {
                        _771.outKeys[(outRow * p.nsel) + i_3] = sKeys[i_3];
                        _785.outIds[(outRow * p.nsel) + i_3] = sIds[i_3];
                        sKeys[i_3] = 4294967295u;
                        sIds[i_3] = -1;
                    }
                    threadgroup_barrier(mem_flags::mem_threadgroup);
                    continue;
                }
                uint cols = len;
                for (uint j_1 = t; j_1 < cols; j_1 += 256u)
                {
                    uint at = (outRow * p.ldOut) + j_1;
                    if (j_1 >= len)
                    {
                        _771.outKeys[at] = 4294967295u;
                        _785.outIds[at] = -1;
                        continue;
                    }
                    if (sq0 == 0u)
                    {
                        _836 = base;
                    }
                    else
                    {
                        _836 = as_type<float>(_687.partial[(gl_WorkGroupID.x * p.ldOut) + j_1]);
                    }
                    float dis_1 = _836;
                    for (uint sq_2 = sq0; sq_2 < sq1; sq_2++)
                    {
                        uint param_10 = (start - p.rowBase) + j_1;
                        uint param_11 = sq_2;
                        dis_1 += table[((sq_2 - sq0) * 256u) + codeAt(param_10, param_11, p, v_312)];
                    }
                    if (sq1 < p.k)
                    {
                        _687.partial[(gl_WorkGroupID.x * p.ldOut) + j_1] = as_type<uint>(dis_1);
                    }
                    else
                    {
                        if (p.metric == 1u)
                        {
                            float param_12 = dis_1;
                            _904 = toKey(param_12);
                        }
                        else
                        {
                            float param_13 = -dis_1;
                            _904 = toKey(param_13);
                        }
                        _771.outKeys[at] = _904;
                        _785.outIds[at] = int(start + j_1);
                    }
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
            }
        }
    }
}

