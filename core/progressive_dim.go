package core

import "math"

// ProgressiveDimClustering is k-means run in growing dimensions (faiss's
// ProgressiveDimClustering, which residual quantizers train with): the
// points are rotated onto their principal axes (ApplyPCA), then Steps
// runs cluster the first d_i = int(d^((i+1)/Steps)) coordinates, each
// starting from the previous run's centroids padded with zeros; the last
// run's centroids are rotated back.
type ProgressiveDimClustering struct {
	D, K int
	ClusteringParameters
	Steps    int  // faiss's progressive_dim_steps (10)
	ApplyPCA bool // (true)
	// NewIndex makes each step's assignment index (nil: IndexFlatL2).
	NewIndex       func(d int) (Index, error)
	Centroids      []float32
	IterationStats []ClusteringIterationStats
	Log, Warn      func(string)
}

// DefaultProgressiveDimParameters are faiss's
// ProgressiveDimClusteringParameters: 10 iterations per step.
func DefaultProgressiveDimParameters() ClusteringParameters {
	p := DefaultClusteringParameters()
	p.Niter = 10
	return p
}

// Train clusters the rows of x.
func (c *ProgressiveDimClustering) Train(x []float32) error {
	const op = "ProgressiveDimClustering.train"
	n, err := checkBatch(op, x, c.D)
	if err != nil {
		return err
	}
	if c.Steps < 1 {
		return Errorf(KindInvalidArgument, op, "progressive_dim_steps must be >= 1, got %d", c.Steps)
	}
	d := c.D
	var pca *PCAMatrix
	if c.ApplyPCA {
		if pca, err = NewPCAMatrix(d, d, 0, false); err != nil {
			return err
		}
		if err := pca.Train(x); err != nil {
			return err
		}
		xt := make([]float32, len(x))
		if err := pca.Apply(x, xt); err != nil {
			return err
		}
		x = xt
	}
	var prev []float32
	dPrev := 0
	var stats []ClusteringIterationStats
	for step := 0; step < c.Steps; step++ {
		di := int(math.Pow(float64(d), float64(1+step)/float64(c.Steps)))
		clus, err := NewClustering(di, c.K, c.ClusteringParameters)
		if err != nil {
			return err
		}
		clus.Log, clus.Warn = c.Log, c.Warn
		if prev != nil {
			clus.Centroids = copyColumns(prev, c.K, dPrev, di)
		}
		var index Index
		if c.NewIndex != nil {
			index, err = c.NewIndex(di)
		} else {
			index, err = NewIndexFlat(di, MetricL2)
		}
		if err != nil {
			return err
		}
		if err := clus.Train(copyColumns(x, n, d, di), index, nil); err != nil {
			return err
		}
		prev, dPrev = clus.Centroids, di
		stats = append(stats, clus.IterationStats...)
	}
	if pca != nil {
		back := make([]float32, c.K*d)
		if err := pca.Reverse(prev, back); err != nil {
			return err
		}
		prev = back
	}
	c.Centroids, c.IterationStats = prev, stats
	return nil
}

// copyColumns returns the n rows of x (d1 wide) cut or zero-padded to d2.
func copyColumns(x []float32, n, d1, d2 int) []float32 {
	out := make([]float32, n*d2)
	w := min(d1, d2)
	for i := 0; i < n; i++ {
		copy(out[i*d2:i*d2+w], x[i*d1:i*d1+w])
	}
	return out
}
