package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// faiss's LocalSearchQuantizer steps, which scripts call one by one
// (update_codebooks, pack_codes): the same arithmetic as training.

// UpdateCodebooks fits the codebooks to x under the n x M codes (faiss's
// update_codebooks: the ridge solve, in float64 or float32 as
// UpdateCodebooksWithDouble says). The quantizer counts as trained.
func (l *LocalSearchQuantizer) UpdateCodebooks(x []float32, codes []int32) error {
	const op = "LocalSearchQuantizer.update_codebooks"
	n, err := checkBatch(op, x, l.D)
	if err != nil {
		return err
	}
	if err := l.checkIndices(op, codes, n); err != nil {
		return err
	}
	if err := l.check(op); err != nil {
		return err
	}
	if len(l.Codebooks) != l.M*l.K*l.D {
		l.Codebooks = make([]float32, l.M*l.K*l.D)
	}
	if err := l.fitCodebooks(x, codes); err != nil {
		return err
	}
	l.trained = true
	l.entryNorms, l.cross = nil, nil
	return nil
}

// checkIndices checks that codes holds n x M codebook indices in range.
func (aq *AdditiveQuantizer) checkIndices(op string, codes []int32, n int) error {
	if len(codes) != n*aq.M {
		return Errorf(KindDimensionMismatch, op, "%d codes for %d vectors of M=%d", len(codes), n, aq.M)
	}
	for i, c := range codes {
		if c < 0 || int(c) >= 1<<aq.Nbits[i%aq.M] {
			return Errorf(KindInvalidArgument, op, "code %d of vector %d is %d, outside 0..%d", i%aq.M, i/aq.M, c, 1<<aq.Nbits[i%aq.M]-1)
		}
	}
	return nil
}

// PackCodes packs n x M codebook indices (rows ld apart; ld <= 0: M) into
// codes of CodeSize bytes, with the norms SearchType stores, computed
// from the decoded vectors (faiss's pack_codes without norms given).
func (aq *AdditiveQuantizer) PackCodes(codes []int32, n, ld int, out []byte) error {
	const op = "AdditiveQuantizer.pack_codes"
	if ld <= 0 {
		ld = aq.M
	}
	switch {
	case ld < aq.M || n < 0:
		return Errorf(KindInvalidArgument, op, "need ld_codes >= M=%d and n >= 0, got %d, %d", aq.M, ld, n)
	case n > 0 && len(codes) < (n-1)*ld+aq.M:
		return Errorf(KindDimensionMismatch, op, "%d codes cannot hold %d rows %d apart", len(codes), n, ld)
	case len(out) != n*aq.cbytes:
		return Errorf(KindDimensionMismatch, op, "%d code bytes for %d codes of %d bytes", len(out), n, aq.cbytes)
	case aq.needsNorms() && !aq.trained:
		return Errorf(KindNotTrained, op, "the norms need trained codebooks")
	}
	rows := make([]int32, n*aq.M)
	for i := 0; i < n; i++ {
		copy(rows[i*aq.M:(i+1)*aq.M], codes[i*ld:i*ld+aq.M])
	}
	if err := aq.checkIndices(op, rows, n); err != nil {
		return err
	}
	aq.packCodes(n, rows, aq.M, aq.decodedNorms(rows, n), out)
	return nil
}

// KnnCentroids finds the k centroids (all sums of one entry per codebook)
// nearest each row of x, from look-up tables: by L2 with the centroid
// norms given (nil: computed), or by inner product (faiss's
// knn_centroids_L2 and knn_centroids_inner_product).
func KnnCentroids(q Additive, metric Metric, x []float32, k int, norms, dist []float32, labels []int64) error {
	op := "AdditiveQuantizer.knn_centroids"
	ix, err := newAdditiveCoarse(op, q, metric)
	if err != nil {
		return err
	}
	nq, err := ix.checkSearch(x, k, dist, labels)
	if err != nil {
		return err
	}
	if norms != nil && int64(len(norms)) != ix.Ntotal() {
		return Errorf(KindDimensionMismatch, op, "%d centroid norms for %d centroids", len(norms), ix.Ntotal())
	}
	ix.norms = norms
	ix.searchExhaustive(x, nq, k, dist, labels)
	return nil
}

// ComputeCodebookTables builds the entry norms and cross products now
// (faiss's compute_codebook_tables).
func (aq *AdditiveQuantizer) ComputeCodebookTables() { aq.codebookTables() }

// EntryNorms is |entry|^2 for every codebook entry (faiss's
// centroid_norms of the quantizer), nil until the tables are built.
func (aq *AdditiveQuantizer) EntryNorms() []float32 {
	aqTablesMu.Lock()
	defer aqTablesMu.Unlock()
	return aq.entryNorms
}

// CodebookCrossProducts is faiss's codebook_cross_products: for m = 1 ..
// M-1, the inner products of every entry of codebooks 0..m-1 (rows) with
// every entry of codebook m; nil until the tables are built.
func (aq *AdditiveQuantizer) CodebookCrossProducts() []float32 {
	aqTablesMu.Lock()
	defer aqTablesMu.Unlock()
	if aq.cross == nil {
		return nil
	}
	t := aq.TotalCodebookSize()
	var out []float32
	for m := 1; m < aq.M; m++ {
		k0, k1 := aq.offsets[m], aq.offsets[m+1]
		for r := 0; r < k0; r++ {
			out = append(out, aq.cross[r*t+k0:r*t+k1]...)
		}
	}
	return out
}

// decodedNorms is |decoded vector|^2 of the n rows of M indices, where the
// search type stores norms (nil otherwise).
func (aq *AdditiveQuantizer) decodedNorms(idx []int32, n int) []float32 {
	if !aq.needsNorms() {
		return nil
	}
	norms := make([]float32, n)
	rec := make([]float32, aq.D)
	for i := range norms {
		aq.decodeIndices(idx[i*aq.M:(i+1)*aq.M], rec)
		norms[i] = kernels.Inner(rec, rec)
	}
	return norms
}
