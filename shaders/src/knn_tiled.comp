#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
// One workgroup computes a 128 x TX block of query x database dot products
// at a time (TX = 128 by default, 2 * TX threads, each an 8 x 8 patch: four
// shared-memory reads feed 64 multiply-adds) from operands staged 8 dimensions at a time through two
// shared buffers (the next stage is read from memory while this one is
// multiplied), and turns it into keys: max(qn + xn - 2 q.x, 0) for L2 (as
// faiss clamps rounding below zero) or -q.x for inner product.
//
// KSEL > 0 (knn_topk_tiled, kmeans_assign_tiled with KSEL = 1): the
// workgroup walks `span` database vectors and keeps, per query, one sorted
// list of the best k keys (the thread of that row owns it). A key enters
// only if it beats the row's worst kept one: the patch's threads offer such
// keys to the row through a small shared queue, the owner inserts them, and
// when a queue overflows the round repeats for the keys not yet offered
// (with the tighter bound), so nothing is lost. Lists are written as
// candidates for a merge kernel: nq x nsplit x k (the result itself when
// nsplit is 1 and k is 1).
// KSEL == 0 (knn_distances_tiled): every key is written, row-major with row
// stride ldOut, for topk_select_rows to select from.
// FILTER (knn_filter_tiled, with KSEL == 0): only the keys at or below the
// query's bound are kept, appended (key, id) to the query's row of ldOut
// candidates, counted in counts[query] (past ldOut they are counted, not
// stored: the host then searches that query again without the filter).
// The bound is the k-th key of a sample of the database (bounds[query * k
// + k - 1]), loosened by 2^-16 of its distance so that a key computed in
// another kernel variant, rounded another way, still passes: every key of
// the true k best is at or below it.
#include "keys.glsl"

// Storage buffers use bindings from 1: Metal passes the params struct in
// buffer 0 (spirv-cross maps binding n to buffer n).
#ifndef TX
#define TX 128
#endif
#define THREADS (2 * TX)
layout(local_size_x = THREADS) in;

layout(push_constant) uniform Params {
    uint nq;      // queries in the batch
    uint nb;      // database vectors in the bound chunk
    uint d;       // dimension
    uint k;       // results kept per list (KSEL > 0), at most KSEL
    uint metric;  // 0: inner product, 1: L2
    uint span;    // database vectors per workgroup along y, a multiple of 128
    int idBase;   // id of the chunk's first vector
    uint ldOut;   // row stride of the key matrix (KSEL == 0)
} p;

layout(std430, binding = 1) readonly buffer Queries { vec4 q[]; };  // vec4s: one load per 4 values
#include "rows.glsl"
layout(std430, binding = 3) readonly buffer DatabaseNorms { float xn[]; };
layout(std430, binding = 4) readonly buffer QueryNorms { float qn[]; };
layout(std430, binding = 5) writeonly buffer OutKeys { uint outKeys[]; };
layout(std430, binding = 6) writeonly buffer OutIds { int outIds[]; };
#ifdef FILTER
layout(std430, binding = 7) readonly buffer Bounds { uint bounds[]; };
layout(std430, binding = 8) buffer Counts { uint counts[]; };
#endif

const uint TILE = 128u;    // queries per block (and per workgroup)
const uint TILEX = TX;     // database vectors per block
const uint COLS = TX / 8u; // threads along a block's columns
const uint TK = 8u;        // dimensions staged per step
const uint CAP = 8u;       // keys a row's queue takes per round

// [buffer][dimension][row / 4]; the extra vec4 puts the two threads that
// stage one row in different banks.
shared vec4 qs[2][TK][TILE / 4u + 1u];
shared vec4 xs[2][TK][TILEX / 4u + 1u];
#if KSEL > 0
shared uint queueKey[TILE][CAP];
shared int queueId[TILE][CAP];
shared uint queueLen[TILE];
shared uint worstKey[TILE];  // the row's k-th key (KEY_NONE until k are kept)
shared int worstId[TILE];
shared uint again[2];  // a queue overflowed in this round (by round parity)
#endif

// Staging: a thread reads 4 consecutive dimensions of a row, rows of the
// database block one each (thread t row t / 2), query rows TILE / TILEX.
const uint QV = TILE / TILEX;

