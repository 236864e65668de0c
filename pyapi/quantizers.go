package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// IndexPQNew makes an IndexPQ and writes its handle to out (int64[1]).
func IndexPQNew(d, m, nbits, metric int64, out uintptr) string {
	return newIndex("IndexPQ", out, func() (core.Index, error) {
		return core.NewIndexPQ(int(d), int(m), int(nbits), core.Metric(metric))
	})
}

// IndexScalarQuantizerNew makes an IndexScalarQuantizer of type qtype.
func IndexScalarQuantizerNew(d, qtype, metric int64, out uintptr) string {
	return newIndex("IndexScalarQuantizer", out, func() (core.Index, error) {
		return core.NewIndexScalarQuantizer(int(d), core.QuantizerType(qtype), core.Metric(metric))
	})
}

// IndexIVFPQNew makes an IndexIVFPQ over the quantizer behind handle q.
func IndexIVFPQNew(q, d, nlist, m, nbits, metric int64, out uintptr) string {
	const op = "IndexIVFPQ"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFPQ(quantizer, int(d), int(nlist), int(m), int(nbits), core.Metric(metric))
	})
}

// IndexIVFScalarQuantizerNew makes an IndexIVFScalarQuantizer over the
// quantizer behind handle q.
func IndexIVFScalarQuantizerNew(q, d, nlist, qtype, metric int64, encodeResidual bool, out uintptr) string {
	const op = "IndexIVFScalarQuantizer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFScalarQuantizer(quantizer, int(d), int(nlist), core.QuantizerType(qtype), core.Metric(metric), encodeResidual)
	})
}

// newIndex registers the index make builds and writes its handle to out
// (int64[1]).
func newIndex(op string, out uintptr, make func() (core.Index, error)) string {
	return newObject(op, out, func() (any, error) { return make() })
}

// newObject registers the object make builds and writes its handle to out.
func newObject(op string, out uintptr, make func() (any, error)) string {
	return newObjectOver(op, out, nil, make)
}

// newIndexOver is newIndex for a composite built over the objects behind
// the handles members (a quantizer, a sub-index, a storage, transforms;
// 0 entries are skipped): their families merge, stay locked while make
// runs, and the new index joins them.
func newIndexOver(op string, out uintptr, members []int64, make func() (core.Index, error)) string {
	return newObjectOver(op, out, members, func() (any, error) { return make() })
}

func newObjectOver(op string, out uintptr, members []int64, make func() (any, error)) string {
	return guard(op, func() error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		var objs []*object
		for _, h := range members {
			if h == 0 {
				continue
			}
			o, err := lookup(op, h)
			if err != nil {
				return err
			}
			objs = append(objs, o)
		}
		var fam *family
		if len(objs) > 0 {
			var unlock func()
			fam, unlock = lockTogether(objs...)
			defer unlock()
		}
		v, err := make()
		if err != nil {
			return err
		}
		dst[0] = registerIn(fam, v)
		return nil
	})
}

// withPQ runs fn on a ProductQuantizer handle, or on the product quantizer
// of an IndexPQ / IndexIVFPQ handle (faiss's index.pq). refresh rebuilds
// an IVF index's precomputed tables after fn (fn changed the quantizer).
func withPQ(op string, h int64, write bool, fn func(pq *core.ProductQuantizer) error, refresh ...bool) string {
	return withObject(op, h, write, func(v any) error {
		switch v := hostOf(v).(type) {
		case *core.ProductQuantizer:
			return fn(v)
		case *core.IndexPQ:
			return fn(v.PQ)
		case *core.IndexPQFastScan:
			return fn(v.PQ)
		case *core.MultiIndexQuantizer:
			return fn(v.PQ)
		case *core.Index2Layer:
			return fn(v.Layers().PQ)
		case *core.IndexIVF:
			if pq := v.PQ(); pq != nil {
				if err := fn(pq); err != nil || len(refresh) == 0 || !write {
					return err
				}
				return v.RefreshTables()
			}
		}
		return core.Errorf(core.KindUnsupported, op, "%T has no product quantizer", v)
	})
}

