package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckParallel(t *testing.T) { assert.True(t, CheckParallel()) }
