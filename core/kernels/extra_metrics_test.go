package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExtraMetricsFollowTheirDefinitions(t *testing.T) {
	nan := float32(math.NaN())
	assert.InDelta(t, (0.2+0.1)/(0.5+0.3), Jaccard([]float32{0.2, 0.3}, []float32{0.5, 0.1}), 1e-6)
	assert.InDelta(t, 4.0/2*(4+1), NaNEuclidean([]float32{3, nan, nan, 6}, []float32{1, nan, nan, 5}), 1e-5)
	assert.True(t, isNaN(NaNEuclidean([]float32{nan, nan}, []float32{nan, 1})))
	assert.InDelta(t, 0.475, Gower([]float32{0.7, 0.8, -1, -3}, []float32{0.4, 0.2, -1, -2}), 1e-6)
	assert.InDelta(t, 0.1/3, Gower([]float32{0.5, nan, -1, -2}, []float32{0.4, 0.2, -1, -2}), 1e-6)
	assert.True(t, isNaN(Gower([]float32{0.5, -1}, []float32{0.4, 0.2})), "numeric against categorical")
	assert.True(t, isNaN(Gower([]float32{1.5, 0.3}, []float32{0.4, 0.2})), "numeric outside [0, 1]")
	assert.True(t, isNaN(Gower([]float32{nan}, []float32{0.4})), "no coordinate")
}
