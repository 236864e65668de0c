package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoveShardAndReplica(t *testing.T) {
	a, err := NewIndexFlat(4, MetricL2)
	require.NoError(t, err)
	b, err := NewIndexFlat(4, MetricL2)
	require.NoError(t, err)
	s, err := NewIndexShards(4, MetricL2, false, true)
	require.NoError(t, err)
	require.NoError(t, s.AddShard(a))
	require.NoError(t, s.AddShard(b))
	require.NoError(t, s.Add(make([]float32, 4*10)))
	require.NoError(t, s.RemoveShard(b))
	assert.Equal(t, int64(5), s.Ntotal())
	assert.Error(t, s.RemoveShard(b), "no longer a member")
	r, err := NewIndexReplicas(4, MetricL2, false)
	require.NoError(t, err)
	require.NoError(t, r.AddReplica(a))
	require.NoError(t, r.RemoveReplica(a))
	assert.Empty(t, r.replicas)
}
