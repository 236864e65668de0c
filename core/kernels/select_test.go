package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNextAtMostAndAtLeastMatchTheirLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	nan := float32(math.NaN())
	for _, n := range []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 64, 100} {
		row := make([]float32, n)
		for i := range row {
			row[i] = rng.Float32()
			if rng.Intn(10) == 0 {
				row[i] = nan
			}
		}
		for _, th := range []float32{-1, 0.05, 0.5, 0.95, 2, nan} {
			for from := 0; from <= n+1; from++ {
				wantMost, wantLeast := n, n
				for i := from; i < n; i++ {
					if row[i] <= th {
						wantMost = i
						break
					}
				}
				for i := from; i < n; i++ {
					if row[i] >= th {
						wantLeast = i
						break
					}
				}
				require.Equal(t, wantMost, NextAtMost(row, from, th), "n=%d from=%d t=%v", n, from, th)
				require.Equal(t, wantLeast, NextAtLeast(row, from, th), "n=%d from=%d t=%v", n, from, th)
			}
		}
	}
}

func TestL2FromDotMatchesItsLoopExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, n := range []int{1, 7, 8, 9, 16, 17, 33} {
		row, norms := randVec(rng, n, false), randVec(rng, n, true)
		row[0] = float32(math.NaN())
		if n > 3 {
			row[3] = 1e6 // strongly negative expansion: clamped
		}
		want := make([]float32, n)
		const qn = 0.75
		for c, ip := range row {
			v := (qn + norms[c]) - 2*ip
			if v < 0 {
				v = 0
			}
			want[c] = v
		}
		got := append([]float32(nil), row...)
		L2FromDot(got, qn, norms)
		require.True(t, math.IsNaN(float64(got[0])))
		require.Equal(t, want[1:], got[1:], "n=%d", n)
	}
}

func TestL2SqrRowsEqualsL2SqrExactlyWithGuardBands(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	const guard = float32(-3.25)
	for _, d := range awkwardDims {
		for _, n := range []int{1, 3, 4, 5, 9} {
			x, y := randVec(rng, d, false), randVec(rng, n*d, false)
			out := make([]float32, n+2)
			for i := range out {
				out[i] = guard
			}
			L2SqrRows(x, y, out[1:n+1])
			require.Equal(t, guard, out[0], "d=%d", d)
			require.Equal(t, guard, out[n+1], "d=%d", d)
			for j := 0; j < n; j++ {
				require.Equal(t, L2Sqr(x, y[j*d:(j+1)*d]), out[1+j], "d=%d n=%d j=%d", d, n, j)
				near(t, refL2(x, y[j*d:(j+1)*d]), float64(out[1+j]), "d=%d", d)
			}
		}
	}
}

func refL2(x, y []float32) float64 {
	s := 0.0
	for i := range x {
		diff := float64(x[i]) - float64(y[i])
		s += diff * diff
	}
	return s
}

func TestAddToAndAxpyToMatchTheirLoopsExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, n := range []int{1, 7, 8, 9, 17, 64, 777} {
		x, base := randVec(rng, n, false), randVec(rng, n+1, false)
		const a = float32(0.37)
		wantAdd, wantAxpy := append([]float32(nil), base...), append([]float32(nil), base...)
		for i := range x {
			wantAdd[i] += x[i]
			wantAxpy[i] += float32(x[i] * a) // rounded product, never fused
		}
		gotAdd, gotAxpy := append([]float32(nil), base...), append([]float32(nil), base...)
		AddTo(gotAdd[:n], x)
		AxpyTo(gotAxpy[:n], a, x)
		require.Equal(t, wantAdd, gotAdd, "n=%d (the guard element must not change)", n)
		require.Equal(t, wantAxpy, gotAxpy, "n=%d", n)
	}
}

