package core

// PanoramaStats are faiss's PanoramaStats: over every Panorama search since
// the last reset, the dimensions of the vectors it considered (TotalDims)
// and those it measured before dropping or keeping them (TotalDimsScanned).
type PanoramaStats struct {
	TotalDims, TotalDimsScanned int64
}

var panoramaStats totals[PanoramaStats]

// GetPanoramaStats returns the totals so far.
func GetPanoramaStats() PanoramaStats { return panoramaStats.get() }

// ResetPanoramaStats sets the totals to zero.
func ResetPanoramaStats() { panoramaStats.reset() }

// record adds a query's counts to the totals.
func (s *panoramaQuery) record() {
	if s.total == 0 {
		return
	}
	panoramaStats.add(func(t *PanoramaStats) {
		t.TotalDims += s.total
		t.TotalDimsScanned += s.scanned
	})
	s.total, s.scanned = 0, 0
}
