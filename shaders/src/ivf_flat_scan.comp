#version 450
#extension GL_GOOGLE_include_directive : require
// IVF-Flat and IVF-SQ search: one workgroup per task, a task being one inverted list
// and up to 64 of the queries that probe it, so that each probed list is
// read once for all the queries of a batch that probe it. The list is
// walked 64 vectors at a time as knn_tiled.comp walks the database (each
// thread a 4 x 4 patch, operands staged through shared memory 16
// dimensions at a time), with direct differences for L2 (as the CPU's IVF
// scan) and dot products for inner product.
//
// KSEL > 1 (ivf_flat_topk): per query, 4 sorted lists of the best k keys
// (4 threads per query, each over every 4th vector) go to row `outRow` of
// the candidates: outRow x 4 x k.
// KSEL == 0 (ivf_flat_distances): every key goes to row `outRow` of a key
// matrix of ldOut columns, padded with KEY_NONE past the list's end.
// Ids are rows of the device copy of all the lists (the host maps them);
// one dispatch binds one shard of them, rows rowBase on.
#include "keys.glsl"

// Storage buffers use bindings from 1: Metal passes the params struct in
// buffer 0 (spirv-cross maps binding n to buffer n).
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint nq;        // queries bound
    uint d;         // dimension
    uint k;         // results kept per list (KSEL > 0), at most KSEL
    uint metric;    // 0: inner product, 1: L2
    uint ntasks;    // tasks of this dispatch: taskBase .. taskBase+ntasks-1
    uint slotBase;  // where the slots start in work
    uint ldOut;     // columns of the key matrix (KSEL == 0)
    uint rowBase;   // the bound lists' first row (they are a shard of all)
    uint taskBase;
    uint residual;  // SQ: 1 when the codes are of residuals (add the centroid)
    uint nsel;      // ivf_pq_topk's (the IVF scans share one struct)
} p;

layout(std430, binding = 1) readonly buffer Queries { float q[]; };
#include "rows.glsl"  // the lists' rows, binding 2
// Task t: work[5t..5t+4] = first row, rows, first slot, slots, list;
// slot s: work[slotBase + 2s], work[slotBase + 2s + 1] = query, output row.
layout(std430, binding = 3) readonly buffer Work { uint work[]; };
layout(std430, binding = 4) writeonly buffer OutKeys { uint outKeys[]; };
layout(std430, binding = 5) writeonly buffer OutIds { int outIds[]; };
#ifdef SQ
// Scalar-quantizer lists (IVF-SQ): with SQ8 each code c of dimension j
// stands for terms[j] + c * terms[d + j] (the half-step offset folded into
// the first); with residual codes the list's centroid is added.
layout(std430, binding = 6) readonly buffer SQTerms { float terms[]; };
layout(std430, binding = 7) readonly buffer Centroids { float cent[]; };
#endif

// listValue is dimension col of row `row` of the bound lists, of list
// `list`, as a vector.
float listValue(uint row, uint col, uint list) {
    float v = xAt(row, col, p.d);
#ifdef SQ
#ifdef SQ8
    v = terms[col] + v * terms[p.d + col];
#endif
    if (p.residual == 1u) {
        v += cent[list * p.d + col];
    }
#endif
    return v;
}

const uint TILE = 64u;  // queries and list vectors per block
const uint TK = 16u;    // dimensions staged per step

shared vec4 qs[TK][TILE / 4u];
shared vec4 xs[TK][TILE / 4u];
#if KSEL > 0
shared uint block[TILE][TILE + 1u];  // +1: rows fall in different banks
#endif