func TestMinOfAndMaxOfSkipNaN(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	nan := float32(math.NaN())
	require.Equal(t, float32(math.Inf(1)), MinOf(nil))
	require.Equal(t, float32(math.Inf(-1)), MaxOf([]float32{nan, nan}))
	for _, n := range []int{1, 7, 8, 9, 16, 23, 64, 100} {
		row := randVec(rng, n, false)
		for i := range row {
			if rng.Intn(5) == 0 {
				row[i] = nan
			}
		}
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for _, v := range row {
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
		require.Equal(t, lo, MinOf(row), "n=%d", n)
		require.Equal(t, hi, MaxOf(row), "n=%d", n)
	}
}

// The SIMD kernels load unaligned; rows starting 1-3 floats past a 32-byte
// boundary must give the same values as aligned ones.
func TestKernelsDoNotDependOnAlignment(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for _, d := range []int{8, 17, 64, 129} {
		const nx, ny = 3, 9
		x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
		want := make([]float32, nx*ny)
		DotTile(x, nx, y, ny, d, want, ny)
		wantL2 := make([]float32, ny)
		L2SqrRows(x[:d], y, wantL2)
		for off := 1; off <= 3; off++ {
			xs := append(make([]float32, off), x...)[off:]
			ys := append(make([]float32, off), y...)[off:]
			got := make([]float32, nx*ny+off)[off:]
			DotTile(xs, nx, ys, ny, d, got, ny)
			require.Equal(t, want, got, "d=%d offset=%d", d, off)
			gotL2 := make([]float32, ny+off)[off:]
			L2SqrRows(xs[:d], ys, gotL2)
			require.Equal(t, wantL2, gotL2, "d=%d offset=%d", d, off)
		}
	}
}

func TestLinfIgnoresNaNAndL1KeepsIt(t *testing.T) {
	for _, d := range []int{3, 8, 19} {
		x, y := make([]float32, d), make([]float32, d)
		for i := range x {
			x[i], y[i] = float32(i), float32(2*i)
		}
		x[1] = float32(math.NaN())
		require.Equal(t, float32(d-1), Linf(x, y), "d=%d", d)
		require.True(t, math.IsNaN(float64(L1(x, y))), "d=%d", d)
	}
}

func TestDotTileChunkedMatchesInnerAndIsPositionInvariant(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	for _, d := range []int{255, 256, 257, 513, 777} {
		const nx, ny = 5, 7
		x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
		xp, yp := make([]float32, nx*d), make([]float32, ny*d)
		PackChunks(x, nx, d, xp)
		PackChunks(y, ny, d, yp)
		full := make([]float32, nx*ny)
		DotTileChunked(xp, nx, yp, ny, d, full, ny, make([]float32, nx*ny))
		for i := 0; i < nx; i++ {
			for j := 0; j < ny; j++ {
				near(t, float64(Inner(x[i*d:(i+1)*d], y[j*d:(j+1)*d])), float64(full[i*ny+j]), "d=%d", d)
			}
		}
		// rows 1.. of x and 2.. of y packed on their own give the same bits
		xs, ys := make([]float32, (nx-1)*d), make([]float32, (ny-2)*d)
		PackChunks(x[d:], nx-1, d, xs)
		PackChunks(y[2*d:], ny-2, d, ys)
		sub := make([]float32, (nx-1)*(ny-2))
		DotTileChunked(xs, nx-1, ys, ny-2, d, sub, ny-2, make([]float32, len(sub)))
		for i := 1; i < nx; i++ {
			for j := 2; j < ny; j++ {
				require.Equal(t, full[i*ny+j], sub[(i-1)*(ny-2)+j-2], "d=%d (%d,%d)", d, i, j)
			}
		}
	}
}

func TestFirstNonFiniteFindsNaNAndInf(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 33} {
		x := make([]float32, n)
		require.Equal(t, n, FirstNonFinite(x), "n=%d all finite", n)
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for at := 0; at < n; at++ {
				y := make([]float32, n)
				for i := range y {
					y[i] = float32(i) - 3.5
				}
				y[at] = float32(bad)
				if at+1 < n {
					y[n-1] = float32(bad) // a later one must not win
				}
				require.Equal(t, at, FirstNonFinite(y), "n=%d at=%d %v", n, at, bad)
			}
		}
	}
}

func TestL2ArgMinMatchesL2FromDotThenFirstMinimum(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	nan := float32(math.NaN())
	require.Equal(t, -1, func() int { _, i := L2ArgMin(nil, 1, nil); return i }())
	for _, n := range []int{1, 7, 8, 9, 16, 17, 40, 100} {
		for trial := 0; trial < 20; trial++ {
			row, norms := randVec(rng, n, false), randVec(rng, n, true)
			for i := range row {
				switch rng.Intn(8) {
				case 0:
					row[i] = nan
				case 1:
					row[i] = row[rng.Intn(n)] // ties
					norms[i] = norms[0]
				}
			}
			qn := rng.Float32()
			dist := append([]float32(nil), row...)
			L2FromDot(dist, qn, norms)
			want, wantAt := float32(math.Inf(1)), -1
			for c, v := range dist {
				if v < want {
					want, wantAt = v, c
				}
			}
			got, at := L2ArgMin(row, qn, norms)
			require.Equal(t, wantAt, at, "n=%d", n)
			if at >= 0 {
				require.Equal(t, want, got, "n=%d", n)
			}
		}
	}
}
