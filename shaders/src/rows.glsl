// Database rows as the kernels read them: float32, with SQ8 defined
// 8-bit codes, or with FP16 defined IEEE halves packed two a word (row stride rounded up to an even number
// of halves, so that every row and every 64-row chunk starts on a word),
// widened to float here: storage in fp16, arithmetic in fp32.

#if defined(SQ8)
// 8-bit scalar-quantizer codes, four a word, d bytes a row; xAt gives the
// code, which the scan decodes.
layout(std430, binding = 2) readonly buffer Database { uint xb[]; };

float xAt(uint row, uint col, uint d) {
    uint i = row * d + col;
    return float((xb[i >> 2] >> ((i & 3u) * 8u)) & 0xFFu);
}
#elif defined(FP16)
// Pairs of words (four halves): xAt4 reads a row's four values at once.
layout(std430, binding = 2) readonly buffer Database { uvec2 xh[]; };

// rowStride is the halves between consecutive rows.
uint rowStride(uint d) { return (d + 1u) & ~1u; }

float xAt(uint row, uint col, uint d) {
    uint i = row * rowStride(d) + col;
    vec2 v = unpackHalf2x16(xh[i >> 2][(i >> 1) & 1u]);
    return (i & 1u) == 0u ? v.x : v.y;
}

// xAt4 is columns col..col+3 of row; col and d multiples of 4.
vec4 xAt4(uint row, uint col, uint d) {
    uvec2 w = xh[(row * d + col) >> 2];
    return vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y));
}
#else
// vec4s, so that xAt4 reads four values in one load.
layout(std430, binding = 2) readonly buffer Database { vec4 x[]; };

float xAt(uint row, uint col, uint d) {
    uint i = row * d + col;
    return x[i >> 2][i & 3u];
}

// xAt4 is columns col..col+3 of row; col and d multiples of 4.
vec4 xAt4(uint row, uint col, uint d) { return x[(row * d + col) >> 2]; }
#endif
