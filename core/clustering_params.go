package core

import "math"

// ClusteringParameters are faiss's k-means settings, with faiss's defaults
// (DefaultClusteringParameters). Field meanings follow faiss's
// ClusteringParameters.
type ClusteringParameters struct {
	Niter   int  // iterations per run (25)
	Nredo   int  // runs from different seeds; the best objective wins (1)
	Verbose bool // log progress lines (see Clustering.Log)
	// Spherical renormalises centroids to unit L2 norm after each update.
	Spherical bool
	// IntCentroids rounds centroid coordinates to integers.
	IntCentroids bool
	// UpdateIndex retrains the assignment index on the centroids each iteration.
	UpdateIndex bool
	// FrozenCentroids keeps the given initial centroids fixed.
	FrozenCentroids bool
	// MinPointsPerCentroid: fewer training points per centroid gives a warning (39).
	MinPointsPerCentroid int
	// MaxPointsPerCentroid: more training points are subsampled to k*this (256).
	MaxPointsPerCentroid int
	// Seed drives the initial pick, the subsample and the runs (1234).
	// A negative seed takes one from the clock, as faiss does.
	Seed int64
	// DecodeBlockSize is how many encoded vectors faiss decodes at once; it
	// is kept for compatibility (no codec path exists yet) (32768).
	DecodeBlockSize int
	// CheckInputDataForNaNs rejects NaN or Inf in the training data (true).
	CheckInputDataForNaNs bool
	// EarlyStopThreshold ends a run once the objective changes by at most
	// this fraction between two iterations. At 0 (the default) a run stops
	// when the objective no longer changes at all, as in faiss 1.15: the
	// assignment is then stable and more iterations would repeat it. A
	// negative value never stops early.
	EarlyStopThreshold float64
	// InitMethod picks each run's first centroids: random points (faiss's
	// default), k-means++ or AFK-MC2, drawn after any given centroids.
	InitMethod InitMethod
	// AFKMC2ChainLength is AFK-MC2's Markov chain length (50).
	AFKMC2ChainLength int
}

// DefaultClusteringParameters returns faiss's defaults.
func DefaultClusteringParameters() ClusteringParameters {
	return ClusteringParameters{
		Niter:                 25,
		Nredo:                 1,
		MinPointsPerCentroid:  39, // faiss: 10000 / 256, quiet on its 10k-point tests
		MaxPointsPerCentroid:  256,
		Seed:                  1234,
		DecodeBlockSize:       32768,
		CheckInputDataForNaNs: true,
		AFKMC2ChainLength:     50,
	}
}

func (p *ClusteringParameters) validate(op string) error {
	switch {
	case p.Niter < 0:
		return Errorf(KindInvalidArgument, op, "niter must be >= 0, got %d", p.Niter)
	case p.Nredo < 1:
		return Errorf(KindInvalidArgument, op, "nredo must be >= 1, got %d", p.Nredo)
	case p.MinPointsPerCentroid < 0:
		return Errorf(KindInvalidArgument, op, "min_points_per_centroid must be >= 0, got %d", p.MinPointsPerCentroid)
	case p.MaxPointsPerCentroid < 1:
		return Errorf(KindInvalidArgument, op, "max_points_per_centroid must be >= 1, got %d", p.MaxPointsPerCentroid)
	case p.DecodeBlockSize < 1:
		return Errorf(KindInvalidArgument, op, "decode_block_size must be >= 1, got %d", p.DecodeBlockSize)
	case p.InitMethod < InitRandom || p.InitMethod > InitAFKMC2:
		return Errorf(KindInvalidArgument, op, "unknown init method %d (0 random, 1 k-means++, 2 AFK-MC2)", p.InitMethod)
	case p.InitMethod == InitAFKMC2 && p.AFKMC2ChainLength < 1:
		return Errorf(KindInvalidArgument, op, "afkmc2_chain_length must be >= 1, got %d", p.AFKMC2ChainLength)
	case math.IsNaN(p.EarlyStopThreshold) || math.IsInf(p.EarlyStopThreshold, 0):
		return Errorf(KindInvalidArgument, op, "early stop threshold must be finite, got %v", p.EarlyStopThreshold)
	}
	return nil
}
