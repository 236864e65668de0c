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
    uint _501;
    if ((key & 2147483648u) != 0u)
    {
        _501 = key & 2147483647u;
    }
    else
    {
        _501 = ~key;
    }
    return as_type<float>(_501);
}

static inline __attribute__((always_inline))
uint toKey(thread const float& v)
{
    uint u = as_type<uint>(v);
    if ((u & 2147483647u) > 2139095040u)
    {
        return 4294967295u;
    }
    uint _89;
    if ((u & 2147483648u) != 0u)
    {
        _89 = ~u;
    }
    else
    {
        _89 = u | 2147483648u;
    }
    return _89;
}

static inline __attribute__((always_inline))
uint bound(thread const uint& row, constant Params& p, const device Bounds& v_517)
{
    uint b = v_517.bounds[((row * p.k) + p.k) - 1u];
    if (b == 4294967295u)
    {
        return 4294967295u;
    }
    uint param = b;
    float v = fromKey(param);
    v += ((abs(v) * 1.52587890625e-05) + 1.0000000031710768509710513471353e-30);
    uint _551;
    if (p.metric == 1u)
    {
        float param_1 = v;
        _551 = max(toKey(param_1), 2147483648u);
    }
    else
    {
        float param_2 = v;
        _551 = toKey(param_2);
    }
    uint key = _551;
    return max(key, b);
}

