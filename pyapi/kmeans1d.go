package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// KMeans1D clusters the n values at x into k exactly and writes the k
// sorted means to out (float32[k]) and the objective to obj (float64[1]).
func KMeans1D(n int64, x uintptr, k int64, out, obj uintptr) string {
	const op = "Clustering1D.train_exact"
	return guard(op, func() error {
		xs, err := floats(x, n)
		if err != nil {
			return err
		}
		if k <= 0 || k > n {
			return core.Errorf(core.KindInvalidArgument, op, "k=%d clusters for %d values: need 1 <= k <= n", k, n)
		}
		dst, err := floats(out, k)
		if err != nil {
			return err
		}
		o, err := float64s(obj, 1)
		if err != nil {
			return err
		}
		c, v, err := core.KMeans1D(xs, int(k))
		if err != nil {
			return err
		}
		copy(dst, c)
		o[0] = v
		return nil
	})
}

// Smawk writes the leftmost minimum of each row of the nrows x ncols
// float32 matrix at x (row-major, totally monotone) to argmins
// (int64[nrows]).
func Smawk(nrows, ncols int64, x, argmins uintptr) string {
	const op = "smawk"
	return guard(op, func() error {
		if nrows < 0 || ncols < 0 || (nrows > 0 && ncols > (1<<40)/max(nrows, 1)) {
			return core.Errorf(core.KindInvalidArgument, op, "bad matrix size %d x %d", nrows, ncols)
		}
		if nrows > 0 && ncols == 0 {
			return core.Errorf(core.KindInvalidArgument, op, "a matrix of %d rows needs columns", nrows)
		}
		m, err := floats(x, nrows*ncols)
		if err != nil {
			return err
		}
		out, err := int64s(argmins, nrows)
		if err != nil {
			return err
		}
		core.Smawk(int(nrows), int(ncols), func(i, j int) float64 { return float64(m[int64(i)*ncols+int64(j)]) }, out)
		return nil
	})
}
