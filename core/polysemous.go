package core

import (
	"math"
	"math/bits"
)

// PolysemousTraining renumbers the centroids of each sub-quantizer so that
// the Hamming distance between two codes follows the distance between
// their centroids (faiss's PolysemousTraining, optimisation
// OT_ReproduceDistances_affine): the centroid distances are mapped
// affinely to mean nbits/2 and spread sqrt(nbits/4), each pair weighted
// by exp(-DisWeightFactor * target), and simulated annealing over the
// numbering lowers the weighted squared gap to the Hamming distances.
// Distances between codes are unchanged, so search results are too; a
// polysemous search can then skip codes by Hamming distance first.
type PolysemousTraining struct {
	// OptimizationType: 0 none, 1 reproduce distances (faiss's default).
	OptimizationType int
	// NtrainPermutation: faiss's field; the distance objective trains on
	// the centroids and uses no training points.
	NtrainPermutation int
	DisWeightFactor   float64
	// MaxMemory bounds the tables of one sub-quantizer (bytes).
	MaxMemory int64
	// The annealing: the probability of accepting a worse swap starts at
	// InitTemperature and is multiplied by TemperatureDecay every
	// iteration; NRedo runs of NIter iterations keep the best.
	InitTemperature, TemperatureDecay float64
	NIter, NRedo                      int
	Seed                              int
	OnlyBitFlips, InitRandom          bool
}

// DefaultPolysemousTraining has faiss's defaults.
func DefaultPolysemousTraining() PolysemousTraining {
	return PolysemousTraining{OptimizationType: 1, DisWeightFactor: math.Ln2, MaxMemory: 20 << 30,
		InitTemperature: 0.7, TemperatureDecay: math.Pow(0.9, 1.0/500), NIter: 500000, NRedo: 2, Seed: 123}
}

// MemoryPerSubquantizer is the bytes the tables of one sub-quantizer take
// (faiss's memory_usage_per_thread).
func (pt *PolysemousTraining) MemoryPerSubquantizer(pq *ProductQuantizer) int64 {
	if pt.OptimizationType == 0 {
		return 0
	}
	return int64(pq.Ksub) * int64(pq.Ksub) * 8 * 3
}

// Check refuses settings the training cannot run with (faiss checks the
// memory after training the quantizer; metalfaiss before, to spare it).
func (pt *PolysemousTraining) Check(pq *ProductQuantizer) error {
	const op = "PolysemousTraining.optimize_pq_for_hamming"
	switch pt.OptimizationType {
	case 0:
		return nil
	case 1:
	default:
		return Errorf(KindUnsupported, op, "optimization_type %d: metalfaiss has OT_None (0) and OT_ReproduceDistances_affine (1)", pt.OptimizationType)
	}
	if mem := pt.MemoryPerSubquantizer(pq); mem >= pt.MaxMemory {
		return Errorf(KindInvalidArgument, op, "polysemous training will use %d bytes per sub-quantizer, while the max is set to %d", mem, pt.MaxMemory)
	}
	if pt.NIter < 0 || pt.NRedo < 0 {
		return Errorf(KindInvalidArgument, op, "n_iter=%d and n_redo=%d must be >= 0", pt.NIter, pt.NRedo)
	}
	return nil
}

// Optimize renumbers the trained pq's centroids, one sub-quantizer after
// the other (each with its own annealing, seeded alike, as faiss's).
func (pt *PolysemousTraining) Optimize(pq *ProductQuantizer) error {
	const op = "PolysemousTraining.optimize_pq_for_hamming"
	if err := pt.Check(pq); err != nil || pt.OptimizationType == 0 {
		return err
	}
	if !pq.IsTrained() {
		return Errorf(KindNotTrained, op, "train the product quantizer first")
	}
	n, dsub := pq.Ksub, pq.Dsub
	renumbered := append([]float32(nil), pq.Centroids...) // installed only if not interrupted
	// Sub-quantizers are independent: each runs on its own worker.
	parallelChunks(pq.M, 1, func(_, lo, hi int) {
		for m := lo; m < hi; m++ {
			cent := renumbered[m*n*dsub : (m+1)*n*dsub]
			dis := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					var s float32
					for t := 0; t < dsub; t++ {
						d := cent[i*dsub+t] - cent[j*dsub+t]
						s += d * d
					}
					dis[i*n+j] = float64(s)
				}
			}
			perm := pt.anneal(newHammingObjective(pq.Nbits, dis, pt.DisWeightFactor))
			old := append([]float32(nil), cent[:n*dsub]...)
			for i, p := range perm {
				copy(cent[p*dsub:(p+1)*dsub], old[i*dsub:(i+1)*dsub])
			}
		}
	})
	if err := checkInterrupt(op); err != nil {
		return err
	}
	pq.setTrained(renumbered)
	return nil
}

