package core

// trainLevel1 is faiss's Level1Quantizer::train_q1: it gives the coarse
// quantizer q its nlist centroids, unless it holds them already. Modes
// (faiss's quantizer_trains_alone): 0 k-means with q as the assignment
// index, 1 q trains itself (a multi-index, a residual quantizer), 2 k-means
// on a flat L2 index, then q trains on and takes the centroids. fresh
// reports that this call filled q by k-means, for the caller to empty it
// again if what follows fails.
func trainLevel1(op string, q Index, d, nlist, mode int, cp ClusteringParameters, log, warn func(string), progress *Progress, x []float32) (fresh bool, err error) {
	n := len(x) / d
	if mode == 1 {
		if !q.IsTrained() || q.Ntotal() != int64(nlist) {
			if err := q.Train(x); err != nil {
				return false, err
			}
		}
		if q.Ntotal() != int64(nlist) {
			return false, Errorf(KindInvalidArgument, op, "nlist=%d is not consistent with the quantizer's %d centroids", nlist, q.Ntotal())
		}
	}
	if q.IsTrained() && q.Ntotal() == int64(nlist) {
		return false, nil
	}
	if n < nlist {
		return false, Errorf(KindInvalidArgument, op, "%d training points for nlist=%d lists: need at least one per list", n, nlist)
	}
	c, err := NewClustering(d, nlist, cp)
	if err != nil {
		return false, err
	}
	c.Log, c.Warn, c.Progress = log, warn, progress
	progress.Stage("train quantizer", int64(cp.Niter*cp.Nredo))
	progress.Logf("Training level-1 quantizer on %d vectors in %dD", n, d)
	q.Reset()
	if mode == 2 {
		flat, ferr := NewIndexFlat(d, MetricL2)
		if err = ferr; err == nil {
			if err = c.Train(x, flat, nil); err == nil {
				if err = q.Train(c.Centroids); err == nil {
					err = q.Add(c.Centroids)
				}
			}
		}
	} else {
		err = c.Train(x, q, nil)
	}
	if err != nil {
		q.Reset()
		return false, err
	}
	return true, nil
}
