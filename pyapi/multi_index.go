package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// MultiIndexQuantizerNew makes an untrained MultiIndexQuantizer of M
// sub-spaces of nbits bits and writes its handle to out (int64[1]).
func MultiIndexQuantizerNew(d, m, nbits int64, out uintptr) string {
	return newIndex("MultiIndexQuantizer", out, func() (core.Index, error) {
		return core.NewMultiIndexQuantizer(int(d), int(m), int(nbits))
	})
}

// MultiIndexQuantizer2New makes a MultiIndexQuantizer2 over the n indexes
// whose handles subs holds (int64[n]), one per sub-space.
func MultiIndexQuantizer2New(d, nbits, n int64, subs, out uintptr) string {
	const op = "MultiIndexQuantizer2"
	var hs []int64
	if st := guard(op, func() error {
		v, err := int64s(subs, n)
		hs = append(hs, v...)
		return err
	}); st != "" {
		return st
	}
	return newIndexOver(op, out, hs, func() (core.Index, error) {
		assign := make([]core.Index, len(hs))
		for i, h := range hs {
			ix, err := indexOf(op, h)
			if err != nil {
				return nil, err
			}
			assign[i] = ix
		}
		return core.NewMultiIndexQuantizer2(int(d), int(nbits), assign)
	})
}

// MultiIndexQuantizer2Sub writes a new handle to sub-space index i of the
// MultiIndexQuantizer2 behind h to out (int64[1]).
func MultiIndexQuantizer2Sub(h, i int64, out uintptr) string {
	return withPart("MultiIndexQuantizer2.assign_indexes", h, out, func(v any) (any, bool) {
		q, ok := v.(*core.MultiIndexQuantizer)
		if !ok || i < 0 || i >= int64(len(q.Members())) {
			return nil, false
		}
		return q.Members()[i], true
	})
}
