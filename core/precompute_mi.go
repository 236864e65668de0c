package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// hasTables reports whether L2 residual searches read precomputed tables.
func (ix *IndexIVF) hasTables() bool { return ix.pqTerms != nil || ix.pqTermsMI != nil }

// precomputeMultiIndex builds faiss's precomputed tables of mode 2 when the
// quantizer is a multi-index whose halves (sub-spaces) each hold whole PQ
// sub-spaces: a list's centroid is one sub-centroid per half, so its
// |r|^2 + 2 <c, r> terms are those of its sub-centroids, kept per
// sub-centroid (MI.M x MI.Ksub x (M / MI.M) x Ksub floats instead of nlist
// x M x Ksub: 16 MB for IMI2x10 with PQ16). Reports whether it did.
func (ix *IndexIVF) precomputeMultiIndex() bool {
	mi, ok := ix.quantizer.(*MultiIndexQuantizer)
	pq := ix.PQ()
	if !ok || !mi.IsTrained() || ix.fastScan != nil || pq.M%mi.PQ.M != 0 {
		return false
	}
	per := pq.M / mi.PQ.M // PQ sub-spaces a half
	ks, ds := pq.Ksub, pq.Dsub
	size := mi.PQ.M * mi.PQ.Ksub * per * ks
	if size*4 > maxPrecomputedBytes {
		return false
	}
	rnorms := make([]float32, pq.M*ks)
	kernels.Norms(pq.Centroids, ds, rnorms)
	terms := make([]float32, size)
	parallelChunks(mi.PQ.M*mi.PQ.Ksub, chunkFor(per*ks*ds), func(_, lo, hi int) {
		for hj := lo; hj < hi; hj++ {
			h, j := hj/mi.PQ.Ksub, hj%mi.PQ.Ksub
			c := mi.PQ.sub(h)[j*mi.PQ.Dsub : (j+1)*mi.PQ.Dsub]
			for mm := 0; mm < per; mm++ {
				m := h*per + mm
				t := terms[(hj*per+mm)*ks : (hj*per+mm+1)*ks]
				kernels.DotTile(c[mm*ds:(mm+1)*ds], 1, pq.sub(m), ks, ds, t, ks)
				for k := range t {
					t[k] = rnorms[m*ks+k] + 2*t[k]
				}
			}
		}
	})
	ix.pqTermsMI = terms
	return true
}

// multiIndexTable writes list's terms (M x Ksub) from its sub-centroids'.
func (ix *IndexIVF) multiIndexTable(list int, out []float32) {
	mi := ix.quantizer.(*MultiIndexQuantizer)
	pq := ix.PQ()
	per, ks := pq.M/mi.PQ.M, pq.Ksub
	for h := 0; h < mi.PQ.M; h++ {
		start := ix.multiIndexTerms(mi, list, h)
		copy(out[h*per*ks:(h+1)*per*ks], ix.pqTermsMI[start:start+per*ks])
	}
}

// multiIndexTerms is where the terms of list's sub-centroid in half h
// start in pqTermsMI (per x Ksub floats, per = PQ sub-spaces a half).
func (ix *IndexIVF) multiIndexTerms(mi *MultiIndexQuantizer, list, h int) int {
	pq := ix.PQ()
	j := (list >> (h * mi.PQ.Nbits)) & (mi.PQ.Ksub - 1)
	return (h*mi.PQ.Ksub + j) * (pq.M / mi.PQ.M) * pq.Ksub
}

// shortListCodes is the list length below which a multi-index list's codes
// are summed from the query's and the sub-centroids' terms directly
// (faiss's table pointers) instead of through a list table: building the
// M x Ksub table costs as much as scanning some dozens of codes, and the
// lists of an inverted multi-index mostly hold a handful.
const shortListCodes = 32

// scanMultiIndexShort is scanCodes over list's table without building it,
// for 8-bit codes: each term is the sub-centroid's plus the query's, and
// the terms are summed in kernels.PQScan8's order, so that distances are
// those of the table path bit for bit.
func (ix *IndexIVF) scanMultiIndexShort(list int, qTerms []float32, codes []byte, coarse float32, out []float32, base []int) {
	mi := ix.quantizer.(*MultiIndexQuantizer)
	pq := ix.PQ()
	m, per, ks := pq.M, pq.M/mi.PQ.M, pq.Ksub
	for j := range m {
		base[j] = ix.multiIndexTerms(mi, list, j/per) + j%per*ks
	}
	terms := ix.pqTermsMI
	whole := m &^ 3
	for i := range out {
		code := codes[i*m : (i+1)*m]
		var s [4]float32
		s[0] = coarse
		for j, c := range code[:whole] {
			s[j&3] += terms[base[j]+int(c)] + qTerms[j*ks+int(c)]
		}
		for j := whole; j < m; j++ {
			s[0] += terms[base[j]+int(code[j])] + qTerms[j*ks+int(code[j])]
		}
		out[i] = (s[0] + s[1]) + (s[2] + s[3])
	}
}
