// Distances travel between kernels as "keys": uints whose unsigned order is
// the order of the distances, smaller first. Inner products are negated so
// that the best result is always the smallest key, and NaN maps to the
// largest key so that it never ranks (as on the CPU).

const uint KEY_NONE = 0xFFFFFFFFu;
const int ID_NONE = -1;

uint toKey(float v) {
    if (isnan(v)) {
        return KEY_NONE;
    }
    uint u = floatBitsToUint(v);
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
