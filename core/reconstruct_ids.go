package core

import (
	"encoding/binary"
	"math"
)

// ReconstructIDs writes the stored vector of each id into out (d floats
// per id); id -1 (a missing search result) gives NaNs, as faiss's
// search_and_reconstruct does. IVF indexes need no direct map: the lists
// are read once for all the ids; an IDMap translates its ids; a
// pre-transform reconstructs in its sub-index and reverses the chain;
// other indexes reconstruct id by id.
func ReconstructIDs(ix Index, ids []int64, out []float32) error {
	const op = "Index.reconstruct_batch"
	d := ix.D()
	if len(out) != len(ids)*d {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), len(ids)*d)
	}
	switch t := ix.(type) {
	case *IndexIVF:
		return t.reconstructIDs(ids, out)
	case *IndexPreTransform:
		xt := make([]float32, len(ids)*t.sub.D())
		if err := ReconstructIDs(t.sub, ids, xt); err != nil {
			return err
		}
		back, err := t.ReverseChain(xt)
		if err != nil {
			return err
		}
		copy(out, back)
		return nil
	case *IndexIDMap:
		inner := make([]int64, len(ids))
		pos := t.rev // an IndexIDMap2 keeps the reverse map
		if !t.two {
			pos = make(map[int64]int64, len(ids))
			for _, id := range ids {
				pos[id] = -1
			}
			for i, id := range t.IDMap {
				if _, want := pos[id]; want {
					pos[id] = int64(i)
				}
			}
		}
		for i, id := range ids {
			p, ok := pos[id]
			switch {
			case id == -1:
				inner[i] = -1
			case !ok || p < 0:
				return Errorf(KindInvalidArgument, op, "id %d is not in the index", id)
			default:
				inner[i] = p
			}
		}
		return ReconstructIDs(t.sub, inner, out)
	}
	r, ok := ix.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "%T cannot reconstruct its vectors", ix)
	}
	for i, id := range ids {
		row := out[i*d : (i+1)*d]
		if id == -1 {
			fillNaN(row)
			continue
		}
		if err := r.Reconstruct(id, row); err != nil {
			return err
		}
	}
	return nil
}

func fillNaN(x []float32) {
	nan := float32(math.NaN())
	for i := range x {
		x[i] = nan
	}
}

// reconstructIDs finds each id in the lists (the first entry with it, in
// list order) and decodes it.
func (ix *IndexIVF) reconstructIDs(ids []int64, out []float32) error {
	op := ix.name + ".reconstruct_batch"
	d := ix.d
	want := make(map[int64][]int, len(ids))
	for i, id := range ids {
		if id == -1 {
			fillNaN(out[i*d : (i+1)*d])
			continue
		}
		want[id] = append(want[id], i)
	}
	for l := range ix.lists.lists {
		for off, id := range ix.lists.lists[l].ids {
			rows, ok := want[id]
			if !ok {
				continue
			}
			for _, i := range rows {
				if err := ix.decodeEntry(l, off, out[i*d:(i+1)*d]); err != nil {
					return err
				}
			}
			delete(want, id)
		}
	}
	for id := range want {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", id)
	}
	return nil
}

// CodesOfIDs writes the stored code of each id into out (one entry of
// CodeSize bytes each, led by its list number in coarse_code_size bytes
// when withListNo, as sa_decode reads them; flat lists give the vector's
// bytes), reading the lists once; id -1 gives bytes 0xff (faiss's
// search_and_return_codes).
func (ix *IndexIVF) CodesOfIDs(ids []int64, withListNo bool, out []byte) error {
	op := ix.name + ".search_and_return_codes"
	cs, ccs := ix.CodeSize(), 0
	if withListNo {
		ccs = ix.coarseCodeSize()
	}
	size := cs + ccs
	if len(out) != len(ids)*size {
		return Errorf(KindDimensionMismatch, op, "%d ids need %d bytes of codes, got %d", len(ids), len(ids)*size, len(out))
	}
	want := make(map[int64][]int, len(ids))
	for i, id := range ids {
		if id == -1 {
			for j := range out[i*size : (i+1)*size] {
				out[i*size+j] = 0xff
			}
			continue
		}
		want[id] = append(want[id], i)
	}
	for l := range ix.lists.lists {
		lst := &ix.lists.lists[l]
		for off, id := range lst.ids {
			rows, ok := want[id]
			if !ok {
				continue
			}
			for _, i := range rows {
				dst := out[i*size : (i+1)*size]
				putCoarse(dst[:ccs], uint64(l))
				if ix.codec != nil {
					copy(dst[ccs:], lst.codes[off*cs:(off+1)*cs])
				} else {
					for j, v := range lst.vecs[off*ix.d : (off+1)*ix.d] {
						binary.LittleEndian.PutUint32(dst[ccs+4*j:], math.Float32bits(v))
					}
				}
			}
			delete(want, id)
		}
	}
	for id := range want {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", id)
	}
	return nil
}