// withSQ is withPQ for scalar quantizers (faiss's index.sq).
func withSQ(op string, h int64, write bool, fn func(sq *core.ScalarQuantizer) error) string {
	return withObject(op, h, write, func(v any) error {
		switch v := hostOf(v).(type) {
		case *core.ScalarQuantizer:
			return fn(v)
		case *core.IndexScalarQuantizer:
			return fn(v.SQ)
		case *core.IndexIVF:
			if sq := v.SQ(); sq != nil {
				return fn(sq)
			}
		}
		return core.Errorf(core.KindUnsupported, op, "%T has no scalar quantizer", v)
	})
}

// ProductQuantizerNew makes a standalone ProductQuantizer (out: int64[1]).
func ProductQuantizerNew(d, m, nbits int64, out uintptr) string {
	return newObject("ProductQuantizer", out, func() (any, error) {
		return core.NewProductQuantizer(int(d), int(m), int(nbits))
	})
}

// ScalarQuantizerNew makes a standalone ScalarQuantizer (out: int64[1]).
func ScalarQuantizerNew(d, qtype int64, out uintptr) string {
	return newObject("ScalarQuantizer", out, func() (any, error) {
		return core.NewScalarQuantizer(int(d), core.QuantizerType(qtype))
	})
}

// PQInfo writes d, M, nbits, dsub, ksub, code_size and trained (0/1) to
// out (int64[7]).
func PQInfo(h int64, out uintptr) string {
	return withPQ("ProductQuantizer", h, false, func(pq *core.ProductQuantizer) error {
		dst, err := int64s(out, 7)
		if err != nil {
			return err
		}
		copy(dst, []int64{int64(pq.D), int64(pq.M), int64(pq.Nbits), int64(pq.Dsub), int64(pq.Ksub), int64(pq.CodeSize), b2i(pq.IsTrained())})
		return nil
	})
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// PQCentroids copies (write=false) or replaces (write=true) the centroids
// (float32[M*ksub*dsub]).
func PQCentroids(h int64, write bool, addr uintptr) string {
	return withPQ("ProductQuantizer.centroids", h, write, func(pq *core.ProductQuantizer) error {
		buf, err := floats(addr, int64(len(pq.Centroids)))
		if err != nil {
			return err
		}
		if write {
			return pq.SetCentroids(buf)
		}
		copy(buf, pq.Centroids)
		return nil
	}, true)
}

// PQSet sets a clustering parameter of the product quantizer (cp.<name>).
func PQSet(h int64, name string, value float64) string {
	op := "ProductQuantizer.cp." + name
	return withPQ(op, h, true, func(pq *core.ProductQuantizer) error {
		return setClusteringParameter(&pq.CP, op, name, value)
	})
}

// PQTrainType sets faiss's train_type (0 default, 1 hot start, 2 shared)
// when set is nonzero, then writes it to out (int64[1]).
func PQTrainType(h int64, set bool, value int64, out uintptr) string {
	const op = "ProductQuantizer.train_type"
	return withPQ(op, h, set, func(pq *core.ProductQuantizer) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		if set {
			if value < 0 || value > 2 {
				return core.Errorf(core.KindUnsupported, op,
					"train_type %d: Train_default (0), Train_hot_start (1) and Train_shared (2) are supported", value)
			}
			pq.HotStart, pq.Shared = value == 1, value == 2
		}
		dst[0] = map[bool]int64{true: 1}[pq.HotStart] + map[bool]int64{true: 2}[pq.Shared]
		return nil
	})
}

// PQTrain trains on n vectors at x.
func PQTrain(h, n int64, x uintptr) string {
	return withPQ("ProductQuantizer.train", h, true, func(pq *core.ProductQuantizer) error {
		xs, err := floats(x, n*int64(pq.D))
		if err != nil {
			return err
		}
		return pq.Train(xs)
	}, true)
}

// PQComputeCodes codes n vectors at x into codes (uint8[n*code_size]).
func PQComputeCodes(h, n int64, x, codes uintptr) string {
	return withPQ("ProductQuantizer.compute_codes", h, false, func(pq *core.ProductQuantizer) error {
		return codeVectors(n, pq.D, pq.CodeSize, x, codes, pq.ComputeCodes)
	})
}

// PQDecode decodes n codes at codes into x (float32[n*d]).
func PQDecode(h, n int64, codes, x uintptr) string {
	return withPQ("ProductQuantizer.decode", h, false, func(pq *core.ProductQuantizer) error {
		return codeVectors(n, pq.D, pq.CodeSize, x, codes, func(xs []float32, cs []byte) error { return pq.Decode(cs, xs) })
	})
}

