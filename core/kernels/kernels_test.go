package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// awkwardDims hit every tail of the 4-, 8- and 16-wide loops (DESIGN.md
// §8 and the SIMD issue): 1..17 and the sizes around powers of two.
var awkwardDims = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 257, 777}

func randVec(rng *rand.Rand, n int, positive bool) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = rng.Float32()*2 - 1
		if positive {
			v[i] = rng.Float32() + 0.01
		}
	}
	return v
}

func near(t *testing.T, want, got float64, msg ...any) {
	t.Helper()
	tol := 1e-5 * math.Max(1, math.Abs(want))
	require.InDelta(t, want, got, tol, msg...)
}

func TestVectorKernelsMatchReferenceLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, d := range awkwardDims {
		x, y := randVec(rng, d, true), randVec(rng, d, true)
		var l2, ip, l1, linf, lp, can, bcn, bcd, js float64
		for i := 0; i < d; i++ {
			a, b := float64(x[i]), float64(y[i])
			l2 += (a - b) * (a - b)
			ip += a * b
			l1 += math.Abs(a - b)
			linf = math.Max(linf, math.Abs(a-b))
			lp += math.Pow(math.Abs(a-b), 3)
			can += math.Abs(a-b) / (math.Abs(a) + math.Abs(b))
			bcn += math.Abs(a - b)
			bcd += math.Abs(a + b)
			m := (a + b) / 2
			js += -a*math.Log(m/a) - b*math.Log(m/b)
		}
		near(t, l2, float64(L2Sqr(x, y)), "L2 d=%d", d)
		near(t, ip, float64(Inner(x, y)), "IP d=%d", d)
		near(t, l1, float64(L1(x, y)), "L1 d=%d", d)
		near(t, linf, float64(Linf(x, y)), "Linf d=%d", d)
		near(t, lp, float64(Lp(x, y, 3)), "Lp d=%d", d)
		near(t, can, float64(Canberra(x, y)), "Canberra d=%d", d)
		near(t, bcn/bcd, float64(BrayCurtis(x, y)), "BrayCurtis d=%d", d)
		near(t, js/2, float64(JensenShannon(x, y)), "JensenShannon d=%d", d)
	}
}

func TestNormsWritesOnlyItsRows(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, d := range awkwardDims {
		const n = 7
		x := randVec(rng, n*d, false)
		out := make([]float32, n+2) // guard band on both sides
		out[0], out[n+1] = 42, 42
		Norms(x, d, out[1:n+1])
		require.Equal(t, float32(42), out[0])
		require.Equal(t, float32(42), out[n+1])
		for r := 0; r < n; r++ {
			row := x[r*d : (r+1)*d]
			near(t, float64(Inner(row, row)), float64(out[r+1]))
		}
	}
}

// tileFunc is the shape of DotTile and of each implementation behind it.
type tileFunc func(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int)

func TestDotTileMatchesInnerWithGuardBands(t *testing.T) {
	checkTileGuardBands(t, DotTile)
}

func checkTileGuardBands(t *testing.T, tile tileFunc) {
	rng := rand.New(rand.NewSource(3))
	const guard = float32(-7.5)
	for _, d := range awkwardDims {
		for _, shape := range [][2]int{{1, 1}, {3, 5}, {4, 4}, {5, 9}, {9, 13}, {8, 3}} {
			nx, ny := shape[0], shape[1]
			ldo := ny + 3 // padding columns must stay untouched
			x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
			out := make([]float32, nx*ldo+ldo)
			for i := range out {
				out[i] = guard
			}
			tile(x, nx, y, ny, d, out, ldo)
			for i := 0; i < nx; i++ {
				for j := 0; j < ldo; j++ {
					got := out[i*ldo+j]
					if j >= ny {
						require.Equal(t, guard, got, "padding touched d=%d i=%d j=%d", d, i, j)
						continue
					}
					want := Inner(x[i*d:(i+1)*d], y[j*d:(j+1)*d])
					near(t, float64(want), float64(got), "d=%d nx=%d ny=%d i=%d j=%d", d, nx, ny, i, j)
				}
			}
			for j := nx * ldo; j < len(out); j++ {
				require.Equal(t, guard, out[j], "trailing guard touched d=%d", d)
			}
		}
	}
}

