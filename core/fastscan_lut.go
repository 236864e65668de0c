package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// Look-up-table quantization of the fast-scan indexes (faiss's
// quantize_lut): float tables of M sub-quantizers x ksub entries become
// uint8 tables whose sums, accumulated in uint16, stand for distances as
// sum / a + b. The arithmetic follows faiss's step by step (float32,
// sequential sums), so the quantized tables equal faiss's byte for byte.

// tabMin and tabMax skip NaNs, as faiss's do (+Inf / -Inf when all are):
// the SIMD reductions, whose contract is that loop (the loop's branches
// on random tables cost a third of a nprobe-1 search).
func tabMin(t []float32) float32 { return kernels.MinOf(t) }

func tabMax(t []float32) float32 { return kernels.MaxOf(t) }

// stdMin and stdMax are C++'s std::min / std::max on floats (a NaN
// second argument is ignored), which Go's min / max are not.
func stdMin(a, b float32) float32 {
	if b < a {
		return b
	}
	return a
}

func stdMax(a, b float32) float32 {
	if a < b {
		return b
	}
	return a
}

// spanScale is num / span, +Inf for an empty span (faiss 1.15 leaves such
// a span out of the choice of scale); scaleOrZero turns a scale that no
// span bounded into 0, which quantizes every entry to 0.
func spanScale(num, span float32) float32 {
	if span > 0 {
		return num / span
	}
	return float32(math.Inf(1))
}

func scaleOrZero(a float32) float32 {
	if math.IsInf(float64(a), 1) {
		return 0
	}
	return a
}

// roundLUT is faiss's round_tab: floor((v - bias) * a + 0.5).
func roundLUT(v, a, bias float32) float32 {
	return float32(math.Floor(float64((v-bias)*a) + 0.5))
}

// RoundUint8PerColumn rounds the n rows of d values of tab in place to
// integers 0..255 with one scale for all rows and each row's own minimum
// (faiss's round_uint8_per_column); it returns a and b (the sum of the
// minima).
func RoundUint8PerColumn(tab []float32, n, d int) (a, b float32) {
	return RoundUint8PerColumnMulti(tab, 1, n, d)
}

// RoundUint8PerColumnMulti is RoundUint8PerColumn over m tables of n rows
// (tab is m x n x d): row i's minimum is taken over the m tables.
func RoundUint8PerColumnMulti(tab []float32, m, n, d int) (a, b float32) {
	var maxSpan float32
	mins := make([]float32, n)
	for i := 0; i < n; i++ {
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for j := 0; j < m; j++ {
			row := tab[(j*n+i)*d : (j*n+i+1)*d]
			lo, hi = stdMin(lo, tabMin(row)), stdMax(hi, tabMax(row))
		}
		mins[i] = lo
		if span := hi - lo; span > maxSpan {
			maxSpan = span
		}
	}
	a = scaleOrZero(spanScale(255, maxSpan))
	for i := 0; i < n; i++ {
		b += mins[i]
		for j := 0; j < m; j++ {
			row := tab[(j*n+i)*d : (j*n+i+1)*d]
			for c, v := range row {
				row[c] = roundLUT(v, a, mins[i])
			}
		}
	}
	return a, b
}

