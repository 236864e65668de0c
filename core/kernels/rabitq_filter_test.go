package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// The SIMD filter picks exactly the codes the reference picks, for codes
// of several widths, query bits, both metrics and thresholds anywhere in
// the keys' range (NaN factors included).
func TestRaBitQFilterMatchesReference(t *testing.T) {
	if rbqFilterSIMD == nil {
		t.Skip("no SIMD RaBitQ filter on this CPU")
	}
	rng := rand.New(rand.NewSource(21))
	for _, words := range []int{1, 2, 3, 16} {
		for _, qb := range []int{1, 4, 8} {
			for _, l2 := range []uint32{0, 1} {
				sb := 8 * words
				cs := sb + 8 + 4*rng.Intn(3) // room for trailing bytes
				n := 8 * (1 + rng.Intn(20))
				codes := make([]byte, n*cs)
				rng.Read(codes)
				for i := 0; i < n; i++ {
					putF := func(at int, v float32) {
						b := math.Float32bits(v)
						codes[at], codes[at+1], codes[at+2], codes[at+3] = byte(b), byte(b>>8), byte(b>>16), byte(b>>24)
					}
					putF(i*cs+sb, float32(rng.NormFloat64()*10))
					putF(i*cs+sb+4, float32(rng.NormFloat64()))
					if i == 3 {
						putF(i*cs+sb, float32(math.NaN()))
					}
				}
				planes := make([]uint64, words*qb)
				for i := range planes {
					planes[i] = rng.Uint64()
				}
				f := &RaBitQFilter{C1: 0.01, C2: -0.3, C34: 2.5, QrToC: 7, QrNorm: 3, L2: l2}
				for _, thr := range []float32{-100, 0, 5, 20, float32(math.MaxFloat32)} {
					f.Thr = thr
					want, got := make([]byte, n/8), make([]byte, n/8)
					rbqFilterGo(codes, cs, n, sb, planes, words, qb, f, want)
					require.True(t, RaBitQFilterCodes(codes, cs, n, sb, planes, words, qb, f, got))
					require.Equal(t, want, got, "words=%d qb=%d l2=%d thr=%v", words, qb, l2, thr)
				}
			}
		}
	}
}

// The fast-scan filter picks exactly the vectors the reference picks.
func TestRaBitQFSFilterMatchesReference(t *testing.T) {
	if rbqFSFilterSIMD == nil {
		t.Skip("no SIMD RaBitQ filter on this CPU")
	}
	rng := rand.New(rand.NewSource(22))
	for _, ip := range []uint32{0, 1} {
		n := 16 * (1 + rng.Intn(10))
		sums := make([]uint16, n)
		aux := make([]byte, 8*n)
		for i := range sums {
			sums[i] = uint16(rng.Intn(8000))
			put := func(at int, v float32) {
				b := math.Float32bits(v)
				aux[at], aux[at+1], aux[at+2], aux[at+3] = byte(b), byte(b>>8), byte(b>>16), byte(b>>24)
			}
			put(8*i, float32(rng.NormFloat64()*10))
			put(8*i+4, float32(rng.NormFloat64()))
		}
		f := &RaBitQFSFilter{OneA: 0.003, B: -4, C34: 1.5, QrToC: 9, QrNorm: 2, IP: ip}
		for _, thr := range []float32{-50, 0, 3, 40, float32(math.MaxFloat32)} {
			f.Thr = thr
			want, got := make([]uint16, n/16), make([]uint16, n/16)
			rbqFSFilterGo(sums, aux, n, f, want)
			require.True(t, RaBitQFSFilterSums(sums, aux, n, f, got))
			require.Equal(t, want, got, "ip=%d thr=%v", ip, thr)
		}
	}
}
