package indexio

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFFlatPanorama as faiss writes it: the IVF header, n_levels and
// batch_size, then "ilp2" lists (faiss's ArrayInvertedListsPanorama):
// nlist, code size, n_levels, batch size, the list sizes, then per list
// its codes in the level layout of whole batches, its ids and its suffix
// norms. The older "IwPn" / "ilpn" pair has no batch size (1024).

const (
	codeIVFPanorama     = "IwP2"
	codeIVFPanoramaV1   = "IwPn"
	codePanoramaLists   = "ilp2"
	codePanoramaListsV1 = "ilpn"
	panoramaOldBatch    = 1024
)

func isPanorama(ix *core.IndexIVF) bool {
	_, _, ok := ix.PanoramaLayout()
	return ok
}

// writeIVFPanorama writes what follows the direct map.
func writeIVFPanorama(w *writer, ix *core.IndexIVF) {
	levels, batch, _ := ix.PanoramaLayout()
	w.u64(uint64(levels))
	w.u64(uint64(batch))
	w.fourcc(codePanoramaLists)
	w.u64(uint64(ix.Nlist()))
	w.u64(uint64(4 * ix.D()))
	w.u64(uint64(levels))
	w.u64(uint64(batch))
	size := func(l int) int { ids, _, _ := ix.IVFList(l); return len(ids) }
	writeListSizes(w, ix.Nlist(), size)
	for l := 0; l < ix.Nlist(); l++ {
		if size(l) == 0 {
			continue
		}
		ids, _, _ := ix.IVFList(l)
		codes, cums := ix.PanoramaList(l)
		w.floats(codes)
		w.int64s(ids)
		w.floats(cums)
	}
}

// readIVFPanorama reads what follows an IwP2 (or IwPn) index's direct map.
func readIVFPanorama(r *reader, code string, h header, quantizer core.Index, nlist, nprobe, dmType int) core.Index {
	levels := r.size("n_levels", 1, maxD)
	batch := panoramaOldBatch
	if code == codeIVFPanorama {
		batch = r.size("batch_size", 1, 1<<20)
	}
	at := r.off
	lists := r.fourcc()
	if r.err == nil && lists != codePanoramaLists && lists != codePanoramaListsV1 {
		r.off = at
		r.fail("inverted lists of type %q are not Panorama lists (%q)", printable(lists), codePanoramaLists)
	}
	r.size("the lists' nlist", uint64(nlist), uint64(nlist))
	r.size("the lists' code size", uint64(4*h.d), uint64(4*h.d))
	r.size("the lists' n_levels", uint64(levels), uint64(levels))
	if lists == codePanoramaLists {
		r.size("the lists' batch size", uint64(batch), uint64(batch))
	} else if batch != panoramaOldBatch {
		r.fail("%q lists have batches of %d, the index %d", codePanoramaListsV1, panoramaOldBatch, batch)
	}
	sizes := readListSizes(r, nlist)
	if r.err != nil {
		return nil
	}
	ix, err := core.NewIndexIVFFlatPanorama(quantizer, h.d, nlist, levels, batch, h.metric)
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	ids := make([][]int64, nlist)
	vecs := make([][]float32, nlist)
	for l := 0; l < nlist && r.err == nil; l++ {
		n := sizes[l]
		if n == 0 {
			continue
		}
		padded := (n + uint64(batch) - 1) / uint64(batch) * uint64(batch)
		per := uint64(4*h.d) + 8 + 4*uint64(levels+1)
		if n > uint64(len(r.b)-r.off)/per || padded > uint64(len(r.b)-r.off)/per+uint64(batch) {
			r.fail("list %d claims %d entries of %d bytes, the file has %d bytes left", l, n, per, len(r.b)-r.off)
			r.short = true
			break
		}
		codes := r.floats(padded*uint64(h.d), "a list's codes")
		ids[l] = r.int64s(n, "a list's ids")
		r.floats(padded*uint64(levels+1), "a list's suffix norms") // measured again from the vectors
		if r.err != nil {
			break
		}
		if vecs[l], err = core.PanoramaRows(h.d, levels, batch, int(n), codes); err != nil {
			r.fail("%v", err)
		}
	}
	if !listsHold(r, ids, h.ntotal) {
		return nil
	}
	err = ix.RestoreIVF(nprobe, false, ids, vecs, nil, dmType)
	if err == nil {
		ix.KeepAlive(r.keep)
	}
	return restored(r, ix, err)
}