// QuantizeLUTAndBias is faiss's quantize_LUT_and_bias: LUT holds M x ksub
// floats (nprobe x M x ksub when lut3d), bias nprobe floats or nil; LUTq
// receives M2 x ksub bytes per table (rows M..M2-1 zero), biasq (nil
// allowed only with a 3-D table, which then takes the bias into its
// entries) nprobe uint16. Returns a and b with distance = sum / a + b.
func QuantizeLUTAndBias(nprobe, M, ksub int, lut3d bool, lut, bias []float32, lutq []byte, M2 int, biasq []uint16) (a, b float32, err error) {
	const op = "quantize_LUT_and_bias"
	tables := 1
	if lut3d {
		tables = nprobe
	}
	switch {
	case nprobe < 0 || M <= 0 || ksub <= 0 || M2 < M:
		return 0, 0, Errorf(KindInvalidArgument, op, "need nprobe >= 0, M > 0, ksub > 0 and M2 >= M, got %d, %d, %d, %d", nprobe, M, ksub, M2)
	case len(lut) < tables*M*ksub || len(lutq) < tables*M2*ksub:
		return 0, 0, Errorf(KindDimensionMismatch, op, "LUT holds %d values and LUTq %d bytes, need %d and %d", len(lut), len(lutq), tables*M*ksub, tables*M2*ksub)
	case bias == nil && lut3d:
		return 0, 0, Errorf(KindInvalidArgument, op, "a 3-D LUT needs a bias")
	case bias != nil && len(bias) < nprobe:
		return 0, 0, Errorf(KindDimensionMismatch, op, "bias holds %d values, need nprobe=%d", len(bias), nprobe)
	case bias != nil && biasq != nil && len(biasq) < nprobe:
		return 0, 0, Errorf(KindDimensionMismatch, op, "biasq holds %d values, need nprobe=%d", len(biasq), nprobe)
	case bias != nil && !lut3d && biasq == nil:
		return 0, 0, Errorf(KindInvalidArgument, op, "a 2-D LUT with a bias needs biasq")
	}
	row := func(t []float32, r int) []float32 { return t[r*ksub : (r+1)*ksub] }
	put := func(src []float32, r int, a, lo float32) {
		dst := lutq[r*ksub : (r+1)*ksub]
		for c, v := range src {
			dst[c] = byte(int32(roundLUT(v, a, lo)))
		}
	}
	zeroTail := func(t int) { clear(lutq[(t*M2+M)*ksub : (t+1)*M2*ksub]) }
	switch {
	case bias == nil || !lut3d:
		// one table; a bias, when given, is quantized on the same scale
		mins := make([]float32, M)
		maxSpanLUT, maxSpanDis := float32(math.Inf(-1)), float32(0)
		var biasMin float32
		if bias != nil {
			biasMin = tabMin(bias[:nprobe])
			maxSpanDis = tabMax(bias[:nprobe]) - biasMin
		}
		for i := 0; i < M; i++ {
			mins[i] = tabMin(row(lut, i))
			span := tabMax(row(lut, i)) - mins[i]
			maxSpanLUT = stdMax(maxSpanLUT, span)
			maxSpanDis += span
			b += mins[i]
		}
		a = scaleOrZero(stdMin(spanScale(255, maxSpanLUT), spanScale(65535, maxSpanDis)))
		for i := 0; i < M; i++ {
			put(row(lut, i), i, a, mins[i])
		}
		zeroTail(0)
		if bias != nil {
			b += biasMin
			for j := 0; j < nprobe; j++ {
				biasq[j] = uint16(int32(roundLUT(bias[j], a, biasMin)))
			}
		}
	case biasq != nil:
		// one table per probe, each with its bias quantized apart
		mins := make([]float32, nprobe*M)
		bias2 := make([]float32, nprobe)
		biasMin := tabMin(bias[:nprobe])
		maxSpanLUT, maxSpanDis := float32(math.Inf(-1)), float32(math.Inf(-1))
		b = float32(math.Inf(1))
		for j := 0; j < nprobe; j++ {
			spanJ, b2 := bias[j]-biasMin, bias[j]
			for i := 0; i < M; i++ {
				r := row(lut, j*M+i)
				mins[j*M+i] = tabMin(r)
				span := tabMax(r) - mins[j*M+i]
				maxSpanLUT = stdMax(maxSpanLUT, span)
				spanJ += span
				b2 += mins[j*M+i]
			}
			maxSpanDis = stdMax(maxSpanDis, spanJ)
			bias2[j] = b2
			b = stdMin(b, b2)
		}
		a = scaleOrZero(stdMin(spanScale(255, maxSpanLUT), spanScale(65535, maxSpanDis)))
		for j := 0; j < nprobe; j++ {
			for i := 0; i < M; i++ {
				put(row(lut, j*M+i), j*M2+i, a, mins[j*M+i])
			}
			zeroTail(j)
		}
		for j := 0; j < nprobe; j++ {
			biasq[j] = uint16(int32(roundLUT(bias2[j], a, b)))
		}
	default:
		// no biasq: each probe's bias is spread over its M entries
		lut2 := make([]float32, nprobe*M*ksub)
		for j := 0; j < nprobe; j++ {
			bj := bias[j] / float32(M)
			for c := 0; c < M*ksub; c++ {
				lut2[j*M*ksub+c] = lut[j*M*ksub+c] + bj
			}
		}
		mins, maxs := make([]float32, M), make([]float32, M)
		for i := range mins {
			mins[i], maxs[i] = float32(math.Inf(1)), float32(math.Inf(-1))
		}
		for j := 0; j < nprobe; j++ {
			for i := 0; i < M; i++ {
				mins[i] = stdMin(mins[i], tabMin(row(lut2, j*M+i)))
				maxs[i] = stdMax(maxs[i], tabMax(row(lut2, j*M+i)))
			}
		}
		maxSpan := float32(math.Inf(-1))
		for i := 0; i < M; i++ {
			maxSpan = stdMax(maxSpan, maxs[i]-mins[i])
			b += mins[i]
		}
		a = scaleOrZero(spanScale(255, maxSpan))
		for j := 0; j < nprobe; j++ {
			for i := 0; i < M; i++ {
				put(row(lut2, j*M+i), j*M2+i, a, mins[i])
			}
			zeroTail(j)
		}
	}
	return a, b, nil
}
