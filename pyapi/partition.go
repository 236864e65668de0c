package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// PartitionFuzzyFloat32 runs core.PartitionFuzzy on the n float32 values
// at vals and the int64 ids at ids (0: none), writing q and the threshold
// to out (float64[2]).
func PartitionFuzzyFloat32(vals, ids uintptr, n, qmin, qmax int64, largest bool, out uintptr) string {
	return partitionFuzzy[float32](vals, ids, n, qmin, qmax, largest, out)
}

// PartitionFuzzyUint16 is PartitionFuzzyFloat32 for uint16 values.
func PartitionFuzzyUint16(vals, ids uintptr, n, qmin, qmax int64, largest bool, out uintptr) string {
	return partitionFuzzy[uint16](vals, ids, n, qmin, qmax, largest, out)
}

func partitionFuzzy[T float32 | uint16](vals, ids uintptr, n, qmin, qmax int64, largest bool, out uintptr) string {
	return guard("partition_fuzzy", func() error {
		vs, err := view[T](vals, n)
		if err != nil {
			return err
		}
		is, err := optional[int64](ids, n)
		if err != nil {
			return err
		}
		res, err := float64s(out, 2)
		if err != nil {
			return err
		}
		q, thresh, err := core.PartitionFuzzy(vs, is, int(qmin), int(qmax), largest)
		res[0], res[1] = float64(q), float64(thresh)
		return err
	})
}

// Histogram16 counts the n uint16 values at data into nbin int32 bins at
// hist (core.Histogram).
func Histogram16(data uintptr, n, minv, shift int64, hist uintptr, nbin int64) string {
	return guard("simd_histogram", func() error {
		vs, err := view[uint16](data, n)
		if err != nil {
			return err
		}
		hs, err := int32s(hist, nbin)
		if err != nil {
			return err
		}
		core.Histogram(vs, int(minv), int(shift), hs)
		return nil
	})
}
