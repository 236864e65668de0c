package pyapi

import (
	"math"
	"strings"

	"github.com/metalfaiss/metalfaiss/core"
)

// kmeans is what a clustering handle refers to: the core Clustering, the
// run in progress (if any) with the index object it assigns through, and
// the log and warning lines not yet fetched by Python.
type kmeans struct {
	c        *core.Clustering
	run      *core.ClusteringRun
	index    *object
	messages []string
}

// withKMeans runs fn on the clustering behind handle h under its lock.
func withKMeans(op string, h int64, fn func(*kmeans) error) string {
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		defer o.lock(true)()
		km, ok := o.val.(*kmeans)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a clustering", h)
		}
		return fn(km)
	})
}

// ClusteringNew makes a k-means Clustering with faiss's default parameters
// and writes its handle to out (int64[1]).
func ClusteringNew(d, k int64, out uintptr) string {
	return guard("Clustering", func() error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		c, err := core.NewClustering(int(d), int(k), core.DefaultClusteringParameters())
		if err != nil {
			return err
		}
		km := &kmeans{c: c}
		c.Log = func(line string) { km.messages = append(km.messages, "I|"+line) }
		c.Warn = func(line string) { km.messages = append(km.messages, "W|"+line) }
		dst[0] = register(km)
		return nil
	})
}

// ClusteringSet sets one parameter by its faiss name; booleans are 0 or 1.
func ClusteringSet(h int64, name string, value float64) string {
	op := "ClusteringParameters." + name
	return withKMeans(op, h, func(km *kmeans) error {
		return setClusteringParameter(&km.c.ClusteringParameters, op, name, value)
	})
}

// setClusteringParameter sets the field of p that faiss calls name (IVF
// indexes reuse it for their cp).
func setClusteringParameter(p *core.ClusteringParameters, op, name string, value float64) error {
	if name == "early_stop_threshold" {
		p.EarlyStopThreshold = value
		return nil
	}
	if value != math.Trunc(value) || math.Abs(value) > 1<<53 {
		return core.Errorf(core.KindInvalidArgument, op, "expected an integer, got %v", value)
	}
	iv := int64(value)
	ints := map[string]*int{
		"niter": &p.Niter, "nredo": &p.Nredo, "decode_block_size": &p.DecodeBlockSize,
		"min_points_per_centroid": &p.MinPointsPerCentroid, "max_points_per_centroid": &p.MaxPointsPerCentroid,
		"afkmc2_chain_length": &p.AFKMC2ChainLength,
	}
	bools := map[string]*bool{
		"verbose": &p.Verbose, "spherical": &p.Spherical, "int_centroids": &p.IntCentroids,
		"update_index": &p.UpdateIndex, "frozen_centroids": &p.FrozenCentroids,
		"check_input_data_for_NaNs": &p.CheckInputDataForNaNs,
	}
	switch {
	case name == "seed":
		p.Seed = iv
	case name == "init_method":
		p.InitMethod = core.InitMethod(iv)
	case ints[name] != nil:
		if iv < math.MinInt32 || iv > math.MaxInt32 {
			return core.Errorf(core.KindInvalidArgument, op, "%d does not fit in 32 bits", iv)
		}
		*ints[name] = int(iv)
	case bools[name] != nil:
		*bools[name] = iv != 0
	default:
		return core.Errorf(core.KindInvalidArgument, "ClusteringParameters", "unknown parameter %q", name)
	}
	return nil
}

// ClusteringSetCentroids gives n initial centroids (float32[n*d]); n = 0
// clears them.
func ClusteringSetCentroids(h, n int64, x uintptr) string {
	return withKMeans("Clustering.centroids", h, func(km *kmeans) error {
		xs, err := floats(x, n*int64(km.c.D))
		if err != nil {
			return err
		}
		km.c.Centroids = append([]float32(nil), xs...)
		return nil
	})
}

// ClusteringStart begins training on n points at x (float32[n*d]) with
// optional weights (float32[n], address 0 for none), assigning through the
// index behind handle ix, and writes the number of points used and whether
// training is already over (1 when there are exactly k points) to out
// (int64[2]). The Python layer keeps x and weights alive until the run ends.
func ClusteringStart(h, ix, n int64, x, weights uintptr, out uintptr) string {
	const op = "Clustering.train"
	return withKMeans(op, h, func(km *kmeans) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		xs, err := floats(x, n*int64(km.c.D))
		if err != nil {
			return err
		}
		ws, err := optional[float32](weights, n)
		if err != nil {
			return err
		}
		o, err := lookup(op, ix)
		if err != nil {
			return err
		}
		// Check the type before locking: the handle may be this very
		// clustering, whose lock we hold.
		index, ok := o.val.(core.Index)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not an index", ix)
		}
		km.Close()
		defer o.lock(true)()
		run, err := km.c.Start(xs, index, ws)
		if err != nil {
			return err
		}
		dst[0], dst[1] = int64(run.Points()), 0
		if run.Done() {
			dst[1] = 1
			return nil
		}
		km.run, km.index = run, o
		return nil
	})
}

