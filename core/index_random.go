package core

import (
	"math"
	"unsafe"
)

// IndexRandom answers every search with pseudo-random ids and increasing
// random distances, the same for the same query (faiss's IndexRandom, a
// stand-in for benchmarks of the code around an index). Each query seeds
// faiss's generator with seed + the checksum of its float bits, and the
// draws are faiss's, so the answers are faiss's.
type IndexRandom struct {
	d      int
	ntotal int64
	seed   int64
	metric Metric
}

var (
	_ Index         = (*IndexRandom)(nil)
	_ Reconstructor = (*IndexRandom)(nil)
)

// NewIndexRandom makes an IndexRandom of d dimensions claiming ntotal
// vectors.
func NewIndexRandom(d int, ntotal, seed int64, metric Metric) (*IndexRandom, error) {
	const op = "IndexRandom"
	if d <= 0 || ntotal < 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive and ntotal >= 0, got d=%d, ntotal=%d", d, ntotal)
	}
	return &IndexRandom{d: d, ntotal: ntotal, seed: seed, metric: metric}, nil
}

func (ix *IndexRandom) D() int                  { return ix.d }
func (ix *IndexRandom) Ntotal() int64           { return ix.ntotal }
func (ix *IndexRandom) Metric() Metric          { return ix.metric }
func (ix *IndexRandom) MetricArg() float32      { return 0 }
func (ix *IndexRandom) IsTrained() bool         { return true }
func (ix *IndexRandom) Train(x []float32) error { return nil }
func (ix *IndexRandom) Reset()                  { ix.ntotal = 0 }
func (ix *IndexRandom) Name() string            { return "IndexRandom" }

// Add only counts the vectors.
func (ix *IndexRandom) Add(x []float32) error {
	n, err := checkBatch("IndexRandom.add", x, ix.d)
	if err == nil {
		ix.ntotal += int64(n)
	}
	return err
}

// ivecChecksum is faiss's ivec_checksum of n 32-bit words.
func ivecChecksum(words []uint32) uint64 {
	cs := uint64(112909)
	for n := len(words) - 1; n >= 0; n-- {
		cs = cs*65713 + uint64(words[n]*1686049)
	}
	return cs
}

// Search draws, for each query, k distinct ids below ntotal and k
// increasing distances (decreasing similarities), as faiss does.
func (ix *IndexRandom) Search(x []float32, k int, dist []float32, labels []int64) error {
	const op = "IndexRandom.search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if int64(k) > ix.ntotal {
		return Errorf(KindInvalidArgument, op, "k=%d is more than ntotal=%d", k, ix.ntotal)
	}
	for q := 0; q < nq; q++ {
		row := x[q*ix.d : (q+1)*ix.d]
		words := unsafe.Slice((*uint32)(unsafe.Pointer(&row[0])), ix.d)
		rng := newMT19937(uint32(uint64(ix.seed) + ivecChecksum(words)))
		ls, ds := labels[q*k:(q+1)*k], dist[q*k:(q+1)*k]
		// Draws (faiss's 62-bit rand_int64 % ntotal) until distinct; k <=
		// ntotal.
		seen := make(map[int64]bool, k)
		for j := range ls {
			var id int64
			for {
				if id = rng.rand62() % ix.ntotal; !seen[id] {
					break
				}
			}
			ls[j], seen[id] = id, true
		}
		var prev float32
		for j := range ds {
			step := float32(rng.next()) / float32(math.MaxUint32)
			if ix.metric.IsSimilarity() {
				step = -step
			}
			prev += step
			ds[j] = prev
		}
	}
	return nil
}

// Reconstruct fills out with faiss's random vector for key.
func (ix *IndexRandom) Reconstruct(key int64, out []float32) error {
	if len(out) != ix.d {
		return Errorf(KindDimensionMismatch, "IndexRandom.reconstruct", "output holds %d floats, need d=%d", len(out), ix.d)
	}
	rng := newMT19937(uint32(uint64(ix.seed) + 123332 + uint64(key)))
	for i := range out {
		out[i] = rng.float()
	}
	return nil
}

// ReconstructN reconstructs keys i0..i0+n-1.
func (ix *IndexRandom) ReconstructN(i0, n int64, out []float32) error {
	if n < 0 || int64(len(out)) != n*int64(ix.d) {
		return Errorf(KindDimensionMismatch, "IndexRandom.reconstruct_n", "output holds %d floats, need %d", len(out), n*int64(ix.d))
	}
	for i := int64(0); i < n; i++ {
		_ = ix.Reconstruct(i0+i, out[i*int64(ix.d):(i+1)*int64(ix.d)])
	}
	return nil
}
