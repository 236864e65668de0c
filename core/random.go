package core

import "math"

// mt19937 is the 32-bit Mersenne Twister (the generator behind C++'s
// std::mt19937). faiss draws every random choice of k-means from it, so
// using the same generator with the same seed gives the same initial
// centroids, subsample and cluster splits as faiss.
type mt19937 struct {
	state [624]uint32
	i     int
}

func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{i: 624}
	m.state[0] = seed
	for i := 1; i < 624; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return m
}

// next returns the next 32-bit output.
func (m *mt19937) next() uint32 {
	if m.i >= 624 {
		m.twist()
	}
	y := m.state[m.i]
	m.i++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

func (m *mt19937) twist() {
	const upper, lower, matrixA = 0x80000000, 0x7fffffff, 0x9908b0df
	for i := 0; i < 624; i++ {
		y := m.state[i]&upper | m.state[(i+1)%624]&lower
		v := m.state[(i+397)%624] ^ y>>1
		if y&1 != 0 {
			v ^= matrixA
		}
		m.state[i] = v
	}
	m.i = 0
}

// below returns a value in [0, n) the way faiss 1.15's
// RandomGenerator::rand_int(n) does (the full 32-bit output modulo n).
func (m *mt19937) below(n int) int { return int(uint64(m.next()) % uint64(n)) }

// float returns a value in [0, 1] as faiss's rand_float: output / 2^32-1 in
// float32 arithmetic.
func (m *mt19937) float() float32 { return float32(m.next()) / float32(4294967295) }

// randPerm returns a random permutation of 0..n-1 drawn as faiss's rand_perm
// (a Fisher-Yates shuffle from the front). faiss truncates the seed to 32
// bits when it seeds the generator; so do we.
func randPerm(n int, seed int64) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	rng := newMT19937(uint32(seed))
	for i := 0; i+1 < n; i++ {
		j := i + rng.below(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm
}

// rand31 is faiss's RandomGenerator::rand_int(): 31 random bits.
func (m *mt19937) rand31() int32 { return int32(m.next() & 0x7fffffff) }

// float64 is faiss's rand_double: output / (2^32-1) in double arithmetic.
func (m *mt19937) float64() float64 { return float64(m.next()) / 4294967295.0 }

// floatRandn fills x with standard normal values drawn as faiss's
// float_randn: blocks of the array (1024 of them from 1024 values on), each
// from its own generator seeded from the first, by Marsaglia's polar
// method. The blocks make the values independent of the thread count.
func floatRandn(x []float32, seed int64) {
	n := len(x)
	nblock := 1
	if n >= 1024 {
		nblock = 1024
	}
	rng0 := newMT19937(uint32(seed))
	a0, b0 := int64(rng0.rand31()), int64(rng0.rand31())
	parallelChunks(nblock, 16, func(_, jlo, jhi int) {
		for j := jlo; j < jhi; j++ {
			rng := newMT19937(uint32(a0 + int64(j)*b0))
			var a, b, s float64
			second := false
			for i := j * n / nblock; i < (j+1)*n/nblock; i++ {
				if !second {
					for {
						a = 2*rng.float64() - 1
						b = 2*rng.float64() - 1
						s = a*a + b*b
						if s < 1 {
							break
						}
					}
					x[i] = float32(a * math.Sqrt(-2*math.Log(s)/s))
				} else {
					x[i] = float32(b * math.Sqrt(-2*math.Log(s)/s))
				}
				second = !second
			}
		}
	})
}
