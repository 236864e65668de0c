package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// VectorTransform maps vectors of DIn dimensions to DOut dimensions
// (faiss's VectorTransform). Batches follow the layout contract in doc.go.
type VectorTransform interface {
	DIn() int
	DOut() int
	IsTrained() bool
	// Train learns the transform from the rows of x (a no-op for those that
	// need no training).
	Train(x []float32) error
	// Apply writes the transform of the rows of x into out (n*DOut).
	Apply(x, out []float32) error
}

// Reverser is a transform that can map outputs back (faiss's
// reverse_transform).
type Reverser interface {
	// Reverse writes the inputs of the rows of xt (n*DOut) into out (n*DIn).
	Reverse(xt, out []float32) error
}

// checkApply validates an apply-like call of t: the input is whole rows of
// din and out holds as many rows of dout. It returns the row count.
func checkApply(op string, t VectorTransform, x, out []float32, din, dout int) (int, error) {
	if !t.IsTrained() {
		return 0, Errorf(KindNotTrained, op, "the transform is not trained")
	}
	n, err := checkBatch(op, x, din)
	if err != nil {
		return 0, err
	}
	if len(out) != n*dout {
		return 0, Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d (n=%d, d=%d)", len(out), n*dout, n, dout)
	}
	return n, nil
}

// LinearTransform is y = A x + b (faiss's LinearTransform): A is DOut x DIn
// row-major, b has DOut entries (or none without bias).
type LinearTransform struct {
	din, dout int
	A, B      []float32
	HaveBias  bool
	// IsOrthonormal: the rows of A are orthonormal, so that reverse is A^T.
	IsOrthonormal bool
	trained       bool
	name          string // the faiss class, for errors
}

// NewLinearTransform makes an untrained transform; set A (and B) then
// call SetTrained.
func NewLinearTransform(din, dout int, haveBias bool) (*LinearTransform, error) {
	return newNamedLinear("LinearTransform", din, dout, haveBias)
}

func (lt *LinearTransform) DIn() int        { return lt.din }
func (lt *LinearTransform) DOut() int       { return lt.dout }
func (lt *LinearTransform) IsTrained() bool { return lt.trained }

// Train does nothing: a bare linear transform is set, not learnt.
func (lt *LinearTransform) Train(x []float32) error { return nil }

// SetMatrix installs A (and b when the transform has a bias), checks their
// sizes and marks the transform trained.
func (lt *LinearTransform) SetMatrix(a, b []float32) error {
	const op = "LinearTransform.set"
	if len(a) != lt.din*lt.dout {
		return Errorf(KindDimensionMismatch, op, "A holds %d floats, need d_out*d_in = %d", len(a), lt.din*lt.dout)
	}
	if (lt.HaveBias || len(b) > 0) && len(b) != lt.dout {
		return Errorf(KindDimensionMismatch, op, "b holds %d floats, need d_out = %d", len(b), lt.dout)
	}
	lt.A = append([]float32(nil), a...)
	lt.B = append([]float32(nil), b...)
	lt.trained = true
	lt.setIsOrthonormal()
	return nil
}

// setIsOrthonormal checks A A^T = I within faiss's tolerance (4e-5), as
// faiss's set_is_orthonormal does.
func (lt *LinearTransform) setIsOrthonormal() {
	lt.IsOrthonormal = false
	if lt.dout > lt.din {
		return
	}
	g := make([]float32, lt.dout*lt.dout)
	kernels.DotTile(lt.A, lt.dout, lt.A, lt.dout, lt.din, g, lt.dout)
	for i := 0; i < lt.dout; i++ {
		for j := 0; j < lt.dout; j++ {
			v := float64(g[i*lt.dout+j])
			if i == j {
				v--
			}
			if v > 4e-5 || v < -4e-5 {
				return
			}
		}
	}
	lt.IsOrthonormal = true
}

func newNamedLinear(name string, din, dout int, haveBias bool) (*LinearTransform, error) {
	if din <= 0 || dout <= 0 {
		return nil, Errorf(KindInvalidArgument, name, "d_in=%d and d_out=%d must be positive", din, dout)
	}
	return &LinearTransform{din: din, dout: dout, HaveBias: haveBias, name: name}, nil
}

// bias is b when the transform uses one (faiss keeps b even without).
func (lt *LinearTransform) bias() []float32 {
	if lt.HaveBias {
		return lt.B
	}
	return nil
}

// Apply implements VectorTransform.
func (lt *LinearTransform) Apply(x, out []float32) error {
	n, err := checkApply(lt.name+".apply", lt, x, out, lt.din, lt.dout)
	if err != nil {
		return err
	}
	linearApply(x, n, lt.din, lt.A, lt.dout, lt.bias(), out)
	return nil
}

// linearApply writes out[i] = A x_i + b for the n rows of x (A is dout x
// din); b may be nil.
func linearApply(x []float32, n, din int, a []float32, dout int, b []float32, out []float32) {
	const rows = 64
	nb := (n + rows - 1) / rows
	parallelChunks(nb, chunkFor(rows*din*dout), func(_, lo, hi int) {
		for blk := lo; blk < hi; blk++ {
			i0, i1 := blk*rows, min(n, (blk+1)*rows)
			kernels.DotTile(x[i0*din:i1*din], i1-i0, a, dout, din, out[i0*dout:i1*dout], dout)
			if b != nil {
				for i := i0; i < i1; i++ {
					kernels.AddTo(out[i*dout:(i+1)*dout], b)
				}
			}
		}
	})
}

