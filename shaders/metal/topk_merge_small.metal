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

struct InKeys
{
    uint inKeys[1];
};

struct InIds
{
    int inIds[1];
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
bool keyBefore(thread const uint& ka, thread const int& ia, thread const uint& kb, thread const int& ib)
{
    if (ka != kb)
    {
        return ka < kb;
    }
    return uint(ia) < uint(ib);
}

kernel void topk_merge_small(constant Params& p [[buffer(0)]], const device InKeys& _100 [[buffer(1)]], const device InIds& _122 [[buffer(2)]], device OutKeys& _230 [[buffer(3)]], device OutIds& _241 [[buffer(4)]], uint3 gl_GlobalInvocationID [[thread_position_in_grid]])
{
    uint row = gl_GlobalInvocationID.x;
    if (row >= p.nrows)
    {
        return;
    }
    spvUnsafeArray<uint, 32> bestKey;
    spvUnsafeArray<int, 32> bestId;
    for (uint i = 0u; i < p.k; i++)
    {
        bestKey[i] = 4294967295u;
        bestId[i] = -1;
    }
    uint last = p.k - 1u;
    int _116;
    for (uint c = 0u; c < p.ncols; c++)
    {
        uint key = _100.inKeys[(row * p.ldIn) + c];
        if (p.idMode == 1u)
        {
            _116 = _122.inIds[(row * p.ldIn) + c];
        }
        else
        {
            _116 = p.idBase + int(c);
        }
        int id = _116;
        uint param = key;
        int param_1 = id;
        uint param_2 = bestKey[last];
        int param_3 = bestId[last];
        if (!keyBefore(param, param_1, param_2, param_3))
        {
            continue;
        }
        uint pos = last;
        for (;;)
        {
            bool _166 = pos > 0u;
            bool _184;
            if (_166)
            {
                uint param_4 = key;
                int param_5 = id;
                uint param_6 = bestKey[pos - 1u];
                int param_7 = bestId[pos - 1u];
                _184 = keyBefore(param_4, param_5, param_6, param_7);
            }
            else
            {
                _184 = _166;
            }
            if (_184)
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
    uint outBase = (row * p.ldOut) + p.outOffset;
    for (uint i_1 = 0u; i_1 < p.k; i_1++)
    {
        _230.outKeys[outBase + i_1] = bestKey[i_1];
        _241.outIds[outBase + i_1] = bestId[i_1];
    }
}

