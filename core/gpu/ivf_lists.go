package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// deviceLists is the device copy of an IVF-Flat index's lists: every
// list's vectors one after the other in one buffer, list l at rows
// [start[l], start[l]+size[l]), and the host map from row to id.
type deviceLists struct {
	e      *Engine
	buf    metalbridge.Buffer
	bytes  int64
	start  []int
	size   []int
	pos2id []int64
	stamps []core.ListStamp
}

// sync makes the device copy equal ix's lists. A change to any list sends
// them all again (adds come in batches; a per-list layout with room to
// grow is for later).
func (dl *deviceLists) sync(ix *core.IndexIVF) error {
	const op = "GpuIndexIVFFlat.sync"
	nlist := ix.Nlist()
	fresh := dl.buf != nil && len(dl.stamps) == nlist
	for l := 0; fresh && l < nlist; l++ {
		fresh = dl.stamps[l] == ix.ListStamp(l)
	}
	if fresh {
		return nil
	}
	d := ix.D()
	dl.start, dl.size, dl.stamps = make([]int, nlist), make([]int, nlist), make([]core.ListStamp, nlist)
	total := 0
	for l := range nlist {
		ids, _, _ := ix.IVFList(l)
		dl.start[l], dl.size[l], dl.stamps[l] = total, len(ids), ix.ListStamp(l)
		total += len(ids)
	}
	if int64(total)*int64(d)*4 > dl.e.lim.MaxBinding {
		dl.stamps = nil
		return errorf(op, "%d vectors of d=%d exceed the device's largest binding (%d bytes)", total, d, dl.e.lim.MaxBinding)
	}
	need := max(int64(total)*int64(d)*4, 256)
	if dl.buf == nil || dl.bytes < need {
		dl.release()
		b, err := dl.e.dev.NewBuffer(max(need, 2*dl.bytes))
		if err != nil {
			dl.stamps = nil
			return wrap(op, err)
		}
		dl.buf, dl.bytes = b, b.Size()
	}
	dl.pos2id = make([]int64, 0, total)
	for l := range nlist {
		ids, vecs, _ := ix.IVFList(l)
		if len(ids) == 0 {
			continue
		}
		if err := dl.buf.Write(int64(dl.start[l])*int64(d)*4, metalbridge.Bytes(vecs)); err != nil {
			dl.stamps = nil
			return wrap(op, err)
		}
		dl.pos2id = append(dl.pos2id, ids...)
	}
	return nil
}

// rows binds the whole copy.
func (dl *deviceLists) rows() metalbridge.Binding {
	return metalbridge.Binding{Buffer: dl.buf, Size: dl.bytes}
}

func (dl *deviceLists) release() {
	if dl.buf != nil {
		dl.buf.Release()
	}
	dl.buf, dl.bytes, dl.stamps = nil, 0, nil
}
