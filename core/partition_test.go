package core

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkPartition asserts that vals' first q entries are q of the best
// values of orig (ties split anyhow) and that vals/ids stay a permutation
// of the original pairs.
func checkPartition[T uint16 | float32](t *testing.T, orig, vals []T, ids []int64, q int, thresh T, largest bool) {
	t.Helper()
	sorted := slices.Clone(orig)
	slices.Sort(sorted)
	if largest {
		slices.Reverse(sorted)
	}
	want := slices.Clone(sorted[:q])
	got := slices.Clone(vals[:q])
	slices.Sort(got)
	slices.Sort(want)
	require.Equal(t, want, got, "the kept values")
	if q > 0 {
		assert.Equal(t, sorted[q-1], thresh, "the threshold")
	}
	for i, id := range ids {
		assert.Equal(t, orig[id], vals[i], "the id travels with its value")
	}
}

func TestPartitionFuzzyKeepsTheBestValues(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.Intn(200)
		maxval := []int{4, 16, 500, 65536}[trial%4]
		orig := make([]uint16, n)
		for i := range orig {
			orig[i] = uint16(rng.Intn(maxval))
		}
		qmin := rng.Intn(n + 1)
		qmax := qmin + rng.Intn(n-qmin+1)
		for _, largest := range []bool{false, true} {
			vals := slices.Clone(orig)
			ids := make([]int64, n)
			for i := range ids {
				ids[i] = int64(i)
			}
			q, thresh, err := PartitionFuzzy(vals, ids, qmin, qmax, largest)
			require.NoError(t, err)
			require.GreaterOrEqual(t, q, qmin)
			require.LessOrEqual(t, q, qmax)
			checkPartition(t, orig, vals, ids, q, thresh, largest)
		}
	}
}

func TestPartitionFuzzyPrefersNotSplittingTies(t *testing.T) {
	vals := []float32{3, 1, 2, 2, 2, 5}
	q, thresh, err := PartitionFuzzy(vals, nil, 2, 5, false)
	require.NoError(t, err)
	assert.Equal(t, 4, q, "1 and the three 2s fit within q_max")
	assert.Equal(t, float32(2), thresh)
	assert.ElementsMatch(t, []float32{1, 2, 2, 2}, vals[:4])

	_, _, err = PartitionFuzzy(vals, nil, 3, 2, false)
	assert.Error(t, err, "q_max below q_min")
	_, _, err = PartitionFuzzy(vals, []int64{1}, 1, 2, false)
	assert.Error(t, err, "ids of another length")
}

func TestHistogramBinsShiftedValues(t *testing.T) {
	data := []uint16{0, 1, 1, 7, 8, 500, 503, 504, 531, 532, 499}
	hist := make([]int32, 8)
	Histogram(data, 0, -1, hist)
	assert.Equal(t, []int32{1, 2, 0, 0, 0, 0, 0, 1}, hist, "plain bins; 8 and up are out of range")
	Histogram(data, 500, 2, hist)
	assert.Equal(t, []int32{2, 1, 0, 0, 0, 0, 0, 1}, hist, "bins of 4 from 500; 499 and 532 are outside")
}
