package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// computeCentroids sets each centroid after the first kFrozen to the
// (weighted) mean of the points assigned to it and adds their count (or
// weight) to hassign; centroids with no points keep zeros for
// splitClusters. Workers own disjoint centroid ranges and every sum runs in
// point order, so the result does not depend on the number of threads.
func computeCentroids(d int, x, weights []float32, assign []int64, kFrozen int, hassign, centroids []float32) {
	k := len(hassign) - kFrozen
	hassign = hassign[kFrozen:]
	centroids = centroids[kFrozen*d:]
	clear(centroids)
	// Each worker reads every assignment and sums the points of its own
	// centroids: about len(x)/k element updates per centroid.
	parallelChunks(k, chunkFor(len(x)/max(1, k)), func(_, c0, c1 int) {
		for i, a := range assign {
			ci := int(a) - kFrozen
			if ci < c0 || ci >= c1 {
				continue
			}
			c := centroids[ci*d : (ci+1)*d]
			xi := x[i*d : (i+1)*d]
			if weights != nil {
				w := weights[i]
				hassign[ci] += w
				kernels.AxpyTo(c, w, xi)
				continue
			}
			hassign[ci]++
			kernels.AddTo(c, xi)
		}
		for ci := c0; ci < c1; ci++ {
			if hassign[ci] == 0 {
				continue
			}
			norm := 1 / hassign[ci]
			c := centroids[ci*d : (ci+1)*d]
			for j := range c {
				c[j] *= norm
			}
		}
	})
}

// splitEps is the relative perturbation that turns one centroid into two: a
// bit above float16's machine epsilon (faiss's value).
const splitEps = 1.0 / 1024

// splitSeed is the fixed seed faiss uses to pick clusters to split.
const splitSeed = 1234

// splitClusters re-seeds every empty cluster (after the first kFrozen) from
// a large one, picked at random with probability growing with its size, and
// nudges the two copies apart symmetrically. It returns how many splits it
// made. This follows faiss step for step, random draws included.
func splitClusters(d, n, kFrozen int, hassign, centroids []float32) int {
	k := len(hassign) - kFrozen
	hassign = hassign[kFrozen:]
	centroids = centroids[kFrozen*d:]
	rng := newMT19937(splitSeed)
	nsplit := 0
	for ci := 0; ci < k; ci++ {
		if hassign[ci] != 0 {
			continue
		}
		cj, ok := pickClusterToSplit(rng, n, hassign)
		if !ok {
			continue
		}
		copy(centroids[ci*d:(ci+1)*d], centroids[cj*d:(cj+1)*d])
		for j := 0; j < d; j++ {
			if j%2 == 0 {
				centroids[ci*d+j] *= 1 + splitEps
				centroids[cj*d+j] *= 1 - splitEps
			} else {
				centroids[ci*d+j] *= 1 - splitEps
				centroids[cj*d+j] *= 1 + splitEps
			}
		}
		hassign[ci] = hassign[cj] / 2
		hassign[cj] -= hassign[ci]
		nsplit++
	}
	return nsplit
}

// minSplitOdds is the least total pick probability for which the random
// search (faiss's) runs; below it, the expected number of draws is over a
// thousand times k and faiss would all but hang, so we take the largest
// cluster instead. Unweighted points always have odds of at least 1.
const minSplitOdds = 1e-3

// pickClusterToSplit draws a cluster with probability (size-1)/(n-k), going
// round the clusters as faiss does. With weights the sizes can be too small
// for the draw to end; then it takes the largest cluster. ok is false when
// every cluster is empty.
func pickClusterToSplit(rng *mt19937, n int, hassign []float32) (int, bool) {
	k := len(hassign)
	odds, largest := 0.0, 0
	for c, h := range hassign {
		if p := float64(h-1) / float64(float32(n-k)); p > 0 {
			odds += p
		}
		if h > hassign[largest] {
			largest = c
		}
	}
	if odds < minSplitOdds {
		return largest, hassign[largest] > 0
	}
	for cj := 0; ; cj = (cj + 1) % k {
		p := float32(float64(hassign[cj]-1) / float64(float32(n-k)))
		if rng.float() < p {
			return cj, true
		}
	}
}

// imbalanceFactor is k * sum(n_c^2) / n^2 over the cluster sizes n_c.
func imbalanceFactor(k int, assign []int64) float64 {
	hist := make([]int, k)
	for _, a := range assign {
		hist[a]++
	}
	var tot, uf float64
	for _, h := range hist {
		tot += float64(h)
		uf += float64(h) * float64(h)
	}
	return uf * float64(k) / (tot * tot)
}