float qAt(uint row, uint col) {
    uint i = row * p.d + col;
    return q[i >> 2][i & 3u];
}

// fetch reads a stage from memory: four values a load where d is a
// multiple of 4 (rows then start on 16 bytes), one at a time otherwise.
void fetch(uint q0, uint j0, uint jEnd, uint k0, out vec4 a[QV], out vec4 b) {
    uint t = gl_LocalInvocationIndex;
    uint kq = k0 + ((t & 1u) << 2);
    bool whole = (p.d & 3u) == 0u;
    [[unroll]] for (uint v = 0u; v < QV; v++) {
        uint row = (t + v * THREADS) >> 1;
        if (whole) {
            a[v] = kq < p.d && q0 + row < p.nq ? q[((q0 + row) * p.d + kq) >> 2] : vec4(0.0);
        } else {
            [[unroll]] for (uint e = 0u; e < 4u; e++) {
                a[v][e] = kq + e < p.d && q0 + row < p.nq ? qAt(q0 + row, kq + e) : 0.0;
            }
        }
    }
    uint row = t >> 1;
    if (whole) {
        b = kq < p.d && j0 + row < jEnd ? xAt4(j0 + row, kq, p.d) : vec4(0.0);
    } else {
        [[unroll]] for (uint e = 0u; e < 4u; e++) {
            b[e] = kq + e < p.d && j0 + row < jEnd ? xAt(j0 + row, kq + e, p.d) : 0.0;
        }
    }
}

void stage(uint buf, vec4 a[QV], vec4 b) {
    uint t = gl_LocalInvocationIndex;
    uint kq = (t & 1u) << 2;
    [[unroll]] for (uint v = 0u; v < QV; v++) {
        uint row = (t + v * THREADS) >> 1;
        [[unroll]] for (uint e = 0u; e < 4u; e++) {
            qs[buf][kq + e][row >> 2][row & 3u] = a[v][e];
        }
    }
    uint row = t >> 1;
    [[unroll]] for (uint e = 0u; e < 4u; e++) {
        xs[buf][kq + e][row >> 2][row & 3u] = b[e];
    }
}

// A thread's i-th row and column of the block: 4 in each half, so that the
// threads of a warp read neighbouring vec4s of shared memory.
uint cell(uint t, uint i) { return (i >> 2) * (TILE / 2u) + t * 4u + (i & 3u); }
uint cellX(uint t, uint i) { return (i >> 2) * (TILEX / 2u) + t * 4u + (i & 3u); }

// fromKey inverts toKey: the distance whose key is key (KEY_NONE: +inf).
float fromKey(uint key) {
    if (key == KEY_NONE) {
        return uintBitsToFloat(0x7F800000u);
    }
    return uintBitsToFloat((key & 0x80000000u) != 0u ? key & 0x7FFFFFFFu : ~key);
}

#ifdef FILTER
// bound is query row's loosened bound (KEY_NONE: everything passes).
uint bound(uint row) {
    uint b = bounds[row * p.k + p.k - 1u];
    if (b == KEY_NONE) {
        return KEY_NONE;
    }
    float v = fromKey(b);
    v += abs(v) * (1.0 / 65536.0) + 1e-30;
    uint key = p.metric == 1u ? max(toKey(v), KEY_ZERO) : toKey(v);
    return max(key, b);
}
#endif

#if KSEL > 0
uint bestKey[KSEL];
int bestId[KSEL];

// insert puts (key, id) into the owner's sorted list if it beats the worst.
void insert(uint key, int id) {
    uint last = p.k - 1u;
    if (!keyBefore(key, id, bestKey[last], bestId[last])) {
        return;
    }
    uint pos = last;
    while (pos > 0u && keyBefore(key, id, bestKey[pos - 1u], bestId[pos - 1u])) {
        bestKey[pos] = bestKey[pos - 1u];
        bestId[pos] = bestId[pos - 1u];
        pos--;
    }
    bestKey[pos] = key;
    bestId[pos] = id;
}
#endif