func codeVectors(n int64, d, cs int, x, codes uintptr, fn func([]float32, []byte) error) error {
	xs, err := floats(x, n*int64(d))
	if err != nil {
		return err
	}
	bs, err := bytesAt(codes, n*int64(cs))
	if err != nil {
		return err
	}
	return fn(xs, bs)
}

// SQInfo writes d, qtype, code_size, trained (0/1) and the length of the
// trained vector to out (int64[5]).
func SQInfo(h int64, out uintptr) string {
	return withSQ("ScalarQuantizer", h, false, func(sq *core.ScalarQuantizer) error {
		dst, err := int64s(out, 5)
		if err != nil {
			return err
		}
		copy(dst, []int64{int64(sq.D), int64(sq.Type), int64(sq.CodeSize()), b2i(sq.IsTrained()), int64(len(sq.Trained()))})
		return nil
	})
}

// SQTrained copies faiss's trained vector (float32[n]: vmin then vdiff, or
// a TurboQuant codebook) into out.
func SQTrained(h, n int64, out uintptr) string {
	const op = "ScalarQuantizer.trained"
	return withSQ(op, h, false, func(sq *core.ScalarQuantizer) error {
		t := sq.Trained()
		if int64(len(t)) != n {
			return core.Errorf(core.KindInvalidArgument, op, "the quantizer holds %d trained values, not %d", len(t), n)
		}
		dst, err := floats(out, n)
		if err != nil {
			return err
		}
		copy(dst, t)
		return nil
	})
}

// SQTrain trains on n vectors at x.
func SQTrain(h, n int64, x uintptr) string {
	return withSQ("ScalarQuantizer.train", h, true, func(sq *core.ScalarQuantizer) error {
		xs, err := floats(x, n*int64(sq.D))
		if err != nil {
			return err
		}
		return sq.Train(xs)
	})
}

// SQComputeCodes codes n vectors at x into codes (uint8[n*code_size]).
func SQComputeCodes(h, n int64, x, codes uintptr) string {
	return withSQ("ScalarQuantizer.compute_codes", h, false, func(sq *core.ScalarQuantizer) error {
		return codeVectors(n, sq.D, sq.CodeSize(), x, codes, sq.ComputeCodes)
	})
}

// SQDecode decodes n codes into x (float32[n*d]).
func SQDecode(h, n int64, codes, x uintptr) string {
	return withSQ("ScalarQuantizer.decode", h, false, func(sq *core.ScalarQuantizer) error {
		return codeVectors(n, sq.D, sq.CodeSize(), x, codes, func(xs []float32, cs []byte) error { return sq.Decode(cs, xs) })
	})
}

// PQDistanceTables writes the distance tables (metric: L2 or inner
// product) of n vectors at x into out (float32[n*M*ksub]).
func PQDistanceTables(h, n int64, x uintptr, metric int64, out uintptr) string {
	return withPQ("ProductQuantizer.compute_distance_tables", h, false, func(pq *core.ProductQuantizer) error {
		xs, err := floats(x, n*int64(pq.D))
		if err != nil {
			return err
		}
		tab, err := floats(out, n*int64(pq.M*pq.Ksub))
		if err != nil {
			return err
		}
		return pq.DistanceTables(xs, core.Metric(metric), tab)
	})
}

// PQSDCTable copies the symmetric distance table into out
// (float32[M*ksub*ksub]), building it first if needed.
func PQSDCTable(h int64, out uintptr) string {
	return withPQ("ProductQuantizer.compute_sdc_table", h, true, func(pq *core.ProductQuantizer) error {
		t, err := pq.SDCTable()
		if err != nil {
			return err
		}
		dst, err := floats(out, int64(len(t)))
		if err != nil {
			return err
		}
		copy(dst, t)
		return nil
	})
}

// SQSetTrained installs n trained values (faiss's layout: vmin then
// vdiff) in a scalar quantizer, which is then trained.
func SQSetTrained(h, n int64, values uintptr) string {
	return withSQ("ScalarQuantizer.trained", h, true, func(sq *core.ScalarQuantizer) error {
		v, err := floats(values, n)
		if err != nil {
			return err
		}
		return sq.RestoreSQ(true, append([]float32(nil), v...))
	})
}
