package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// QuantizeLUTAndBias runs core.QuantizeLUTAndBias on the buffers given
// (bias and biasq: address 0 for none) and writes a and b to out
// (float32[2]).
func QuantizeLUTAndBias(nprobe, m, ksub int64, lut3d bool, lut, bias, lutq uintptr, m2 int64, biasq, out uintptr) string {
	const op = "quantize_LUT_and_bias"
	return guard(op, func() error {
		if nprobe < 0 || m <= 0 || ksub <= 0 || m2 < m {
			return core.Errorf(core.KindInvalidArgument, op, "need nprobe >= 0, M > 0, ksub > 0 and M2 >= M, got %d, %d, %d, %d", nprobe, m, ksub, m2)
		}
		tables := int64(1)
		if lut3d {
			tables = nprobe
		}
		l, err := floats(lut, tables*m*ksub)
		if err != nil {
			return err
		}
		b, err := optional[float32](bias, nprobe)
		if err != nil {
			return err
		}
		lq, err := bytesAt(lutq, tables*m2*ksub)
		if err != nil {
			return err
		}
		bq, err := optional[uint16](biasq, nprobe)
		if err != nil {
			return err
		}
		dst, err := floats(out, 2)
		if err != nil {
			return err
		}
		if bias != 0 && b == nil {
			b = []float32{} // nprobe = 0: a bias of no values
		}
		if biasq != 0 && bq == nil {
			bq = []uint16{}
		}
		dst[0], dst[1], err = core.QuantizeLUTAndBias(int(nprobe), int(m), int(ksub), lut3d, l, b, lq, int(m2), bq)
		return err
	})
}

// RoundUint8PerColumn rounds the m x n x d floats at tab in place
// (core.RoundUint8PerColumnMulti) and writes a and b to out (float32[2]).
func RoundUint8PerColumn(tab uintptr, m, n, d int64, out uintptr) string {
	const op = "round_uint8_per_column"
	return guard(op, func() error {
		if m <= 0 || n < 0 || d < 0 {
			return core.Errorf(core.KindInvalidArgument, op, "need m > 0, n >= 0 and d >= 0, got %d, %d, %d", m, n, d)
		}
		t, err := floats(tab, m*n*d)
		if err != nil {
			return err
		}
		dst, err := floats(out, 2)
		if err != nil {
			return err
		}
		dst[0], dst[1] = core.RoundUint8PerColumnMulti(t, int(m), int(n), int(d))
		return nil
	})
}
