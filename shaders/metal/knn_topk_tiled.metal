#pragma clang diagnostic ignored "-Wmissing-prototypes"
#pragma clang diagnostic ignored "-Wmissing-braces"
#pragma clang diagnostic ignored "-Wunused-variable"

#include <metal_stdlib>
#include <simd/simd.h>
#include <metal_atomic>

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

struct DatabaseNorms
{
    float xn[1];
};

struct QueryNorms
{
    float qn[1];
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
uint stageRow(thread uint& gl_LocalInvocationIndex)
{
    return gl_LocalInvocationIndex >> uint(1);
}

static inline __attribute__((always_inline))
uint stageDim(thread uint& gl_LocalInvocationIndex)
{
    return (gl_LocalInvocationIndex & 1u) * 4u;
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_109)
{
    return v_109.x[(row * d) + col];
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread float4& a, thread float4& b, const device Database& v_109, thread uint& gl_LocalInvocationIndex, constant Params& p, const device Queries& v_179)
{
    uint row = stageRow(gl_LocalInvocationIndex);
    uint kq = k0 + stageDim(gl_LocalInvocationIndex);
    float _173;
    float _206;
    for (uint e = 0u; e < 4u; e++)
    {
        bool inDim = (kq + e) < p.d;
        bool _172;
        if (inDim)
        {
            _172 = (q0 + row) < p.nq;
        }
        else
        {
            _172 = inDim;
        }
        if (_172)
        {
            _173 = v_179.q[(((q0 + row) * p.d) + kq) + e];
        }
        else
        {
            _173 = 0.0;
        }
        a[e] = _173;
        bool _205;
        if (inDim)
        {
            _205 = (j0 + row) < jEnd;
        }
        else
        {
            _205 = inDim;
        }
        if (_205)
        {
            uint param = j0 + row;
            uint param_1 = kq + e;
            uint param_2 = p.d;
            _206 = xAt(param, param_1, param_2, v_109);
        }
        else
        {
            _206 = 0.0;
        }
        b[e] = _206;
    }
}

static inline __attribute__((always_inline))
void stage(thread const uint& buf, thread const float4& a, thread const float4& b, thread uint& gl_LocalInvocationIndex, threadgroup float4 (&qs)[2][8][33], threadgroup float4 (&xs)[2][8][33])
{
    uint row = stageRow(gl_LocalInvocationIndex);
    uint kq = stageDim(gl_LocalInvocationIndex);
    for (uint e = 0u; e < 4u; e++)
    {
        ((threadgroup float*)&qs[buf][kq + e][row >> uint(2)])[row & 3u] = a[e];
        ((threadgroup float*)&xs[buf][kq + e][row >> uint(2)])[row & 3u] = b[e];
    }
}

static inline __attribute__((always_inline))
uint cell(thread const uint& t, thread const uint& i)
{
    return (((i >> uint(2)) * 64u) + (t * 4u)) + (i & 3u);
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _79;
    if ((u & 2147483648u) != 0u)
    {
        _79 = ~u;
    }
    else
    {
        _79 = u | 2147483648u;
    }
    return _79;
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
void insert(thread const uint& key, thread const int& id, constant Params& p, thread spvUnsafeArray<uint, 32>& bestKey, thread spvUnsafeArray<int, 32>& bestId)
{
    uint last = p.k - 1u;
    uint param = key;
    int param_1 = id;
    uint param_2 = bestKey[last];
    int param_3 = bestId[last];
    if (!keyBefore(param, param_1, param_2, param_3))
    {
        return;
    }
    uint pos = last;
    for (;;)
    {
        bool _326 = pos > 0u;
        bool _344;
        if (_326)
        {
            uint param_4 = key;
            int param_5 = id;
            uint param_6 = bestKey[pos - 1u];
            int param_7 = bestId[pos - 1u];
            _344 = keyBefore(param_4, param_5, param_6, param_7);
        }
        else
        {
            _344 = _326;
        }
        if (_344)
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
    bestKey[pos] = key;
    bestId[pos] = id;
}

kernel void knn_topk_tiled(constant Params& p [[buffer(0)]], const device Queries& v_179 [[buffer(1)]], const device Database& v_109 [[buffer(2)]], const device DatabaseNorms& _781 [[buffer(3)]], const device QueryNorms& _823 [[buffer(4)]], device OutKeys& _1174 [[buffer(5)]], device OutIds& _1186 [[buffer(6)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
{
    threadgroup float4 qs[2][8][33];
    threadgroup float4 xs[2][8][33];
    threadgroup uint queueLen[128];
    threadgroup uint worstKey[128];
    threadgroup int worstId[128];
    threadgroup uint again[2];
    threadgroup uint queueKey[128][8];
    threadgroup int queueId[128][8];
    uint tid = gl_LocalInvocationIndex;
    uint q0 = gl_WorkGroupID.x * 128u;
    uint split = gl_WorkGroupID.y;
    uint tr = tid / 16u;
    uint tc = tid % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    uint stages = ((p.d + 8u) - 1u) / 8u;
    spvUnsafeArray<uint, 32> bestKey;
    spvUnsafeArray<int, 32> bestId;
    for (uint i = 0u; i < 32u; i++)
    {
        bestKey[i] = 4294967295u;
        bestId[i] = -1;
    }
    if (tid < 128u)
    {
        queueLen[tid] = 0u;
        worstKey[tid] = 4294967295u;
        worstId[tid] = -1;
    }
    if (tid < 2u)
    {
        again[tid] = 0u;
    }
    uint _round = 0u;
    uint buf = 0u;
    uint param = q0;
    uint param_1 = jStart;
    uint param_2 = jEnd;
    uint param_3 = 0u;
    float4 param_4;
    float4 param_5;
    fetch(param, param_1, param_2, param_3, param_4, param_5, v_109, gl_LocalInvocationIndex, p, v_179);
    float4 na = param_4;
    float4 nb = param_5;
    uint param_6 = 0u;
    float4 param_7 = na;
    float4 param_8 = nb;
    stage(param_6, param_7, param_8, gl_LocalInvocationIndex, qs, xs);
    threadgroup_barrier(mem_flags::mem_threadgroup);
    spvUnsafeArray<spvUnsafeArray<float4, 2>, 8> acc;
    uint _516;
    uint _534;
    float4 param_13;
    float4 param_14;
    spvUnsafeArray<float4, 2> xnv;
    float _775;
    float _817;
    uint _873;
    spvUnsafeArray<spvUnsafeArray<uint4, 2>, 8> keys;
    for (uint j0 = jStart; j0 < jEnd; j0 += 128u)
    {
        for (uint i_1 = 0u; i_1 < 8u; i_1++)
        {
            acc[i_1][0] = float4(0.0);
            acc[i_1][1] = float4(0.0);
        }
        for (uint s = 0u; s < stages; s++)
        {
            bool inBlock = (s + 1u) < stages;
            if (inBlock)
            {
                _516 = j0;
            }
            else
            {
                _516 = j0 + 128u;
            }
            uint nj = _516;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _534 = (s + 1u) * 8u;
                }
                else
                {
                    _534 = 0u;
                }
                uint param_9 = q0;
                uint param_10 = nj;
                uint param_11 = jEnd;
                uint param_12 = _534;
                fetch(param_9, param_10, param_11, param_12, param_13, param_14, v_109, gl_LocalInvocationIndex, p, v_179);
                na = param_13;
                nb = param_14;
            }
            for (uint kk = 0u; kk < 8u; kk++)
            {
                float4 a0 = qs[buf][kk][tr];
                float4 a1 = qs[buf][kk][16u + tr];
                float4 b0 = xs[buf][kk][tc];
                float4 b1 = xs[buf][kk][16u + tc];
                acc[0][0] += (b0 * a0.x);
                acc[0][1] += (b1 * a0.x);
                acc[1][0] += (b0 * a0.y);
                acc[1][1] += (b1 * a0.y);
                acc[2][0] += (b0 * a0.z);
                acc[2][1] += (b1 * a0.z);
                acc[3][0] += (b0 * a0.w);
                acc[3][1] += (b1 * a0.w);
                acc[4][0] += (b0 * a1.x);
                acc[4][1] += (b1 * a1.x);
                acc[5][0] += (b0 * a1.y);
                acc[5][1] += (b1 * a1.y);
                acc[6][0] += (b0 * a1.z);
                acc[6][1] += (b1 * a1.z);
                acc[7][0] += (b0 * a1.w);
                acc[7][1] += (b1 * a1.w);
            }
            if (next)
            {
                uint param_15 = buf ^ 1u;
                float4 param_16 = na;
                float4 param_17 = nb;
                stage(param_15, param_16, param_17, gl_LocalInvocationIndex, qs, xs);
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            buf ^= 1u;
        }
        for (uint h = 0u; h < 2u; h++)
        {
            for (uint c = 0u; c < 4u; c++)
            {
                uint param_18 = tc;
                uint param_19 = (h * 4u) + c;
                uint j = j0 + cell(param_18, param_19);
                if ((p.metric == 1u) && (j < jEnd))
                {
                    _775 = _781.xn[j];
                }
                else
                {
                    _775 = 0.0;
                }
                xnv[h][c] = _775;
            }
        }
        for (uint i_2 = 0u; i_2 < 8u; i_2++)
        {
            uint param_20 = tr;
            uint param_21 = i_2;
            bool inBatch = (q0 + cell(param_20, param_21)) < p.nq;
            if ((p.metric == 1u) && inBatch)
            {
                uint param_22 = tr;
                uint param_23 = i_2;
                _817 = _823.qn[q0 + cell(param_22, param_23)];
            }
            else
            {
                _817 = 0.0;
            }
            float qni = _817;
            for (uint h_1 = 0u; h_1 < 2u; h_1++)
            {
                for (uint c_1 = 0u; c_1 < 4u; c_1++)
                {
                    uint param_24 = tc;
                    uint param_25 = (h_1 * 4u) + c_1;
                    uint j_1 = j0 + cell(param_24, param_25);
                    uint key = 4294967295u;
                    if (inBatch && (j_1 < jEnd))
                    {
                        if (p.metric == 1u)
                        {
                            float param_26 = (qni + xnv[h_1][c_1]) - (2.0 * acc[i_2][h_1][c_1]);
                            _873 = max(toKey(param_26), 2147483648u);
                        }
                        else
                        {
                            float param_27 = -acc[i_2][h_1][c_1];
                            _873 = toKey(param_27);
                        }
                        key = _873;
                    }
                    keys[i_2][h_1][c_1] = key;
                }
            }
        }
        uint2 offered = uint2(0u);
        for (;;)
        {
            for (uint i_3 = 0u; i_3 < 8u; i_3++)
            {
                uint param_28 = tr;
                uint param_29 = i_3;
                uint r = cell(param_28, param_29);
                uint wk = worstKey[r];
                int wi = worstId[r];
                for (uint h_2 = 0u; h_2 < 2u; h_2++)
                {
                    for (uint c_2 = 0u; c_2 < 4u; c_2++)
                    {
                        uint bit = 1u << ((((i_3 & 3u) * 8u) + (h_2 * 4u)) + c_2);
                        uint key_1 = keys[i_3][h_2][c_2];
                        uint param_30 = tc;
                        uint param_31 = (h_2 * 4u) + c_2;
                        int id = p.idBase + int(j0 + cell(param_30, param_31));
                        bool _1006 = ((offered[i_3 >> uint(2)] & bit) == 0u) && (key_1 != 4294967295u);
                        bool _1018;
                        if (_1006)
                        {
                            uint param_32 = key_1;
                            int param_33 = id;
                            uint param_34 = wk;
                            int param_35 = wi;
                            _1018 = keyBefore(param_32, param_33, param_34, param_35);
                        }
                        else
                        {
                            _1018 = _1006;
                        }
                        if (_1018)
                        {
                            uint _1024 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&queueLen[r], 1u, memory_order_relaxed);
                            uint slot = _1024;
                            if (slot < 8u)
                            {
                                queueKey[r][slot] = key_1;
                                queueId[r][slot] = id;
                                uint _1046 = i_3 >> uint(2);
                                offered[_1046] |= bit;
                            }
                        }
                    }
                }
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            if (tid < 128u)
            {
                uint n = queueLen[tid];
                for (uint s_1 = 0u; s_1 < min(n, 8u); s_1++)
                {
                    uint param_36 = queueKey[tid][s_1];
                    int param_37 = queueId[tid][s_1];
                    insert(param_36, param_37, p, bestKey, bestId);
                }
                worstKey[tid] = bestKey[p.k - 1u];
                worstId[tid] = bestId[p.k - 1u];
                queueLen[tid] = 0u;
                if (n > 8u)
                {
                    again[_round & 1u] = 1u;
                }
                if (tid == 0u)
                {
                    again[(_round + 1u) & 1u] = 0u;
                }
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            bool more = again[_round & 1u] != 0u;
            _round++;
            if (!more)
            {
                break;
            }
            continue;
        }
    }
    bool _1136 = tid < 128u;
    bool _1145;
    if (_1136)
    {
        _1145 = (q0 + tid) < p.nq;
    }
    else
    {
        _1145 = _1136;
    }
    if (_1145)
    {
        uint base = (((q0 + tid) * gl_NumWorkGroups.y) + split) * p.k;
        for (uint i_4 = 0u; i_4 < p.k; i_4++)
        {
            _1174.outKeys[base + i_4] = bestKey[i_4];
            _1186.outIds[base + i_4] = bestId[i_4];
        }
    }
}

