package core

// checkBatch returns the number of rows in x, or an error if x is not a
// whole number of d-dimensional rows.
func checkBatch(op string, x []float32, d int) (int, error) {
	if d <= 0 { // a shard set made without d takes its first shard's
		return 0, Errorf(KindInvalidArgument, op, "the index has no dimension yet: add a shard first")
	}
	if len(x)%d != 0 {
		return 0, Errorf(KindDimensionMismatch, op, "input of %d floats is not a multiple of d=%d", len(x), d)
	}
	return len(x) / d, nil
}

// checkResults validates k and the sizes of the output buffers.
func checkResults(op string, nq, k, nDist, nLabels int) error {
	if k <= 0 {
		return Errorf(KindInvalidArgument, op, "k must be positive, got %d", k)
	}
	if nDist != nq*k || nLabels != nq*k {
		return Errorf(KindDimensionMismatch, op, "outputs hold %d distances and %d labels, need %d (nq=%d, k=%d)", nDist, nLabels, nq*k, nq, k)
	}
	return nil
}
