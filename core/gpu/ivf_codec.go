package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// codecDevice is what IVF-SQ and IVF-PQ scans bind besides the lists: aux
// (the scalar quantizer's decoding terms, or the product quantizer's
// centroids) and the coarse centroids (used when codes are of residuals).
type codecDevice struct {
	aux, cents metalbridge.Buffer
	residual   bool
}

// syncCodec sends the codec's tables (SQ decoding terms, PQ centroids)
// and the coarse centroids, with the lists: both change only with
// training, which changes the lists too once they hold anything.
func (ix *ivfOnDevice) syncCodec() error {
	const op = "GpuIndexIVF.sync"
	d, nlist := ix.D(), ix.Nlist()
	var aux []float32
	if pq := ix.PQ(); pq != nil {
		aux = pq.Centroids
	} else {
		aux = make([]float32, 2*d)
		if a, st, ok := ix.SQ().Decode8Terms(); ok {
			copy(aux, a)
			copy(aux[d:], st)
		}
	}
	cents := make([]float32, nlist*d)
	if ix.ByResidual && ix.Quantizer().Ntotal() == int64(nlist) {
		if err := ix.Quantizer().(core.Reconstructor).ReconstructN(0, int64(nlist), cents); err != nil {
			return err
		}
	}
	ix.codec.release()
	var err error
	if ix.codec.aux, err = ix.e.dev.NewBuffer(max(int64(len(aux))*4, 256)); err != nil {
		return wrap(op, err)
	}
	if ix.codec.cents, err = ix.e.dev.NewBuffer(int64(len(cents)) * 4); err != nil {
		return wrap(op, err)
	}
	if err := ix.codec.aux.Write(0, metalbridge.Bytes(aux)); err != nil {
		return wrap(op, err)
	}
	if err := ix.codec.cents.Write(0, metalbridge.Bytes(cents)); err != nil {
		return wrap(op, err)
	}
	ix.codec.residual = ix.ByResidual
	return nil
}

func (sq *codecDevice) release() {
	if sq == nil {
		return
	}
	for _, b := range []metalbridge.Buffer{sq.aux, sq.cents} {
		if b != nil {
			b.Release()
		}
	}
	sq.aux, sq.cents = nil, nil
}
