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

constant uint3 gl_WorkGroupSize [[maybe_unused]] = uint3(256u, 1u, 1u);

struct OutIds
{
    int outIds[1];
};

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
float xAt(thread const uint& row, thread const uint& col, thread const uint& d, const device Database& v_79)
{
    return v_79.x[(row * d) + col];
}

static inline __attribute__((always_inline))
void fetch(thread const uint& q0, thread const uint& j0, thread const uint& jEnd, thread const uint& k0, thread float4& a, thread float4& b, const device Database& v_79, thread uint& gl_LocalInvocationIndex, constant Params& p, const device Queries& v_150)
{
    uint row = stageRow(gl_LocalInvocationIndex);
    uint kq = k0 + stageDim(gl_LocalInvocationIndex);
    float _144;
    float _177;
    for (uint e = 0u; e < 4u; e++)
    {
        bool inDim = (kq + e) < p.d;
        bool _143;
        if (inDim)
        {
            _143 = (q0 + row) < p.nq;
        }
        else
        {
            _143 = inDim;
        }
        if (_143)
        {
            _144 = v_150.q[(((q0 + row) * p.d) + kq) + e];
        }
        else
        {
            _144 = 0.0;
        }
        a[e] = _144;
        bool _176;
        if (inDim)
        {
            _176 = (j0 + row) < jEnd;
        }
        else
        {
            _176 = inDim;
        }
        if (_176)
        {
            uint param = j0 + row;
            uint param_1 = kq + e;
            uint param_2 = p.d;
            _177 = xAt(param, param_1, param_2, v_79);
        }
        else
        {
            _177 = 0.0;
        }
        b[e] = _177;
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
    uint _65;
    if ((u & 2147483648u) != 0u)
    {
        _65 = ~u;
    }
    else
    {
        _65 = u | 2147483648u;
    }
    return _65;
}

kernel void knn_distances_tiled(constant Params& p [[buffer(0)]], const device Queries& v_150 [[buffer(1)]], const device Database& v_79 [[buffer(2)]], const device DatabaseNorms& _631 [[buffer(3)]], const device QueryNorms& _673 [[buffer(4)]], device OutKeys& _773 [[buffer(5)]], uint gl_LocalInvocationIndex [[thread_index_in_threadgroup]], uint3 gl_WorkGroupID [[threadgroup_position_in_grid]])
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
    float4 param_4;
    float4 param_5;
    fetch(param, param_1, param_2, param_3, param_4, param_5, v_79, gl_LocalInvocationIndex, p, v_150);
    float4 na = param_4;
    float4 nb = param_5;
    uint param_6 = 0u;
    float4 param_7 = na;
    float4 param_8 = nb;
    stage(param_6, param_7, param_8, gl_LocalInvocationIndex, qs, xs);
    threadgroup_barrier(mem_flags::mem_threadgroup);
    spvUnsafeArray<spvUnsafeArray<float4, 2>, 8> acc;
    uint _365;
    uint _383;
    float4 param_13;
    float4 param_14;
    spvUnsafeArray<float4, 2> xnv;
    float _625;
    float _667;
    uint _723;
    spvUnsafeArray<spvUnsafeArray<uint4, 2>, 8> keys;
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
                _365 = j0;
            }
            else
            {
                _365 = j0 + 128u;
            }
            uint nj = _365;
            bool next = inBlock || (nj < jEnd);
            if (next)
            {
                if (inBlock)
                {
                    _383 = (s + 1u) * 8u;
                }
                else
                {
                    _383 = 0u;
                }
                uint param_9 = q0;
                uint param_10 = nj;
                uint param_11 = jEnd;
                uint param_12 = _383;
                fetch(param_9, param_10, param_11, param_12, param_13, param_14, v_79, gl_LocalInvocationIndex, p, v_150);
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
                    _625 = _631.xn[j];
                }
                else
                {
                    _625 = 0.0;
                }
                xnv[h][c] = _625;
            }
        }
        for (uint i_1 = 0u; i_1 < 8u; i_1++)
        {
            uint param_20 = tr;
            uint param_21 = i_1;
            bool inBatch = (q0 + cell(param_20, param_21)) < p.nq;
            if ((p.metric == 1u) && inBatch)
            {
                uint param_22 = tr;
                uint param_23 = i_1;
                _667 = _673.qn[q0 + cell(param_22, param_23)];
            }
            else
            {
                _667 = 0.0;
            }
            float qni = _667;
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
                            float param_26 = (qni + xnv[h_1][c_1]) - (2.0 * acc[i_1][h_1][c_1]);
                            _723 = max(toKey(param_26), 2147483648u);
                        }
                        else
                        {
                            float param_27 = -acc[i_1][h_1][c_1];
                            _723 = toKey(param_27);
                        }
                        key = _723;
                    }
                    keys[i_1][h_1][c_1] = key;
                    if (inBatch && (j_1 < jEnd))
                    {
                        uint param_28 = tr;
                        uint param_29 = i_1;
                        _773.outKeys[((q0 + cell(param_28, param_29)) * p.ldOut) + j_1] = key;
                    }
                }
            }
        }
    }
}