void main() {
    uint t = gl_LocalInvocationIndex;
    uint tr = t / 16u;  // query rows tr*4 .. tr*4+3
    uint tc = t % 16u;  // list columns tc*4 .. tc*4+3
    uint myRow = t / 4u;
    uint sub = t % 4u;
    for (uint tn = gl_WorkGroupID.x; tn < p.ntasks; tn += gl_NumWorkGroups.x) {
        uint task = p.taskBase + tn;
        uint start = work[5u * task];
        uint len = work[5u * task + 1u];
        uint slot0 = work[5u * task + 2u];
        uint nslots = work[5u * task + 3u];
        uint list = work[5u * task + 4u];
#if KSEL > 0
        uint bestKey[KSEL];
        int bestId[KSEL];
        for (uint i = 0u; i < KSEL; i++) {
            bestKey[i] = KEY_NONE;
            bestId[i] = ID_NONE;
        }
        uint worst = KEY_NONE;
#endif
        for (uint j0 = 0u; j0 < len; j0 += TILE) {
            vec4 acc[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
            for (uint k0 = 0u; k0 < p.d; k0 += TK) {
                // Stage 16 dimensions of the 64 queries and 64 vectors (zero
                // outside), 4 values of each per thread.
                uint row = t / 4u;
                uint kk0 = (t % 4u) * 4u;
                uint qi = row < nslots ? work[p.slotBase + 2u * (slot0 + row)] : 0u;
                for (uint e = 0u; e < 4u; e++) {
                    uint kk = kk0 + e;
                    bool inDim = k0 + kk < p.d;
                    qs[kk][row / 4u][row % 4u] = row < nslots && inDim ? q[qi * p.d + k0 + kk] : 0.0;
                    xs[kk][row / 4u][row % 4u] = j0 + row < len && inDim ? listValue(start - p.rowBase + j0 + row, k0 + kk, list) : 0.0;
                }
                barrier();
                if (p.metric == 1u) {
                    for (uint kk = 0u; kk < TK; kk++) {
                        vec4 a = qs[kk][tr];
                        vec4 b = xs[kk][tc];
                        vec4 d0 = a.x - b;
                        vec4 d1 = a.y - b;
                        vec4 d2 = a.z - b;
                        vec4 d3 = a.w - b;
                        acc[0] += d0 * d0;
                        acc[1] += d1 * d1;
                        acc[2] += d2 * d2;
                        acc[3] += d3 * d3;
                    }
                } else {
                    for (uint kk = 0u; kk < TK; kk++) {
                        vec4 a = qs[kk][tr];
                        vec4 b = xs[kk][tc];
                        acc[0] += a.x * b;
                        acc[1] += a.y * b;
                        acc[2] += a.z * b;
                        acc[3] += a.w * b;
                    }
                }
                barrier();
            }
            for (uint i = 0u; i < 4u; i++) {
                uint r = tr * 4u + i;
                for (uint c = 0u; c < 4u; c++) {
                    uint j = j0 + tc * 4u + c;
                    uint key = KEY_NONE;
                    if (j < len && r < nslots) {
                        key = p.metric == 1u ? toKey(acc[i][c]) : toKey(-acc[i][c]);
                    }
#if KSEL > 0
                    block[r][tc * 4u + c] = key;
#else
                    if (j < len && r < nslots) {
                        uint outRow = work[p.slotBase + 2u * (slot0 + r) + 1u];
                        outKeys[outRow * p.ldOut + j] = key;
                        outIds[outRow * p.ldOut + j] = int(start + j);
                    }
#endif
                }
            }
#if KSEL > 0
            barrier();
            // Columns in increasing position order, strict <: ties keep the
            // lower position.
            for (uint c = sub; c < TILE; c += 4u) {
                uint key = block[myRow][c];
                if (key < worst) {
                    int id = int(start + j0 + c);
                    uint pos = p.k - 1u;
                    while (pos > 0u && bestKey[pos - 1u] > key) {
                        bestKey[pos] = bestKey[pos - 1u];
                        bestId[pos] = bestId[pos - 1u];
                        pos--;
                    }
                    bestKey[pos] = key;
                    bestId[pos] = id;
                    worst = bestKey[p.k - 1u];
                }
            }
            barrier();
#endif
        }
#if KSEL > 0
        if (myRow < nslots) {
            uint outRow = work[p.slotBase + 2u * (slot0 + myRow) + 1u];
            uint base = (outRow * 4u + sub) * p.k;
            for (uint i = 0u; i < p.k; i++) {
                outKeys[base + i] = bestKey[i];
                outIds[base + i] = bestId[i];
            }
        }
#else
        // The rest of each row: nothing.
        for (uint r = 0u; r < nslots; r++) {
            uint outRow = work[p.slotBase + 2u * (slot0 + r) + 1u];
            for (uint j = len + t; j < p.ldOut; j += 256u) {
                outKeys[outRow * p.ldOut + j] = KEY_NONE;
                outIds[outRow * p.ldOut + j] = ID_NONE;
            }
        }
#endif
    }
}
