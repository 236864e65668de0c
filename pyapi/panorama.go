package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexFlatPanoramaNew makes an IndexFlatPanorama and writes its handle to
// out (int64[1]).
func IndexFlatPanoramaNew(d, metric, nLevels, batchSize int64, out uintptr) string {
	return newIndex("IndexFlatPanorama", out, func() (core.Index, error) {
		return core.NewIndexFlatPanorama(int(d), core.Metric(metric), int(nLevels), int(batchSize))
	})
}

func withFlatPanorama(op string, h int64, write bool, fn func(ix *core.IndexFlatPanorama) error) string {
	return withIndex(op, h, write, func(v core.Index) error {
		ix, ok := v.(*core.IndexFlatPanorama)
		if !ok {
			return unsupported(op, v)
		}
		return fn(ix)
	})
}

// FlatPanoramaInfo writes n_levels, batch_size and the lengths of the codes
// (floats) and suffix norms to out (int64[4]).
func FlatPanoramaInfo(h int64, out uintptr) string {
	return withFlatPanorama("IndexFlatPanorama.info", h, false, func(ix *core.IndexFlatPanorama) error {
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		codes, cums := ix.Layout()
		dst[0], dst[1], dst[2], dst[3] = int64(ix.Levels()), int64(ix.BatchSize()), int64(len(codes)), int64(len(cums))
		return nil
	})
}

// FlatPanoramaLayout copies the codes (float32[nc]) and the suffix norms
// (float32[ns]) into codes and cums.
func FlatPanoramaLayout(h, nc int64, codes uintptr, ns int64, cums uintptr) string {
	const op = "IndexFlatPanorama.codes"
	return withFlatPanorama(op, h, false, func(ix *core.IndexFlatPanorama) error {
		c, s := ix.Layout()
		if int64(len(c)) != nc || int64(len(s)) != ns {
			return core.Errorf(core.KindDimensionMismatch, op, "the layout holds %d and %d floats, not %d and %d", len(c), len(s), nc, ns)
		}
		dc, err := floats(codes, nc)
		if err != nil {
			return err
		}
		ds, err := floats(cums, ns)
		if err != nil {
			return err
		}
		copy(dc, c)
		copy(ds, s)
		return nil
	})
}

// FlatPanoramaUpdate gives the n vectors with ids at ids the values at x.
func FlatPanoramaUpdate(h, n int64, ids, x uintptr) string {
	const op = "IndexFlatPanorama.update_vectors"
	return withFlatPanorama(op, h, true, func(ix *core.IndexFlatPanorama) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		return ix.UpdateVectors(is, xs)
	})
}