// ClusteringStep runs the next iteration and writes obj, time,
// time_search, imbalance_factor, nsplit, ran (1 if an iteration ran), done
// (1 when training has finished) and the current redo to out (float64[8]).
func ClusteringStep(h int64, out uintptr) string {
	return withKMeans("Clustering.train", h, func(km *kmeans) error {
		dst, err := float64s(out, 8)
		if err != nil {
			return err
		}
		if km.run == nil {
			return core.Errorf(core.KindInvalidArgument, "Clustering.train", "no training in progress")
		}
		redo := km.run.Redo()
		unlock := km.index.lock(true)
		st, ran, err := km.run.Step()
		unlock()
		done := km.run.Done()
		if done {
			km.run, km.index = nil, nil
		}
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2], dst[3], dst[4] = float64(st.Obj), st.Time, st.TimeSearch, st.ImbalanceFactor, float64(st.Nsplit)
		dst[5], dst[6], dst[7] = b2f(ran), b2f(done), float64(redo)
		return nil
	})
}

// Close drops the run in progress, if any, freeing what it holds on a
// device (under its index's lock, like every use of that index) and
// forgetting the caller's buffers. Freeing the handle closes it too, so a
// run abandoned on any path is released.
func (km *kmeans) Close() {
	if km.run != nil {
		unlock := km.index.lock(true)
		km.run.Close()
		unlock()
	}
	km.run, km.index = nil, nil
}

// ClusteringAbort drops the run in progress, if any.
func ClusteringAbort(h int64) string {
	return withKMeans("Clustering.train", h, func(km *kmeans) error {
		km.Close()
		return nil
	})
}

// ClusteringMessages returns, and forgets, the log ("I|...") and warning
// ("W|...") lines produced so far, one per line.
func ClusteringMessages(h int64) string {
	var lines []string
	if st := withKMeans("Clustering.messages", h, func(km *kmeans) error {
		lines, km.messages = km.messages, nil
		return nil
	}); st != "" {
		return st
	}
	return "=" + strings.Join(lines, "\n")
}

// ClusteringInfo writes d, k, the number of centroids held and the number
// of iteration records to out (int64[4]).
func ClusteringInfo(h int64, out uintptr) string {
	return withKMeans("Clustering.info", h, func(km *kmeans) error {
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		c := km.c
		dst[0], dst[1], dst[2], dst[3] = int64(c.D), int64(c.K), int64(len(c.Centroids)/c.D), int64(len(c.IterationStats))
		return nil
	})
}

// ClusteringCentroids copies the n centroids held (see ClusteringInfo)
// into out (float32[n*d]).
func ClusteringCentroids(h, n int64, out uintptr) string {
	return withKMeans("Clustering.centroids", h, func(km *kmeans) error {
		if n*int64(km.c.D) != int64(len(km.c.Centroids)) {
			return core.Errorf(core.KindInvalidArgument, "Clustering.centroids", "%d centroids held, %d asked for", len(km.c.Centroids)/km.c.D, n)
		}
		dst, err := floats(out, n*int64(km.c.D))
		if err != nil {
			return err
		}
		copy(dst, km.c.Centroids)
		return nil
	})
}

// ClusteringStats writes the n iteration records (see ClusteringInfo) to
// out (float64[n*5]: obj, time, time_search, imbalance_factor, nsplit).
func ClusteringStats(h, n int64, out uintptr) string {
	return withKMeans("Clustering.iteration_stats", h, func(km *kmeans) error {
		stats := km.c.IterationStats
		if n != int64(len(stats)) {
			return core.Errorf(core.KindInvalidArgument, "Clustering.iteration_stats", "%d records held, %d asked for", len(stats), n)
		}
		dst, err := float64s(out, n*5)
		if err != nil {
			return err
		}
		for i, st := range stats {
			copy(dst[i*5:], []float64{float64(st.Obj), st.Time, st.TimeSearch, st.ImbalanceFactor, float64(st.Nsplit)})
		}
		return nil
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
