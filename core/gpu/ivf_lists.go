package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// rowLayout is how a list's entries sit on the device.
type rowLayout int

const (
	rowsF32   rowLayout = iota // IVF-Flat: the vectors
	rowsF16                    // IVF-Flat, float16: the vectors as halves (half_rows.go)
	rowsSQ8                    // IVF-SQ QT_8bit(_uniform): the codes as they are, d bytes a row
	rowsSQF16                  // IVF-SQ QT_fp16: the codes' halves, rows padded as rowsF16
	rowsPQ8                    // IVF-PQ, 8-bit codes: the codes as they are, M bytes a row
)

// bytesPerRow is the device bytes an entry of dimension d (code size cs)
// takes.
func (r rowLayout) bytesPerRow(d, cs int) int64 {
	switch r {
	case rowsF16, rowsSQF16:
		return int64(halfStride(d)) * 2
	case rowsSQ8, rowsPQ8:
		return int64(cs)
	}
	return int64(d) * 4
}

// deviceLists is the device copy of an IVF index's lists: the entries of
// every list one after the other, list l at rows [start[l],
// start[l]+size[l]) of the whole, cut into shards of whole lists that each
// fit one binding (10M x 128 floats is more than one), and the host map
// from row to id.
type deviceLists struct {
	e        *Engine
	layout   rowLayout
	codeSize int // the host's bytes a code (set by sync)
	shards   []listShard
	start    []int
	size     []int
	pos2id   []int64
	stamps   []core.ListStamp
}

// listShard holds lists [first, end) from row row0 on.
type listShard struct {
	buf        metalbridge.Buffer
	first, end int
	row0       int
}

// sync makes the device copy equal ix's lists and reports whether it sent
// them. A change to any list sends them all again (adds come in batches;
// a per-list layout with room to grow is for later).
func (dl *deviceLists) sync(ix *core.IndexIVF) (bool, error) {
	const op = "GpuIndexIVF.sync"
	nlist := ix.Nlist()
	fresh := dl.shards != nil && len(dl.stamps) == nlist
	for l := 0; fresh && l < nlist; l++ {
		fresh = dl.stamps[l] == ix.ListStamp(l)
	}
	if fresh {
		return false, nil
	}
	dl.release()
	d := ix.D()
	dl.codeSize = ix.CodeSize()
	rb := dl.layout.bytesPerRow(d, dl.codeSize)
	limit := min(dl.e.lim.MaxBinding, dl.e.lim.MaxBuffer) / rb // rows a shard may hold
	dl.start, dl.size = make([]int, nlist), make([]int, nlist)
	total := 0
	cur := listShard{}
	for l := range nlist {
		ids, _, _ := ix.IVFList(l)
		n := len(ids)
		if int64(n) > limit {
			return false, errorf(op, "list %d holds %d vectors of d=%d, more than the device's largest binding (%d bytes)", l, n, d, dl.e.lim.MaxBinding)
		}
		if int64(total-cur.row0+n) > limit {
			cur.end = l
			dl.shards = append(dl.shards, cur)
			cur = listShard{first: l, row0: total}
		}
		dl.start[l], dl.size[l] = total, n
		total += n
	}
	cur.end = nlist
	dl.shards = append(dl.shards, cur)
	dl.pos2id = make([]int64, 0, total)
	for s := range dl.shards {
		sh := &dl.shards[s]
		end := total
		if s+1 < len(dl.shards) {
			end = dl.shards[s+1].row0
		}
		// One write a shard: the rows in the device layout, in one piece.
		data := make([]byte, (int64(end-sh.row0)*rb+3)&^3)
		for l := sh.first; l < sh.end; l++ {
			ids, _, _ := ix.IVFList(l)
			dl.layout.put(data[int64(dl.start[l]-sh.row0)*rb:], ix, l, d)
			dl.pos2id = append(dl.pos2id, ids...)
		}
		b, err := dl.e.dev.NewBuffer(max(int64(len(data)), 256))
		if err == nil {
			sh.buf = b
			err = b.Write(0, data)
		}
		if err != nil {
			dl.release()
			return false, wrap(op, err)
		}
	}
	dl.stamps = make([]core.ListStamp, nlist)
	for l := range nlist {
		dl.stamps[l] = ix.ListStamp(l)
	}
	return true, nil
}

// put writes list l of ix into dst in the layout.
func (r rowLayout) put(dst []byte, ix *core.IndexIVF, l, d int) {
	ids, vecs, codes := ix.IVFList(l)
	switch r {
	case rowsF32:
		copy(dst, metalbridge.Bytes(vecs))
	case rowsF16:
		copy(dst, metalbridge.Bytes(packHalves(vecs, d)))
	case rowsSQ8, rowsPQ8:
		copy(dst, codes)
	case rowsSQF16:
		ld := halfStride(d) // the halves as stored, each row padded to ld
		for i := range ids {
			copy(dst[i*ld*2:], codes[i*d*2:(i+1)*d*2])
		}
	}
}

// rows binds shard s whole.
func (dl *deviceLists) rows(s int) metalbridge.Binding {
	return metalbridge.Binding{Buffer: dl.shards[s].buf, Size: dl.shards[s].buf.Size()}
}

func (dl *deviceLists) release() {
	for _, s := range dl.shards {
		if s.buf != nil {
			s.buf.Release()
		}
	}
	dl.shards, dl.stamps = nil, nil
}
