#pragma clang diagnostic ignored "-Wmissing-prototypes"

#include <metal_stdlib>
#include <simd/simd.h>

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
float queryValue(thread const uint& qi, thread const uint& list, thread const uint& i, thread const bool& l2res, constant Params& p, const device Queries& v_92, const device Centroids& v_110)
{
    float _104;
    if (l2res)
    {
        _104 = v_110.cent[(list * p.d) + i];
    }
    else
    {
        _104 = 0.0;
    }
    return v_92.q[(qi * p.d) + i] - _104;
}

static inline __attribute__((always_inline))
uint codeAt(thread const uint& row, thread const uint& sq, constant Params& p, const device Codes& v_72)
{
    uint i = (row * p.k) + sq;
    return (v_72.codes[i >> uint(2)] >> ((i & 3u) * 8u)) & 255u;
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _45;
    if ((u & 2147483648u) != 0u)
    {
        _45 = ~u;
    }
    else
    {
        _45 = u | 2147483648u;
    }
    return _45;
}

kernel void ivf_pq_distances(constant Params& p [[buffer(0)]], const device Queries& v_92 [[buffer(1)]], const device Codes& v_72 [[buffer(2)]], const device Work& _163 [[buffer(3)]], device OutKeys& _428 [[buffer(4)]], device OutIds& _434 [[buffer(5)]], const device PQCentroids& _341 [[buffer(6)]], const device Centroids& v_110 [[buffer(7)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup float table[4096];
    uint t = gl_LocalInvocationIndex;
    uint dsub = p.d / p.k;
    uint per = 16u;
    float _369;
    float _443;
    uint _510;
    for (uint tn = gl_WorkGroupID.x; tn < p.ntasks; tn += gl_NumWorkGroups.x)
    {
        uint task = p.taskBase + tn;
        uint start = _163.work[5u * task];
        uint len = _163.work[(5u * task) + 1u];
        uint slot0 = _163.work[(5u * task) + 2u];
        uint nslots = _163.work[(5u * task) + 3u];
        uint list = _163.work[(5u * task) + 4u];
        bool _200 = p.metric == 1u;
        bool _207;
        if (_200)
        {
            _207 = p.residual == 1u;
        }
        else
        {
            _207 = _200;
        }
        bool l2res = _207 && (len > 0u);
        for (uint s = 0u; s < nslots; s++)
        {
            uint qi = _163.work[p.slotBase + (2u * (slot0 + s))];
            uint outRow = _163.work[(p.slotBase + (2u * (slot0 + s))) + 1u];
            float base = 0.0;
            bool _245 = p.metric == 0u;
            bool _251;
            if (_245)
            {
                _251 = p.residual == 1u;
            }
            else
            {
                _251 = _245;
            }
            if (_251 && (len > 0u))
            {
                for (uint i = 0u; i < p.d; i++)
                {
                    base += (v_92.q[(qi * p.d) + i] * v_110.cent[(list * p.d) + i]);
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
                    for (uint i_1 = 0u; i_1 < dsub; i_1++)
                    {
                        float v = _341.pq[(((sq * 256u) + c) * dsub) + i_1];
                        uint param = qi;
                        uint param_1 = list;
                        uint param_2 = (sq * dsub) + i_1;
                        bool param_3 = l2res;
                        float x = queryValue(param, param_1, param_2, param_3, p, v_92, v_110);
                        if (p.metric == 1u)
                        {
                            _369 = (x - v) * (x - v);
                        }
                        else
                        {
                            _369 = x * v;
                        }
                        acc += _369;
                    }
                    table[e] = acc;
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
                uint cols = p.ldOut;
                for (uint j = t; j < cols; j += 256u)
                {
                    uint at = (outRow * p.ldOut) + j;
                    if (j >= len)
                    {
                        _428.outKeys[at] = 4294967295u;
                        _434.outIds[at] = -1;
                        continue;
                    }
                    if (sq0 == 0u)
                    {
                        _443 = base;
                    }
                    else
                    {
                        _443 = as_type<float>(_428.outKeys[(outRow * p.ldOut) + j]);
                    }
                    float dis = _443;
                    for (uint sq_1 = sq0; sq_1 < sq1; sq_1++)
                    {
                        uint param_4 = (start - p.rowBase) + j;
                        uint param_5 = sq_1;
                        dis += table[((sq_1 - sq0) * 256u) + codeAt(param_4, param_5, p, v_72)];
                    }
                    if (sq1 < p.k)
                    {
                        _428.outKeys[(outRow * p.ldOut) + j] = as_type<uint>(dis);
                    }
                    else
                    {
                        if (p.metric == 1u)
                        {
                            float param_6 = dis;
                            _510 = toKey(param_6);
                        }
                        else
                        {
                            float param_7 = -dis;
                            _510 = toKey(param_7);
                        }
                        _428.outKeys[at] = _510;
                        _434.outIds[at] = int(start + j);
                    }
                }
                threadgroup_barrier(mem_flags::mem_threadgroup);
            }
        }
    }
}

