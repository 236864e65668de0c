#version 450
#extension GL_GOOGLE_include_directive : require
// IVF-PQ search (8-bit codes): one workgroup per task (a list and up to 64
// of the queries that probe it), taking its queries one after the other:
// the query's distance table (M x 256 floats, relative to the list's
// centroid when the codes are of residuals) is built in shared memory, in
// parts, and each thread sums the table entries of every 256th code of
// the list.
// KSEL == 0 (ivf_pq_distances): every key goes to row `outRow` of a key
// matrix of ldOut columns, padded with KEY_NONE past the list's end, as
// ivf_flat_distances writes it.
// KSEL > 0 (ivf_pq_topk): the workgroup keeps the query's nsel best keys of
// the list in shared memory, taking the list 256 codes a round (a code is
// offered only when it beats the kept worst, so after the first rounds
// few are) and writes them, sorted, to row `outRow` of an nsel-column
// matrix; partial sums wait in the workgroup's row of the scratch (ldOut
// columns) between table parts, so that the scratch does not grow with
// the batch.
// Ids are rows of the device copy of all the lists.
#include "keys.glsl"

layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint nq;        // queries bound
    uint d;         // dimension
    uint k;         // here the sub-quantizers M (d = M * dsub): the IVF scans share one struct
    uint metric;    // 0: inner product, 1: L2
    uint ntasks;    // tasks of this dispatch: taskBase .. taskBase+ntasks-1
    uint slotBase;  // where the slots start in work
    uint ldOut;     // columns of the key matrix
    uint rowBase;   // the bound lists' first row (they are a shard of all)
    uint taskBase;
    uint residual;  // 1 when the codes are of residuals
    uint nsel;      // KSEL > 0: results kept per probe, at most KSEL
} p;

layout(std430, binding = 1) readonly buffer Queries { float q[]; };
layout(std430, binding = 2) readonly buffer Codes { uint codes[]; };  // m bytes a row
// Tasks and slots as in ivf_flat_scan.comp (5 words a task).
layout(std430, binding = 3) readonly buffer Work { uint work[]; };
layout(std430, binding = 4) buffer OutKeys { uint outKeys[]; };  // also partial sums
layout(std430, binding = 5) writeonly buffer OutIds { int outIds[]; };
// The product quantizer's centroids: m x 256 x dsub.
layout(std430, binding = 6) readonly buffer PQCentroids { float pq[]; };
layout(std430, binding = 7) readonly buffer Centroids { float cent[]; };
#if KSEL > 0
layout(std430, binding = 8) buffer Partial { uint partial[]; };  // float bits
#define SUMS partial
#define SUM_AT(row, j) (gl_WorkGroupID.x * p.ldOut + (j))
#else
#define SUMS outKeys
#define SUM_AT(row, j) ((row) * p.ldOut + (j))
#endif

// The table is built TABLE / 256 sub-quantizers at a time (16 KB of
// shared memory, within every GPU's limit, Apple's 32 KB included); a
// code's partial sum waits in its key slot, as float bits, between parts.
const uint TABLE = 4096u;
shared float table[TABLE];
#if KSEL > 0
// The kept list in slots 0..nsel-1, a round's offers after it (at most
// 256), the rest KEY_NONE between rounds: one bitonic sort merges them.
const uint SEL = 512u;
shared uint sKeys[SEL];
shared int sIds[SEL];
shared uint offers;
#include "sort_shared.glsl"

// offer queues (key, id) when it beats the kept worst.
void offer(uint key, int id) {
    if (keyBefore(key, id, sKeys[p.nsel - 1u], sIds[p.nsel - 1u])) {
        uint slot = p.nsel + atomicAdd(offers, 1u);
        sKeys[slot] = key;
        sIds[slot] = id;
    }
}

// mergeOffers sorts this round's offers into the kept list (all threads).
void mergeOffers() {
    barrier();
    uint n = offers;
    if (n == 0u) {
        return;  // uniform: every thread read the same count
    }
    sortShared(pow2AtLeast(p.nsel + n));
    uint t = gl_LocalInvocationIndex;
    for (uint i = p.nsel + t; i < p.nsel + n; i += 256u) {
        sKeys[i] = KEY_NONE;
        sIds[i] = ID_NONE;
    }
    if (t == 0u) {
        offers = 0u;
    }
    barrier();
}
#endif

uint codeAt(uint row, uint sq) {
    uint i = row * p.k + sq;
    return (codes[i >> 2] >> ((i & 3u) * 8u)) & 0xFFu;
}

