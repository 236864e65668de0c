package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexRefineNew pairs the indexes behind handles base and refine in an
// IndexRefine and writes its handle to out (int64[1]).
func IndexRefineNew(base, refine int64, out uintptr) string {
	const op = "IndexRefine"
	return newIndexOver(op, out, []int64{base, refine}, func() (core.Index, error) {
		b, err := indexOf(op, base)
		if err != nil {
			return nil, err
		}
		r, err := indexOf(op, refine)
		if err != nil {
			return nil, err
		}
		return core.NewIndexRefine(b, r)
	})
}

// IndexRefineRefine writes a new handle to the refine index of the
// IndexRefine behind h to out (int64[1]).
func IndexRefineRefine(h int64, out uintptr) string {
	const op = "IndexRefine.refine_index"
	return withPart(op, h, out, func(v any) (any, bool) {
		r, ok := v.(*core.IndexRefine)
		if !ok {
			return nil, false
		}
		return r.Refine(), true
	})
}
