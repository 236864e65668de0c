#version 450
#extension GL_GOOGLE_include_directive : require
// One workgroup computes a 64 x 64 block of query x database dot products at
// a time (each thread a 4 x 4 patch, operands staged through shared memory
// 16 dimensions at a time) and turns it into keys: max(qn + xn - 2 q.x, 0)
// for L2 (as faiss clamps rounding below zero) or -q.x for inner product.
//
// KSEL > 1 (knn_topk_tiled): the workgroup walks `span` database vectors
// and keeps, per query, 4 sorted lists of the best k keys (4 threads per
// query, each over every 4th column), written as candidates for a merge
// kernel: nq x nsplit x 4 x k.
// KSEL == 1 (kmeans_assign_tiled): the same with k = 1, the 4 lists merged
// in the workgroup: nq x nsplit candidates, the result itself when nsplit
// is 1.
// KSEL == 0 (knn_distances_tiled): every key is written, row-major with row
// stride ldOut, for topk_select_rows to select from.
#include "keys.glsl"

// Storage buffers use bindings from 1: Metal passes the params struct in
// buffer 0 (spirv-cross maps binding n to buffer n).
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint nq;      // queries in the batch
    uint nb;      // database vectors in the bound chunk
    uint d;       // dimension
    uint k;       // results kept per list (KSEL > 0), at most KSEL
    uint metric;  // 0: inner product, 1: L2
    uint span;    // database vectors per workgroup along y, a multiple of 64
    int idBase;   // id of the chunk's first vector
    uint ldOut;   // row stride of the key matrix (KSEL == 0)
} p;

layout(std430, binding = 1) readonly buffer Queries { float q[]; };
#include "rows.glsl"
layout(std430, binding = 3) readonly buffer DatabaseNorms { float xn[]; };
layout(std430, binding = 4) readonly buffer QueryNorms { float qn[]; };
layout(std430, binding = 5) writeonly buffer OutKeys { uint outKeys[]; };
layout(std430, binding = 6) writeonly buffer OutIds { int outIds[]; };

const uint TILE = 64u;  // queries and database vectors per block
const uint TK = 16u;    // dimensions staged per step

shared vec4 qs[TK][TILE / 4u];
shared vec4 xs[TK][TILE / 4u];
#if KSEL > 0
shared uint block[TILE][TILE + 1u];  // +1: rows fall in different banks
#endif
#if KSEL == 1
shared int blockIds[TILE][4];
#endif

float qRow(uint r, uint c) { return q[r * p.d + c]; }
float xRow(uint r, uint c) { return xAt(r, c, p.d); }

// stage loads rows [r0, r0+64) of src (qRow or xRow: n rows of d values),
// dimensions [k0, k0+16), into dst as 16 x 64 (zero outside), 4 values per
// thread.
#define STAGE(dst, src, r0, n, k0)                                  \
    {                                                               \
        uint row = gl_LocalInvocationIndex / 4u;                    \
        uint kk0 = (gl_LocalInvocationIndex % 4u) * 4u;             \
        for (uint e = 0u; e < 4u; e++) {                            \
            uint kk = kk0 + e;                                      \
            float v = 0.0;                                          \
            if ((r0) + row < (n) && (k0) + kk < p.d) {              \
                v = src((r0) + row, (k0) + kk);                     \
            }                                                       \
            dst[kk][row / 4u][row % 4u] = v;                        \
        }                                                           \
    }

void main() {
    uint q0 = gl_WorkGroupID.x * TILE;
    uint split = gl_WorkGroupID.y;
    uint tr = gl_LocalInvocationIndex / 16u;  // query rows tr*4 .. tr*4+3
    uint tc = gl_LocalInvocationIndex % 16u;  // database columns tc*4 .. tc*4+3
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, jStart + p.span);

#if KSEL > 0
    uint myRow = gl_LocalInvocationIndex / 4u;
    uint sub = gl_LocalInvocationIndex % 4u;
    uint bestKey[KSEL];
    int bestId[KSEL];
    for (uint i = 0u; i < KSEL; i++) {
        bestKey[i] = KEY_NONE;
        bestId[i] = ID_NONE;
    }
    uint worst = KEY_NONE;
#endif

    for (uint j0 = jStart; j0 < jEnd; j0 += TILE) {
        vec4 acc[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
        for (uint k0 = 0u; k0 < p.d; k0 += TK) {
            STAGE(qs, qRow, q0, p.nq, k0);
            STAGE(xs, xRow, j0, jEnd, k0);
            barrier();
            for (uint kk = 0u; kk < TK; kk++) {
                vec4 a = qs[kk][tr];
                vec4 b = xs[kk][tc];
                acc[0] += a.x * b;
                acc[1] += a.y * b;
                acc[2] += a.z * b;
                acc[3] += a.w * b;
            }
            barrier();
        }
        for (uint i = 0u; i < 4u; i++) {
            uint r = tr * 4u + i;
            float qni = p.metric == 1u && q0 + r < p.nq ? qn[q0 + r] : 0.0;
            for (uint c = 0u; c < 4u; c++) {
                uint j = j0 + tc * 4u + c;
                uint key = KEY_NONE;
                if (j < jEnd && q0 + r < p.nq) {
                    // L2 clamps at zero in key space: NaN keeps KEY_NONE.
                    key = p.metric == 1u ? max(toKey(qni + xn[j] - 2.0 * acc[i][c]), KEY_ZERO) : toKey(-acc[i][c]);
                }
#if KSEL > 0
                block[r][tc * 4u + c] = key;
#else
                if (j < jEnd && q0 + r < p.nq) {
                    outKeys[(q0 + r) * p.ldOut + j] = key;
                }
#endif
            }
        }
#if KSEL > 0
        barrier();
        // Columns in increasing id order, strict <: ties keep the lower id.
        for (uint c = sub; c < TILE; c += 4u) {
            uint key = block[myRow][c];
            if (key < worst) {
                int id = p.idBase + int(j0 + c);
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

#if KSEL == 1
    block[myRow][sub] = bestKey[0];
    blockIds[myRow][sub] = bestId[0];
    barrier();
    if (sub == 0u && q0 + myRow < p.nq) {
        uint key = block[myRow][0];
        int id = blockIds[myRow][0];
        for (uint s = 1u; s < 4u; s++) {
            if (keyBefore(block[myRow][s], blockIds[myRow][s], key, id)) {
                key = block[myRow][s];
                id = blockIds[myRow][s];
            }
        }
        outKeys[(q0 + myRow) * gl_NumWorkGroups.y + split] = key;
        outIds[(q0 + myRow) * gl_NumWorkGroups.y + split] = id;
    }
#elif KSEL > 1
    if (q0 + myRow < p.nq) {
        uint base = (((q0 + myRow) * gl_NumWorkGroups.y + split) * 4u + sub) * p.k;
        for (uint i = 0u; i < p.k; i++) {
            outKeys[base + i] = bestKey[i];
            outIds[base + i] = bestId[i];
        }
    }
#endif
}
