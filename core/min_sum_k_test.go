package core

import (
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// The multi-sequence algorithm returns the k smallest sums of one term per
// row, best first, each with the terms that make it: checked against every
// combination, lazily sorted rows and presorted ones.
func TestMinSumKFindsTheSmallestSums(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, c := range []struct{ m, n, nbits, k int }{{2, 5, 3, 1}, {2, 16, 4, 40}, {3, 7, 3, 100}, {2, 64, 6, 4096}, {1, 9, 4, 9}} {
		for _, presorted := range []bool{false, true} {
			x := make([]float32, c.m*c.n)
			for i := range x {
				x[i] = float32(rng.Intn(1000)) / 8 // exact sums: no rounding between paths
			}
			if presorted {
				for m := 0; m < c.m; m++ {
					row := x[m*c.n : (m+1)*c.n]
					sort.Slice(row, func(a, b int) bool { return row[a] < row[b] })
				}
			}
			var all []float32
			total := 1
			for range c.m {
				total *= c.n
			}
			for t := range total {
				var s float32
				for m, tt := 0, t; m < c.m; m, tt = m+1, tt/c.n {
					s += x[m*c.n+tt%c.n]
				}
				all = append(all, s)
			}
			sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
			k := min(c.k, total)
			sums, terms := make([]float32, k), make([]int64, k)
			newMinSumK(k, c.m, c.nbits, c.n).run(x, c.n, presorted, sums, terms)
			require.Equal(t, all[:k], sums, "%+v presorted %v", c, presorted)
			seen := map[int64]bool{}
			for i, term := range terms {
				var s float32
				for m := 0; m < c.m; m++ {
					j := int(term>>(m*c.nbits)) & (1<<c.nbits - 1)
					require.Less(t, j, c.n)
					s += x[m*c.n+j]
				}
				require.Equal(t, sums[i], s, "%+v: the terms make the sum", c)
				require.False(t, seen[term], "%+v: term %d twice", c, term)
				seen[term] = true
			}
		}
	}
}

// Asking for more sums than combinations pads with (+max, -1).
func TestMinSumKPadsPastTheCombinations(t *testing.T) {
	x := []float32{1, 2, 10, 20}
	sums, terms := make([]float32, 6), make([]int64, 6)
	newMinSumK(6, 2, 1, 2).run(x, 2, false, sums, terms)
	require.Equal(t, []float32{11, 12, 21, 22}, sums[:4])
	require.Equal(t, []int64{0, 1, 2, 3}, terms[:4])
	require.Equal(t, []int64{-1, -1}, terms[4:])
}
