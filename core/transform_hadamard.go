package core

import (
	"math"
	"math/bits"
)

// HadamardRotation is a random orthonormal map in O(d log d) (faiss's
// HadamardRotation): the vector, zero-padded to the next power of two p,
// goes three times through a random sign flip and a fast Walsh-Hadamard
// transform, then is scaled by p^-3/2. The signs come from faiss's
// SplitMix64 generator and seed, so the output is faiss's.
type HadamardRotation struct {
	din, dout int
	// Seed drew the signs (a uint32, as faiss's); Train draws them again
	// from it.
	Seed    int64
	signs   [3][]float32
	trained bool
}

var _ VectorTransform = (*HadamardRotation)(nil)

// NewHadamardRotation makes the rotation of d dimensions into the next
// power of two, drawn from seed.
func NewHadamardRotation(d int, seed uint32) (*HadamardRotation, error) {
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, "HadamardRotation", "d must be positive, got %d", d)
	}
	p := 1
	for p < d {
		p *= 2
	}
	t := &HadamardRotation{din: d, dout: p}
	t.Init(seed)
	return t, nil
}

// Init draws the signs from seed (faiss's init).
func (t *HadamardRotation) Init(seed uint32) {
	t.Seed, t.trained = int64(seed), true
	rng := splitMix64{state: uint64(seed)}
	for r := range t.signs {
		s := make([]float32, t.dout)
		for j := range s {
			if rng.next()%2 == 0 {
				s[j] = -1
			} else {
				s[j] = 1
			}
		}
		t.signs[r] = s
	}
}

func (t *HadamardRotation) DIn() int        { return t.din }
func (t *HadamardRotation) DOut() int       { return t.dout }
func (t *HadamardRotation) IsTrained() bool { return t.trained }
func (t *HadamardRotation) Name() string    { return "HadamardRotation" }

// Train draws the signs again from Seed (12345 when 0), as faiss's.
func (t *HadamardRotation) Train(_ []float32) error {
	seed := uint32(t.Seed)
	if seed == 0 {
		seed = 12345
	}
	t.Init(seed)
	return nil
}

// Apply implements VectorTransform.
func (t *HadamardRotation) Apply(x, out []float32) error {
	n, err := checkApply("HadamardRotation.apply", t, x, out, t.din, t.dout)
	if err != nil {
		return err
	}
	p := t.dout
	scale := 1 / (float32(p) * float32(math.Sqrt(float64(p))))
	parallelChunks(n, chunkFor(3*p*max(1, bits.TrailingZeros(uint(p)))), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			xi, xo := x[i*t.din:(i+1)*t.din], out[i*p:(i+1)*p]
			for j, v := range xi {
				xo[j] = v * t.signs[0][j]
			}
			clear(xo[t.din:])
			fwht(xo)
			for r := 1; r < 3; r++ {
				for j := range xo {
					xo[j] *= t.signs[r][j]
				}
				fwht(xo)
			}
			for j := range xo {
				xo[j] *= scale
			}
		}
	})
	return nil
}

// fwht is the unnormalised fast Walsh-Hadamard transform of v (its length
// a power of two), in faiss's butterfly order.
func fwht(v []float32) {
	n := len(v)
	for step := 1; step < n; step *= 2 {
		for i := 0; i < n; i += 2 * step {
			for j := i; j < i+step; j++ {
				a, b := v[j], v[j+step]
				v[j], v[j+step] = a+b, a-b
			}
		}
	}
}

// splitMix64 is faiss's SplitMix64RandomGenerator.
type splitMix64 struct{ state uint64 }

func (g *splitMix64) next() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
