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

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

struct OutIds
{
    int outIds[1];
};

static inline __attribute__((always_inline))
float qAt(thread const uint& row, thread const uint& col, constant Params& p, const device Queries& v_180)
{
    uint i = (row * p.d) + col;
    return ((device float*)&v_180.q[i >> uint(2)])[i & 3u];
}

static inline __attribute__((always_inline))
float4 xAt4(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_114)
{
    uint2 w = v_114.xh[((row * d) + col) >> uint(2)];
    return float4(float2(as_type<half2>(w.x)), float2(as_type<half2>(w.y)));
}

static inline __attribute__((always_inline))
uint rowStride(thread const uint& d)
{
    return (d + 1u) & 4294967294u;
}

static inline __attribute__((always_inline))
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_114)
{
    uint param = d;
    uint i = (row * rowStride(param)) + col;
    float2 v = float2(as_type<half2>(((device uint*)&v_114.xh[i >> uint(2)])[(i >> uint(1)) & 1u]));
    float _131;
    if ((i & 1u) == 0u)
    {
        _131 = v.x;
    }
    else
    {
        _131 = v.y;
    }
    return _131;
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread spvUnsafeArray<float4, 1>& a, thread float4& b, const device Database& v_114, constant Params& p, const device Queries& v_180, thread uint& gl_LocalInvocationIndex)
{
    uint t = gl_LocalInvocationIndex;
    uint kq = k0 + ((t & 1u) << uint(2));
    bool whole = (p.d & 3u) == 0u;
    float4 _239;
    float _286;
    for (uint v = 0u; v < 1u; v++)
    {
        uint row = (t + (v * 256u)) >> uint(1);
        if (whole)
        {
            bool _229 = kq < p.d;
            bool _238;
            if (_229)
            {
                _238 = (q0 + row) < p.nq;
            }
            else
            {
                _238 = _229;
            }
            if (_238)
            {
                _239 = v_180.q[(((q0 + row) * p.d) + kq) >> uint(2)];
            }
            else
            {
                _239 = float4(0.0);
            }
            a[v] = _239;
        }
        else
        {
            for (uint e = 0u; e < 4u; e++)
            {
                bool _276 = (kq + e) < p.d;
                bool _285;
                if (_276)
                {
                    _285 = (q0 + row) < p.nq;
                }
                else
                {
                    _285 = _276;
                }
                if (_285)
                {
                    uint param = q0 + row;
                    uint param_1 = kq + e;
                    _286 = qAt(param, param_1, p, v_180);
                }
                else
                {
                    _286 = 0.0;
                }
                a[v][e] = _286;
            }
        }
    }
    uint row_1 = t >> uint(1);
    if (whole)
    {
        bool _314 = kq < p.d;
        bool _322;
        if (_314)
        {
            _322 = (j0 + row_1) < jEnd;
        }
        else
        {
            _322 = _314;
        }
        float4 _323;
        if (_322)
        {
            uint param_2 = j0 + row_1;
            uint param_3 = kq;
            uint param_4 = p.d;
            _323 = xAt4(param_2, param_3, param_4, v_114);
        }
        else
        {
            _323 = float4(0.0);
        }
        b = _323;
    }
    else
    {
        float _362;
        for (uint e_1 = 0u; e_1 < 4u; e_1++)
        {
            bool _353 = (kq + e_1) < p.d;
            bool _361;
            if (_353)
            {
                _361 = (j0 + row_1) < jEnd;
            }
            else
            {
                _361 = _353;
            }
            if (_361)
            {
                uint param_5 = j0 + row_1;
                uint param_6 = kq + e_1;
                uint param_7 = p.d;
                _362 = xAt(param_5, param_6, param_7, v_114);
            }
            else
            {
                _362 = 0.0;
            }
            b[e_1] = _362;
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
    uint _82;
    if ((u & 2147483648u) != 0u)
    {
        _82 = ~u;
    }
    else
    {
        _82 = u | 2147483648u;
    }
    return _82;
}

kernel void knn_distances_tiled_f16(constant Params& p [[buffer(0)]], const device Queries& v_180 [[buffer(1)]], const device Database& v_114 [[buffer(2)]], const device DatabaseNorms& _903 [[buffer(3)]], const device QueryNorms& _846 [[buffer(4)]], device OutKeys& _963 [[buffer(5)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]])
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
    uint buf = 0u;
    uint param = q0;
    uint param_1 = jStart;
    uint param_2 = jEnd;
    uint param_3 = 0u;
    spvUnsafeArray<float4, 1> param_4;
    float4 param_5;
    fetch(param, param_1, param_2, param_3, param_4, param_5, v_114, p, v_180, gl_LocalInvocationIndex);
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
    uint _591;
    uint _609;
    spvUnsafeArray<float4, 1> param_13;
    float4 param_14;
    float _840;
    float _897;
    float _915;
    uint _979;
    for (uint j0 = jStart; j0 < jEnd; j0 += 128u)
    {
        for (uint i = 0u; i < 8u; i++)
        {
            acc[i][0] = float4(0.0);
            acc[i][1] = float4(0.0);
        }
        for (uint s = 0u; s < stages; s++)
        {
            bool inBlock = (s + 1u) < stages;
            if (inBlock)
            {
                _591 = j0;
            }
            else
            {
                _591 = j0 + 128u;
            }
            uint nj = _591;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _609 = (s + 1u) * 8u;
                }
                else
                {
                    _609 = 0u;
                }
                uint param_9 = q0;
                uint param_10 = nj;
                uint param_11 = jEnd;
                uint param_12 = _609;
                fetch(param_9, param_10, param_11, param_12, param_13, param_14, v_114, p, v_180, gl_LocalInvocationIndex);
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
        for (uint i_1 = 0u; i_1 < 8u; i_1++)
        {
            uint param_18 = tr;
            uint param_19 = i_1;
            bool inBatch = (q0 + cell(param_18, param_19)) < p.nq;
            if ((p.metric == 1u) && inBatch)
            {
                uint param_20 = tr;
                uint param_21 = i_1;
                _840 = _846.qn[q0 + cell(param_20, param_21)];
            }
            else
            {
                _840 = 0.0;
            }
            float qni = _840;
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
                        _897 = _903.xn[j];
                    }
                    else
                    {
                        _897 = 0.0;
                    }
                    float xnj = _897;
                    if (p.metric == 1u)
                    {
                        _915 = (qni + xnj) - (2.0 * acc[i_1][h][c]);
                    }
                    else
                    {
                        _915 = -acc[i_1][h][c];
                    }
                    acc[i_1][h][c] = _915;
                    if (!inside)
                    {
                        uint _943 = i_1 >> uint(2);
                        outside[_943] |= (1u << ((((i_1 & 3u) * 8u) + (h * 4u)) + c));
                    }
                    if (inside)
                    {
                        uint param_24 = tr;
                        uint param_25 = i_1;
                        if (p.metric == 1u)
                        {
                            float param_26 = acc[i_1][h][c];
                            _979 = max(toKey(param_26), 2147483648u);
                        }
                        else
                        {
                            float param_27 = acc[i_1][h][c];
                            _979 = toKey(param_27);
                        }
                        _963.outKeys[((q0 + cell(param_24, param_25)) * p.ldOut) + j] = _979;
                    }
                }
            }
        }
    }
}

