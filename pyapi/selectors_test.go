package pyapi

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func members(t *testing.T, prog []int64, n int64) []int64 {
	t.Helper()
	sel, used, err := parseSelector("test", prog)
	require.NoError(t, err)
	require.Equal(t, len(prog), used)
	var in []int64
	for id := int64(0); id < n; id++ {
		if sel.IsMember(id) {
			in = append(in, id)
		}
	}
	return in
}

func TestCombinedAndBitmapSelectors(t *testing.T) {
	rangeLow := []int64{selRange, 0, 6}    // 0..5
	batch := []int64{selBatch, 3, 4, 6, 8} // 4 6 8
	pair := func(code int64) []int64 { return append(append([]int64{code}, rangeLow...), batch...) }
	require.Equal(t, []int64{4}, members(t, pair(selAnd), 10))
	require.Equal(t, []int64{0, 1, 2, 3, 4, 5, 6, 8}, members(t, pair(selOr), 10))
	require.Equal(t, []int64{0, 1, 2, 3, 5, 6, 8}, members(t, pair(selXOr), 10))
	// Bytes 0b00000101, 0b10000000 packed in one word: ids 0, 2 and 15;
	// the bitmap ends at id 15.
	require.Equal(t, []int64{0, 2, 15}, members(t, []int64{selBitmap, 2, 0x8005}, 40))
	require.Equal(t, []int64{0, 2}, members(t, []int64{selBitmap, 1, 0x8005}, 40))
}

func TestMalformedSelectorsAreRefused(t *testing.T) {
	for _, prog := range [][]int64{
		{selAnd, selAll},     // one side missing
		{selOr},              // both missing
		{selBitmap, 9, 1},    // 9 bytes need 2 words
		{selBitmap, -1},      // negative size
		{selXOr, selAll, 99}, // unknown opcode
	} {
		_, _, err := parseSelector("test", prog)
		require.Error(t, err, "%v", prog)
	}
}