void main() {
    uint tid = gl_LocalInvocationIndex;
    uint q0 = gl_WorkGroupID.x * TILE;
    uint split = gl_WorkGroupID.y;
    uint tr = tid / COLS;  // rows cell(tr, 0..7)
    uint tc = tid % COLS;  // columns cellX(tc, 0..7)
    uint jStart = split * p.span;
    uint jEnd = min(p.nb, jStart + p.span);
    uint stages = (p.d + TK - 1u) / TK;
#ifdef FILTER
    uint limit[8];  // the bounds of the thread's rows
    [[unroll]] for (uint i = 0u; i < 8u; i++) {
        uint r = q0 + cell(tr, i);
        limit[i] = r < p.nq ? bound(r) : 0u;
    }
#endif

#if KSEL > 0
    [[unroll]] for (uint i = 0u; i < KSEL; i++) {
        bestKey[i] = KEY_NONE;
        bestId[i] = ID_NONE;
    }
    if (tid < TILE) {
        queueLen[tid] = 0u;
        worstKey[tid] = KEY_NONE;
        worstId[tid] = ID_NONE;
    }
    if (tid < 2u) {
        again[tid] = 0u;
    }
    uint round = 0u;
#endif

    // Stages run on across blocks: the last stage of a block fetches the
    // first of the next, so that memory latency hides behind arithmetic
    // there too.
    uint buf = 0u;
    vec4 na[QV];
    vec4 nb;
    fetch(q0, jStart, jEnd, 0u, na, nb);
    stage(0u, na, nb);
    barrier();
    for (uint j0 = jStart; j0 < jEnd; j0 += TILEX) {
        vec4 acc[8][2];
        [[unroll]] for (uint i = 0u; i < 8u; i++) {
            acc[i][0] = vec4(0.0);
            acc[i][1] = vec4(0.0);
        }
        for (uint s = 0u; s < stages; s++) {
            bool inBlock = s + 1u < stages;
            uint nj = inBlock ? j0 : j0 + TILEX;
            bool next = inBlock || nj < jEnd;
            if (next) {
                fetch(q0, nj, jEnd, inBlock ? (s + 1u) * TK : 0u, na, nb);
            }
            [[unroll]] for (uint kk = 0u; kk < TK; kk++) {
                vec4 a0 = qs[buf][kk][tr];
                vec4 a1 = qs[buf][kk][TILE / 8u + tr];
                vec4 b0 = xs[buf][kk][tc];
                vec4 b1 = xs[buf][kk][TILEX / 8u + tc];
                acc[0][0] += a0.x * b0; acc[0][1] += a0.x * b1;
                acc[1][0] += a0.y * b0; acc[1][1] += a0.y * b1;
                acc[2][0] += a0.z * b0; acc[2][1] += a0.z * b1;
                acc[3][0] += a0.w * b0; acc[3][1] += a0.w * b1;
                acc[4][0] += a1.x * b0; acc[4][1] += a1.x * b1;
                acc[5][0] += a1.y * b0; acc[5][1] += a1.y * b1;
                acc[6][0] += a1.z * b0; acc[6][1] += a1.z * b1;
                acc[7][0] += a1.w * b0; acc[7][1] += a1.w * b1;
            }
            if (next) {
                stage(buf ^ 1u, na, nb);
            }
            barrier();
            buf ^= 1u;
        }

        // Distances in place (L2: qn + xn - 2 q.x), and the cells outside
        // the batch or the span, which never rank.
        uvec2 outside = uvec2(0u);
        [[unroll]] for (uint i = 0u; i < 8u; i++) {
            bool inBatch = q0 + cell(tr, i) < p.nq;
            float qni = p.metric == 1u && inBatch ? qn[q0 + cell(tr, i)] : 0.0;
            [[unroll]] for (uint h = 0u; h < 2u; h++) {
                [[unroll]] for (uint c = 0u; c < 4u; c++) {
                    uint j = j0 + cellX(tc, h * 4u + c);
                    bool inside = inBatch && j < jEnd;
                    float xnj = p.metric == 1u && inside ? xn[j] : 0.0;
                    acc[i][h][c] = p.metric == 1u ? qni + xnj - 2.0 * acc[i][h][c] : -acc[i][h][c];
                    if (!inside) {
                        outside[i >> 2] |= 1u << ((i & 3u) * 8u + h * 4u + c);
                    }
#if KSEL == 0 && defined(FILTER)
                    uint key = p.metric == 1u ? max(toKey(acc[i][h][c]), KEY_ZERO) : toKey(acc[i][h][c]);
                    if (inside && key <= limit[i] && key != KEY_NONE) {
                        uint r = q0 + cell(tr, i);
                        uint slot = atomicAdd(counts[r], 1u);
                        if (slot < p.ldOut) {
                            outKeys[r * p.ldOut + slot] = key;
                            outIds[r * p.ldOut + slot] = p.idBase + int(j);
                        }
                    }
#elif KSEL == 0
                    if (inside) {
                        outKeys[(q0 + cell(tr, i)) * p.ldOut + j] = p.metric == 1u ? max(toKey(acc[i][h][c]), KEY_ZERO) : toKey(acc[i][h][c]);
                    }
#endif
                }
            }
        }

#if KSEL == 1
        // Only a thread's best key of a row can be the row's best: the
        // rest never queue (k-means would otherwise queue all 128 keys of a
        // row in the first block, CAP at a time).
        [[unroll]] for (uint i = 0u; i < 8u; i++) {
            uint bk = KEY_NONE;
            uint bc = 0u;
            [[unroll]] for (uint c = 0u; c < 8u; c++) {
                uint bit = 1u << ((i & 3u) * 8u + c);
                float v = acc[i][c >> 2][c & 3u];
                uint key = (outside[i >> 2] & bit) != 0u ? KEY_NONE : p.metric == 1u ? max(toKey(v), KEY_ZERO) : toKey(v);
                if (key < bk) {  // columns in increasing id order: ties keep the first
                    bk = key;
                    bc = c;
                }
            }
            [[unroll]] for (uint c = 0u; c < 8u; c++) {
                if (c != bc) {
                    outside[i >> 2] |= 1u << ((i & 3u) * 8u + c);
                }
            }
        }
#endif
#if KSEL > 0
        // Offer the keys that beat their row's worst, in rounds while a
        // queue overflows; offered marks those a queue took (and those
        // that never rank). The float comparison passes a superset of the
        // keys that beat the worst; the key comparison decides.
        uvec2 offered = outside;
        for (;;) {
            [[unroll]] for (uint i = 0u; i < 8u; i++) {
                uint r = cell(tr, i);
                uint wk = worstKey[r];
                int wi = worstId[r];
                float wd = fromKey(wk);
                [[unroll]] for (uint h = 0u; h < 2u; h++) {
                    [[unroll]] for (uint c = 0u; c < 4u; c++) {
                        uint bit = 1u << ((i & 3u) * 8u + h * 4u + c);
                        float v = acc[i][h][c];
                        if ((offered[i >> 2] & bit) != 0u || !(v <= wd)) {
                            continue;
                        }
                        uint key = p.metric == 1u ? max(toKey(v), KEY_ZERO) : toKey(v);
                        int id = p.idBase + int(j0 + cellX(tc, h * 4u + c));
                        if (key != KEY_NONE && keyBefore(key, id, wk, wi)) {
                            uint slot = atomicAdd(queueLen[r], 1u);
                            if (slot < CAP) {
                                queueKey[r][slot] = key;
                                queueId[r][slot] = id;
                                offered[i >> 2] |= bit;
                            }
                        }
                    }
                }
            }
            barrier();
            if (tid < TILE) {
                uint n = queueLen[tid];
                for (uint s = 0u; s < min(n, CAP); s++) {
                    insert(queueKey[tid][s], queueId[tid][s]);
                }
                worstKey[tid] = bestKey[p.k - 1u];
                worstId[tid] = bestId[p.k - 1u];
                queueLen[tid] = 0u;
                if (n > CAP) {
                    again[round & 1u] = 1u;
                }
                if (tid == 0u) {
                    // Read by every thread two rounds ago, set again two
                    // rounds on.
                    again[(round + 1u) & 1u] = 0u;
                }
            }
            barrier();
            bool more = again[round & 1u] != 0u;
            round++;
            if (!more) {
                break;
            }
        }
#endif
    }

#if KSEL > 0
    if (tid < TILE && q0 + tid < p.nq) {
        uint base = ((q0 + tid) * gl_NumWorkGroups.y + split) * p.k;
        for (uint i = 0u; i < p.k; i++) {
            outKeys[base + i] = bestKey[i];
            outIds[base + i] = bestId[i];
        }
    }
#endif
}
