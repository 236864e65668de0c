package indexio

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// faiss's vector transforms and IndexPreTransform ("IxPT"): a type code,
// the class's own fields, then d_in, d_out and is_trained.

const (
	codePreTransform = "IxPT"
	codeRemap        = "RmDT"
	codeHadamard     = "HRot"
	codeNormalize    = "VNrm"
	codeCentering    = "VCnt"
	codeITQTransform = "Viqt"
	// maxChain bounds the transforms a file may claim before IxPT's index.
	maxChain = 64
)

// WriteTransform returns t in faiss's format (write_VectorTransform).
func WriteTransform(t core.VectorTransform) ([]byte, error) {
	w := &writer{}
	if err := writeTransform(w, t); err != nil {
		return nil, err
	}
	return w.b, nil
}

// ReadTransform returns the transform that b holds, which must be all of it.
func ReadTransform(b []byte) (core.VectorTransform, error) {
	r := &reader{b: b}
	t := readTransform(r, 0)
	if r.err == nil && r.off != len(r.b) {
		r.fail("the transform ends here but the file has %d more bytes", len(r.b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return t, nil
}

func writeBool(w *writer, b bool) {
	if b {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

// linearCodes are faiss's type codes of the linear maps with fields of
// their own; every other linear map (OPQ included) is written as "LTra".
var linearCodes = map[string]string{"RandomRotationMatrix": "rrot", "PCAMatrix": "Pcam", "ITQMatrix": "Viqm"}

func writeTransform(w *writer, t core.VectorTransform) error {
	if l, ok := t.(core.Linear); ok {
		lt := l.Linear()
		code, ok := linearCodes[t.(core.Named).Name()]
		if !ok {
			code = "LTra"
		}
		w.fourcc(code)
		switch x := t.(type) {
		case *core.PCAMatrix:
			w.f32(x.EigenPower)
			w.f32(x.Epsilon)
			writeBool(w, x.RandomRotation)
			w.i32(int32(x.BalancedBins))
			w.floatVec(x.Mean)
			w.floatVec(x.Eigenvalues)
			w.floatVec(x.PCAMat)
		case *core.ITQMatrix:
			w.i32(int32(x.MaxIter))
			w.i32(int32(uint32(x.Seed)))
		}
		writeBool(w, lt.HaveBias)
		w.floatVec(lt.A)
		w.floatVec(lt.B)
	} else {
		switch x := t.(type) {
		case *core.RemapDimensionsTransform:
			w.fourcc(codeRemap)
			m := make([]int32, len(x.Map))
			for i, v := range x.Map {
				m[i] = int32(v)
			}
			w.int32Vec(m)
		case *core.NormalizationTransform:
			w.fourcc(codeNormalize)
			w.f32(x.Norm)
		case *core.HadamardRotation:
			w.fourcc(codeHadamard)
			w.i32(int32(uint32(x.Seed)))
		case *core.CenteringTransform:
			w.fourcc(codeCentering)
			w.floatVec(x.Mean)
		case *core.ITQTransform:
			w.fourcc(codeITQTransform)
			w.floatVec(x.Mean)
			writeBool(w, x.DoPCA)
			if err := writeTransform(w, x.ITQ); err != nil {
				return err
			}
			if err := writeTransform(w, x.PCAThenITQ); err != nil {
				return err
			}
		default:
			return core.Errorf(core.KindUnsupported, "write_VectorTransform", "%T cannot be written", t)
		}
	}
	w.i32(int32(t.DIn()))
	w.i32(int32(t.DOut()))
	writeBool(w, t.IsTrained())
	return nil
}

// transformTail reads the common fields: d_in, d_out and is_trained.
func transformTail(r *reader) (din, dout int, trained bool) {
	for i, what := range []string{"d_in", "d_out"} {
		at := r.off
		v := r.i32(what)
		if r.err == nil && (v <= 0 || v > maxD) {
			r.off = at
			r.fail("%s must be 1..%d, the file says %d", what, maxD, v)
		}
		if i == 0 {
			din = int(v)
		} else {
			dout = int(v)
		}
	}
	trained = r.u8("is_trained") != 0
	return
}

func (r *reader) floatVec(what string) []float32 {
	return r.floats(r.count(4, what), what)
}

func readTransform(r *reader, depth int) core.VectorTransform {
	at := r.off
	code := r.fourcc()
	if r.err != nil {
		return nil
	}
	if depth > 2 {
		r.off = at
		r.fail("transforms nested too deep")
		return nil
	}
	switch code {
	case "rrot", "Pcam", "Viqm", "LTra":
		return readLinear(r, code)
	case codeRemap:
		m := r.int32s(r.count(4, "the map"), "the map")
		din, dout, _ := transformTail(r)
		if r.err != nil {
			return nil
		}
		if len(m) != dout {
			r.fail("the remap has %d entries for d_out=%d", len(m), dout)
			return nil
		}
		ints := make([]int, len(m))
		for i, v := range m {
			ints[i] = int(v)
		}
		t, err := core.NewRemapDimensionsTransformMap(din, ints)
		return restoredT(r, t, err)
	case codeHadamard:
		seed := uint32(r.i32("the seed"))
		din, dout, trained := transformTail(r)
		if r.err != nil {
			return nil
		}
		t, err := core.NewHadamardRotation(din, seed)
		if err == nil && t.DOut() != dout {
			r.fail("a Hadamard rotation of %d dimensions outputs %d, the file says %d", din, t.DOut(), dout)
			return nil
		}
		if err == nil && !trained {
			t.Seed = 0 // faiss's train draws from 12345 then
		}
		return restoredT(r, t, err)
	case codeNormalize:
		norm := r.f32("norm")
		din, dout, _ := transformTail(r)
		if r.err == nil && din != dout {
			r.fail("a normalisation maps d to d, the file says %d -> %d", din, dout)
		}
		if r.err != nil {
			return nil
		}
		t, err := core.NewNormalizationTransform(din, norm)
		return restoredT(r, t, err)
	case codeCentering:
		mean := r.floatVec("the mean")
		din, dout, trained := transformTail(r)
		if r.err == nil && (din != dout || trained && len(mean) != din) {
			r.fail("a centring of %d -> %d with a mean of %d floats", din, dout, len(mean))
		}
		if r.err != nil {
			return nil
		}
		t, err := core.NewCenteringTransform(din)
		if err == nil && trained {
			t.Mean = mean
		}
		return restoredT(r, t, err)
	case codeITQTransform:
		mean := r.floatVec("the mean")
		doPCA := r.u8("do_pca") != 0
		itq, _ := readTransform(r, depth+1).(*core.ITQMatrix)
		composed, _ := readTransform(r, depth+1).(*core.LinearTransform)
		din, dout, trained := transformTail(r)
		if r.err != nil {
			return nil
		}
		if itq == nil || composed == nil {
			r.fail("an ITQTransform holds an ITQ matrix and a linear map")
			return nil
		}
		t, err := core.RestoreITQTransform(din, dout, doPCA, mean, itq, composed, trained)
		return restoredT(r, t, err)
	}
	r.off = at
	r.fail("unknown or unsupported transform type code %q", printable(code))
	return nil
}

// readLinear reads the linear family: its own fields, then have_bias, A,
// b and the tail.
func readLinear(r *reader, code string) core.VectorTransform {
	var eigenPower, epsilon float32
	var randomRotation bool
	var bins int32
	var mean, eig, pcaMat []float32
	var maxIter, seed int32
	switch code {
	case "Pcam":
		eigenPower, epsilon = r.f32("eigen_power"), r.f32("epsilon")
		randomRotation = r.u8("random_rotation") != 0
		bins = r.i32("balanced_bins")
		mean, eig, pcaMat = r.floatVec("the mean"), r.floatVec("the eigenvalues"), r.floatVec("the PCA matrix")
	case "Viqm":
		maxIter, seed = r.i32("max_iter"), r.i32("seed")
	}
	haveBias := r.u8("have_bias") != 0
	a, b := r.floatVec("A"), r.floatVec("b")
	din, dout, trained := transformTail(r)
	if r.err != nil {
		return nil
	}
	var t core.VectorTransform
	var err error
	switch code {
	case "rrot":
		t, err = core.NewRandomRotationMatrix(din, dout)
	case "Pcam":
		var p *core.PCAMatrix
		if p, err = core.NewPCAMatrix(din, dout, eigenPower, randomRotation); err == nil {
			if trained && (len(mean) != din || len(pcaMat) < din*dout || len(eig) < dout) {
				r.fail("a trained PCA needs a mean of %d, %d eigenvalues and %d matrix floats", din, dout, din*dout)
				return nil
			}
			p.Epsilon, p.BalancedBins, p.Mean, p.Eigenvalues, p.PCAMat = epsilon, int(bins), mean, eig, pcaMat
		}
		t = p
	case "Viqm":
		if din != dout {
			r.fail("an ITQ matrix maps d to d, the file says %d -> %d", din, dout)
			return nil
		}
		var q *core.ITQMatrix
		if q, err = core.NewITQMatrix(din); err == nil {
			q.MaxIter, q.Seed = int(maxIter), int64(seed)
		}
		t = q
	default:
		t, err = core.NewLinearTransform(din, dout, haveBias)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	lt := t.(core.Linear).Linear()
	lt.HaveBias = haveBias
	if err := core.RestoreLinear(lt, a, b, trained); err != nil {
		r.fail("%v", err)
		return nil
	}
	return t
}

func restoredT[T core.VectorTransform](r *reader, t T, err error) core.VectorTransform {
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return t
}

func writePreTransform(w *writer, ix *core.IndexPreTransform) error {
	w.fourcc(codePreTransform)
	writeHeader(w, ix)
	chain := ix.Chain()
	w.i32(int32(len(chain)))
	for _, t := range chain {
		if err := writeTransform(w, t); err != nil {
			return err
		}
	}
	return write(w, ix.Sub())
}

func readPreTransform(r *reader, depth int) core.Index {
	h := readHeader(r)
	at := r.off
	nt := r.i32("the chain length")
	if r.err == nil && (nt < 0 || nt > maxChain) {
		r.off = at
		r.fail("the chain length must be 0..%d, the file says %d", maxChain, nt)
	}
	chain := make([]core.VectorTransform, 0, max(0, min(int(nt), maxChain)))
	for i := 0; i < int(nt) && r.err == nil; i++ {
		chain = append(chain, readTransform(r, 0))
	}
	sub := read(r, depth+1)
	if r.err != nil {
		return nil
	}
	d := sub.D()
	for i := len(chain) - 1; i >= 0; i-- {
		if chain[i].DOut() != d {
			r.fail("transform %d outputs %d dimensions where %d are taken", i, chain[i].DOut(), d)
			return nil
		}
		d = chain[i].DIn()
	}
	if d != h.d {
		r.fail("the chain takes %d dimensions, the header says %d", d, h.d)
		return nil
	}
	ix, err := core.NewIndexPreTransform(nil, sub)
	for i := len(chain) - 1; i >= 0 && err == nil; i-- {
		err = ix.Prepend(chain[i])
	}
	return restored(r, ix, err)
}
