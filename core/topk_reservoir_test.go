package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// A reservoir keeps exactly what a heap keeps, ties by id included.
func TestReservoirEqualsHeap(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, k := range []int{1, 5, 64, 100} {
		for _, sign := range []float32{1, -1} {
			h, r := newTopK(k), newReservoir(k)
			for base := 0; base < 5000; base += 250 {
				row := make([]float32, 250)
				for i := range row {
					row[i] = float32(rng.Intn(40)) // many ties
					if rng.Intn(500) == 0 {
						row[i] = float32(math.NaN())
					}
				}
				pushRow(&h, row, nil, int64(base), sign, nil)
				r.pushRow(row, int64(base), sign)
			}
			hd, hi := make([]float32, k), make([]int64, k)
			rd, ri := make([]float32, k), make([]int64, k)
			h.emit(sign, hd, hi)
			r.emit(sign, rd, ri)
			require.Equal(t, hi, ri, "k=%d sign=%v", k, sign)
			require.Equal(t, hd, rd)
		}
	}
	// fewer candidates than k: padded as the heap pads
	h, r := newTopK(8), newReservoir(8)
	row := []float32{3, 1, 2}
	pushRow(&h, row, nil, 0, 1, nil)
	r.pushRow(row, 0, 1)
	hd, hi, rd, ri := make([]float32, 8), make([]int64, 8), make([]float32, 8), make([]int64, 8)
	h.emit(1, hd, hi)
	r.emit(1, rd, ri)
	require.Equal(t, hi, ri)
	require.Equal(t, hd, rd)
}
