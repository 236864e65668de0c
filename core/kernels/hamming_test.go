package kernels

import (
	"math/bits"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHammingRowsMatchesBitCounting(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, cs := range []int{1, 3, 8, 16, 24, 32, 40, 64, 128} {
		for _, n := range []int{1, 2, 3, 7, 64} {
			q := make([]byte, cs)
			codes := make([]byte, n*cs)
			rng.Read(q)
			rng.Read(codes)
			out := make([]int32, n)
			HammingRows(q, codes, cs, out)
			for i := 0; i < n; i++ {
				want := 0
				for j := 0; j < cs; j++ {
					want += bits.OnesCount8(q[j] ^ codes[i*cs+j])
				}
				assert.Equal(t, int32(want), out[i], "cs=%d n=%d i=%d", cs, n, i)
				assert.Equal(t, want, Hamming(q, codes[i*cs:(i+1)*cs]))
			}
		}
	}
}

func BenchmarkHammingRows32(b *testing.B) {
	q := make([]byte, 32)
	codes := make([]byte, 2048*32)
	rand.New(rand.NewSource(1)).Read(codes)
	out := make([]int32, 2048)
	b.SetBytes(int64(len(codes)))
	for i := 0; i < b.N; i++ {
		HammingRows(q, codes, 32, out)
	}
}

func TestHammingRowsMinBoundsTheDistances(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, n := range []int{8, 9, 15, 64, 100} {
		q, codes := make([]byte, 32), make([]byte, n*32)
		rng.Read(q)
		rng.Read(codes)
		out := make([]int32, n)
		m := HammingRowsMin(q, codes, 32, out)
		want := make([]int32, n)
		HammingRows(q, codes, 32, want)
		assert.Equal(t, want, out)
		lowest := want[0]
		for _, v := range want {
			lowest = min(lowest, v)
		}
		assert.LessOrEqual(t, m, lowest)
	}
}
