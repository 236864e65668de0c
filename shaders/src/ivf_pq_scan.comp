#version 450
#extension GL_GOOGLE_include_directive : require
// IVF-PQ search (8-bit codes): one workgroup per task (a list and up to 64
// of the queries that probe it), taking its queries one after the other:
// the query's distance table (M x 256 floats, relative to the list's
// centroid when the codes are of residuals) is built in shared memory, in
// parts, and each thread sums the table entries of every 256th code of
// the list.
// Every key goes to row `outRow` of a key matrix of ldOut columns, padded
// with KEY_NONE past the list's end, as ivf_flat_distances writes it;
// ids are rows of the device copy of all the lists.
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

// The table is built TABLE / 256 sub-quantizers at a time (16 KB of
// shared memory, within every GPU's limit, Apple's 32 KB included); a
// code's partial sum waits in its key slot, as float bits, between parts.
const uint TABLE = 4096u;
shared float table[TABLE];

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
                for (uint j = t; j < p.ldOut; j += 256u) {
                    uint at = outRow * p.ldOut + j;
                    if (j >= len) {
                        outKeys[at] = KEY_NONE;
                        outIds[at] = ID_NONE;
                        continue;
                    }
                    float dis = sq0 == 0u ? base : uintBitsToFloat(outKeys[at]);
                    for (uint sq = sq0; sq < sq1; sq++) {
                        dis += table[(sq - sq0) * 256u + codeAt(start - p.rowBase + j, sq)];
                    }
                    if (sq1 < p.k) {
                        outKeys[at] = floatBitsToUint(dis);  // a partial sum
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
