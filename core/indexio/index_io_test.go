package indexio

import (
	"encoding/hex"
	"math/rand"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalfaiss/metalfaiss/core"
)

func flatOf(t testing.TB, d int, m core.Metric, rows [][]float32) *core.IndexFlat {
	ix, err := core.NewIndexFlat(d, m)
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, ix.Add(r))
	}
	return ix
}

// faiss 1.15.1's serialize_index of IndexFlatL2(4) holding the rows
// 0..3, 4..7, 8..11 (taken from faiss itself).
const faissFlatL2 = "497846320400000003000000000000000000100000000000000010000000000001010000000c" +
	"00000000000000000000000000803f0000004000004040000080400000a0400000c0400000e0" +
	"4000000041000010410000204100003041"

func twelve() [][]float32 {
	rows := make([][]float32, 3)
	for i := range rows {
		rows[i] = []float32{float32(4 * i), float32(4*i + 1), float32(4*i + 2), float32(4*i + 3)}
	}
	return rows
}

func TestFlatIsWrittenByteForByteAsFaissWritesIt(t *testing.T) {
	b, err := Write(flatOf(t, 4, core.MetricL2, twelve()))
	require.NoError(t, err)
	want, err := hex.DecodeString(faissFlatL2)
	require.NoError(t, err)
	assert.Equal(t, want, b)
}

func TestRoundTripsAndEveryTruncationFailsCleanly(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	rows := [][]float32{make([]float32, 5*7)}
	for i := range rows[0] {
		rows[0][i] = rng.Float32()
	}
	lp := flatOf(t, 7, core.MetricLp, rows)
	lp.SetMetricArg(3)
	inner := flatOf(t, 7, core.MetricL2, nil)
	m, err := core.NewIndexIDMap(inner, true)
	require.NoError(t, err)
	require.NoError(t, m.AddWithIDs(rows[0], []int64{10, 20, 30, 40, 50}))
	for _, ix := range []core.Index{flatOf(t, 7, core.MetricInnerProduct, rows), lp, m} {
		b, err := Write(ix)
		require.NoError(t, err)
		back, err := Read(b)
		require.NoError(t, err)
		again, err := Write(back)
		require.NoError(t, err)
		assert.Equal(t, b, again, "%T", ix)
		assert.Equal(t, ix.Metric(), back.Metric())
		assert.Equal(t, ix.MetricArg(), back.MetricArg())
		for cut := 0; cut < len(b); cut++ {
			_, err := Read(b[:cut])
			require.Error(t, err, "%T cut at %d", ix, cut)
			assert.Contains(t, err.Error(), "offset")
		}
		_, err = Read(append(append([]byte{}, b...), 0))
		assert.ErrorContains(t, err, "1 more bytes")
	}
	back, err := Read(mustWrite(t, m))
	require.NoError(t, err)
	assert.Equal(t, []int64{10, 20, 30, 40, 50}, back.(*core.IndexIDMap).IDMap)
}

func mustWrite(t testing.TB, ix core.Index) []byte {
	b, err := Write(ix)
	require.NoError(t, err)
	return b
}

func TestLyingSizesAreRefusedBeforeAllocating(t *testing.T) {
	b := mustWrite(t, flatOf(t, 4, core.MetricL2, twelve()))
	huge := append([]byte{}, b...)
	copy(huge[37:45], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f}) // the vector count
	_, err := Read(huge)
	assert.ErrorContains(t, err, "offset 37")
	assert.ErrorContains(t, err, "claims")
	bad := append([]byte{}, b...)
	copy(bad[0:4], "IxZZ")
	_, err = Read(bad)
	assert.ErrorContains(t, err, `"IxZZ"`)
	neg := append([]byte{}, b...)
	copy(neg[4:8], []byte{0, 0, 0, 0x80})
	_, err = Read(neg)
	assert.ErrorContains(t, err, "dimension")
	wrongN := append([]byte{}, b...)
	wrongN[8] = 2 // ntotal 2, but 12 floats
	_, err = Read(wrongN)
	assert.ErrorContains(t, err, "do not make")
}

// FuzzRead feeds mutated index files to Read: it must return an index or
// an error, never panic, and never hold more data than the file.
func FuzzRead(f *testing.F) {
	f.Add(mustWrite(f, flatOf(f, 4, core.MetricL2, twelve())))
	lp := flatOf(f, 4, core.MetricLp, twelve())
	lp.SetMetricArg(1.5)
	f.Add(mustWrite(f, lp))
	m, err := core.NewIndexIDMap(flatOf(f, 4, core.MetricInnerProduct, nil), false)
	require.NoError(f, err)
	require.NoError(f, m.AddWithIDs(twelve()[0], []int64{5}))
	f.Add(mustWrite(f, m))
	for _, ix := range append(codedIndexes(f), catalogueIndexes(f)...) {
		f.Add(mustWrite(f, ix))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ix, err := Read(b)
		if err != nil {
			return
		}
		// Every stored vector costs at least a byte of the file (a flat
		// one its d floats), so nothing allocated outgrows the input.
		if flat, ok := ix.(*core.IndexFlat); ok && len(flat.Vectors())*4 > len(b) {
			t.Fatalf("%d floats from %d bytes", len(flat.Vectors()), len(b))
		}
		if ix.Ntotal() > int64(len(b)) {
			t.Fatalf("%d vectors from %d bytes", ix.Ntotal(), len(b))
		}
	})
}