// A value must not depend on where its rows sit in the tile, or results
// would change with the way work is split over threads.
func TestDotTileValuesDoNotDependOnPosition(t *testing.T) {
	checkTilePositionInvariance(t, DotTile)
}

func checkTilePositionInvariance(t *testing.T, tile tileFunc) {
	rng := rand.New(rand.NewSource(5))
	for _, d := range awkwardDims {
		const nx, ny = 5, 7
		x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
		full := make([]float32, nx*ny)
		tile(x, nx, y, ny, d, full, ny)
		for i0 := 0; i0 < nx; i0++ {
			for j0 := 0; j0 < ny; j0++ {
				sub := make([]float32, (nx-i0)*(ny-j0))
				tile(x[i0*d:], nx-i0, y[j0*d:], ny-j0, d, sub, ny-j0)
				for i := i0; i < nx; i++ {
					for j := j0; j < ny; j++ {
						require.Equal(t, full[i*ny+j], sub[(i-i0)*(ny-j0)+j-j0], "d=%d at (%d,%d) from (%d,%d)", d, i, j, i0, j0)
					}
				}
			}
		}
	}
}

func BenchmarkDotTile(b *testing.B) {
	rng := rand.New(rand.NewSource(4))
	const d, nx, ny = 128, 32, 256
	x, y := randVec(rng, nx*d, false), randVec(rng, ny*d, false)
	out := make([]float32, nx*ny)
	b.SetBytes(int64((nx + ny) * d * 4))
	for i := 0; i < b.N; i++ {
		DotTile(x, nx, y, ny, d, out, ny)
	}
	b.ReportMetric(float64(2*nx*ny*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func TestKernelSetIsNamed(t *testing.T) {
	t.Logf("kernels in use: %s", KernelSet())
	require.NotEmpty(t, KernelSet())
}

func TestTransposedKernelsMatchTheLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(71))
	for _, d := range []int{1, 2, 3, 8, 16, 33} {
		for _, n := range []int{1, 31, 32, 33, 64, 100, 257} {
			ldy := n + 3 // a stride wider than the columns
			x := make([]float32, d)
			yt := make([]float32, d*ldy)
			for i := range x {
				x[i] = rng.Float32()*2 - 1
			}
			for i := range yt {
				yt[i] = rng.Float32()*2 - 1
			}
			out := make([]float32, n+1)
			l2 := make([]float32, n+1)
			out[n], l2[n] = 42, 42 // guards
			DotsTransposed(x, yt, n, ldy, out)
			L2Transposed(x, yt, n, ldy, l2)
			for c := 0; c < n; c++ {
				var want, wantL2 float64
				for k := range x {
					want += float64(x[k]) * float64(yt[k*ldy+c])
					t := float64(x[k]) - float64(yt[k*ldy+c])
					wantL2 += t * t
				}
				require.InDelta(t, want, out[c], 1e-5*float64(d), "d=%d n=%d column %d", d, n, c)
				require.InDelta(t, wantL2, l2[c], 1e-5*float64(d), "L2 d=%d n=%d column %d", d, n, c)
			}
			require.Equal(t, float32(42), out[n], "wrote past n")
			require.Equal(t, float32(42), l2[n], "wrote past n")
		}
	}
}

func TestL2ArgMinTransposedMatchesTheTwoSteps(t *testing.T) {
	rng := rand.New(rand.NewSource(72))
	for _, d := range []int{1, 3, 8, 16} {
		for _, n := range []int{1, 31, 32, 33, 64, 100, 257} {
			ldy := n + 5
			x := make([]float32, d)
			yt := make([]float32, d*ldy)
			norms := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.Intn(5)) // small integers: exact ties
			}
			for i := range yt {
				yt[i] = float32(rng.Intn(5))
			}
			for c := range norms {
				for k := 0; k < d; k++ {
					norms[c] += yt[k*ldy+c] * yt[k*ldy+c]
				}
			}
			qn := float32(0)
			for _, v := range x {
				qn += v * v
			}
			row := make([]float32, n)
			DotsTransposed(x, yt, n, ldy, row)
			wantV, wantC := L2ArgMin(row, qn, norms)
			v, c := L2ArgMinTransposed(x, yt, n, ldy, norms, qn)
			require.Equal(t, wantC, c, "d=%d n=%d: first nearest column", d, n)
			require.Equal(t, wantV, v, "d=%d n=%d", d, n)
		}
	}
}

