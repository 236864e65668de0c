package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// KNN searches nq queries at xq among nb vectors at xb (dimension d) for
// the k best under metric, into dist and labels (nq*k each).
func KNN(nq int64, xq uintptr, nb int64, xb uintptr, d, metric int64, arg float64, k int64, dist, labels uintptr) string {
	return guard("knn", func() error {
		q, b, err := pairBuffers(nq, xq, nb, xb, d)
		if err != nil {
			return err
		}
		ds, ls, err := results(nq, k, dist, labels)
		if err != nil {
			return err
		}
		return core.KNN(q, b, int(d), core.Metric(metric), float32(arg), int(k), ds, ls)
	})
}

// PairwiseDistances writes the nq x nb metric values into out.
func PairwiseDistances(nq int64, xq uintptr, nb int64, xb uintptr, d, metric int64, arg float64, out uintptr) string {
	return guard("pairwise_distances", func() error {
		q, b, err := pairBuffers(nq, xq, nb, xb, d)
		if err != nil {
			return err
		}
		o, err := floats(out, nq*nb)
		if err != nil {
			return err
		}
		return core.PairwiseDistances(q, b, int(d), core.Metric(metric), float32(arg), o)
	})
}

// NormalizeL2 scales the n rows of dimension d at x to unit norm in place.
func NormalizeL2(n, d int64, x uintptr) string {
	return guard("normalize_L2", func() error {
		xs, err := floats(x, n*d)
		if err != nil {
			return err
		}
		return core.NormalizeL2(xs, int(d))
	})
}

func pairBuffers(nq int64, xq uintptr, nb int64, xb uintptr, d int64) ([]float32, []float32, error) {
	q, err := floats(xq, nq*d)
	if err != nil {
		return nil, nil, err
	}
	b, err := floats(xb, nb*d)
	return q, b, err
}
