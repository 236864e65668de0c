package core

import "math/bits"

// mt19937_64 is the 64-bit Mersenne Twister (std::mt19937_64), with the
// two draws faiss's k-means initialisations make through libstdc++'s
// distributions, so that the same seed picks the same points as faiss.
type mt19937_64 struct {
	mt  [312]uint64
	idx int
}

func newMT19937_64(seed uint64) *mt19937_64 {
	m := &mt19937_64{idx: 312}
	m.mt[0] = seed
	for i := 1; i < 312; i++ {
		m.mt[i] = 6364136223846793005*(m.mt[i-1]^(m.mt[i-1]>>62)) + uint64(i)
	}
	return m
}

func (m *mt19937_64) next() uint64 {
	if m.idx >= 312 {
		m.twist()
	}
	y := m.mt[m.idx]
	m.idx++
	y ^= (y >> 29) & 0x5555555555555555
	y ^= (y << 17) & 0x71D67FFFEDA60000
	y ^= (y << 37) & 0xFFF7EEE000000000
	return y ^ (y >> 43)
}

func (m *mt19937_64) twist() {
	const upper, lower = 0xFFFFFFFF80000000, 0x7FFFFFFF
	for i := 0; i < 312; i++ {
		y := (m.mt[i] & upper) | (m.mt[(i+1)%312] & lower)
		v := m.mt[(i+156)%312] ^ (y >> 1)
		if y&1 != 0 {
			v ^= 0xB5026F5AA96619E9
		}
		m.mt[i] = v
	}
	m.idx = 0
}

// below is std::uniform_int_distribution<size_t>(0, n-1) as libstdc++
// draws it from a 64-bit engine: Lemire's multiply-and-reject.
func (m *mt19937_64) below(n int) int {
	r := uint64(n)
	hi, lo := bits.Mul64(m.next(), r)
	if lo < r {
		threshold := -r % r
		for lo < threshold {
			hi, lo = bits.Mul64(m.next(), r)
		}
	}
	return int(hi)
}

// canonical is std::generate_canonical<double, 53>: one draw over 2^64,
// kept below 1.
func (m *mt19937_64) canonical() float64 {
	v := float64(m.next()) / 18446744073709551616.0
	if v >= 1 {
		return 0.99999999999999989 // the largest double below 1
	}
	return v
}
