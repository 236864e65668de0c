package kernels

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// pq4ScanRef unpacks every code and adds its table entries one by one.
func pq4ScanRef(codes []byte, ngroups, groupStride, pairStride, npairs int, lut []byte, bias, flip, thr uint16) ([]uint16, []uint32) {
	out, masks := make([]uint16, 32*ngroups), make([]uint32, ngroups)
	for g := 0; g < ngroups; g++ {
		for i := 0; i < 32; i++ {
			s := bias
			for p := 0; p < npairs; p++ {
				c := codes[g*groupStride+p*pairStride:]
				j := [16]int{0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}[i%16]
				for half := 0; half < 2; half++ {
					b := c[16*half+j]
					code := b & 15
					if i >= 16 {
						code = b >> 4
					}
					s += uint16(lut[p*32+16*half+int(code)])
				}
			}
			out[32*g+i] = s ^ flip
			if out[32*g+i] < thr {
				masks[g] |= 1 << i
			}
		}
	}
	return out, masks
}

// pq4Variants are the implementations this build and CPU can run.
func pq4Variants() map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32) {
	v := map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32){"go": nil}
	for name, f := range pq4SIMDVariants() {
		v[name] = f
	}
	return v
}

func TestPQ4ScanMatchesReferenceAtAwkwardSizes(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for name, f := range pq4Variants() {
		t.Run(name, func(t *testing.T) {
			saved := pq4ScanSIMD
			defer func() { pq4ScanSIMD = saved }()
			pq4ScanSIMD = f
			for _, npairs := range []int{1, 2, 3, 5, 8, 16, 17, 64, 200} {
				for _, bbs := range []int{32, 64, 96} {
					nblocks := 1 + rng.Intn(3)
					codes := make([]byte, nblocks*bbs*npairs+7)
					rng.Read(codes)
					lut := make([]byte, npairs*32)
					rng.Read(lut)
					for _, flip := range []uint16{0, 0xffff} {
						thr, bias := uint16(rng.Intn(1<<16)), uint16(rng.Intn(1<<16))
						if npairs == 200 {
							thr = 0xffff // sums wrap past 65535 here
						}
						// a block of bbs vectors is bbs/32 groups 32 bytes apart
						for b := 0; b < nblocks; b++ {
							c := codes[b*bbs*npairs:]
							wantOut, wantMasks := pq4ScanRef(c, bbs/32, 32, bbs, npairs, lut, bias, flip, thr)
							out, masks := make([]uint16, bbs), make([]uint32, bbs/32)
							PQ4Scan(c, bbs/32, 32, bbs, npairs, lut, bias, flip, thr, out, masks)
							require.Equal(t, wantOut, out, "npairs %d bbs %d", npairs, bbs)
							require.Equal(t, wantMasks, masks, "npairs %d bbs %d thr %d", npairs, bbs, thr)
						}
						if bbs == 32 {
							// consecutive 32-vector blocks in one call
							wantOut, wantMasks := pq4ScanRef(codes, nblocks, 32*npairs, 32, npairs, lut, bias, flip, 0)
							out, masks := make([]uint16, 32*nblocks), make([]uint32, nblocks)
							PQ4Scan(codes, nblocks, 32*npairs, 32, npairs, lut, bias, flip, 0, out, masks)
							require.Equal(t, wantOut, out)
							require.Equal(t, wantMasks, masks)
						}
					}
				}
			}
		})
	}
}

func BenchmarkPQ4Scan(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	const npairs, ngroups = 16, 64
	codes := make([]byte, ngroups*npairs*32)
	rng.Read(codes)
	lut := make([]byte, npairs*32)
	rng.Read(lut)
	out, masks := make([]uint16, 32*ngroups), make([]uint32, ngroups)
	for name, f := range pq4Variants() {
		b.Run(name, func(b *testing.B) {
			saved := pq4ScanSIMD
			defer func() { pq4ScanSIMD = saved }()
			pq4ScanSIMD = f
			for i := 0; i < b.N; i++ {
				PQ4Scan(codes, ngroups, npairs*32, 32, npairs, lut, 0, 0, 1000, out, masks)
			}
			b.ReportMetric(float64(32*ngroups)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvec/s")
		})
	}
}

// PQ4Scan4 gives each query what PQ4Scan gives it alone.
func TestPQ4Scan4MatchesSingleQueries(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	saved := pq4Scan4SIMD
	defer func() { pq4Scan4SIMD = saved }()
	for _, multi := range []bool{false, true} {
		if !multi {
			pq4Scan4SIMD = nil
		} else {
			pq4Scan4SIMD = saved
		}
		for _, npairs := range []int{1, 2, 3, 16, 17} {
			for _, bbs := range []int{32, 64} {
				ngroups := bbs / 32
				codes := make([]byte, bbs*npairs+5)
				rng.Read(codes)
				stride := npairs*32 + 32*rng.Intn(3)
				luts := make([]byte, 3*stride+npairs*32)
				rng.Read(luts)
				var biases, thrs [4]uint16
				for q := range biases {
					biases[q], thrs[q] = uint16(rng.Intn(1<<16)), uint16(rng.Intn(1<<16))
				}
				thrs[2] = 0
				for _, flip := range []uint16{0, 0xffff} {
					out, masks := make([]uint16, 4*32*ngroups), make([]uint32, 4*ngroups)
					PQ4Scan4(codes, ngroups, 32, bbs, npairs, luts, stride, &biases, flip, &thrs, out, masks)
					for q := 0; q < 4; q++ {
						wo, wm := pq4ScanRef(codes, ngroups, 32, bbs, npairs, luts[q*stride:], biases[q], flip, thrs[q])
						require.Equal(t, wo, out[q*32*ngroups:(q+1)*32*ngroups], "multi %v npairs %d q %d", multi, npairs, q)
						require.Equal(t, wm, masks[q*ngroups:(q+1)*ngroups], "multi %v npairs %d q %d", multi, npairs, q)
					}
				}
			}
		}
	}
}

func BenchmarkPQ4Scan4(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	const npairs, ngroups = 16, 64
	codes := make([]byte, ngroups*npairs*32)
	rng.Read(codes)
	luts := make([]byte, 4*npairs*32)
	rng.Read(luts)
	out, masks := make([]uint16, 4*32*ngroups), make([]uint32, 4*ngroups)
	biases, thrs := [4]uint16{}, [4]uint16{1000, 1000, 1000, 1000}
	for i := 0; i < b.N; i++ {
		PQ4Scan4(codes, ngroups, npairs*32, 32, npairs, luts, npairs*32, &biases, 0, &thrs, out, masks)
	}
	b.ReportMetric(float64(4*32*ngroups)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvec/s")
}
