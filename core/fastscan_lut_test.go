package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The quantized tables add up to the float distances within half a step
// per term, in every branch; empty spans give a = 0 and zero tables.
func TestQuantizeLUTAndBias(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	const nprobe, M, ksub, M2 = 5, 8, 16, 10
	for _, c := range []struct{ lut3d, bias, biasq bool }{{false, false, false}, {false, true, true}, {true, true, true}, {true, true, false}} {
		tables := 1
		if c.lut3d {
			tables = nprobe
		}
		lut := make([]float32, tables*M*ksub)
		for i := range lut {
			lut[i] = rng.Float32() * 10
		}
		var bias []float32
		var biasq []uint16
		if c.bias {
			bias = []float32{3, 9, 1, 4, 7}
		}
		if c.biasq {
			biasq = make([]uint16, nprobe)
		}
		lutq := make([]byte, tables*M2*ksub)
		a, b, err := QuantizeLUTAndBias(nprobe, M, ksub, c.lut3d, lut, bias, lutq, M2, biasq)
		require.NoError(t, err)
		for p := 0; p < nprobe; p++ {
			tab := 0
			if c.lut3d {
				tab = p
			}
			code := make([]int, M)
			for i := range code {
				code[i] = rng.Intn(ksub)
			}
			var exact float64
			var sum int
			for i, k := range code {
				exact += float64(lut[(tab*M+i)*ksub+k])
				sum += int(lutq[(tab*M2+i)*ksub+k])
			}
			for i := M; i < M2; i++ {
				assert.Zero(t, lutq[(tab*M2+i)*ksub], "rows past M are zero")
			}
			if c.bias {
				exact += float64(bias[p])
				if c.biasq {
					sum += int(biasq[p])
				}
			}
			got := float64(sum)/float64(a) + float64(b)
			assert.InDelta(t, exact, got, float64(M+2)/float64(a), "%+v probe %d", c, p)
		}
	}
	flat := make([]float32, M*ksub)
	for i := range flat {
		flat[i] = 5
	}
	lutq := make([]byte, M*ksub)
	a, b, err := QuantizeLUTAndBias(1, M, ksub, false, flat, nil, lutq, M, nil)
	require.NoError(t, err)
	assert.Equal(t, float32(0), a)
	assert.Equal(t, float32(5*M), b)
	a, _ = RoundUint8PerColumn(flat, M, ksub)
	assert.Equal(t, float32(0), a)
	_, _, err = QuantizeLUTAndBias(1, M, ksub, true, flat, nil, lutq, M, nil)
	assert.ErrorContains(t, err, "needs a bias")
	assert.False(t, math.IsNaN(float64(flat[0])))
}