// codedIndexes are small trained PQ, SQ and HNSW indexes.
func codedIndexes(t testing.TB) []core.Index {
	rng := rand.New(rand.NewSource(2))
	x := make([]float32, 300*8)
	for i := range x {
		x[i] = rng.Float32()
	}
	pq, err := core.NewIndexPQ(8, 2, 4, core.MetricL2)
	require.NoError(t, err)
	pq.PQ.Warn = func(string) {}
	fs, err := core.NewIndexPQFastScan(8, 2, 4, core.MetricInnerProduct, 64)
	require.NoError(t, err)
	fs.PQ.Warn = func(string) {}
	sq, err := core.NewIndexScalarQuantizer(8, core.QT8bit, core.MetricInnerProduct)
	require.NoError(t, err)
	hf, err := core.NewIndexHNSWFlat(8, 4, core.MetricL2)
	require.NoError(t, err)
	hs, err := core.NewIndexHNSWSQ(8, core.QT4bit, 4, core.MetricL2)
	require.NoError(t, err)
	for _, ix := range []core.Index{pq, sq, hs} {
		require.NoError(t, ix.Train(x))
	}
	q1, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivf, err := core.NewIndexIVFFlat(q1, 8, 4, core.MetricL2)
	require.NoError(t, err)
	q2, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivfpq, err := core.NewIndexIVFPQ(q2, 8, 16, 2, 4, core.MetricL2)
	require.NoError(t, err)
	ivfpq.PQ().Warn, ivfpq.Warn, ivf.Warn = func(string) {}, func(string) {}, func(string) {}
	q3, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivffs, err := core.NewIndexIVFPQFastScan(q3, 8, 4, 1, 4, core.MetricL2, 32)
	require.NoError(t, err)
	ivffs.ByResidual = true
	ivffs.PQ().Warn, ivffs.Warn = func(string) {}, func(string) {}
	for _, ix := range []core.Index{pq, fs, sq, hs, ivf, ivfpq, ivffs} {
		require.NoError(t, ix.Train(x))
	}
	require.NoError(t, ivfpq.SetDirectMapType(1))
	pt := preTransformed(t, x)
	lsh, err := core.NewIndexLSH(8, 12, true, true)
	require.NoError(t, err)
	require.NoError(t, lsh.Train(x))
	rbq, err := core.NewIndexRaBitQ(8, core.MetricInnerProduct, 3)
	require.NoError(t, err)
	q4, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivfrbq, err := core.NewIndexIVFRaBitQ(q4, 8, 4, core.MetricL2, 1)
	require.NoError(t, err)
	ivfrbq.Warn = func(string) {}
	rbqfs, err := core.NewIndexRaBitQFastScan(8, core.MetricL2, 64, 2)
	require.NoError(t, err)
	q5, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivfrbqfs, err := core.NewIndexIVFRaBitQFastScan(q5, 8, 4, core.MetricInnerProduct, 32, 1)
	require.NoError(t, err)
	ivfrbqfs.Warn = func(string) {}
	for _, ix := range []core.Index{rbq, ivfrbq, rbqfs, ivfrbqfs} {
		require.NoError(t, ix.Train(x))
	}
	all := []core.Index{pq, sq, hf, hs, ivf, ivfpq, pt, lsh, fs, ivffs, rbq, ivfrbq, rbqfs, ivfrbqfs}
	all = append(all, additiveIndexes(t, x)...)
	for _, ix := range all {
		require.NoError(t, ix.Add(x[:40*8]))
	}
	return all
}

