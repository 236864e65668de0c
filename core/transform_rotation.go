package core

// RandomRotationMatrix is a random orthonormal map (faiss's
// RandomRotationMatrix): Gaussian values orthonormalised by QR, drawn from
// faiss's generator so that the matrix is faiss's own. Train (or Init)
// draws it; until then the transform is untrained, as in faiss.
type RandomRotationMatrix struct {
	LinearTransform
}

// NewRandomRotationMatrix makes an undrawn din -> dout rotation.
func NewRandomRotationMatrix(din, dout int) (*RandomRotationMatrix, error) {
	lt, err := newNamedLinear("RandomRotationMatrix", din, dout, false)
	if err != nil {
		return nil, err
	}
	return &RandomRotationMatrix{*lt}, nil
}

// Init draws the matrix from seed. With dout <= din its rows are
// orthonormal; with dout > din it keeps the first din columns of a dout x
// dout rotation (a tight frame), as faiss does.
func (r *RandomRotationMatrix) Init(seed int64) {
	r.A = randomRotation(r.din, r.dout, seed)
	r.IsOrthonormal, r.trained = true, true
}

// randomRotation is faiss's RandomRotationMatrix::init as a dout x din
// row-major matrix.
func randomRotation(din, dout int, seed int64) []float32 {
	if dout <= din {
		q := make([]float32, dout*din)
		FloatRandn(q, seed)
		orthonormalizeColumns(din, dout, q)
		return q
	}
	q := make([]float32, dout*dout)
	FloatRandn(q, seed)
	orthonormalizeColumns(dout, dout, q)
	a := make([]float32, dout*din)
	for i := 0; i < dout; i++ {
		copy(a[i*din:(i+1)*din], q[i*dout:i*dout+din])
	}
	return a
}

// Train draws the matrix with faiss's fixed seed (12345); x is not used.
func (r *RandomRotationMatrix) Train(x []float32) error {
	r.Init(12345)
	return nil
}

// Name is the faiss class this type is read and written as.
func (t *RandomRotationMatrix) Name() string { return "RandomRotationMatrix" }