// trainingApply is linearApply (no bias) for training computations: on
// the packed micro-kernel where the kernel set has one (A packed once,
// rows in blocks of micro-kernel slivers), else linearApply. Apply keeps
// linearApply, so that a vector's image never depends on the batch it
// comes in.
func trainingApply(x []float32, n, din int, a []float32, dout int, out []float32) {
	if !kernels.HasGemm() {
		linearApply(x, n, din, a, dout, nil, out)
		return
	}
	packed := make([]float32, kernels.PackedSize(dout, din))
	kernels.PackPanels(a, dout, din, packed)
	rows := 5 * kernels.GemmMR
	nb := (n + rows - 1) / rows
	parallelChunks(nb, chunkFor(rows*din*dout), func(_, lo, hi int) {
		s := &kernels.GemmScratch{}
		for blk := lo; blk < hi; blk++ {
			i0, i1 := blk*rows, min(n, (blk+1)*rows)
			kernels.GemmPacked(x[i0*din:i1*din], i1-i0, packed, dout, din, out[i0*dout:i1*dout], dout, s)
		}
	})
}

// Reverse implements Reverser for orthonormal matrices: x = A^T (y - b).
func (lt *LinearTransform) Reverse(xt, out []float32) error {
	op := lt.name + ".reverse_transform"
	n, err := checkApply(op, lt, xt, out, lt.dout, lt.din)
	if err != nil {
		return err
	}
	if !lt.IsOrthonormal {
		return Errorf(KindUnsupported, op, "reverse transform is only defined for orthonormal matrices")
	}
	at := make([]float32, lt.din*lt.dout)
	for i := 0; i < lt.dout; i++ {
		for j := 0; j < lt.din; j++ {
			at[j*lt.dout+i] = lt.A[i*lt.din+j]
		}
	}
	y := xt
	if b := lt.bias(); b != nil {
		y = make([]float32, len(xt))
		for i := 0; i < n; i++ {
			for j := 0; j < lt.dout; j++ {
				y[i*lt.dout+j] = xt[i*lt.dout+j] - b[j]
			}
		}
	}
	linearApply(y, n, lt.dout, at, lt.din, nil, out)
	return nil
}

// maybeSubsample is faiss's fvecs_maybe_subsample: past nmax rows, the rows
// at the first nmax places of a seeded permutation (seed 1234).
func maybeSubsample(x []float32, d, nmax int) ([]float32, int) {
	return maybeSubsampleSeed(x, d, nmax, 1234)
}

// maybeSubsampleSeed is maybeSubsample with the permutation's seed.
func maybeSubsampleSeed(x []float32, d, nmax int, seed int64) ([]float32, int) {
	n := len(x) / d
	if n <= nmax {
		return x, n
	}
	perm := randPerm(n, seed)
	sub := make([]float32, nmax*d)
	for i := 0; i < nmax; i++ {
		copy(sub[i*d:(i+1)*d], x[perm[i]*d:(perm[i]+1)*d])
	}
	return sub, nmax
}

// crossProduct returns Y^T X (dy x dx, row-major) for the n rows of y (dy
// wide) and x (dx wide), in float32 like faiss's sgemm, a block of
// transposed rows at a time.
func crossProduct(y []float32, dy int, x []float32, dx int, n int) []float32 {
	const block = 4096
	out := make([]float32, dy*dx)
	part := make([]float32, dy*dx)
	yt := make([]float32, dy*min(n, block))
	xt := make([]float32, dx*min(n, block))
	for i0 := 0; i0 < n; i0 += block {
		b := min(block, n-i0)
		transposeRows(y[i0*dy:(i0+b)*dy], b, dy, yt[:dy*b])
		transposeRows(x[i0*dx:(i0+b)*dx], b, dx, xt[:dx*b])
		trainingApply(yt[:dy*b], dy, b, xt[:dx*b], dx, part)
		kernels.AddTo(out, part)
	}
	return out
}

// transposeRows writes the n x d row-major x as d x n into out.
func transposeRows(x []float32, n, d int, out []float32) {
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			out[j*n+i] = x[i*d+j]
		}
	}
}

// Name is the faiss class this type is read and written as.
func (t *LinearTransform) Name() string { return "LinearTransform" }

// RestoreLinear installs a linear map read from a file into lt (which may
// be the one inside a PCA, rotation or ITQ matrix). A trained map needs
// d_out*d_in floats of A and d_out of b (or none); orthonormality is
// measured again, as faiss does when it reads one.
func RestoreLinear(lt *LinearTransform, a, b []float32, trained bool) error {
	const op = "read_VectorTransform"
	if trained && len(a) != lt.din*lt.dout {
		return Errorf(KindInvalidArgument, op, "A holds %d floats, a %d -> %d map needs %d", len(a), lt.din, lt.dout, lt.din*lt.dout)
	}
	if len(b) != 0 && len(b) != lt.dout {
		return Errorf(KindInvalidArgument, op, "b holds %d floats, need %d", len(b), lt.dout)
	}
	if lt.HaveBias && trained && len(b) != lt.dout {
		return Errorf(KindInvalidArgument, op, "the map has a bias but b holds %d floats, need %d", len(b), lt.dout)
	}
	lt.A, lt.B, lt.trained = a, b, trained
	if trained {
		lt.setIsOrthonormal()
	}
	return nil
}

// Linear is implemented by every transform that is a linear map (the
// rotation, PCA, ITQ and OPQ matrices embed a LinearTransform).
type Linear interface{ Linear() *LinearTransform }

// Linear returns the map itself (promoted to the matrices that embed it).
func (lt *LinearTransform) Linear() *LinearTransform { return lt }