// additiveIndexes are small trained additive-quantizer indexes, flat and
// fast-scan (on x, 8 dimensions).
func additiveIndexes(t testing.TB, x []float32) []core.Index {
	rq, err := core.NewIndexResidualQuantizer(8, []int{4, 3}, core.MetricL2, core.STNormQint8)
	require.NoError(t, err)
	rqfs, err := core.NewIndexResidualQuantizerFastScan(8, 3, 4, core.MetricL2, core.STNormRQ2x4, 32)
	require.NoError(t, err)
	plsqfs, err := core.NewIndexProductAQFastScan(true, 8, 2, 1, 4, core.MetricInnerProduct, core.STLUTNonorm, 64)
	require.NoError(t, err)
	q, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivfrqfs, err := core.NewIndexIVFAQFastScanOf(false, q, 8, 4, 0, 3, 4, core.MetricL2, core.STNormRQ2x4, 32)
	require.NoError(t, err)
	ivfrqfs.Warn = func(string) {}
	rcq, err := core.NewResidualCoarseQuantizer(8, []int{2, 2}, core.MetricL2)
	require.NoError(t, err)
	ivfrq, err := core.NewIndexIVFResidualQuantizer(rcq, 8, 16, []int{3}, core.MetricL2, core.STNormFloat)
	require.NoError(t, err)
	ivfrq.Warn = func(string) {}
	for _, ix := range []core.Index{rq, rqfs, plsqfs, ivfrqfs, ivfrq} {
		require.NoError(t, ix.Train(x))
	}
	return []core.Index{rq, rqfs, plsqfs, ivfrqfs, ivfrq}
}

// preTransformed is a flat index behind one transform of every kind,
// trained on x (8 dimensions).
func preTransformed(t testing.TB, x []float32) core.Index {
	flat, err := core.NewIndexFlat(6, core.MetricL2)
	require.NoError(t, err)
	remap, err := core.NewRemapDimensionsTransform(4, 6, true)
	require.NoError(t, err)
	ix, err := core.NewIndexPreTransform(remap, flat)
	require.NoError(t, err)
	rr, _ := core.NewRandomRotationMatrix(4, 4)
	pca, _ := core.NewPCAMatrix(8, 4, -0.5, true)
	opq, _ := core.NewOPQMatrix(8, 2, -1)
	opq.Niter = 1
	itq, _ := core.NewITQTransform(8, 8, false)
	itq.ITQ.MaxIter = 3
	centre, _ := core.NewCenteringTransform(8)
	norm, _ := core.NewNormalizationTransform(8, 2)
	for _, vt := range []core.VectorTransform{rr, pca, opq, itq, centre, norm} {
		require.NoError(t, ix.Prepend(vt))
	}
	require.NoError(t, ix.Train(x))
	return ix
}

func TestCodedIndexesRoundTripAndTruncationsFailCleanly(t *testing.T) {
	for _, ix := range codedIndexes(t) {
		requireRoundTripAndCleanCuts(t, ix)
	}
}

// requireRoundTripAndCleanCuts writes ix, reads it back and writes the
// same bytes; every truncation of the file fails to read.
func requireRoundTripAndCleanCuts(t *testing.T, ix core.Index) {
	t.Helper()
	b := mustWrite(t, ix)
	back, err := Read(b)
	require.NoError(t, err, "%T", ix)
	assert.Equal(t, b, mustWrite(t, back), "%T", ix)
	for cut := 0; cut < len(b); cut += 3 {
		_, err := Read(b[:cut])
		require.Error(t, err, "%T cut at %d", ix, cut)
	}
}

func TestMappedFilesReadInPlaceAndStayUnchanged(t *testing.T) {
	for _, ix := range append(codedIndexes(t), flatOf(t, 4, core.MetricL2, twelve())) {
		b := mustWrite(t, ix)
		path := t.TempDir() + "/index.faiss"
		require.NoError(t, os.WriteFile(path, b, 0o644))
		back, err := ReadFile(path, true)
		require.NoError(t, err, "%T", ix)
		assert.Equal(t, b, mustWrite(t, back), "%T", ix)
		// Changing the index copies; the file keeps its bytes.
		x := make([]float32, 3*ix.D())
		require.NoError(t, back.Add(x))
		assert.Equal(t, ix.Ntotal()+3, back.Ntotal())
		now, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, b, now, "%T", ix)
		back.Reset()
		require.NoError(t, back.Add(x[:ix.D()]))
		now, err = os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, b, now, "%T: a reset and add write to private pages", ix)
	}
	_, err := ReadFile(t.TempDir()+"/missing", true)
	assert.Error(t, err)
}

func TestLyingQuantizerShapesAreRefusedBeforeAllocating(t *testing.T) {
	pq := codedIndexes(t)[0]
	b := mustWrite(t, pq)
	// IxPq: header (37 bytes), then the quantizer's d, M, nbits (size_t).
	lying := append([]byte{}, b...)
	lying[37], lying[38], lying[39] = 0, 0, 1 // d = 2^24
	lying[53] = 16                            // nbits = 16
	_, err := Read(lying)
	assert.ErrorContains(t, err, "centroid floats")
	ivf := codedIndexes(t)[4]
	b = mustWrite(t, ivf)
	lying = append([]byte{}, b...)
	copy(lying[37:45], []byte{0, 0, 0, 0x0f, 0, 0, 0, 0}) // nlist = 2^28
	_, err = Read(lying)
	assert.ErrorContains(t, err, "nlist")
}
