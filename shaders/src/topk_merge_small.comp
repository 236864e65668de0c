#version 450
#extension GL_GOOGLE_include_directive : require
// One thread per row keeps the k smallest (key, id) pairs of a short row
// (candidate lists from knn_topk_tiled) in a sorted private list. Cheaper
// than topk_select_rows' workgroup per row when rows are short and many
// (k-means assigns millions of points). Ties go to the smaller id.
#include "keys.glsl"

// Storage buffers use bindings from 1: Metal passes the params struct in
// buffer 0 (spirv-cross maps binding n to buffer n).
layout(local_size_x = 256) in;

layout(push_constant) uniform Params {
    uint nrows;      // rows (one thread each)
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

const uint KMAX = 32u;  // knn_topk_tiled's lists

void main() {
    uint row = gl_GlobalInvocationID.x;
    if (row >= p.nrows) {
        return;
    }
    uint bestKey[KMAX];
    int bestId[KMAX];
    for (uint i = 0u; i < p.k; i++) {
        bestKey[i] = KEY_NONE;
        bestId[i] = ID_NONE;
    }
    uint last = p.k - 1u;
    for (uint c = 0u; c < p.ncols; c++) {
        uint key = inKeys[row * p.ldIn + c];
        int id = p.idMode == 1u ? inIds[row * p.ldIn + c] : p.idBase + int(c);
        if (!keyBefore(key, id, bestKey[last], bestId[last])) {
            continue;
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
    uint outBase = row * p.ldOut + p.outOffset;
    for (uint i = 0u; i < p.k; i++) {
        outKeys[outBase + i] = bestKey[i];
        outIds[outBase + i] = bestId[i];
    }
}
