package core

import (
	"math"
	"time"
)

// redoSeedStride separates the seeds of the Nredo runs (faiss's constant,
// a prime).
const redoSeedStride = 15486557

// beginRedo picks the initial centroids of the current run from a seeded
// permutation of the points (after any given ones) and loads the index.
func (r *ClusteringRun) beginRedo() error {
	c, d := r.c, r.c.D
	if c.Nredo > 1 {
		c.logf("Outer iteration %d / %d", r.redo, c.Nredo)
	}
	// The given centroids keep their rows; faiss keeps what a previous run
	// left in them, and so do we.
	seed := r.seed + 1 + int64(r.redo)*redoSeedStride
	if c.InitMethod != InitRandom {
		// the D^2 methods draw the missing centroids, complementing the given ones
		given := r.centroids[:r.nInput*d]
		if err := InitCentroids(c.InitMethod, r.x, d, c.K-r.nInput, seed, c.AFKMC2ChainLength, given, r.centroids[r.nInput*d:]); err != nil {
			return err
		}
	} else {
		perm := randPerm(r.nx, seed)
		for i := r.nInput; i < c.K; i++ {
			copy(r.centroids[i*d:(i+1)*d], r.x[perm[i]*d:(perm[i]+1)*d])
		}
	}
	c.postProcess(r.centroids)
	if r.index.Ntotal() != 0 {
		r.index.Reset()
	}
	if !r.index.IsTrained() {
		if err := r.index.Train(r.centroids); err != nil {
			return err
		}
	}
	r.stopEarly = false
	return r.index.Add(r.centroids)
}

// iterate is one Lloyd iteration: assign every point through the index,
// then move each centroid to the mean of its points.
func (r *ClusteringRun) iterate() (ClusteringIterationStats, error) {
	c, k := r.c, r.c.K
	t := time.Now()
	if err := r.accelerate(); err != nil {
		return ClusteringIterationStats{}, err
	}
	// The assignment, in blocks between which Ctrl-C may stop the run
	// (an iteration over millions of points takes seconds).
	d := c.D
	err := inInterruptibleRows("Clustering.train", r.nx, kmeansInterruptBlock, func(lo, hi int) error {
		return r.index.Search(r.x[lo*d:hi*d], 1, r.dis[lo:hi], r.assign[lo:hi])
	})
	if err != nil {
		return ClusteringIterationStats{}, err
	}
	r.tSearch += time.Since(t)
	for i, a := range r.assign {
		if a < 0 || a >= int64(k) {
			return ClusteringIterationStats{}, Errorf(KindInvalidArgument, "Clustering.train",
				"the assignment index gave point %d the label %d, outside 0..%d (does it hold exactly the %d centroids?)", i, a, k-1, k)
		}
	}
	// Summed in float32 in point order, as faiss does, so objectives match.
	var obj float32
	for _, v := range r.dis {
		obj += v
	}
	kFrozen := 0
	if c.FrozenCentroids {
		kFrozen = r.nInput
	}
	hassign := make([]float32, k)
	if r.accel != nil {
		sums, counts := make([]float32, k*c.D), make([]float32, k)
		if err := r.accel.SumByLabel(r.assign, r.weights, k, sums, counts); err != nil {
			return ClusteringIterationStats{}, err
		}
		centroidsFromSums(c.D, kFrozen, sums, counts, hassign, r.centroids)
	} else {
		computeCentroids(c.D, r.x, r.weights, r.assign, kFrozen, hassign, r.centroids)
	}
	nsplit := splitClusters(c.D, r.nx, kFrozen, hassign, r.centroids)
	st := ClusteringIterationStats{
		Obj:             obj,
		Time:            time.Since(r.t0).Seconds(),
		TimeSearch:      r.tSearch.Seconds(),
		ImbalanceFactor: imbalanceFactor(k, r.assign),
		Nsplit:          nsplit,
	}
	r.stats = append(r.stats, st)
	c.logf("  Iteration %d (%.2f s, search %.2f s): objective=%.6g imbalance=%.3f nsplit=%d",
		r.iter, st.Time, st.TimeSearch, st.Obj, st.ImbalanceFactor, nsplit)
	c.postProcess(r.centroids)

	r.index.Reset()
	if c.UpdateIndex {
		if err := r.index.Train(r.centroids); err != nil {
			return st, err
		}
	}
	if err := r.index.Add(r.centroids); err != nil {
		return st, err
	}
	if r.iter > 0 && c.EarlyStopThreshold >= 0 {
		change := math.Abs(float64(r.prevObj) - float64(obj))
		r.stopEarly = change <= c.EarlyStopThreshold*math.Abs(float64(r.prevObj))
	}
	r.prevObj = obj
	return st, nil
}

// endRedo closes the current run: with several runs, keep the best.
func (r *ClusteringRun) endRedo() error {
	c := r.c
	if c.Nredo > 1 {
		obj := r.prevObj // objective of this run's last iteration (0 without iterations)
		if r.iter == 0 {
			obj = 0
		}
		if (r.higherIsBetter() && obj > r.bestObj) || (!r.higherIsBetter() && obj < r.bestObj) || r.best == nil {
			c.logf("Objective improved: keep new clusters")
			r.best = append(r.best[:0], r.centroids...)
			r.bestStats = append(r.bestStats[:0], r.stats...)
			r.bestObj = obj
		}
		r.index.Reset()
	}
	r.redo++
	r.iter = 0
	if r.redo < c.Nredo {
		return nil
	}
	if c.Nredo > 1 {
		r.centroids, r.stats = r.best, r.bestStats
		if err := r.index.Add(r.centroids); err != nil {
			return err
		}
	}
	r.commit()
	return nil
}

// commit publishes the result on the Clustering and ends the run.
func (r *ClusteringRun) commit() {
	r.c.Centroids = r.centroids
	r.c.IterationStats = r.stats
	r.done = true
}
