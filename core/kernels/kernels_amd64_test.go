//go:build amd64 && !noasm

package kernels

import (
	"math/rand"
	"testing"
)

// amd64Tiles are the tile implementations this CPU can run, whichever one
// start-up chose, so each is tested on a machine that has it.
func amd64Tiles() map[string]tileFunc {
	tiles := map[string]tileFunc{"go": dotTileGo}
	if hasAVX2 {
		tiles["avx2"] = dotTileAVX2
	}
	if hasAVX512 {
		tiles["avx512"] = dotTileAVX512
	}
	return tiles
}

func TestEveryAMD64TileMatchesInnerWithGuardBands(t *testing.T) {
	for name, tile := range amd64Tiles() {
		t.Run(name, func(t *testing.T) { checkTileGuardBands(t, tile) })
	}
}

func TestEveryAMD64TileIsPositionInvariant(t *testing.T) {
	for name, tile := range amd64Tiles() {
		t.Run(name, func(t *testing.T) { checkTilePositionInvariance(t, tile) })
	}
}

func BenchmarkTiles(b *testing.B) {
	rng := rand.New(rand.NewSource(4))
	const d, nx, ny = 128, 32, 256
	x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
	out := make([]float32, nx*ny)
	for name, tile := range amd64Tiles() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64((nx + ny) * d * 4))
			for i := 0; i < b.N; i++ {
				tile(x, nx, y, ny, d, out, ny)
			}
			b.ReportMetric(float64(2*nx*ny*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
