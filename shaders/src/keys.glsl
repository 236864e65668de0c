// Distances travel between kernels as "keys": uints whose unsigned order is
// the order of the distances, smaller first. Inner products are negated so
// that the best result is always the smallest key, and NaN maps to the
// largest key so that it never ranks (as on the CPU).

const uint KEY_NONE = 0xFFFFFFFFu;
const uint KEY_ZERO = 0x80000000u;  // the key of +0.0
const int ID_NONE = -1;

// NaN is found from the bits: compilers may assume that floats are never
// NaN and drop isnan() (NVIDIA's Vulkan driver does).
uint toKey(float v) {
    uint u = floatBitsToUint(v);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        return KEY_NONE;
    }
    return (u & 0x80000000u) != 0u ? ~u : (u | 0x80000000u);
}

// keyBefore orders (key, id) pairs: smaller key first, then smaller id;
// ID_NONE (unused slots) sorts last among equal keys.
bool keyBefore(uint ka, int ia, uint kb, int ib) {
    if (ka != kb) {
        return ka < kb;
    }
    return uint(ia) < uint(ib);
}
