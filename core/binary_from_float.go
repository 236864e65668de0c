package core

import "math"

// IndexBinaryFromFloat serves binary codes from a float index of the same
// d: each code becomes a vector of -1/+1 (bit j of byte j/8, low bit
// first), and the float distances come back divided by 4 and rounded, the
// Hamming distance when the float index measures squared L2 (faiss's
// IndexBinaryFromFloat).
type IndexBinaryFromFloat struct {
	index Index
}

var _ BinaryIndex = (*IndexBinaryFromFloat)(nil)

// NewIndexBinaryFromFloat wraps index, whose d must be a multiple of 8.
func NewIndexBinaryFromFloat(index Index) (*IndexBinaryFromFloat, error) {
	const op = "IndexBinaryFromFloat"
	if index == nil {
		return nil, Errorf(KindInvalidArgument, op, "no float index to wrap")
	}
	if err := checkBinaryD(op, index.D()); err != nil {
		return nil, err
	}
	return &IndexBinaryFromFloat{index: index}, nil
}

func (ix *IndexBinaryFromFloat) D() int          { return ix.index.D() }
func (ix *IndexBinaryFromFloat) CodeSize() int   { return ix.index.D() / 8 }
func (ix *IndexBinaryFromFloat) Ntotal() int64   { return ix.index.Ntotal() }
func (ix *IndexBinaryFromFloat) IsTrained() bool { return ix.index.IsTrained() }
func (ix *IndexBinaryFromFloat) Reset()          { ix.index.Reset() }

// Index is the wrapped float index.
func (ix *IndexBinaryFromFloat) Index() Index { return ix.index }

// Members implements Composite (through the binary wrapper's float index).
func (ix *IndexBinaryFromFloat) Members() []Index { return []Index{ix.index} }

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryFromFloat) Name() string { return "IndexBinaryFromFloat" }

func (ix *IndexBinaryFromFloat) widen(op string, x []byte) ([]float32, error) {
	if _, err := checkBinaryCodes(op, x, ix.CodeSize(), ix.D()); err != nil {
		return nil, err
	}
	return binaryToReal(x, ix.D()), nil
}

// Train trains the float index on the codes as -1/+1 vectors.
func (ix *IndexBinaryFromFloat) Train(x []byte) error {
	xf, err := ix.widen("IndexBinaryFromFloat.train", x)
	if err != nil {
		return err
	}
	return ix.index.Train(xf)
}

// Add adds the codes to the float index as -1/+1 vectors.
func (ix *IndexBinaryFromFloat) Add(x []byte) error {
	xf, err := ix.widen("IndexBinaryFromFloat.add", x)
	if err != nil {
		return err
	}
	return ix.index.Add(xf)
}

// Search searches the float index with the queries as -1/+1 vectors and
// writes round(distance/4); a missing result is (INT32_MAX, -1).
func (ix *IndexBinaryFromFloat) Search(x []byte, k int, dist []int32, labels []int64) error {
	const op = "IndexBinaryFromFloat.search"
	xf, err := ix.widen(op, x)
	if err != nil {
		return err
	}
	if err := checkResults(op, len(xf)/ix.D(), k, len(dist), len(labels)); err != nil {
		return err
	}
	df := make([]float32, len(dist))
	if err := ix.index.Search(xf, k, df, labels); err != nil {
		return err
	}
	for i, v := range df {
		q := math.Round(float64(v) / 4)
		if labels[i] < 0 || math.IsNaN(q) || q >= math.MaxInt32 {
			dist[i] = math.MaxInt32
		} else {
			dist[i] = int32(max(q, math.MinInt32))
		}
	}
	return nil
}
