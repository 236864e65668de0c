package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexRowwiseMinMaxNew wraps the index behind sub in an IndexRowwiseMinMax
// (half: IndexRowwiseMinMaxFP16) and writes its handle to out (int64[1]).
func IndexRowwiseMinMaxNew(sub int64, half bool, out uintptr) string {
	op := "IndexRowwiseMinMax"
	if half {
		op += "FP16"
	}
	return newIndexOver(op, out, []int64{sub}, func() (core.Index, error) {
		s, err := indexOf(op, sub)
		if err != nil {
			return nil, err
		}
		return core.NewIndexRowwiseMinMax(s, half)
	})
}

// IndexRowwiseMinMaxSub writes a new handle to the sub-index of the
// IndexRowwiseMinMax behind h to out (int64[1]).
func IndexRowwiseMinMaxSub(h int64, out uintptr) string {
	return withPart("IndexRowwiseMinMax.index", h, out, func(v any) (any, bool) {
		m, ok := v.(*core.IndexRowwiseMinMax)
		if !ok {
			return nil, false
		}
		return m.Sub(), true
	})
}

// IndexRowwiseMinMaxTrainInPlace trains the IndexRowwiseMinMax behind h on
// the n rows at x (float32[n*d]), which it scales and scales back in place.
func IndexRowwiseMinMaxTrainInPlace(h, n int64, x uintptr) string {
	const op = "IndexRowwiseMinMax.train_inplace"
	return withIndex(op, h, true, func(ix core.Index) error {
		m, ok := ix.(*core.IndexRowwiseMinMax)
		if !ok {
			return unsupported(op, ix)
		}
		rows, err := floats(x, n*int64(m.D()))
		if err != nil {
			return err
		}
		return m.TrainInPlace(rows)
	})
}
