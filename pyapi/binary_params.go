package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// binaryParamSearcher is a binary index whose search takes SearchParams.
type binaryParamSearcher interface {
	SearchWithParams(x []byte, k int, dist []int32, labels []int64, p *core.SearchParams) error
}

// binarySearchWith runs a parametrised binary search: n codes at x, the k
// best into dist (int32) and labels, the selector program at sel.
func binarySearchWith(op string, h, n int64, x uintptr, k int64, dist, labels, sel uintptr, nsel int64,
	params func() (*core.SearchParams, error)) string {
	return withCodes(op, h, n, x, false, func(ix core.BinaryIndex, xs []byte) error {
		ps, ok := ix.(binaryParamSearcher)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T takes no such search parameters", ix)
		}
		ds, ls, err := binaryResults(n, k, dist, labels)
		if err != nil {
			return err
		}
		p, err := params()
		if err != nil {
			return err
		}
		if p.Sel, err = decodeSelector(op, sel, nsel); err != nil {
			return err
		}
		return ps.SearchWithParams(xs, int(k), ds, ls, p)
	})
}

// BinarySearchHNSW searches a binary HNSW index with faiss's
// SearchParametersHNSW.
func BinarySearchHNSW(h, n int64, x uintptr, k int64, dist, labels uintptr, efSearch int64, checkRelative, bounded bool, sel uintptr, nsel int64) string {
	const op = "IndexBinaryHNSW.search"
	return binarySearchWith(op, h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		if efSearch < 1 || efSearch > 1<<30 {
			return nil, core.Errorf(core.KindInvalidArgument, op, "efSearch must be positive, got %d", efSearch)
		}
		return &core.SearchParams{HNSW: &core.HNSWSearchParams{EfSearch: int(efSearch), CheckRelativeDistance: checkRelative, BoundedQueue: bounded}}, nil
	})
}

// BinarySearchIVF searches a binary IVF index with all of faiss's
// SearchParametersIVF (ivf: see ivfParams).
func BinarySearchIVF(h, n int64, x uintptr, k int64, dist, labels uintptr, sel uintptr, nsel int64, ivf uintptr) string {
	return binarySearchWith("IndexBinaryIVF.search", h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		return ivfParams(ivf)
	})
}

// binaryResults views the k-NN outputs of n binary queries: dist
// (int32[n*k]) and labels (int64[n*k]).
func binaryResults(n, k int64, dist, labels uintptr) ([]int32, []int64, error) {
	ds, err := int32s(dist, n*k)
	if err != nil {
		return nil, nil, err
	}
	ls, err := int64s(labels, n*k)
	return ds, ls, err
}
