package core

import (
	"fmt"
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// Index2Layer stores each vector as its coarse list number (the fewest
// bytes that hold nlist) and a product-quantizer code of its residual
// (faiss's Index2Layer: an IVF-PQ's codes kept in one flat array). Searches
// are exhaustive over the decoded vectors (faiss leaves search out; its
// codes, files, reconstructions and transfer to an IndexIVFPQ are the
// same here).
type Index2Layer struct {
	indexFlatCodes
	layers *twoLayerCodec
}

// twoLayerCodec is Index2Layer's codec: faiss's Level1Quantizer (the coarse
// quantizer, nlist, how it trains) and the product quantizer of residuals.
type twoLayerCodec struct {
	Quantizer            Index
	Nlist                int
	QuantizerTrainsAlone int
	CP                   ClusteringParameters
	PQ                   *ProductQuantizer
	// trained is faiss's is_trained: set by Train (or a file), not derived,
	// as a quantizer given trained still needs the residual codebooks.
	trained   bool
	Log, Warn func(string)
}

var (
	_ Index           = (*Index2Layer)(nil)
	_ StandaloneCodec = (*Index2Layer)(nil)
	_ Composite       = (*Index2Layer)(nil)
)

// NewIndex2Layer makes an untrained Index2Layer over quantizer (nlist
// lists) with residual codes of M sub-quantizers of nbits bits.
func NewIndex2Layer(quantizer Index, nlist, m, nbits int, metric Metric) (*Index2Layer, error) {
	const op = "Index2Layer"
	if quantizer == nil {
		return nil, Errorf(KindInvalidArgument, op, "no quantizer")
	}
	if nlist < 1 || nlist > 1<<48 {
		return nil, Errorf(KindInvalidArgument, op, "nlist=%d is outside 1..2^48", nlist)
	}
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "metric %s: Index2Layer takes L2 or inner product", metric)
	}
	pq, err := NewProductQuantizer(quantizer.D(), m, nbits)
	if err != nil {
		return nil, err
	}
	mode := 0
	if _, alone := quantizer.(interface{ trainsAlone() }); alone {
		mode = 1
	}
	c := &twoLayerCodec{Quantizer: quantizer, Nlist: nlist, QuantizerTrainsAlone: mode, CP: DefaultClusteringParameters(), PQ: pq}
	return &Index2Layer{indexFlatCodes: indexFlatCodes{name: op, d: quantizer.D(), metric: metric, codec: c}, layers: c}, nil
}

// RestoreIndex2Layer rebuilds one from a file's fields.
func RestoreIndex2Layer(quantizer Index, nlist, trainsAlone int, pq *ProductQuantizer, metric Metric, trained bool, codes []byte) (*Index2Layer, error) {
	ix, err := NewIndex2Layer(quantizer, nlist, pq.M, pq.Nbits, metric)
	if err != nil {
		return nil, err
	}
	if pq.D != quantizer.D() {
		return nil, Errorf(KindDimensionMismatch, "Index2Layer", "the quantizer has d=%d, the product quantizer d=%d", quantizer.D(), pq.D)
	}
	ix.layers.PQ, ix.layers.QuantizerTrainsAlone, ix.layers.trained = pq, trainsAlone, trained
	if len(codes)%ix.CodeSize() != 0 {
		return nil, Errorf(KindInvalidArgument, "Index2Layer", "%d code bytes are not a whole number of %d-byte codes", len(codes), ix.CodeSize())
	}
	ix.codes = codes
	return ix, nil
}

// Layers gives the coarse quantizer's settings and the product quantizer
// (faiss's q1 and pq).
func (ix *Index2Layer) Layers() *twoLayerCodec { return ix.layers }

func (ix *Index2Layer) Name() string     { return "Index2Layer" }
func (ix *Index2Layer) Members() []Index { return []Index{ix.layers.Quantizer} }

// SetQuantizer replaces the coarse quantizer (faiss scripts assign
// q1.quantizer); the stored codes keep their list numbers.
func (ix *Index2Layer) SetQuantizer(q Index) error {
	if q == nil || q.D() != ix.d {
		return Errorf(KindDimensionMismatch, "Index2Layer.q1.quantizer", "the quantizer must have d=%d", ix.d)
	}
	ix.layers.Quantizer = q
	return nil
}

