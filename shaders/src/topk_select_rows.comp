#version 450
#extension GL_GOOGLE_include_directive : require
// One workgroup selects the k smallest (key, id) pairs of one row of keys
// and writes them sorted. A radix select (four 8-bit passes over the row,
// histograms in shared memory) finds the k-th smallest key T; one more pass
// gathers every key below T and as many keys equal to T as fit; a bitonic
// sort in shared memory orders them by (key, id). Used on full rows of
// distances (ids = idBase + column) and to merge candidate lists (ids read
// from inIds).
#include "keys.glsl"

layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint nrows;      // rows (one workgroup each)
    uint ncols;      // keys per row
    uint k;          // results per row, at most KMAX
    uint ldIn;       // row stride of the input
    uint ldOut;      // row stride of the output
    uint outOffset;  // column of the output where this row's results start
    uint idMode;     // 0: id = idBase + column, 1: ids from inIds
    int idBase;
} p;

layout(std430, binding = 1) readonly buffer InKeys { uint inKeys[]; };
layout(std430, binding = 2) readonly buffer InIds { int inIds[]; };
layout(std430, binding = 3) writeonly buffer OutKeys { uint outKeys[]; };
layout(std430, binding = 4) writeonly buffer OutIds { int outIds[]; };

const uint WG = 256u;
const uint KMAX = 2048u;  // like faiss's GPU limit on k

shared uint hist[256];
shared uint sKeys[KMAX];
shared int sIds[KMAX];
shared uint prefixShared;
shared uint remainingShared;
shared uint nLess;
shared uint nEqual;

int idAt(uint row, uint c) {
    return p.idMode == 1u ? inIds[row * p.ldIn + c] : p.idBase + int(c);
}

void main() {
    uint row = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint inBase = row * p.ldIn;
    uint want = min(p.k, p.ncols);

    // Radix select: after each pass, prefix holds the high bits of T and
    // remaining how many keys with that prefix still belong in the result.
    uint prefix = 0u;
    uint mask = 0u;
    uint remaining = want;
    for (int shift = 24; shift >= 0; shift -= 8) {
        hist[t] = 0u;
        barrier();
        for (uint c = t; c < p.ncols; c += WG) {
            uint key = inKeys[inBase + c];
            if ((key & mask) == prefix) {
                atomicAdd(hist[(key >> uint(shift)) & 255u], 1u);
            }
        }
        barrier();
        if (t == 0u) {
            uint below = 0u;
            uint bin = 0u;
            for (; bin < 255u; bin++) {
                if (below + hist[bin] >= remaining) {
                    break;
                }
                below += hist[bin];
            }
            prefixShared = prefix | (bin << uint(shift));
            remainingShared = remaining - below;
        }
        barrier();
        prefix = prefixShared;
        remaining = remainingShared;
        mask |= 255u << uint(shift);
        barrier();
    }
    // prefix is now T; want - remaining keys are smaller than T.
    uint less = want - remaining;
    if (t == 0u) {
        nLess = 0u;
        nEqual = 0u;
    }
    for (uint i = t; i < KMAX; i += WG) {
        sKeys[i] = KEY_NONE;
        sIds[i] = ID_NONE;
    }
    barrier();
    for (uint c = t; c < p.ncols; c += WG) {
        uint key = inKeys[inBase + c];
        if (key < prefix) {
            uint slot = atomicAdd(nLess, 1u);
            sKeys[slot] = key;
            sIds[slot] = idAt(row, c);
        } else if (key == prefix && want > 0u) {
            uint slot = less + atomicAdd(nEqual, 1u);
            if (slot < KMAX) {
                sKeys[slot] = key;
                sIds[slot] = idAt(row, c);
            }
        }
    }
    barrier();

    // Bitonic sort of the first n slots (n a power of two).
    uint used = min(KMAX, less + nEqual);
    uint n = 1u;
    while (n < used) {
        n <<= 1u;
    }
    for (uint size = 2u; size <= n; size <<= 1u) {
        for (uint stride = size >> 1u; stride > 0u; stride >>= 1u) {
            for (uint i = t; i < n / 2u; i += WG) {
                uint lo = 2u * i - (i & (stride - 1u));
                uint hi = lo + stride;
                bool ascending = (lo & size) == 0u;
                uint kl = sKeys[lo];
                uint kh = sKeys[hi];
                int il = sIds[lo];
                int ih = sIds[hi];
                if (keyBefore(kh, ih, kl, il) == ascending) {
                    sKeys[lo] = kh;
                    sKeys[hi] = kl;
                    sIds[lo] = ih;
                    sIds[hi] = il;
                }
            }
            barrier();
        }
    }

    uint outBase = row * p.ldOut + p.outOffset;
    for (uint i = t; i < p.k; i += WG) {
        bool have = i < want;
        outKeys[outBase + i] = have ? sKeys[i] : KEY_NONE;
        outIds[outBase + i] = have ? sIds[i] : ID_NONE;
    }
}
