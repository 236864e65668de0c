package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// KNN finds, for each row of xq, the k nearest rows of xb under metric
// (faiss's knn / knn_L2sqr / knn_inner_product), best first.
func KNN(xq, xb []float32, d int, metric Metric, arg float32, k int, dist []float32, labels []int64) error {
	const op = "knn"
	if err := checkPair(op, xq, xb, d, metric); err != nil {
		return err
	}
	nq := len(xq) / d
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	j := &scanJob{metric: metric, arg: arg, d: d, xq: xq, nq: nq, xb: xb, nb: len(xb) / d}
	if metric == MetricL2 && nq >= directThreshold {
		j.bNorms = make([]float32, j.nb)
		kernels.Norms(xb, d, j.bNorms)
	}
	j.useGemm()
	j.knn(k, dist, labels)
	return nil
}

// PairwiseDistances writes the full nq x nb matrix of metric values.
func PairwiseDistances(xq, xb []float32, d int, metric Metric, arg float32, out []float32) error {
	const op = "pairwise_distances"
	if err := checkPair(op, xq, xb, d, metric); err != nil {
		return err
	}
	nq, nb := len(xq)/d, len(xb)/d
	if len(out) != nq*nb {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), nq*nb)
	}
	dist := pairDistance(metric, arg)
	parallelChunks(nq, 1, func(_, lo, hi int) {
		for q := lo; q < hi; q++ {
			x := xq[q*d : (q+1)*d]
			row := out[q*nb : (q+1)*nb]
			for b := range row {
				row[b] = dist(x, xb[b*d:(b+1)*d])
			}
		}
	})
	return nil
}

// NormalizeL2 scales each row of x to unit L2 norm in place; zero rows stay
// zero (faiss's fvec_renorm_L2).
func NormalizeL2(x []float32, d int) error {
	n, err := checkBatch("normalize_L2", x, d)
	if err != nil {
		return err
	}
	renormRows(x[:n*d], d)
	return nil
}

// renormRows scales each row of x to unit L2 norm in place, zero rows left
// alone.
func renormRows(x []float32, d int) {
	parallelChunks(len(x)/d, 1024, func(_, lo, hi int) {
		for r := lo; r < hi; r++ {
			row := x[r*d : (r+1)*d]
			nrm := kernels.Inner(row, row)
			if nrm <= 0 {
				continue
			}
			inv := float32(1 / math.Sqrt(float64(nrm)))
			for i := range row {
				row[i] *= inv
			}
		}
	})
}

func checkPair(op string, xq, xb []float32, d int, metric Metric) error {
	if d <= 0 {
		return Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if err := checkMetric(op, metric); err != nil {
		return err
	}
	if _, err := checkBatch(op, xq, d); err != nil {
		return err
	}
	_, err := checkBatch(op, xb, d)
	return err
}
