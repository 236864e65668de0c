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
    float4 x[1];
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

struct Bounds
{
    uint bounds[1];
};

struct QueryNorms
{
    float qn[1];
};

struct DatabaseNorms
{
    float xn[1];
};

struct Counts
{
    uint counts[1];
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
uint cell(thread const uint& t, thread const uint& i)
{
    return (((i >> uint(2)) * 64u) + (t * 4u)) + (i & 3u);
}

static inline __attribute__((always_inline))
float fromKey(thread const uint& key)
{
    if (key == 4294967295u)
    {
        return as_type<float>(2139095040u);
    }
    uint _457;
    if ((key & 2147483648u) != 0u)
    {
        _457 = key & 2147483647u;
    }
    else
    {
        _457 = ~key;
    }
    return as_type<float>(_457);
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _86;
    if ((u & 2147483648u) != 0u)
    {
        _86 = ~u;
    }
    else
    {
        _86 = u | 2147483648u;
    }
    return _86;
}

static inline __attribute__((always_inline))
uint bound(thread const uint& row, constant Params& p, const device Bounds& v_473)
{
    uint b = v_473.bounds[((row * p.k) + p.k) - 1u];
    if (b == 4294967295u)
    {
        return 4294967295u;
    }
    uint param = b;
    float v = fromKey(param);
    v += ((abs(v) * 1.52587890625e-05) + 1.0000000031710768509710513471353e-30);
    uint _508;
    if (p.metric == 1u)
    {
        float param_1 = v;
        _508 = max(toKey(param_1), 2147483648u);
    }
    else
    {
        float param_2 = v;
        _508 = toKey(param_2);
    }
    uint key = _508;
    return max(key, b);
}

static inline __attribute__((always_inline))
float qAt(thread const uint& row, thread const uint& col, constant Params& p, const device Queries& v_145)
{
    uint i = (row * p.d) + col;
    return ((device float*)&v_145.q[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
float4 xAt4(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_106)
{
    return v_106.x[((row * d) + col) >> uint(2)];
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_106)
{
    uint i = (row * d) + col;
    return ((device float*)&v_106.x[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread spvUnsafeArray<float4, 1>& a, thread float4& b, const device Database& v_106, constant Params& p, const device Queries& v_145, thread uint& gl_LocalInvocationIndex)
{
    uint t = gl_LocalInvocationIndex;
    uint kq = k0 + ((t & 1u) << uint(2));
    bool whole = (p.d & 3u) == 0u;
    float4 _203;
    float _249;
    for (uint v = 0u; v < 1u; v++)
    {
        uint row = (t + (v * 256u)) >> uint(1);
        if (whole)
        {
            bool _193 = kq < p.d;
            bool _202;
            if (_193)
            {
                _202 = (q0 + row) < p.nq;
            }
            else
            {
                _202 = _193;
            }
            if (_202)
            {
                _203 = v_145.q[(((q0 + row) * p.d) + kq) >> uint(2)];
            }
            else
            {
                _203 = float4(0.0);
            }
            a[v] = _203;
        }
        else
        {
            for (uint e = 0u; e < 4u; e++)
            {
                bool _239 = (kq + e) < p.d;
                bool _248;
                if (_239)
                {
                    _248 = (q0 + row) < p.nq;
                }
                else
                {
                    _248 = _239;
                }
                if (_248)
                {
                    uint param = q0 + row;
                    uint param_1 = kq + e;
                    _249 = qAt(param, param_1, p, v_145);
                }
                else
                {
                    _249 = 0.0;
                }
                a[v][e] = _249;
            }
        }
    }
    uint row_1 = t >> uint(1);
    if (whole)
    {
        bool _277 = kq < p.d;
        bool _285;
        if (_277)
        {
            _285 = (j0 + row_1) < jEnd;
        }
        else
        {
            _285 = _277;
        }
        float4 _286;
        if (_285)
        {
            uint param_2 = j0 + row_1;
            uint param_3 = kq;
            uint param_4 = p.d;
            _286 = xAt4(param_2, param_3, param_4, v_106);
        }
        else
        {
            _286 = float4(0.0);
        }
        b = _286;
    }
    else
    {
        float _325;
        for (uint e_1 = 0u; e_1 < 4u; e_1++)
        {
            bool _316 = (kq + e_1) < p.d;
            bool _324;
            if (_316)
            {
                _324 = (j0 + row_1) < jEnd;
            }
            else
            {
                _324 = _316;
            }
            if (_324)
            {
                uint param_5 = j0 + row_1;
                uint param_6 = kq + e_1;
                uint param_7 = p.d;
                _325 = xAt(param_5, param_6, param_7, v_106);
            }
            else
            {
                _325 = 0.0;
            }
            b[e_1] = _325;
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
uint cellX(thread const uint& t, thread const uint& i)
{
    return (((i >> uint(2)) * 64u) + (t * 4u)) + (i & 3u);
}

kernel void knn_filter_tiled(constant Params& p [[buffer(0)]], const device Queries& v_145 [[buffer(1)]], const device Database& v_106 [[buffer(2)]], const device DatabaseNorms& _978 [[buffer(3)]], const device QueryNorms& _921 [[buffer(4)]], device OutKeys& _1095 [[buffer(5)]], device OutIds& _1107 [[buffer(6)]], const device Bounds& v_473 [[buffer(7)]], device Counts& _1082 [[buffer(8)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]])
{
    threadgroup float4 qs[2][8][33];
    threadgroup float4 xs[2][8][33];
    uint tid = gl_LocalInvocationIndex;
    uint q0 = gl_WorkGroupID.x * 128u;
    uint split = gl_WorkGroupID.y;
    uint tr = tid / 16u;
    uint tc = tid % 16u;
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, (jStart + p.span));
    uint stages = ((p.d + 8u) - 1u) / 8u;
    spvUnsafeArray<uint, 8> limit;
    uint _589;
    for (uint i = 0u; i < 8u; i++)
    {
        uint param = tr;
        uint param_1 = i;
        uint r = q0 + cell(param, param_1);
        if (r < p.nq)
        {
            uint param_2 = r;
            _589 = bound(param_2, p, v_473);
        }
        else
        {
            _589 = 0u;
        }
        limit[i] = _589;
    }
    uint buf = 0u;
    uint param_3 = q0;
    uint param_4 = jStart;
    uint param_5 = jEnd;
    uint param_6 = 0u;
    spvUnsafeArray<float4, 1> param_7;
    float4 param_8;
    fetch(param_3, param_4, param_5, param_6, param_7, param_8, v_106, p, v_145, gl_LocalInvocationIndex);
    spvUnsafeArray<float4, 1> na;
    na = param_7;
    float4 nb = param_8;
    uint param_9 = 0u;
    spvUnsafeArray<float4, 1> param_10;
    param_10 = na;
    float4 param_11 = nb;
    stage(param_9, param_10, param_11, gl_LocalInvocationIndex, qs, xs);
    threadgroup_barrier(mem_flags::mem_threadgroup);
    spvUnsafeArray<spvUnsafeArray<float4, 2>, 8> acc;
    uint _666;
    uint _684;
    spvUnsafeArray<float4, 1> param_16;
    float4 param_17;
    float _915;
    float _972;
    float _990;
    uint _1036;
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
                _666 = j0;
            }
            else
            {
                _666 = j0 + 128u;
            }
            uint nj = _666;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _684 = (s + 1u) * 8u;
                }
                else
                {
                    _684 = 0u;
                }
                uint param_12 = q0;
                uint param_13 = nj;
                uint param_14 = jEnd;
                uint param_15 = _684;
                fetch(param_12, param_13, param_14, param_15, param_16, param_17, v_106, p, v_145, gl_LocalInvocationIndex);
                na = param_16;
                nb = param_17;
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
                uint param_18 = buf ^ 1u;
                spvUnsafeArray<float4, 1> param_19;
                param_19 = na;
                float4 param_20 = nb;
                stage(param_18, param_19, param_20, gl_LocalInvocationIndex, qs, xs);
            }
            threadgroup_barrier(mem_flags::mem_threadgroup);
            buf ^= 1u;
        }
        uint2 outside = uint2(0u);
        for (uint i_2 = 0u; i_2 < 8u; i_2++)
        {
            uint param_21 = tr;
            uint param_22 = i_2;
            bool inBatch = (q0 + cell(param_21, param_22)) < p.nq;
            if ((p.metric == 1u) && inBatch)
            {
                uint param_23 = tr;
                uint param_24 = i_2;
                _915 = _921.qn[q0 + cell(param_23, param_24)];
            }
            else
            {
                _915 = 0.0;
            }
            float qni = _915;
            for (uint h = 0u; h < 2u; h++)
            {
                for (uint c = 0u; c < 4u; c++)
                {
                    uint param_25 = tc;
                    uint param_26 = (h * 4u) + c;
                    uint j = j0 + cellX(param_25, param_26);
                    bool inside = inBatch && (j < jEnd);
                    if ((p.metric == 1u) && inside)
                    {
                        _972 = _978.xn[j];
                    }
                    else
                    {
                        _972 = 0.0;
                    }
                    float xnj = _972;
                    if (p.metric == 1u)
                    {
                        _990 = (qni + xnj) - (2.0 * acc[i_2][h][c]);
                    }
                    else
                    {
                        _990 = -acc[i_2][h][c];
                    }
                    acc[i_2][h][c] = _990;
                    if (!inside)
                    {
                        uint _1018 = i_2 >> uint(2);
                        outside[_1018] |= (1u << ((((i_2 & 3u) * 8u) + (h * 4u)) + c));
                    }
                    if (p.metric == 1u)
                    {
                        float param_27 = acc[i_2][h][c];
                        _1036 = max(toKey(param_27), 2147483648u);
                    }
                    else
                    {
                        float param_28 = acc[i_2][h][c];
                        _1036 = toKey(param_28);
                    }
                    uint key = _1036;
                    bool _1064;
                    if (inside)
                    {
                        _1064 = key <= limit[i_2];
                    }
                    else
                    {
                        _1064 = inside;
                    }
                    if (_1064 && (key != 4294967295u))
                    {
                        uint param_29 = tr;
                        uint param_30 = i_2;
                        uint r_1 = q0 + cell(param_29, param_30);
                        uint _1085 = atomic_fetch_add_explicit((device atomic_uint*)&_1082.counts[r_1], 1u, memory_order_relaxed);
                        uint slot = _1085;
                        if (slot < p.ldOut)
                        {
                            _1095.outKeys[(r_1 * p.ldOut) + slot] = key;
                            _1107.outIds[(r_1 * p.ldOut) + slot] = p.idBase + int(j);
                        }
                    }
                }
            }
        }
    }
}

