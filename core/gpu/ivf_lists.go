package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// deviceLists is the device copy of an IVF-Flat index's lists: the
// vectors of every list one after the other, list l at rows [start[l],
// start[l]+size[l]) of the whole, cut into shards of whole lists that each
// fit one binding (10M x 128 floats is more than one), and the host map
// from row to id.
type deviceLists struct {
	e      *Engine
	half   bool // float16 rows (half_rows.go)
	shards []listShard
	start  []int
	size   []int
	pos2id []int64
	stamps []core.ListStamp
}

// listShard holds lists [first, end) from row row0 on.
type listShard struct {
	buf        metalbridge.Buffer
	first, end int
	row0       int
}

// sync makes the device copy equal ix's lists. A change to any list sends
// them all again (adds come in batches; a per-list layout with room to
// grow is for later).
func (dl *deviceLists) sync(ix *core.IndexIVF) error {
	const op = "GpuIndexIVFFlat.sync"
	nlist := ix.Nlist()
	fresh := dl.shards != nil && len(dl.stamps) == nlist
	for l := 0; fresh && l < nlist; l++ {
		fresh = dl.stamps[l] == ix.ListStamp(l)
	}
	if fresh {
		return nil
	}
	dl.release()
	d := ix.D()
	rb := rowBytes(d, dl.half)
	limit := min(dl.e.lim.MaxBinding, dl.e.lim.MaxBuffer) / rb // rows a shard may hold
	dl.start, dl.size = make([]int, nlist), make([]int, nlist)
	total := 0
	cur := listShard{}
	for l := range nlist {
		ids, _, _ := ix.IVFList(l)
		n := len(ids)
		if int64(n) > limit {
			return errorf(op, "list %d holds %d vectors of d=%d, more than the device's largest binding (%d bytes)", l, n, d, dl.e.lim.MaxBinding)
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
		b, err := dl.e.dev.NewBuffer(max(int64(end-sh.row0)*rb, 256))
		if err != nil {
			dl.release()
			return wrap(op, err)
		}
		sh.buf = b
		for l := sh.first; l < sh.end; l++ {
			ids, vecs, _ := ix.IVFList(l)
			if len(ids) == 0 {
				continue
			}
			if err := writeRows(b, dl.start[l]-sh.row0, vecs, d, dl.half); err != nil {
				dl.release()
				return wrap(op, err)
			}
			dl.pos2id = append(dl.pos2id, ids...)
		}
	}
	dl.stamps = make([]core.ListStamp, nlist)
	for l := range nlist {
		dl.stamps[l] = ix.ListStamp(l)
	}
	return nil
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
