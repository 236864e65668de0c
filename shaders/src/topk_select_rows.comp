#version 450
#extension GL_GOOGLE_include_directive : require
// One workgroup selects the k smallest (key, id) pairs of one row of keys
// and writes them sorted. A radix select (four 8-bit passes over the row,
// histograms in shared memory) finds the k-th smallest key T; one more pass
// gathers every key below T and as many keys equal to T as fit; a bitonic
// sort in shared memory orders them by (key, id). Used on full rows of
// distances (ids = idBase + column) and to merge candidate lists (ids read
// from inIds). With ROWLEN (topk_select_counted) a row's keys are its
// first lens[row] columns at most (knn_filter_tiled's candidate rows).
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
#ifdef ROWLEN
layout(std430, binding = 5) readonly buffer Lens { uint lens[]; };
#endif

const uint WG = 256u;
const uint KMAX = 2048u;  // like faiss's GPU limit on k

shared uint hist[256];
shared uint sKeys[KMAX];
shared int sIds[KMAX];
shared uint prefixShared;
shared uint remainingShared;
shared uint nLess;
shared uint nEqual;
#include "sort_shared.glsl"

int idAt(uint row, uint c) {
    return p.idMode == 1u ? inIds[row * p.ldIn + c] : p.idBase + int(c);
}

void main() {
    uint row = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    uint inBase = row * p.ldIn;
#ifdef ROWLEN
    uint ncols = min(p.ncols, lens[row]);
#else
    uint ncols = p.ncols;
#endif
    uint want = min(p.k, ncols);

    // Radix select: after each pass, prefix holds the high bits of T and
    // remaining how many keys with that prefix still belong in the result.
    uint prefix = 0u;
    uint mask = 0u;
    uint remaining = want;
    for (int shift = 24; shift >= 0; shift -= 8) {
        hist[t] = 0u;
        barrier();
        for (uint c = t; c < ncols; c += WG) {
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
    for (uint c = t; c < ncols; c += WG) {
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

    // Order the first used slots (a power of two of them).
    sortShared(pow2AtLeast(min(KMAX, less + nEqual)));

    uint outBase = row * p.ldOut + p.outOffset;
    for (uint i = t; i < p.k; i += WG) {
        bool have = i < want;
        outKeys[outBase + i] = have ? sKeys[i] : KEY_NONE;
        outIds[outBase + i] = have ? sIds[i] : ID_NONE;
    }
}
