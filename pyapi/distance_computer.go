package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// DistanceComputerNew makes a distance computer over the index behind idx
// (faiss's get_distance_computer) and writes its handle to out (int64[1]).
func DistanceComputerNew(idx int64, out uintptr) string {
	const op = "Index.get_distance_computer"
	return newObjectOver(op, out, []int64{idx}, func() (any, error) {
		o, err := lookup(op, idx)
		if err != nil {
			return nil, err
		}
		ix, ok := o.val.(core.Index)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "handle %d is not an index", idx)
		}
		return core.NewDistanceComputer(ix)
	})
}

// withDC runs fn on the distance computer behind h. Every call takes the
// family's write lock: the computer's scratch is shared.
func withDC(op string, h int64, fn func(dc *core.DistanceComputer) error) string {
	return withObject(op, h, true, func(v any) error {
		dc, ok := v.(*core.DistanceComputer)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a distance computer", h)
		}
		return fn(dc)
	})
}

// DCInfo writes the query dimension and the code size to out (int64[2]).
func DCInfo(h int64, out uintptr) string {
	return withDC("DistanceComputer", h, func(dc *core.DistanceComputer) error {
		o, err := int64s(out, 2)
		if err == nil {
			o[0], o[1] = int64(dc.D()), int64(dc.CodeSize())
		}
		return err
	})
}

// DCSetQuery makes the d floats at x the query.
func DCSetQuery(h int64, x uintptr) string {
	return withDC("DistanceComputer.set_query", h, func(dc *core.DistanceComputer) error {
		q, err := floats(x, int64(dc.D()))
		if err != nil {
			return err
		}
		return dc.SetQuery(q)
	})
}

// DCDistances writes the distances from the query to the n stored ids at
// ids into out (float32[n]).
func DCDistances(h, n int64, ids, out uintptr) string {
	return withDC("DistanceComputer", h, func(dc *core.DistanceComputer) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		o, err := floats(out, n)
		if err != nil {
			return err
		}
		for k, id := range is {
			if o[k], err = dc.Distance(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// DCSymmetric writes the distance between stored vectors i and j to out
// (float32[1]).
func DCSymmetric(h, i, j int64, out uintptr) string {
	return withDC("DistanceComputer.symmetric_dis", h, func(dc *core.DistanceComputer) error {
		o, err := floats(out, 1)
		if err != nil {
			return err
		}
		o[0], err = dc.Symmetric(i, j)
		return err
	})
}

// DCDistanceToCode writes the distance from the query to the code at code
// to out (float32[1]).
func DCDistanceToCode(h int64, code, out uintptr) string {
	return withDC("DistanceComputer.distance_to_code", h, func(dc *core.DistanceComputer) error {
		c, err := bytesAt(code, int64(dc.CodeSize()))
		if err != nil {
			return err
		}
		o, err := floats(out, 1)
		if err != nil {
			return err
		}
		o[0], err = dc.DistanceToCode(c)
		return err
	})
}
