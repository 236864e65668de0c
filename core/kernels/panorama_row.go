package kernels

// PanoramaRow measures a row x against a query q level by level (levels of
// width floats, the last shorter; Panorama's layout, after Ghosh et al.
// 2025): from key acc, each level subtracts its dot product q.x (twice it,
// for L2; once, for inner product, where keys are -similarity), then
// checks the Cauchy-Schwarz bound over the levels left, acc - c*qn[l+1]*xn[l+1]
// (c 2 for L2, 1 for inner product; qn and xn the suffix norms of q and x
// from each level on). It stops when the bound reaches threshold: kept
// false and scanned the dimensions measured; otherwise it returns the
// whole key. One call per row instead of one Inner call per level: the
// calls, not the arithmetic, bounded the row-by-row Panorama scan.
func PanoramaRow(q, x, xn, qn []float32, width int, ip bool, acc, threshold float32) (key float32, scanned int, kept bool) {
	d := len(q)
	if d == 0 || width <= 0 {
		return acc, 0, true
	}
	_, _ = x[d-1], xn[(d-1)/width+1]
	_ = qn[(d-1)/width+1]
	if panoramaRowSIMD != nil {
		flag := 0
		if ip {
			flag = 1
		}
		k, s := panoramaRowSIMD(&q[0], &x[0], &xn[0], &qn[0], d, width, flag, acc, threshold)
		if s < 0 {
			return 0, -s, false
		}
		return k, s, true
	}
	return panoramaRowGo(q, x, xn, qn, width, ip, acc, threshold)
}

func panoramaRowGo(q, x, xn, qn []float32, width int, ip bool, acc, threshold float32) (float32, int, bool) {
	d := len(q)
	for l, start := 0, 0; start < d; l, start = l+1, start+width {
		end := min(start+width, d)
		dot := inner(q[start:end], x[start:end])
		rest := qn[l+1] * xn[l+1]
		var bound float32
		if ip {
			acc -= dot
			bound = acc - rest
		} else {
			acc -= 2 * dot
			bound = acc - 2*rest
		}
		if bound >= threshold {
			return 0, end, false
		}
	}
	return acc, d, true
}

// panoramaRowSIMD is PanoramaRow's loop in assembly (nil without it): it
// returns the key and the dimensions measured, negated when the row was
// dropped.
var panoramaRowSIMD func(q, x, xn, qn *float32, d, width, ip int, acc, threshold float32) (float32, int)