static inline __attribute__((always_inline))
float qAt(thread const uint& row, thread const uint& col, constant Params& p, const device Queries& v_187)
{
    uint i = (row * p.d) + col;
    return ((device float*)&v_187.q[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
float4 xAt4(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_121)
{
    uint2 w = v_121.xh[((row * d) + col) >> uint(2)];
    return float4(float2(as_type<half2>(w.x)), float2(as_type<half2>(w.y)));
}

static inline __attribute__((always_inline))
uint rowStride(thread const uint& d)
{
    return (d + 1u) & 4294967294u;
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_121)
{
    uint param = d;
    uint i = (row * rowStride(param)) + col;
    float2 v = float2(as_type<half2>(((device uint*)&v_121.xh[i >> uint(2)])[(i >> uint(1)) & 1u]));
    float _138;
    if ((i & 1u) == 0u)
    {
        _138 = v.x;
    }
    else
    {
        _138 = v.y;
    }
    return _138;
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread spvUnsafeArray<float4, 1>& a, thread float4& b, const device Database& v_121, constant Params& p, const device Queries& v_187, thread uint& gl_LocalInvocationIndex)
{
    uint t = gl_LocalInvocationIndex;
    uint kq = k0 + ((t & 1u) << uint(2));
    bool whole = (p.d & 3u) == 0u;
    float4 _246;
    float _293;
    for (uint v = 0u; v < 1u; v++)
    {
        uint row = (t + (v * 256u)) >> uint(1);
        if (whole)
        {
            bool _236 = kq < p.d;
            bool _245;
            if (_236)
            {
                _245 = (q0 + row) < p.nq;
            }
            else
            {
                _245 = _236;
            }
            if (_245)
            {
                _246 = v_187.q[(((q0 + row) * p.d) + kq) >> uint(2)];
            }
            else
            {
                _246 = float4(0.0);
            }
            a[v] = _246;
        }
        else
        {
            for (uint e = 0u; e < 4u; e++)
            {
                bool _283 = (kq + e) < p.d;
                bool _292;
                if (_283)
                {
                    _292 = (q0 + row) < p.nq;
                }
                else
                {
                    _292 = _283;
                }
                if (_292)
                {
                    uint param = q0 + row;
                    uint param_1 = kq + e;
                    _293 = qAt(param, param_1, p, v_187);
                }
                else
                {
                    _293 = 0.0;
                }
                a[v][e] = _293;
            }
        }
    }
    uint row_1 = t >> uint(1);
    if (whole)
    {
        bool _321 = kq < p.d;
        bool _329;
        if (_321)
        {
            _329 = (j0 + row_1) < jEnd;
        }
        else
        {
            _329 = _321;
        }
        float4 _330;
        if (_329)
        {
            uint param_2 = j0 + row_1;
            uint param_3 = kq;
            uint param_4 = p.d;
            _330 = xAt4(param_2, param_3, param_4, v_121);
        }
        else
        {
            _330 = float4(0.0);
        }
        b = _330;
    }
    else
    {
        float _369;
        for (uint e_1 = 0u; e_1 < 4u; e_1++)
        {
            bool _360 = (kq + e_1) < p.d;
            bool _368;
            if (_360)
            {
                _368 = (j0 + row_1) < jEnd;
            }
            else
            {
                _368 = _360;
            }
            if (_368)
            {
                uint param_5 = j0 + row_1;
                uint param_6 = kq + e_1;
                uint param_7 = p.d;
                _369 = xAt(param_5, param_6, param_7, v_121);
            }
            else
            {
                _369 = 0.0;
            }
            b[e_1] = _369;
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

kernel void knn_filter_tiled_f16(constant Params& p [[buffer(0)]], const device Queries& v_187 [[buffer(1)]], const device Database& v_121 [[buffer(2)]], const device DatabaseNorms& _1019 [[buffer(3)]], const device QueryNorms& _962 [[buffer(4)]], device OutKeys& _1136 [[buffer(5)]], device OutIds& _1148 [[buffer(6)]], const device Bounds& v_517 [[buffer(7)]], device Counts& _1123 [[buffer(8)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]])
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
    uint _632;
    for (uint i = 0u; i < 8u; i++)
    {
        uint param = tr;
        uint param_1 = i;
        uint r = q0 + cell(param, param_1);
        if (r < p.nq)
        {
            uint param_2 = r;
            _632 = bound(param_2, p, v_517);
        }
        else
        {
            _632 = 0u;
        }
        limit[i] = _632;
    }
    uint buf = 0u;
    uint param_3 = q0;
    uint param_4 = jStart;
    uint param_5 = jEnd;
    uint param_6 = 0u;
    spvUnsafeArray<float4, 1> param_7;
    float4 param_8;
    fetch(param_3, param_4, param_5, param_6, param_7, param_8, v_121, p, v_187, gl_LocalInvocationIndex);
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
    uint _709;
    uint _727;
    spvUnsafeArray<float4, 1> param_16;
    float4 param_17;
    float _956;
    float _1013;
    float _1031;
    uint _1077;
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
                _709 = j0;
            }
            else
            {
                _709 = j0 + 128u;
            }
            uint nj = _709;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _727 = (s + 1u) * 8u;
                }
                else
                {
                    _727 = 0u;
                }
                uint param_12 = q0;
                uint param_13 = nj;
                uint param_14 = jEnd;
                uint param_15 = _727;
                fetch(param_12, param_13, param_14, param_15, param_16, param_17, v_121, p, v_187, gl_LocalInvocationIndex);
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
                _956 = _962.qn[q0 + cell(param_23, param_24)];
            }
            else
            {
                _956 = 0.0;
            }
            float qni = _956;
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
                        _1013 = _1019.xn[j];
                    }
                    else
                    {
                        _1013 = 0.0;
                    }
                    float xnj = _1013;
                    if (p.metric == 1u)
                    {
                        _1031 = (qni + xnj) - (2.0 * acc[i_2][h][c]);
                    }
                    else
                    {
                        _1031 = -acc[i_2][h][c];
                    }
                    acc[i_2][h][c] = _1031;
                    if (!inside)
                    {
                        uint _1059 = i_2 >> uint(2);
                        outside[_1059] |= (1u << ((((i_2 & 3u) * 8u) + (h * 4u)) + c));
                    }
                    if (p.metric == 1u)
                    {
                        float param_27 = acc[i_2][h][c];
                        _1077 = max(toKey(param_27), 2147483648u);
                    }
                    else
                    {
                        float param_28 = acc[i_2][h][c];
                        _1077 = toKey(param_28);
                    }
                    uint key = _1077;
                    bool _1105;
                    if (inside)
                    {
                        _1105 = key <= limit[i_2];
                    }
                    else
                    {
                        _1105 = inside;
                    }
                    if (_1105 && (key != 4294967295u))
                    {
                        uint param_29 = tr;
                        uint param_30 = i_2;
                        uint r_1 = q0 + cell(param_29, param_30);
                        uint _1126 = atomic_fetch_add_explicit((device atomic_uint*)&_1123.counts[r_1], 1u, memory_order_relaxed);
                        uint slot = _1126;
                        if (slot < p.ldOut)
                        {
                            _1136.outKeys[(r_1 * p.ldOut) + slot] = key;
                            _1148.outIds[(r_1 * p.ldOut) + slot] = p.idBase + int(j);
                        }
                    }
                }
            }
        }
    }
}

