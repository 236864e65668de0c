// sortShared orders sKeys[0..n) and sIds[0..n) by (key, id) with a bitonic
// sort run by the workgroup's 256 threads (n a power of two). The including
// kernel declares the two shared arrays; every thread must call it.
void sortShared(uint n) {
    uint t = gl_LocalInvocationIndex;
    for (uint size = 2u; size <= n; size <<= 1u) {
        for (uint stride = size >> 1u; stride > 0u; stride >>= 1u) {
            for (uint i = t; i < n / 2u; i += 256u) {
                uint lo = 2u * i - (i & (stride - 1u));
                uint hi = lo + stride;
                bool ascending = (lo & size) == 0u;
                uint kl = sKeys[lo];
                uint kh = sKeys[hi];
                int il = sIds[lo];
                int ih = sIds[hi];
                if (keyBefore(kh, ih, kl, il) == ascending) {
                    sKeys[lo] = kh;
                    sKeys[hi] = kl;
                    sIds[lo] = ih;
                    sIds[hi] = il;
                }
            }
            barrier();
        }
    }
}

// pow2AtLeast is the smallest power of two >= n (1 for n <= 1).
uint pow2AtLeast(uint n) {
    uint m = 1u;
    while (m < n) {
        m <<= 1u;
    }
    return m;
}
