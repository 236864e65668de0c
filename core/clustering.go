package core

import (
	"fmt"
	"math"
	"os"
)

// ClusteringIterationStats records one k-means iteration (faiss's
// ClusteringIterationStats).
type ClusteringIterationStats struct {
	Obj             float32 // objective: sum of distances to the assigned centroid
	Time            float64 // seconds since the iterations started
	TimeSearch      float64 // seconds spent in assignment so far
	ImbalanceFactor float64 // k * sum(n_c^2) / n^2; 1 is perfectly balanced
	Nsplit          int     // empty clusters re-seeded this iteration
}

// Clustering is k-means with faiss's algorithm and parameters. Set
// Centroids before training to give initial centroids (up to K rows; the
// rest are picked from the data); after training it holds the K*D result.
type Clustering struct {
	D, K int
	ClusteringParameters
	Centroids      []float32
	IterationStats []ClusteringIterationStats
	// Log receives the verbose progress lines (nil: standard output) and
	// Warn the warnings (nil: standard error), so a front end can route them.
	Log, Warn func(line string)
	// Progress, if set, advances by one per iteration of Train.
	Progress *Progress
}

// NewClustering checks d and k and returns a Clustering with parameters p.
func NewClustering(d, k int, p ClusteringParameters) (*Clustering, error) {
	const op = "Clustering"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if k <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "k must be positive, got %d", k)
	}
	if err := p.validate(op); err != nil {
		return nil, err
	}
	return &Clustering{D: d, K: k, ClusteringParameters: p}, nil
}

// Train clusters the rows of x, using index for the assignment step (any
// index of dimension D: a flat index gives exact k-means). weights, if not
// nil, holds one weight per row. On success the index holds the centroids;
// on failure Centroids and IterationStats are unchanged.
func (c *Clustering) Train(x []float32, index Index, weights []float32) error {
	run, err := c.Start(x, index, weights)
	if err != nil {
		return err
	}
	for !run.Done() {
		if err := checkInterrupt("Clustering.train"); err != nil {
			run.Close()
			return err
		}
		if _, _, err := run.Step(); err != nil {
			return err
		}
		c.Progress.Advance(1)
	}
	return nil
}

func (c *Clustering) logf(format string, args ...any) {
	if !c.Verbose {
		return
	}
	line := fmt.Sprintf(format, args...)
	if c.Log != nil {
		c.Log(line)
		return
	}
	fmt.Fprintln(os.Stdout, line)
}

func (c *Clustering) warnf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	if c.Warn != nil {
		c.Warn(line)
		return
	}
	fmt.Fprintln(os.Stderr, line)
}

// postProcess applies the spherical and integer constraints to centroids.
func (c *Clustering) postProcess(centroids []float32) {
	if c.Spherical {
		renormRows(centroids, c.D)
	}
	if c.IntCentroids {
		for i, v := range centroids {
			centroids[i] = float32(math.Round(float64(v))) // C's roundf: halves away from zero
		}
	}
}