func TestSQ8L2MatchesTheLoop(t *testing.T) {
	rng := rand.New(rand.NewSource(73))
	for _, d := range []int{1, 7, 8, 9, 16, 33, 128} {
		q, a, s := make([]float32, d), make([]float32, d), make([]float32, d)
		code := make([]byte, d+3)[1 : d+1] // an unaligned code
		for j := range q {
			q[j], a[j], s[j] = rng.Float32()*100, rng.Float32()*10, rng.Float32()/10
			code[j] = byte(rng.Intn(256))
		}
		var want float64
		for j := range q {
			t := float64(q[j]) - (float64(a[j]) + float64(code[j])*float64(s[j]))
			want += t * t
		}
		require.InDelta(t, want, SQ8L2(q, a, s, code), 1e-5*want+1e-6, "d=%d", d)
	}
}

func TestSQ8EncodeMatchesTheScalarRuleExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(74))
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	specials := []float32{nan, inf, -inf, 0, float32(math.Copysign(0, -1)), 1e30, -1e30, 1, 2}
	for _, d := range []int{1, 7, 8, 9, 16, 33, 128} {
		x, vmin, vdiv := make([]float32, d), make([]float32, d), make([]float32, d)
		for j := range x {
			vmin[j], vdiv[j] = rng.Float32()-0.5, rng.Float32()*2
			// Most values land inside [vmin, vmin+vdiv], some outside.
			x[j] = vmin[j] + vdiv[j]*(rng.Float32()*1.4-0.2)
			switch rng.Intn(6) {
			case 0:
				x[j] = specials[rng.Intn(len(specials))]
			case 1:
				vdiv[j] = inf // faiss's vdiff == 0
			case 2:
				x[j] = vmin[j] + vdiv[j]*float32(rng.Intn(256))/255 // on a level
			}
		}
		buf := make([]byte, d+2)
		code := buf[1 : d+1] // unaligned, with guard bytes around it
		buf[0], buf[d+1] = 0xAA, 0x55
		SQ8Encode(x, vmin, vdiv, code)
		for j := range x {
			require.Equal(t, sq8Component(x[j], vmin[j], vdiv[j]), code[j], "d=%d j=%d x=%v vmin=%v vdiv=%v", d, j, x[j], vmin[j], vdiv[j])
		}
		require.Equal(t, byte(0xAA), buf[0])
		require.Equal(t, byte(0x55), buf[d+1])
	}
	// The rule itself, on values whose codes are known.
	require.Equal(t, byte(0), sq8Component(nan, 0, 1))
	require.Equal(t, byte(0), sq8Component(5, 0, inf))
	require.Equal(t, byte(0), sq8Component(-inf, 0, inf))
	require.Equal(t, byte(255), sq8Component(7, 0, 1))
	require.Equal(t, byte(127), sq8Component(0.5, 0, 1)) // 127.5 truncates
}

