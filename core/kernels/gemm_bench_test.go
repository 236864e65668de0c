package kernels

import (
	"fmt"
	"math/rand"
	"testing"
)

// GFLOP/s of the packed micro-kernel path and of DotTile on one thread,
// for the k-means and batched-search shapes.
func BenchmarkGemmVsDotTile(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	for _, sh := range [][3]int{{32, 1024, 128}, {256, 500, 128}, {256, 500, 768}, {32, 4096, 64}} {
		nx, ny, d := sh[0], sh[1], sh[2]
		x, y := randFloats(rng, nx*d), randFloats(rng, ny*d)
		out := make([]float32, nx*ny)
		flops := float64(2 * nx * ny * d)
		b.Run(fmt.Sprintf("gemm/%dx%dx%d", nx, ny, d), func(b *testing.B) {
			yp := make([]float32, PackedSize(ny, d))
			PackPanels(y, ny, d, yp)
			s := &GemmScratch{}
			for i := 0; i < b.N; i++ {
				GemmPacked(x, nx, yp, ny, d, out, ny, s)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("gemm+pack/%dx%dx%d", nx, ny, d), func(b *testing.B) {
			yp := make([]float32, PackedSize(ny, d))
			s := &GemmScratch{}
			for i := 0; i < b.N; i++ {
				PackPanels(y, ny, d, yp)
				GemmPacked(x, nx, yp, ny, d, out, ny, s)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("dottile/%dx%dx%d", nx, ny, d), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				DotTile(x, nx, y, ny, d, out, ny)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
