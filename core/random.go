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

// blockDraws runs draw over n values the way faiss's float_rand,
// float_randn, int64_rand and byte_rand split them: 1024 blocks (one from
// fewer than 1024 values), block j drawn from its own generator seeded
// a0 + j*b0 (truncated to 32 bits), where a0 and b0 are the first two
// 31-bit draws of a generator seeded with seed. The values so depend on
// the seed alone, not on the thread count.
func blockDraws(n int, seed int64, draw func(rng *mt19937, lo, hi int)) {
	nblock := 1
	if n >= 1024 {
		nblock = 1024
	}
	rng0 := newMT19937(uint32(seed))
	a0, b0 := int64(rng0.rand31()), int64(rng0.rand31())
	parallelChunks(nblock, 16, func(_, jlo, jhi int) {
		for j := jlo; j < jhi; j++ {
			draw(newMT19937(uint32(a0+int64(j)*b0)), j*n/nblock, (j+1)*n/nblock)
		}
	})
}

// FloatRand fills x with faiss's float_rand values in [0, 1].
func FloatRand(x []float32, seed int64) {
	blockDraws(len(x), seed, func(rng *mt19937, lo, hi int) {
		for i := lo; i < hi; i++ {
			x[i] = rng.float()
		}
	})
}

// FloatRandn fills x with faiss's float_randn values: standard normal, by
// Marsaglia's polar method, two values per accepted pair.
func FloatRandn(x []float32, seed int64) {
	blockDraws(len(x), seed, func(rng *mt19937, lo, hi int) {
		var a, b, s float64
		second := false
		for i := lo; i < hi; i++ {
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
	})
}

// rand62 is faiss's rand_int64: two 31-bit draws, the second one high.
func (m *mt19937) rand62() int64 { return int64(m.rand31()) | int64(m.rand31())<<31 }

// Int64Rand fills x with faiss's int64_rand values in [0, 2^62).
func Int64Rand(x []int64, seed int64) {
	blockDraws(len(x), seed, func(rng *mt19937, lo, hi int) {
		for i := lo; i < hi; i++ {
			x[i] = rng.rand62()
		}
	})
}

// ByteRand fills x with faiss's byte_rand values: the low 8 bits of each
// 62-bit draw (two 31-bit draws, the second unused by the byte).
func ByteRand(x []byte, seed int64) {
	blockDraws(len(x), seed, func(rng *mt19937, lo, hi int) {
		for i := lo; i < hi; i++ {
			x[i] = byte(rng.rand62())
		}
	})
}

// RandPerm fills perm with faiss's rand_perm permutation of 0..len(perm)-1.
func RandPerm(perm []int32, seed int64) {
	for i, v := range randPerm(len(perm), seed) {
		perm[i] = int32(v)
	}
}

// Int64RandMax fills x with faiss's int64_rand_max values in [0, max).
func Int64RandMax(x []int64, max uint64, seed int64) error {
	if max == 0 {
		return Errorf(KindInvalidArgument, "int64_rand_max", "max must be positive")
	}
	blockDraws(len(x), seed, func(rng *mt19937, lo, hi int) {
		for i := lo; i < hi; i++ {
			x[i] = int64(uint64(rng.rand62()) % max)
		}
	})
	return nil
}

// RandSmoothVectors fills x (n rows of d) as faiss's rand_smooth_vectors:
// 10-dimensional normal draws (seed) mapped by a random 10 x d matrix
// (seed+1), each column scaled by 4u+0.1 (u from seed+2) and passed
// through sin. faiss sums the 10 products with BLAS, whose order depends
// on the machine; here they are fused multiply-adds in float32, in order,
// so values agree with faiss's to float32 rounding, not always in bits.
func RandSmoothVectors(x []float32, n, d int, seed int64) error {
	if n < 0 || d <= 0 || len(x) != n*d {
		return Errorf(KindInvalidArgument, "rand_smooth_vectors", "%d values for %d rows of %d", len(x), n, d)
	}
	const d1 = 10
	latent := make([]float32, n*d1)
	FloatRandn(latent, seed)
	mix := make([]float32, d1*d)
	FloatRand(mix, seed+1)
	scales := make([]float32, d)
	FloatRand(scales, seed+2)
	parallelChunks(n, 64, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for j := 0; j < d; j++ {
				var sum float32
				for k := 0; k < d1; k++ {
					sum = float32(math.FMA(float64(latent[i*d1+k]), float64(mix[k*d+j]), float64(sum)))
				}
				// faiss: sinf(x * (scale*4 + 0.1)), the product in double
				// (0.1 is a double literal) rounded to float for sinf.
				arg := float32(float64(sum) * (float64(scales[j]*4) + 0.1))
				x[i*d+j] = float32(math.Sin(float64(arg)))
			}
		}
	})
	return nil
}
