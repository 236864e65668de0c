package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// Hammings writes the Hamming distance of every code of a to every code of
// b (cs bytes each) into dis, row-major (faiss's hammings).
func Hammings(a, b []byte, cs int, dis []int32) error {
	const op = "hammings"
	if cs <= 0 || len(a)%cs != 0 || len(b)%cs != 0 {
		return Errorf(KindInvalidArgument, op, "%d and %d bytes are not whole codes of %d bytes", len(a), len(b), cs)
	}
	na, nb := len(a)/cs, len(b)/cs
	if len(dis) != na*nb {
		return Errorf(KindInvalidArgument, op, "dis holds %d values, need %d x %d", len(dis), na, nb)
	}
	parallelChunks(na, chunkFor(len(b)), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			kernels.HammingRowsMin(a[i*cs:(i+1)*cs], b, cs, dis[i*nb:(i+1)*nb])
		}
	})
	return nil
}

// HammingsKNN writes the k nearest codes of b to each code of a (cs bytes
// each), by distance then id, into dist and labels, padded with
// (INT32_MAX, -1); sel (nil: all) limits the candidates (faiss's
// hammings_knn_hc / hammings_knn_mc).
func HammingsKNN(a, b []byte, cs, k int, dist []int32, labels []int64, sel IDSelector) error {
	const op = "hammings_knn"
	if cs <= 0 || len(b)%cs != 0 {
		return Errorf(KindInvalidArgument, op, "%d bytes are not whole codes of %d bytes", len(b), cs)
	}
	flat := &IndexBinaryFlat{d: cs * 8, codes: b}
	return flat.SearchSelected(a, k, dist, labels, sel)
}