// SetTrained sets faiss's is_trained flag, which scripts set after giving
// the index a trained quantizer and product quantizer: true needs both
// (the quantizer holding nlist centroids).
func (ix *Index2Layer) SetTrained(trained bool) error {
	l := ix.layers
	if trained && !(l.PQ.IsTrained() && l.Quantizer.IsTrained() && l.Quantizer.Ntotal() == int64(l.Nlist)) {
		return Errorf(KindNotTrained, "Index2Layer.is_trained", "set it after the product quantizer is trained and the quantizer holds nlist=%d centroids (it holds %d)",
			l.Nlist, l.Quantizer.Ntotal())
	}
	l.trained = trained
	return nil
}

// CodeSizes are faiss's code_size_1 (list number) and code_size_2 (PQ).
func (ix *Index2Layer) CodeSizes() (int, int) { return ix.layers.listBytes(), ix.layers.PQ.CodeSize }

func (ix *Index2Layer) SaCodeSize() int { return ix.CodeSize() }

func (ix *Index2Layer) SaEncode(x []float32, codes []byte) error {
	if _, err := checkSa(ix.name+".sa_encode", x, ix.d, codes, ix.CodeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.layers.ComputeCodes(x, codes)
}

func (ix *Index2Layer) SaDecode(codes []byte, x []float32) error {
	if _, err := checkSa(ix.name+".sa_decode", x, ix.d, codes, ix.CodeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.layers.Decode(codes, x)
}

// TransferToIVFPQ moves copies of the codes into the lists of an empty
// IndexIVFPQ with the same nlist and code size, under ids 0..ntotal-1
// (faiss's transfer_to_IVFPQ).
func (ix *Index2Layer) TransferToIVFPQ(other *IndexIVF) error {
	const op = "Index2Layer.transfer_to_IVFPQ"
	cs1, cs2 := ix.CodeSizes()
	switch {
	case other.PQ() == nil:
		return Errorf(KindInvalidArgument, op, "the other index is a %s, not an IndexIVFPQ", other.Name())
	case other.Nlist() != ix.layers.Nlist:
		return Errorf(KindInvalidArgument, op, "the other index has nlist=%d, this one %d", other.Nlist(), ix.layers.Nlist)
	case other.CodeSize() != cs2:
		return Errorf(KindInvalidArgument, op, "the other index has %d-byte codes, this one %d", other.CodeSize(), cs2)
	case other.Ntotal() != 0:
		return Errorf(KindInvalidArgument, op, "the other index holds %d vectors: it must be empty", other.Ntotal())
	}
	cs := cs1 + cs2
	for i := 0; i < len(ix.codes); i += cs {
		l := int(getCoarse(ix.codes[i : i+cs1]))
		if l >= ix.layers.Nlist {
			return Errorf(KindInvalidArgument, op, "code %d names list %d of %d", i/cs, l, ix.layers.Nlist)
		}
		if _, err := other.AddEntries(l, []int64{int64(i / cs)}, ix.codes[i+cs1:i+cs]); err != nil {
			return err
		}
	}
	return nil
}

// listBytes is faiss's code_size_1: the fewest bytes holding 0..nlist-1
// (none for one list).
func (c *twoLayerCodec) listBytes() int {
	n := 0
	for l := c.Nlist - 1; l > 0; l >>= 8 {
		n++
	}
	return n
}

func (c *twoLayerCodec) codeSize() int   { return c.listBytes() + c.PQ.CodeSize }
func (c *twoLayerCodec) IsTrained() bool { return c.trained }

// Train is faiss's: the coarse quantizer's nlist centroids (train_q1), then
// the product quantizer on the residuals of up to
// max_points_per_centroid * ksub of the points.
func (c *twoLayerCodec) Train(x []float32) error {
	const op = "Index2Layer.train"
	d := c.PQ.D
	fresh, err := trainLevel1(op, c.Quantizer, d, c.Nlist, c.QuantizerTrainsAlone, c.CP, c.Log, c.Warn, nil, x)
	if err != nil {
		return err
	}
	sub, n := maybeSubsampleSeed(x, d, c.PQ.CP.MaxPointsPerCentroid*c.PQ.Ksub, c.PQ.CP.Seed)
	res := make([]float32, len(sub))
	lists := make([]int64, n)
	if err = c.residuals(op, sub, lists, res); err == nil {
		c.PQ.Log, c.PQ.Warn = c.Log, c.Warn
		err = c.PQ.Train(res)
	}
	if err != nil {
		if fresh {
			c.Quantizer.Reset()
		}
		return err
	}
	c.trained = true
	return nil
}

// residuals assigns x to lists and writes x less its list's centroid.
func (c *twoLayerCodec) residuals(op string, x []float32, lists []int64, out []float32) error {
	if len(lists) == 0 {
		return nil
	}
	if err := assignOne(c.Quantizer, x, lists); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	rec, ok := c.Quantizer.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the quantizer (%T) cannot reconstruct its centroids", c.Quantizer)
	}
	d := c.PQ.D
	cent := make([]float32, d)
	for i, l := range lists {
		if l < 0 {
			return Errorf(KindInvalidArgument, op, "vector %d has no nearest list (NaN values?)", i)
		}
		if err := rec.Reconstruct(l, cent); err != nil {
			return err
		}
		for j := range cent {
			out[i*d+j] = x[i*d+j] - cent[j]
		}
	}
	return nil
}

// ComputeCodes writes each vector's list number and residual code.
func (c *twoLayerCodec) ComputeCodes(x []float32, codes []byte) error {
	const op = "Index2Layer.sa_encode"
	d, cs1, cs2 := c.PQ.D, c.listBytes(), c.PQ.CodeSize
	n := len(x) / d
	lists := make([]int64, n)
	res := make([]float32, len(x))
	if err := c.residuals(op, x, lists, res); err != nil {
		return err
	}
	body := make([]byte, n*cs2)
	if err := c.PQ.ComputeCodes(res, body); err != nil {
		return err
	}
	for i, l := range lists {
		code := codes[i*(cs1+cs2) : (i+1)*(cs1+cs2)]
		putCoarse(code[:cs1], uint64(l))
		copy(code[cs1:], body[i*cs2:(i+1)*cs2])
	}
	return nil
}

// Decode adds each code's centroid to its decoded residual.
func (c *twoLayerCodec) Decode(codes []byte, x []float32) error {
	const op = "Index2Layer.sa_decode"
	d, cs1, cs := c.PQ.D, c.listBytes(), c.codeSize()
	rec, ok := c.Quantizer.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the quantizer (%T) cannot reconstruct its centroids", c.Quantizer)
	}
	cent := make([]float32, d)
	for i := 0; i < len(codes)/cs; i++ {
		code, out := codes[i*cs:(i+1)*cs], x[i*d:(i+1)*d]
		l := getCoarse(code[:cs1])
		if l >= uint64(c.Nlist) {
			return Errorf(KindInvalidArgument, op, "code %d names list %d of %d", i, l, c.Nlist)
		}
		c.PQ.decodeOne(code[cs1:], out)
		if err := rec.Reconstruct(int64(l), cent); err != nil {
			return err
		}
		for j, v := range cent {
			out[j] += v
		}
	}
	return nil
}

// newScanner measures a query against decoded codes.
func (c *twoLayerCodec) newScanner(metric Metric) codeScanner {
	return &decodingScanner{decode: c.Decode, d: c.PQ.D, cs: c.codeSize(), metric: metric}
}

// decodingScanner measures the query against each code's decoded vector:
// for codecs without tables of their own (Index2Layer's residual codes sit
// on a different centroid each).
type decodingScanner struct {
	decode func(codes []byte, x []float32) error
	d, cs  int
	metric Metric
	q, buf []float32
}

func (s *decodingScanner) setQuery(q []float32) { s.q = q }

func (s *decodingScanner) scan(codes []byte, bias float32, out []float32) {
	if len(s.buf) != s.d {
		s.buf = make([]float32, s.d)
	}
	for i := range out {
		if s.decode(codes[i*s.cs:(i+1)*s.cs], s.buf) != nil {
			out[i] = float32(math.NaN()) // a code naming no list never ranks
			continue
		}
		if s.metric == MetricInnerProduct {
			out[i] = bias + kernels.Inner(s.q, s.buf)
		} else {
			out[i] = bias + kernels.L2Sqr(s.q, s.buf)
		}
	}
}
