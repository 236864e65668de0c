package core

// TrainingAccelerator is an assignment index that can keep the training
// points on its device for a whole k-means run and sum them by label there
// (the GPU flat index does). Clustering uses it when the index offers it.
type TrainingAccelerator interface {
	// BindTrainingPoints uploads x; while bound, searching with this very
	// slice reads the device copy. x must not change until released.
	BindTrainingPoints(x []float32) error
	ReleaseTrainingPoints()
	// SumByLabel adds each bound point (times its weight, if weights is not
	// nil) into sums[label] (k*d) and its weight (or 1) into counts[label].
	SumByLabel(assign []int64, weights []float32, k int, sums, counts []float32) error
}

// centroidsFromSums is computeCentroids from sums and counts computed
// elsewhere: centroids after the first kFrozen become the means, hassign
// gets the counts, and empty clusters are left at zero for splitClusters.
func centroidsFromSums(d, kFrozen int, sums, counts, hassign, centroids []float32) {
	for ci := kFrozen; ci < len(hassign); ci++ {
		c := centroids[ci*d : (ci+1)*d]
		hassign[ci] = counts[ci]
		if counts[ci] == 0 {
			clear(c)
			continue
		}
		norm := 1 / counts[ci]
		for j, v := range sums[ci*d : (ci+1)*d] {
			c[j] = v * norm
		}
	}
}

// accelerate binds the run's points to an accelerating index on first use.
func (r *ClusteringRun) accelerate() error {
	if r.accel != nil {
		return nil
	}
	a, ok := r.index.(TrainingAccelerator)
	if !ok {
		return nil
	}
	if err := a.BindTrainingPoints(r.x); err != nil {
		return err
	}
	r.accel = a
	return nil
}

// Close frees what the run holds on a device; a finished or failed run
// closes itself, an abandoned one should be closed by its owner.
func (r *ClusteringRun) Close() {
	if r.accel != nil {
		r.accel.ReleaseTrainingPoints()
		r.accel = nil
	}
}