func TestSQ8DecodeMatchesTheLoop(t *testing.T) {
	rng := rand.New(rand.NewSource(75))
	for _, d := range []int{1, 7, 8, 9, 16, 33, 128} {
		a, s := make([]float32, d), make([]float32, d)
		code := make([]byte, d+3)[1 : d+1] // an unaligned code
		for j := range a {
			a[j], s[j] = rng.Float32()*10-5, rng.Float32()/10
			code[j] = byte(rng.Intn(256))
		}
		buf := make([]float32, d+2)
		out := buf[1 : d+1]
		buf[0], buf[d+1] = -7, -9
		SQ8Decode(code, a, s, out)
		for j := range out {
			want := float64(a[j]) + float64(code[j])*float64(s[j])
			require.InDelta(t, want, out[j], 1e-6*(math.Abs(want)+1), "d=%d j=%d", d, j)
		}
		require.Equal(t, []float32{-7, -9}, []float32{buf[0], buf[d+1]}, "guards")
	}
}

func TestPQScan8MatchesTheFourSums(t *testing.T) {
	rng := rand.New(rand.NewSource(76))
	for _, m := range []int{0, 1, 3, 4, 5, 7, 8, 16, 17, 64} {
		table := make([]float32, m*256)
		for i := range table {
			table[i] = rng.Float32()*4 - 1
		}
		const n = 37
		codes := make([]byte, n*m)
		for i := range codes {
			codes[i] = byte(rng.Intn(256))
		}
		buf := make([]float32, n+2)
		out := buf[1 : n+1]
		buf[0], buf[n+1] = -7, -9
		PQScan8(codes, m, table, 0.25, out)
		for i := range out {
			var s [4]float32
			s[0] = 0.25
			for j := 0; j < m; j++ {
				sum := j & 3
				if j >= m/4*4 {
					sum = 0
				}
				s[sum] += table[j*256+int(codes[i*m+j])]
			}
			require.Equal(t, (s[0]+s[1])+(s[2]+s[3]), out[i], "m=%d code %d", m, i)
		}
		require.Equal(t, []float32{-7, -9}, []float32{buf[0], buf[n+1]}, "guards")
	}
}

func TestL2SqrGatherEqualsL2SqrExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(77))
	for _, d := range []int{1, 5, 8, 13, 32, 128, 131} {
		const rows = 50
		base := randVec(rng, rows*d, false)
		x := randVec(rng, d, false)
		for _, n := range []int{0, 1, 3, 4, 7, 16, 23} {
			ids := make([]int32, n)
			for i := range ids {
				ids[i] = int32(rng.Intn(rows))
			}
			out := make([]float32, n+1)
			out[n] = -7
			L2SqrGather(x, base, ids, out[:n])
			for i, id := range ids {
				require.Equal(t, L2Sqr(x, base[int(id)*d:(int(id)+1)*d]), out[i], "d=%d n=%d i=%d", d, n, i)
			}
			require.Equal(t, float32(-7), out[n], "guard")
		}
	}
}

func TestMinimaxScansMatchTheLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(78))
	for _, n := range []int{0, 1, 7, 8, 9, 16, 33, 128, 517} {
		for trial := 0; trial < 20; trial++ {
			dis, ids := make([]float32, n), make([]int32, n)
			for i := range dis {
				dis[i] = float32(rng.Intn(12)) // many ties
				ids[i] = int32(i)
				if rng.Intn(3) == 0 {
					ids[i] = -1
				}
				if rng.Intn(40) == 0 {
					dis[i] = float32(math.Inf(1))
				}
			}
			if trial == 0 {
				for i := range ids {
					ids[i] = -1 // none valid
				}
			}
			require.Equal(t, argMinValidLastGo(dis, ids), ArgMinValidLast(dis, ids), "n=%d trial %d", n, trial)
			th := float32(rng.Intn(14))
			want := 0
			for _, v := range dis {
				if v < th {
					want++
				}
			}
			require.Equal(t, want, CountBelow(dis, th), "n=%d", n)
		}
	}
}
