package pyapi

import (
	"sort"
	"strconv"
	"sync"

	"github.com/metalfaiss/metalfaiss/core"
)

// object is what a handle refers to. Objects live in lock families: a
// composite index (IVF and its quantizer, IDMap and its index, Refine and
// its base, PreTransform and its chain, HNSW and its storage, Shards and
// their members, ...) shares one family with everything it was built over,
// so a write through any member's own handle waits for the composite's
// searches, and several searches run at once.
type object struct {
	val any
	// refs counts the handles naming this object (views share it); fam is
	// its family. registry's lock guards both.
	refs int
	fam  *family
}

// family is one lock shared by a composite index and its members.
// Families merge when an index joins another's (add_shard, a new composite
// over members of several families): the objects of the others move to
// the one with the smallest id, under all their locks.
type family struct {
	mu   sync.RWMutex
	id   uint64
	objs map[*object]struct{} // guarded by registry's lock
}

var registry = struct {
	sync.Mutex
	next     int64
	families uint64
	objs     map[int64]*object
}{objs: map[int64]*object{}}

// newFamily makes an empty family; registry's lock must be held.
func newFamily() *family {
	registry.families++
	return &family{id: registry.families, objs: map[*object]struct{}{}}
}

// register stores v in a family of its own and returns its new handle
// (never 0).
func register(v any) int64 {
	return registerIn(nil, v)
}

// registerIn stores v in family f (nil: a new one) and returns its handle.
func registerIn(f *family, v any) int64 {
	registry.Lock()
	defer registry.Unlock()
	if f == nil {
		f = newFamily()
	}
	o := &object{val: v, refs: 1, fam: f}
	f.objs[o] = struct{}{}
	registry.next++
	registry.objs[registry.next] = o
	return registry.next
}

// closedError is what every call on a freed or unknown handle returns;
// Python raises ClosedIndexError for it.
func closedError(op string, h int64) error {
	return core.Errorf(core.KindClosed, op, "handle %d is closed or was never opened", h)
}

// lookup finds the object behind handle h for operation op.
func lookup(op string, h int64) (*object, error) {
	registry.Lock()
	defer registry.Unlock()
	o, ok := registry.objs[h]
	if !ok {
		return nil, closedError(op, h)
	}
	return o, nil
}

func (o *object) family() *family {
	registry.Lock()
	defer registry.Unlock()
	return o.fam
}

// lock takes o's family lock (exclusive when write) and returns its
// release. A merge may move o to another family while we wait: then the
// old lock is dropped and the new one taken.
func (o *object) lock(write bool) (unlock func()) {
	for {
		f := o.family()
		if write {
			f.mu.Lock()
		} else {
			f.mu.RLock()
		}
		if o.family() == f {
			if write {
				return f.mu.Unlock
			}
			return f.mu.RUnlock
		}
		if write {
			f.mu.Unlock()
		} else {
			f.mu.RUnlock()
		}
	}
}

// lockTogether merges the families of objs into one, locked exclusively,
// and returns it with its release: a composite being built, or an index
// joining another, waits for every search in progress on either side.
// Locks are taken in family order, so two merges cannot deadlock.
func lockTogether(objs ...*object) (*family, func()) {
	for {
		registry.Lock()
		seen := map[*family]bool{}
		var fams []*family
		for _, o := range objs {
			if !seen[o.fam] {
				seen[o.fam] = true
				fams = append(fams, o.fam)
			}
		}
		registry.Unlock()
		sort.Slice(fams, func(i, j int) bool { return fams[i].id < fams[j].id })
		for _, f := range fams {
			f.mu.Lock()
		}
		registry.Lock()
		stable := true
		for _, o := range objs {
			stable = stable && seen[o.fam]
		}
		if !stable { // a concurrent merge moved one of them: start again
			registry.Unlock()
			for _, f := range fams {
				f.mu.Unlock()
			}
			continue
		}
		into := fams[0]
		for _, f := range fams[1:] {
			for m := range f.objs {
				m.fam = into
				into.objs[m] = struct{}{}
			}
			clear(f.objs)
		}
		registry.Unlock()
		// Waiters on the emptied families find their objects moved and
		// retry on into.
		for _, f := range fams[1:] {
			f.mu.Unlock()
		}
		return into, into.mu.Unlock
	}
}

// joinFamily runs fn, which attaches the object behind part to the one
// behind owner, with both families merged and locked exclusively: the
// member then shares the owner's lock (even if fn fails, which is
// harmless: a lock shared too widely only serialises more).
func joinFamily(op string, owner, part int64, fn func(owner, part any) error) string {
	return guard(op, func() error {
		o, err := lookup(op, owner)
		if err != nil {
			return err
		}
		p, err := lookup(op, part)
		if err != nil {
			return err
		}
		_, unlock := lockTogether(o, p)
		defer unlock()
		return fn(o.val, p.val)
	})
}

// setPart attaches the object behind part (of type P) to the one behind
// owner (of type O) with set, both families merged (joinFamily): an IVF
// index's quantizer, an HNSW index's storage.
func setPart[O, P any](op string, owner, part int64, set func(O, P) error) string {
	return joinFamily(op, owner, part, func(o, p any) error {
		ov, ok := o.(O)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is a %T, not what %s needs", owner, o, op)
		}
		pv, ok := p.(P)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is a %T, not what %s takes", part, p, op)
		}
		return set(ov, pv)
	})
}

// closer is an object holding more than Go memory (a GPU index's device
// buffers, a k-means run's bindings), freed when its last handle is.
type closer interface{ Close() }

// release forgets handle h; the object is freed once no call uses it, and
// device memory at once (after the calls in progress, which hold its
// family's lock).
func release(h int64) error {
	registry.Lock()
	o, ok := registry.objs[h]
	delete(registry.objs, h)
	last := false
	if ok {
		o.refs--
		last = o.refs == 0
	}
	registry.Unlock()
	if !ok {
		return closedError("free", h)
	}
	if !last {
		return nil
	}
	if c, ok := o.val.(closer); ok {
		unlock := o.lock(true)
		c.Close()
		unlock()
	}
	registry.Lock()
	delete(o.fam.objs, o)
	registry.Unlock()
	return nil
}

// Free releases any handle (index or pending range result).
func Free(h int64) string {
	return guard("free", func() error { return release(h) })
}

// NewHandle writes a second handle to the object behind h to out
// (int64[1]): each Python view of one index owns its own handle, so that
// freeing one view leaves the others working; they share the object (and
// its family), and device memory goes with the last handle.
func NewHandle(h int64, out uintptr) string {
	return guard("new_handle", func() error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		registry.Lock()
		defer registry.Unlock()
		o, ok := registry.objs[h]
		if !ok {
			return closedError("new_handle", h)
		}
		o.refs++
		registry.next++
		registry.objs[registry.next] = o
		dst[0] = registry.next
		return nil
	})
}

// HandleFamily writes the family id of handle h to out (int64[1]): equal
// ids share one lock (for tests and debugging).
func HandleFamily(h int64, out uintptr) string {
	return guard("handle_family", func() error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		o, err := lookup("handle_family", h)
		if err != nil {
			return err
		}
		dst[0] = int64(o.family().id)
		return nil
	})
}

// OpenHandles returns "=" and the number of live handles (leak and soak
// tests check that it stays flat).
func OpenHandles() string {
	return text("open_handles", func() (string, error) {
		registry.Lock()
		defer registry.Unlock()
		return strconv.Itoa(len(registry.objs)), nil
	})
}