// hammingObjective is the weighted squared gap between target distances
// and the Hamming distances of the numbers a permutation gives.
type hammingObjective struct {
	n               int
	target, weights []float64
}

func newHammingObjective(nbits int, dis []float64, weightFactor float64) *hammingObjective {
	n := 1 << nbits
	var sum, sum2 float64
	for _, v := range dis {
		sum += v
		sum2 += v * v
	}
	n2 := float64(len(dis))
	mean := sum / n2
	std := math.Sqrt(sum2/n2 - mean*mean)
	o := &hammingObjective{n: n, target: make([]float64, len(dis)), weights: make([]float64, len(dis))}
	spread := math.Sqrt(float64(nbits / 4)) // faiss's integer nbits/4
	for i, v := range dis {
		t := float64(nbits) / 2
		if std > 0 {
			t += (v - mean) / std * spread
		}
		o.target[i] = t
		o.weights[i] = math.Exp(-weightFactor * t)
	}
	return o
}

func hamming32(a, b int) float64 { return float64(bits.OnesCount32(uint32(a ^ b))) }

func (o *hammingObjective) cost(perm []int) float64 {
	var c float64
	for i := 0; i < o.n; i++ {
		for j := 0; j < o.n; j++ {
			g := o.target[i*o.n+j] - hamming32(perm[i], perm[j])
			c += o.weights[i*o.n+j] * g * g
		}
	}
	return c
}

// costUpdate is the change of cost if perm[iw] and perm[jw] were swapped.
// Only rows and columns iw and jw change; the tables are symmetric, so a
// column changes as its row does, and the four entries where they cross
// keep their Hamming distances: twice the change of the two rows outside
// those entries, O(n).
func (o *hammingObjective) costUpdate(perm []int, iw, jw int) float64 {
	n := o.n
	pi, pj := perm[iw], perm[jw]
	ti, wi := o.target[iw*n:(iw+1)*n], o.weights[iw*n:(iw+1)*n]
	tj, wj := o.target[jw*n:(jw+1)*n], o.weights[jw*n:(jw+1)*n]
	var delta float64
	for j, pk := range perm {
		if j == iw || j == jw {
			continue
		}
		// w((t-h')^2 - (t-h)^2) = w(h'-h)(h'+h-2t): row iw goes from
		// h(pi, pk) to h(pj, pk), row jw the other way.
		a, b := hamming32(pi, pk), hamming32(pj, pk)
		if a == b {
			continue
		}
		delta += wi[j]*(b-a)*(b+a-2*ti[j]) + wj[j]*(a-b)*(a+b-2*tj[j])
	}
	return 2 * delta
}

// anneal runs NRedo annealings of NIter random swaps (a worse swap is
// taken with probability temperature) and returns the cheapest
// permutation found.
func (pt *PolysemousTraining) anneal(o *hammingObjective) []int {
	n := o.n
	rng := newMT19937(uint32(pt.Seed))
	log2n := bits.Len(uint(n - 1))
	best, bestCost := make([]int, n), math.Inf(1)
	for i := range best {
		best[i] = i
	}
	for redo := 0; redo < pt.NRedo; redo++ {
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		if pt.InitRandom {
			for i := 0; i < n; i++ {
				j := i + rng.below(n-i)
				perm[i], perm[j] = perm[j], perm[i]
			}
		}
		cost, temp := o.cost(perm), pt.InitTemperature
		for it := 0; it < pt.NIter && n > 1; it++ {
			if it%4096 == 0 && interrupted() {
				break // Optimize reports the interruption
			}
			temp *= pt.TemperatureDecay
			var iw, jw int
			if pt.OnlyBitFlips {
				iw = rng.below(n)
				jw = iw ^ 1<<rng.below(max(log2n, 1))
			} else {
				iw = rng.below(n)
				jw = rng.below(n - 1)
				if jw == iw {
					jw++
				}
			}
			delta := o.costUpdate(perm, iw, jw)
			if delta < 0 || float64(rng.float()) < temp {
				perm[iw], perm[jw] = perm[jw], perm[iw]
				cost += delta
			}
		}
		if cost < bestCost {
			best, bestCost = perm, cost
		}
	}
	return best
}
