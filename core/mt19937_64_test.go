package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The C++ standard fixes the 10000th output of a default-seeded
// std::mt19937_64.
func TestMT19937_64MatchesTheStandard(t *testing.T) {
	m := newMT19937_64(5489)
	var v uint64
	for i := 0; i < 10000; i++ {
		v = m.next()
	}
	assert.Equal(t, uint64(9981545732273789042), v)
	for i := 0; i < 1000; i++ {
		b := m.below(7)
		assert.True(t, b >= 0 && b < 7)
		c := m.canonical()
		assert.True(t, c >= 0 && c < 1)
	}
}
