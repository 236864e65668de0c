package core

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReservoirSinkKeepsTheKBest(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	// the reservoir keeps what a full sort keeps (ties by id), whatever
	// the arrival order
	for _, k := range []int{21, 40} {
		s := newFSSink(k)
		s.reset(0)
		type c struct {
			key float32
			id  int64
		}
		var all []c
		for id := int64(0); id < 2000; id++ {
			key := float32(rng.Intn(300))
			all = append(all, c{key, id})
			if key < s.root() {
				s.add(key, id)
			}
		}
		slices.SortFunc(all, func(a, b c) int {
			if a.key != b.key {
				if a.key < b.key {
					return -1
				}
				return 1
			}
			return int(a.id - b.id)
		})
		dist, labels := make([]float32, k), make([]int64, k)
		s.emit(&fsQuery{a: 1}, 0, dist, labels)
		for i := 0; i < k; i++ {
			require.Equal(t, all[i].id, labels[i])
			require.Equal(t, all[i].key, dist[i])
		}
	}
}
