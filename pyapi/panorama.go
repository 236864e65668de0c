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

// IndexHNSWFlatPanoramaNew makes an IndexHNSWFlatPanorama and writes its
// handle to out (int64[1]).
func IndexHNSWFlatPanoramaNew(d, m, nLevels int64, out uintptr) string {
	return newIndex("IndexHNSWFlatPanorama", out, func() (core.Index, error) {
		return core.NewIndexHNSWFlatPanorama(int(d), int(m), int(nLevels))
	})
}

// HNSWPanoramaCums writes num_panorama_levels and the number of suffix
// norms to info (int64[2]) and, when n matches that number, the norms to
// out (float32[n]).
func HNSWPanoramaCums(h int64, info uintptr, n int64, out uintptr) string {
	const op = "IndexHNSWFlatPanorama.cum_sums"
	return withHNSW(op, h, false, func(ix *core.IndexHNSW) error {
		if ix.Panorama == nil {
			return core.Errorf(core.KindUnsupported, op, "a %s keeps no Panorama norms", ix.Name())
		}
		dst, err := int64s(info, 2)
		if err != nil {
			return err
		}
		cums := ix.CumSums()
		dst[0], dst[1] = int64(ix.PanoramaLevels()), int64(len(cums))
		if n != int64(len(cums)) {
			return nil
		}
		o, err := floats(out, n)
		if err == nil {
			copy(o, cums)
		}
		return err
	})
}
