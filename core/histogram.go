package core

// Histogram counts the values of data into len(hist) bins (faiss's
// simd_histogram_8 / _16): with shift < 0, value v goes to bin v; otherwise
// to bin (v - minv) >> shift. Values below minv or past the last bin are
// not counted. hist is overwritten.
func Histogram(data []uint16, minv int, shift int, hist []int32) {
	clear(hist)
	nbin := len(hist)
	for _, v := range data {
		b := int(v)
		if shift >= 0 {
			b -= minv
			if b < 0 {
				continue
			}
			b >>= shift
		}
		if b < nbin {
			hist[b]++
		}
	}
}
