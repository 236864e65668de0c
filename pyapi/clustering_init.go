package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// ClusteringInitCentroids writes k initial centroids (k*d float32 at out)
// drawn by method from the n points at x, complementing the m existing
// centroids at existing (m may be 0).
func ClusteringInitCentroids(method, d, k, n int64, x uintptr, m int64, existing uintptr, seed, chainLength int64, out uintptr) string {
	const op = "ClusteringInitialization.init_centroids"
	return guard(op, func() error {
		if d <= 0 || n < 0 || m < 0 || k < 0 {
			return core.Errorf(core.KindInvalidArgument, op, "d, k, n and the existing count must be positive")
		}
		xs, err := floats(x, n*d)
		if err != nil {
			return err
		}
		var ex []float32
		if m > 0 {
			if ex, err = floats(existing, m*d); err != nil {
				return err
			}
		}
		o, err := floats(out, k*d)
		if err != nil {
			return err
		}
		return core.InitCentroids(core.InitMethod(method), xs, int(d), int(k), seed, int(chainLength), ex, o)
	})
}
