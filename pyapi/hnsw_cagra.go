package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexHNSWCagraNew makes an IndexHNSWCagra (half: float16 storage) and
// writes its handle to out (int64[1]).
func IndexHNSWCagraNew(d, m, metric int64, half bool, out uintptr) string {
	return newIndex("IndexHNSWCagra", out, func() (core.Index, error) {
		return core.NewIndexHNSWCagra(int(d), int(m), core.Metric(metric), half)
	})
}

func withCagra(op string, h int64, write bool, fn func(*core.HNSWCagra) error) string {
	return withIndex(op, h, write, func(v core.Index) error {
		ix, ok := v.(*core.IndexHNSW)
		if !ok || ix.Cagra == nil {
			return unsupported(op, v)
		}
		return fn(ix.Cagra)
	})
}

// HNSWCagraInfo writes base_level_only, num_base_level_search_entrypoints
// and the numeric type (0 float32, 1 float16) to out (int64[3]).
func HNSWCagraInfo(h int64, out uintptr) string {
	return withCagra("IndexHNSWCagra.info", h, false, func(c *core.HNSWCagra) error {
		dst, err := int64s(out, 3)
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2] = b2i(c.BaseLevelOnly), int64(c.NumEntryPoints), b2i(c.Half)
		return nil
	})
}

// HNSWCagraSet sets base_level_only or num_base_level_search_entrypoints.
func HNSWCagraSet(h int64, name string, value int64) string {
	op := "IndexHNSWCagra." + name
	return withCagra(op, h, true, func(c *core.HNSWCagra) error {
		switch name {
		case "base_level_only":
			c.BaseLevelOnly = value != 0
		case "num_base_level_search_entrypoints":
			if value < 1 || value > 1<<30 {
				return core.Errorf(core.KindInvalidArgument, op, "must be a positive integer, got %d", value)
			}
			c.NumEntryPoints = int(value)
		default:
			return core.Errorf(core.KindInvalidArgument, op, "no such field")
		}
		return nil
	})
}
