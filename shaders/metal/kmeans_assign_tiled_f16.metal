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
    uint2 xh[1];
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
    float4 q[1];
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

static inline __attribute__((always_inline))
float qAt(thread const uint& row, thread const uint& col, constant Params& p, const device Queries& v_213)
{
    uint i = (row * p.d) + col;
    return ((device float*)&v_213.q[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
float4 xAt4(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_148)
{
    uint2 w = v_148.xh[((row * d) + col) >> uint(2)];
    return float4(float2(as_type<half2>(w.x)), float2(as_type<half2>(w.y)));
}

static inline __attribute__((always_inline))
uint rowStride(thread const uint& d)
{
    return (d + 1u) & 4294967294u;
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_148)
{
    uint param = d;
    uint i = (row * rowStride(param)) + col;
    float2 v = float2(as_type<half2>(((device uint*)&v_148.xh[i >> uint(2)])[(i >> uint(1)) & 1u]));
    float _164;
    if ((i & 1u) == 0u)
    {
        _164 = v.x;
    }
    else
    {
        _164 = v.y;
    }
    return _164;
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread spvUnsafeArray<float4, 1>& a, thread float4& b, const device Database& v_148, constant Params& p, const device Queries& v_213, thread uint& gl_LocalInvocationIndex)
{
    uint t = gl_LocalInvocationIndex;
    uint kq = k0 + ((t & 1u) << uint(2));
    bool whole = (p.d & 3u) == 0u;
    float4 _272;
    float _319;
    for (uint v = 0u; v < 1u; v++)
    {
        uint row = (t + (v * 256u)) >> uint(1);
        if (whole)
        {
            bool _262 = kq < p.d;
            bool _271;
            if (_262)
            {
                _271 = (q0 + row) < p.nq;
            }
            else
            {
                _271 = _262;
            }
            if (_271)
            {
                _272 = v_213.q[(((q0 + row) * p.d) + kq) >> uint(2)];
            }
            else
            {
                _272 = float4(0.0);
            }
            a[v] = _272;
        }
        else
        {
            for (uint e = 0u; e < 4u; e++)
            {
                bool _309 = (kq + e) < p.d;
                bool _318;
                if (_309)
                {
                    _318 = (q0 + row) < p.nq;
                }
                else
                {
                    _318 = _309;
                }
                if (_318)
                {
                    uint param = q0 + row;
                    uint param_1 = kq + e;
                    _319 = qAt(param, param_1, p, v_213);
                }
                else
                {
                    _319 = 0.0;
                }
                a[v][e] = _319;
            }
        }
    }
    uint row_1 = t >> uint(1);
    if (whole)
    {
        bool _347 = kq < p.d;
        bool _355;
        if (_347)
        {
            _355 = (j0 + row_1) < jEnd;
        }
        else
        {
            _355 = _347;
        }
        float4 _356;
        if (_355)
        {
            uint param_2 = j0 + row_1;
            uint param_3 = kq;
            uint param_4 = p.d;
            _356 = xAt4(param_2, param_3, param_4, v_148);
        }
        else
        {
            _356 = float4(0.0);
        }
        b = _356;
    }
    else
    {
        float _395;
        for (uint e_1 = 0u; e_1 < 4u; e_1++)
        {
            bool _386 = (kq + e_1) < p.d;
            bool _394;
            if (_386)
            {
                _394 = (j0 + row_1) < jEnd;
            }
            else
            {
                _394 = _386;
            }
            if (_394)
            {
                uint param_5 = j0 + row_1;
                uint param_6 = kq + e_1;
                uint param_7 = p.d;
                _395 = xAt(param_5, param_6, param_7, v_148);
            }
            else
            {
                _395 = 0.0;
            }
            b[e_1] = _395;
        }
    }
}

static inline __attribute__((always_inline))
void stage(thread const uint& buf, thread const spvUnsafeArray<float4, 1>& a, thread const float4& b, thread uint& gl_LocalInvocationIndex, threadgroup float4 (&qs)[2][8][33], threadgroup float4 (&xs)[2][8][33])
{
    uint t = gl_LocalInvocationIndex;
    uint kq = (t & 1u) << uint(2);
    for (uint v = 0u; v < 1u; v++)
    {
        uint row = (t + (v * 256u)) >> uint(1);
        for (uint e = 0u; e < 4u; e++)
        {
            ((threadgroup float*)&qs[buf][kq + e][row >> uint(2)])[row & 3u] = a[v][e];
        }
    }
    uint row_1 = t >> uint(1);
    for (uint e_1 = 0u; e_1 < 4u; e_1++)
    {
        ((threadgroup float*)&xs[buf][kq + e_1][row_1 >> uint(2)])[row_1 & 3u] = b[e_1];
    }
}

static inline __attribute__((always_inline))
uint cell(thread const uint& t, thread const uint& i)
{
    return (((i >> uint(2)) * 64u) + (t * 4u)) + (i & 3u);
}

static inline __attribute__((always_inline))
uint cellX(thread const uint& t, thread const uint& i)
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
    uint _100;
    if ((u & 2147483648u) != 0u)
    {
        _100 = ~u;
    }
    else
    {
        _100 = u | 2147483648u;
    }
    return _100;
}

static inline __attribute__((always_inline))
float fromKey(thread const uint& key)
{
    if (key == 4294967295u)
    {
        return as_type<float>(2139095040u);
    }
    uint _527;
    if ((key & 2147483648u) != 0u)
    {
        _527 = key & 2147483647u;
    }
    else
    {
        _527 = ~key;
    }
    return as_type<float>(_527);
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
void insert(thread const uint& key, thread const int& id, constant Params& p, thread spvUnsafeArray<uint, 1>& bestKey, thread spvUnsafeArray<int, 1>& bestId)
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
        bool _577 = pos > 0u;
        bool _595;
        if (_577)
        {
            uint param_4 = key;
            int param_5 = id;
            uint param_6 = bestKey[pos - 1u];
            int param_7 = bestId[pos - 1u];
            _595 = keyBefore(param_4, param_5, param_6, param_7);
        }
        else
        {
            _595 = _577;
        }
        if (_595)
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

kernel void kmeans_assign_tiled_f16(constant Params& p [[buffer(0)]], const device Queries& v_213 [[buffer(1)]], const device Database& v_148 [[buffer(2)]], const device DatabaseNorms& _1077 [[buffer(3)]], const device QueryNorms& _1020 [[buffer(4)]], device OutKeys& _1519 [[buffer(5)]], device OutIds& _1530 [[buffer(6)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]], uint3 gl_NumWorkGroups [[threadgroups_per_grid]])
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
    spvUnsafeArray<uint, 1> bestKey;
    spvUnsafeArray<int, 1> bestId;
    for (uint i = 0u; i < 1u; i++)
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
    spvUnsafeArray<float4, 1> param_4;
    float4 param_5;
    fetch(param, param_1, param_2, param_3, param_4, param_5, v_148, p, v_213, gl_LocalInvocationIndex);
    spvUnsafeArray<float4, 1> na;
    na = param_4;
    float4 nb = param_5;
    uint param_6 = 0u;
    spvUnsafeArray<float4, 1> param_7;
    param_7 = na;
    float4 param_8 = nb;
    stage(param_6, param_7, param_8, gl_LocalInvocationIndex, qs, xs);
    threadgroup_barrier(mem_flags::mem_threadgroup);
    spvUnsafeArray<spvUnsafeArray<float4, 2>, 8> acc;
    uint _766;
    uint _784;
    spvUnsafeArray<float4, 1> param_13;
    float4 param_14;
    float _1014;
    float _1071;
    float _1089;
    uint _1178;
    uint _1185;
    uint _1322;
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
                _766 = j0;
            }
            else
            {
                _766 = j0 + 128u;
            }
            uint nj = _766;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _784 = (s + 1u) * 8u;
                }
                else
                {
                    _784 = 0u;
                }
                uint param_9 = q0;
                uint param_10 = nj;
                uint param_11 = jEnd;
                uint param_12 = _784;
                fetch(param_9, param_10, param_11, param_12, param_13, param_14, v_148, p, v_213, gl_LocalInvocationIndex);
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
                spvUnsafeArray<float4, 1> param_16;
                param_16 = na;
                float4 param_17 = nb;
                stage(param_15, param_16, param_17, gl_LocalInvocationIndex, qs, xs);
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            buf ^= 1u;
        }
        uint2 outside = uint2(0u);
        for (uint i_2 = 0u; i_2 < 8u; i_2++)
        {
            uint param_18 = tr;
            uint param_19 = i_2;
            bool inBatch = (q0 + cell(param_18, param_19)) < p.nq;
            if ((p.metric == 1u) && inBatch)
            {
                uint param_20 = tr;
                uint param_21 = i_2;
                _1014 = _1020.qn[q0 + cell(param_20, param_21)];
            }
            else
            {
                _1014 = 0.0;
            }
            float qni = _1014;
            for (uint h = 0u; h < 2u; h++)
            {
                for (uint c = 0u; c < 4u; c++)
                {
                    uint param_22 = tc;
                    uint param_23 = (h * 4u) + c;
                    uint j = j0 + cellX(param_22, param_23);
                    bool inside = inBatch && (j < jEnd);
                    if ((p.metric == 1u) && inside)
                    {
                        _1071 = _1077.xn[j];
                    }
                    else
                    {
                        _1071 = 0.0;
                    }
                    float xnj = _1071;
                    if (p.metric == 1u)
                    {
                        _1089 = (qni + xnj) - (2.0 * acc[i_2][h][c]);
                    }
                    else
                    {
                        _1089 = -acc[i_2][h][c];
                    }
                    acc[i_2][h][c] = _1089;
                    if (!inside)
                    {
                        uint _1117 = i_2 >> uint(2);
                        outside[_1117] |= (1u << ((((i_2 & 3u) * 8u) + (h * 4u)) + c));
                    }
                }
            }
        }
        for (uint i_3 = 0u; i_3 < 8u; i_3++)
        {
            uint bk = 4294967295u;
            uint bc = 0u;
            for (uint c_1 = 0u; c_1 < 8u; c_1++)
            {
                uint bit = 1u << (((i_3 & 3u) * 8u) + c_1);
                float v = acc[i_3][c_1 >> uint(2)][c_1 & 3u];
                if ((outside[i_3 >> uint(2)] & bit) != 0u)
                {
                    _1178 = 4294967295u;
                }
                else
                {
                    if (p.metric == 1u)
                    {
                        float param_24 = v;
                        _1185 = max(toKey(param_24), 2147483648u);
                    }
                    else
                    {
                        float param_25 = v;
                        _1185 = toKey(param_25);
                    }
                    _1178 = _1185;
                }
                uint key = _1178;
                if (key < bk)
                {
                    bk = key;
                    bc = c_1;
                }
            }
            for (uint c_2 = 0u; c_2 < 8u; c_2++)
            {
                if (c_2 != bc)
                {
                    uint _1221 = i_3 >> uint(2);
                    outside[_1221] |= (1u << (((i_3 & 3u) * 8u) + c_2));
                }
            }
        }
        uint2 offered = outside;
        for (;;)
        {
            for (uint i_4 = 0u; i_4 < 8u; i_4++)
            {
                uint param_26 = tr;
                uint param_27 = i_4;
                uint r = cell(param_26, param_27);
                uint wk = worstKey[r];
                int wi = worstId[r];
                uint param_28 = wk;
                float wd = fromKey(param_28);
                for (uint h_1 = 0u; h_1 < 2u; h_1++)
                {
                    for (uint c_3 = 0u; c_3 < 4u; c_3++)
                    {
                        uint bit_1 = 1u << ((((i_4 & 3u) * 8u) + (h_1 * 4u)) + c_3);
                        float v_1 = acc[i_4][h_1][c_3];
                        bool _1306 = (offered[i_4 >> uint(2)] & bit_1) != 0u;
                        bool _1314;
                        if (!_1306)
                        {
                            _1314 = !(v_1 <= wd);
                        }
                        else
                        {
                            _1314 = _1306;
                        }
                        if (_1314)
                        {
                            continue;
                        }
                        if (p.metric == 1u)
                        {
                            float param_29 = v_1;
                            _1322 = max(toKey(param_29), 2147483648u);
                        }
                        else
                        {
                            float param_30 = v_1;
                            _1322 = toKey(param_30);
                        }
                        uint key_1 = _1322;
                        uint param_31 = tc;
                        uint param_32 = (h_1 * 4u) + c_3;
                        int id = p.idBase + int(j0 + cellX(param_31, param_32));
                        bool _1351 = key_1 != 4294967295u;
                        bool _1363;
                        if (_1351)
                        {
                            uint param_33 = key_1;
                            int param_34 = id;
                            uint param_35 = wk;
                            int param_36 = wi;
                            _1363 = keyBefore(param_33, param_34, param_35, param_36);
                        }
                        else
                        {
                            _1363 = _1351;
                        }
                        if (_1363)
                        {
                            uint _1369 = atomic_fetch_add_explicit((threadgroup atomic_uint*)&queueLen[r], 1u, memory_order_relaxed);
                            uint slot = _1369;
                            if (slot < 8u)
                            {
                                queueKey[r][slot] = key_1;
                                queueId[r][slot] = id;
                                uint _1391 = i_4 >> uint(2);
                                offered[_1391] |= bit_1;
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
                    uint param_37 = queueKey[tid][s_1];
                    int param_38 = queueId[tid][s_1];
                    insert(param_37, param_38, p, bestKey, bestId);
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
    bool _1481 = tid < 128u;
    bool _1490;
    if (_1481)
    {
        _1490 = (q0 + tid) < p.nq;
    }
    else
    {
        _1490 = _1481;
    }
    if (_1490)
    {
        uint base = (((q0 + tid) * gl_NumWorkGroups.y) + split) * p.k;
        for (uint i_5 = 0u; i_5 < p.k; i_5++)
        {
            _1519.outKeys[base + i_5] = bestKey[i_5];
            _1530.outIds[base + i_5] = bestId[i_5];
        }
    }
}

