package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IVFStatsGet writes faiss's indexIVF_stats: nq, nlist, ndis to counts
// (int64[3]) and quantization_time, search_time (ms) to times (float64[2]).
func IVFStatsGet(counts, times uintptr) string {
	return guard("indexIVF_stats", func() error {
		c, err := int64s(counts, 3)
		if err != nil {
			return err
		}
		t, err := float64s(times, 2)
		if err != nil {
			return err
		}
		s := core.GetIVFStats()
		c[0], c[1], c[2] = s.NQ, s.NList, s.NDis
		t[0], t[1] = s.QuantizationTime, s.SearchTime
		return nil
	})
}

// IVFStatsReset zeroes indexIVF_stats.
func IVFStatsReset() string {
	return guard("indexIVF_stats.reset", func() error { core.ResetIVFStats(); return nil })
}

// HNSWStatsGet writes faiss's hnsw_stats n1, n2, ndis, nhops to out
// (int64[4]).
func HNSWStatsGet(out uintptr) string {
	return guard("hnsw_stats", func() error {
		o, err := int64s(out, 4)
		if err != nil {
			return err
		}
		s := core.GetHNSWStats()
		o[0], o[1], o[2], o[3] = s.N1, s.N2, s.NDis, s.NHops
		return nil
	})
}

// HNSWStatsReset zeroes hnsw_stats.
func HNSWStatsReset() string {
	return guard("hnsw_stats.reset", func() error { core.ResetHNSWStats(); return nil })
}

// PanoramaStatsGet writes faiss's indexPanorama_stats total_dims and
// total_dims_scanned to out (int64[2]).
func PanoramaStatsGet(out uintptr) string {
	return guard("indexPanorama_stats", func() error {
		o, err := int64s(out, 2)
		if err != nil {
			return err
		}
		s := core.GetPanoramaStats()
		o[0], o[1] = s.TotalDims, s.TotalDimsScanned
		return nil
	})
}

// PanoramaStatsReset zeroes indexPanorama_stats.
func PanoramaStatsReset() string {
	return guard("indexPanorama_stats.reset", func() error { core.ResetPanoramaStats(); return nil })
}
