package core

import (
	"math"
	"time"
)

// ClusteringRun is a k-means training in progress, advanced one iteration
// per Step so that a front end can report progress, honour an interrupt or
// stop between iterations. Clustering.Train runs one to the end.
//
// x and weights are read in place during the whole run: the caller keeps
// them alive and unchanged until Done.
type ClusteringRun struct {
	c          *Clustering
	index      Index
	accel      TrainingAccelerator // the index, while it holds the points
	x, weights []float32
	nx         int
	nInput     int // centroids given by the caller
	seed       int64
	centroids  []float32
	stats      []ClusteringIterationStats
	assign     []int64
	dis        []float32

	redo, iter int
	prevObj    float32 // objective of the previous iteration of this redo
	stopEarly  bool
	bestObj    float32
	best       []float32
	bestStats  []ClusteringIterationStats

	t0      time.Time
	tSearch time.Duration
	done    bool
}

// Start validates the inputs, subsamples when there are more than
// K*MaxPointsPerCentroid points (warning below K*MinPointsPerCentroid) and
// returns the run, before any iteration.
func (c *Clustering) Start(x []float32, index Index, weights []float32) (*ClusteringRun, error) {
	const op = "Clustering.train"
	d, k := c.D, c.K
	if err := c.validate(op); err != nil {
		return nil, err
	}
	nx, err := checkBatch(op, x, d)
	if err != nil {
		return nil, err
	}
	if nx < k {
		return nil, Errorf(KindInvalidArgument, op, "number of training points (%d) should be at least as large as number of clusters (%d)", nx, k)
	}
	if index == nil {
		return nil, Errorf(KindInvalidArgument, op, "no assignment index given")
	}
	if index.D() != d {
		return nil, Errorf(KindDimensionMismatch, op, "index dimension %d not the same as data dimension %d", index.D(), d)
	}
	if weights != nil && len(weights) != nx {
		return nil, Errorf(KindDimensionMismatch, op, "%d weights for %d training points", len(weights), nx)
	}
	if err := checkWeights(op, weights); err != nil {
		return nil, err
	}
	if len(c.Centroids)%d != 0 {
		return nil, Errorf(KindDimensionMismatch, op, "size of provided input centroids (%d floats) not a multiple of dimension %d", len(c.Centroids), d)
	}
	nInput := len(c.Centroids) / d
	if nInput > k {
		return nil, Errorf(KindInvalidArgument, op, "%d initial centroids given for k=%d clusters", nInput, k)
	}
	if c.CheckInputDataForNaNs {
		if i := firstNonFinite(x); i < len(x) {
			return nil, Errorf(KindInvalidArgument, op, "input contains NaN's or Inf's (first at row %d, column %d)", i/d, i%d)
		}
	}

	r := &ClusteringRun{c: c, index: index, x: x, weights: weights, nx: nx, nInput: nInput, seed: c.actualSeed()}
	if maxN := int64(k) * int64(c.MaxPointsPerCentroid); int64(nx) > maxN {
		r.subsample(int(maxN))
	} else if minN := int64(k) * int64(c.MinPointsPerCentroid); int64(nx) < minN {
		c.warnf("WARNING clustering %d points to %d centroids: please provide at least %d training points", nx, k, minN)
	}
	r.centroids = make([]float32, k*d)
	copy(r.centroids, c.Centroids)
	r.t0 = time.Now()
	if r.nx == k {
		return r, r.copyTrainingSet()
	}
	c.logf("Clustering %d points in %dD to %d clusters, redo %d times, %d iterations", r.nx, d, k, c.Nredo, c.Niter)
	if nInput > 0 {
		frozen := "not "
		if c.FrozenCentroids {
			frozen = ""
		}
		c.logf("  Using %d centroids provided as input (%sfrozen)", nInput, frozen)
	}
	r.assign = make([]int64, r.nx)
	r.dis = make([]float32, r.nx)
	r.bestObj = float32(math.Inf(1))
	if r.higherIsBetter() {
		r.bestObj = float32(math.Inf(-1))
	}
	return r, nil
}

func (c *Clustering) actualSeed() int64 {
	if c.Seed >= 0 {
		return c.Seed
	}
	return time.Now().UnixNano()
}

// subsample keeps n points picked by a seeded permutation, as faiss does.
func (r *ClusteringRun) subsample(n int) {
	c, d := r.c, r.c.D
	c.logf("Sampling a subset of %d / %d for training", n, r.nx)
	perm := randPerm(r.nx, r.seed)
	xs := make([]float32, n*d)
	for i := 0; i < n; i++ {
		copy(xs[i*d:(i+1)*d], r.x[perm[i]*d:(perm[i]+1)*d])
	}
	if r.weights != nil {
		ws := make([]float32, n)
		for i := range ws {
			ws[i] = r.weights[perm[i]]
		}
		r.weights = ws
	}
	r.x, r.nx = xs, n
}

// copyTrainingSet handles n == k: the points are the centroids, with one
// placeholder iteration, as in faiss.
func (r *ClusteringRun) copyTrainingSet() error {
	r.c.logf("Number of training points (%d) same as number of clusters, just copying", r.nx)
	copy(r.centroids, r.x)
	r.stats = []ClusteringIterationStats{{ImbalanceFactor: 1}}
	r.index.Reset()
	if err := r.index.Add(r.centroids); err != nil {
		return err
	}
	r.commit()
	return nil
}

func (r *ClusteringRun) higherIsBetter() bool { return r.index.Metric().IsSimilarity() }

// Done reports whether the run has finished (successfully or not).
func (r *ClusteringRun) Done() bool { return r.done }

// Points is the number of training points used (after any subsampling).
func (r *ClusteringRun) Points() int { return r.nx }

// Redo is the index of the current run of the Nredo runs.
func (r *ClusteringRun) Redo() int { return r.redo }

// Step runs the next iteration and returns its statistics; ok is false when
// the step ran no iteration (Niter = 0). After an error the run is over and
// the Clustering is unchanged.
func (r *ClusteringRun) Step() (st ClusteringIterationStats, ok bool, err error) {
	if r.done {
		return st, false, Errorf(KindInvalidArgument, "Clustering.train", "the run has finished")
	}
	defer func() {
		if err != nil {
			r.done = true
		}
		if r.done {
			r.Close()
		}
	}()
	c := r.c
	if r.iter == 0 {
		if err := r.beginRedo(); err != nil {
			return st, false, err
		}
	}
	if r.iter < c.Niter && !r.stopEarly {
		if st, err = r.iterate(); err != nil {
			return st, false, err
		}
		ok = true
		r.iter++
	}
	if r.iter >= c.Niter || r.stopEarly {
		if err := r.endRedo(); err != nil {
			return st, ok, err
		}
	}
	return st, ok, nil
}

func checkWeights(op string, weights []float32) error {
	if weights == nil {
		return nil
	}
	positive := false
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(float64(w), 0) {
			return Errorf(KindInvalidArgument, op, "weight %d is %v; weights must be finite and >= 0", i, w)
		}
		positive = positive || w > 0
	}
	if !positive {
		return Errorf(KindInvalidArgument, op, "all %d weights are zero", len(weights))
	}
	return nil
}
