package core

import (
	"sort"
)

// IndexLSH codes vectors as the signs of nbits projections and searches
// the codes by Hamming distance (faiss's IndexLSH): with RotateData the
// projections are faiss's random rotation (seed 5), otherwise the first
// nbits dimensions; with TrainThresholds each projection is compared with
// its median over the training set instead of 0. Distances are the
// Hamming distances as floats, as faiss returns them.
type IndexLSH struct {
	d, nbits        int
	RotateData      bool
	TrainThresholds bool
	Thresholds      []float32
	Rotation        *RandomRotationMatrix // nil without RotateData
	codes           *IndexBinaryFlat      // nbits rounded up to bytes
	trained         bool
}

var (
	_ Index     = (*IndexLSH)(nil)
	_ IDRemover = (*IndexLSH)(nil)
)

// NewIndexLSH makes an LSH index of nbits bits per vector.
func NewIndexLSH(d, nbits int, rotateData, trainThresholds bool) (*IndexLSH, error) {
	const op = "IndexLSH"
	if d <= 0 || nbits <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d=%d and nbits=%d must be positive", d, nbits)
	}
	if !rotateData && nbits > d {
		return nil, Errorf(KindInvalidArgument, op, "without rotation nbits (%d) cannot exceed d (%d)", nbits, d)
	}
	codes, _ := NewIndexBinaryFlat((nbits + 7) / 8 * 8)
	ix := &IndexLSH{d: d, nbits: nbits, RotateData: rotateData, TrainThresholds: trainThresholds, codes: codes, trained: !trainThresholds}
	if rotateData {
		ix.Rotation, _ = NewRandomRotationMatrix(d, nbits)
		ix.Rotation.Init(5)
	}
	return ix, nil
}

func (ix *IndexLSH) D() int             { return ix.d }
func (ix *IndexLSH) Nbits() int         { return ix.nbits }
func (ix *IndexLSH) CodeSize() int      { return ix.codes.CodeSize() }
func (ix *IndexLSH) Ntotal() int64      { return ix.codes.Ntotal() }
func (ix *IndexLSH) Metric() Metric     { return MetricL2 }
func (ix *IndexLSH) MetricArg() float32 { return 0 }
func (ix *IndexLSH) IsTrained() bool    { return ix.trained }

// Codes returns the stored codes, back to back.
func (ix *IndexLSH) Codes() []byte { return ix.codes.Codes() }

// project returns the nbits values whose signs are the codes of the rows
// of x (faiss's apply_preprocess), thresholds subtracted when withThresholds.
func (ix *IndexLSH) project(x []float32, n int, withThresholds bool) []float32 {
	var p []float32
	switch {
	case ix.RotateData:
		p = make([]float32, n*ix.nbits)
		linearApply(x, n, ix.d, ix.Rotation.A, ix.nbits, nil, p)
	case ix.d != ix.nbits || withThresholds:
		p = make([]float32, n*ix.nbits)
		for i := 0; i < n; i++ {
			copy(p[i*ix.nbits:(i+1)*ix.nbits], x[i*ix.d:])
		}
	default:
		return x
	}
	if withThresholds {
		for i := 0; i < n; i++ {
			row := p[i*ix.nbits : (i+1)*ix.nbits]
			for j, t := range ix.Thresholds {
				row[j] -= t
			}
		}
	}
	return p
}

// encode writes the code of each row of x: bit j set where projection j
// is >= 0 (faiss's fvecs2bitvecs).
func (ix *IndexLSH) encode(x []float32, n int) []byte {
	p := ix.project(x, n, ix.TrainThresholds)
	cs := ix.CodeSize()
	out := make([]byte, n*cs)
	for i := 0; i < n; i++ {
		row := p[i*ix.nbits : (i+1)*ix.nbits]
		for j, v := range row {
			if v >= 0 {
				out[i*cs+j/8] |= 1 << (j % 8)
			}
		}
	}
	return out
}

// Train learns the thresholds: the median of each projection.
func (ix *IndexLSH) Train(x []float32) error {
	const op = "IndexLSH.train"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if !ix.TrainThresholds {
		ix.trained = true
		return nil
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	p := ix.project(x, n, false)
	col := make([]float32, n)
	th := make([]float32, ix.nbits)
	for j := range th {
		for i := 0; i < n; i++ {
			col[i] = p[i*ix.nbits+j]
		}
		sort.Slice(col, func(a, b int) bool { return col[a] < col[b] })
		if n%2 == 1 {
			th[j] = col[n/2]
		} else {
			th[j] = (col[n/2-1] + col[n/2]) / 2
		}
	}
	ix.Thresholds, ix.trained = th, true
	return nil
}

// Add codes the rows of x and stores them.
func (ix *IndexLSH) Add(x []float32) error {
	const op = "IndexLSH.add"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if !ix.trained {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	return ix.codes.Add(ix.encode(x, n))
}

// Search codes the queries and returns the nearest codes by Hamming
// distance (as floats; missing results are (INT32_MAX, -1), as faiss's).
func (ix *IndexLSH) Search(x []float32, k int, dist []float32, labels []int64) error {
	const op = "IndexLSH.search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if !ix.trained {
		return Errorf(KindNotTrained, op, "train the index before searching")
	}
	idist := make([]int32, nq*k)
	if err := ix.codes.Search(ix.encode(x, nq), k, idist, labels); err != nil {
		return err
	}
	for i, v := range idist {
		dist[i] = float32(v)
	}
	return nil
}

// RemoveIDs removes the vectors whose ids sel picks; later ids shift down,
// as in faiss's flat-code indexes.
func (ix *IndexLSH) RemoveIDs(sel IDSelector) (int64, error) {
	return ix.codes.RemoveIDs(sel), nil
}

// Reset removes every vector; the thresholds stay.
func (ix *IndexLSH) Reset() { ix.codes.Reset() }

// RestoreIndexLSH rebuilds an LSH index read from a file.
func RestoreIndexLSH(d, nbits int, rotate, trainThresholds, trained bool, thresholds []float32, rotation *RandomRotationMatrix, codes []byte) (*IndexLSH, error) {
	ix, err := NewIndexLSH(d, nbits, rotate, trainThresholds)
	if err != nil {
		return nil, err
	}
	if trainThresholds && trained && len(thresholds) != nbits {
		return nil, Errorf(KindInvalidArgument, "IndexLSH", "%d thresholds for nbits=%d", len(thresholds), nbits)
	}
	if rotate && (rotation == nil || rotation.DIn() != d || rotation.DOut() != nbits || !rotation.IsTrained()) {
		return nil, Errorf(KindInvalidArgument, "IndexLSH", "the rotation must be a trained %d -> %d matrix", d, nbits)
	}
	if len(codes)%ix.CodeSize() != 0 {
		return nil, Errorf(KindInvalidArgument, "IndexLSH", "%d code bytes are not whole codes of %d bytes", len(codes), ix.CodeSize())
	}
	ix.Thresholds, ix.trained = thresholds, trained
	if rotate {
		ix.Rotation = rotation
	}
	ix.codes.codes = codes
	return ix, nil
}

// Name is the faiss class this type is read and written as.
func (ix *IndexLSH) Name() string { return "IndexLSH" }