// queryValue is dimension i of the query the table is built for: less the
// list's centroid for L2 over residuals.
float queryValue(uint qi, uint list, uint i, bool l2res) {
    return q[qi * p.d + i] - (l2res ? cent[list * p.d + i] : 0.0);
}

void main() {
    uint t = gl_LocalInvocationIndex;
    uint dsub = p.d / p.k;
    uint per = TABLE / 256u;  // sub-quantizers a part
#if KSEL > 0
    for (uint i = t; i < SEL; i += 256u) {
        sKeys[i] = KEY_NONE;
        sIds[i] = ID_NONE;
    }
    if (t == 0u) {
        offers = 0u;
    }
    barrier();
#endif
    for (uint tn = gl_WorkGroupID.x; tn < p.ntasks; tn += gl_NumWorkGroups.x) {
        uint task = p.taskBase + tn;
        uint start = work[5u * task];
        uint len = work[5u * task + 1u];
        uint slot0 = work[5u * task + 2u];
        uint nslots = work[5u * task + 3u];
        uint list = work[5u * task + 4u];
        bool l2res = p.metric == 1u && p.residual == 1u && len > 0u;
        for (uint s = 0u; s < nslots; s++) {
            uint qi = work[p.slotBase + 2u * (slot0 + s)];
            uint outRow = work[p.slotBase + 2u * (slot0 + s) + 1u];
            // inner product over residuals: q . centroid, then the codes
            float base = 0.0;
            if (p.metric == 0u && p.residual == 1u && len > 0u) {
                for (uint i = 0u; i < p.d; i++) {
                    base += q[qi * p.d + i] * cent[list * p.d + i];
                }
            }
            for (uint sq0 = 0u; sq0 < p.k; sq0 += per) {
                uint sq1 = min(p.k, sq0 + per);
                for (uint e = t; e < (sq1 - sq0) * 256u; e += 256u) {
                    uint sq = sq0 + e / 256u;
                    uint c = e % 256u;
                    float acc = 0.0;
                    for (uint i = 0u; i < dsub; i++) {
                        float v = pq[(sq * 256u + c) * dsub + i];
                        float x = queryValue(qi, list, sq * dsub + i, l2res);
                        acc += p.metric == 1u ? (x - v) * (x - v) : x * v;
                    }
                    table[e] = acc;
                }
                barrier();
#if KSEL > 0
                if (sq1 == p.k) {
                    // The last part: whole keys, offered round by round.
                    for (uint j0 = 0u; j0 < len; j0 += 256u) {
                        uint j = j0 + t;
                        if (j < len) {
                            float dis = sq0 == 0u ? base : uintBitsToFloat(SUMS[SUM_AT(outRow, j)]);
                            for (uint sq = sq0; sq < sq1; sq++) {
                                dis += table[(sq - sq0) * 256u + codeAt(start - p.rowBase + j, sq)];
                            }
                            offer(p.metric == 1u ? toKey(dis) : toKey(-dis), int(start + j));
                        }
                        mergeOffers();
                    }
                    for (uint i = t; i < p.nsel; i += 256u) {
                        outKeys[outRow * p.nsel + i] = sKeys[i];
                        outIds[outRow * p.nsel + i] = sIds[i];
                        sKeys[i] = KEY_NONE;  // ready for the next query
                        sIds[i] = ID_NONE;
                    }
                    barrier();
                    continue;
                }
                uint cols = len;
#else
                uint cols = p.ldOut;
#endif
                for (uint j = t; j < cols; j += 256u) {
                    uint at = outRow * p.ldOut + j;
                    if (j >= len) {
                        outKeys[at] = KEY_NONE;
                        outIds[at] = ID_NONE;
                        continue;
                    }
                    float dis = sq0 == 0u ? base : uintBitsToFloat(SUMS[SUM_AT(outRow, j)]);
                    for (uint sq = sq0; sq < sq1; sq++) {
                        dis += table[(sq - sq0) * 256u + codeAt(start - p.rowBase + j, sq)];
                    }
                    if (sq1 < p.k) {
                        SUMS[SUM_AT(outRow, j)] = floatBitsToUint(dis);  // a partial sum
                    } else {
                        outKeys[at] = p.metric == 1u ? toKey(dis) : toKey(-dis);
                        outIds[at] = int(start + j);
                    }
                }
                barrier();
            }
        }
    }
}
