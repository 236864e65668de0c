package kernels

// ChunkWidth is the slice of the dimension that chunked tiles work on: 256
// floats (1 KiB) per row, so a y panel keeps 16 rows in L1 even when d is
// large and each pair of x rows is reused by all of them.
const ChunkWidth = 256

// PackChunks copies n rows of length d into dst (n*d floats) chunk-major:
// first the first ChunkWidth columns of every row, then the next ones,
// each chunk's rows contiguous. DotTileChunked reads this layout.
func PackChunks(x []float32, n, d int, dst []float32) {
	for c0 := 0; c0 < d; c0 += ChunkWidth {
		w := min(ChunkWidth, d-c0)
		base := dst[n*c0 : n*(c0+w)]
		for r := 0; r < n; r++ {
			copy(base[r*w:(r+1)*w], x[r*d+c0:r*d+c0+w])
		}
	}
}

// DotTileChunked is DotTile on operands packed by PackChunks: every value
// is the sum, chunk by chunk in order, of DotTile over each chunk, so it
// still does not depend on where its rows sit. partial holds nx*ny floats.
func DotTileChunked(xp []float32, nx int, yp []float32, ny int, d int, out []float32, ldo int, partial []float32) {
	for c0 := 0; c0 < d; c0 += ChunkWidth {
		w := min(ChunkWidth, d-c0)
		xs, ys := xp[nx*c0:nx*(c0+w)], yp[ny*c0:ny*(c0+w)]
		if c0 == 0 {
			DotTile(xs, nx, ys, ny, w, out, ldo)
			continue
		}
		DotTile(xs, nx, ys, ny, w, partial, ny)
		for i := 0; i < nx; i++ {
			AddTo(out[i*ldo:i*ldo+ny], partial[i*ny:(i+1)*ny])
		}
	}
}
