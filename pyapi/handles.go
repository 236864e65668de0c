package pyapi

import (
	"fmt"
	"sync"
)

// object is what a handle refers to. Its lock lets several Python threads
// search one index at once while writes (add, reset, remove) are exclusive.
type object struct {
	mu  sync.RWMutex
	val any
	// refs counts the handles naming this object (views share it, and its
	// lock); registry's lock guards it.
	refs int
}

var registry = struct {
	sync.Mutex
	next int64
	objs map[int64]*object
}{objs: map[int64]*object{}}

// register stores v and returns its new handle (never 0).
func register(v any) int64 {
	registry.Lock()
	defer registry.Unlock()
	registry.next++
	registry.objs[registry.next] = &object{val: v, refs: 1}
	return registry.next
}

func lookup(h int64) (*object, error) {
	registry.Lock()
	defer registry.Unlock()
	o, ok := registry.objs[h]
	if !ok {
		return nil, fmt.Errorf("handle %d is closed or was never opened", h)
	}
	return o, nil
}

// closer is an object holding more than Go memory (a GPU index's device
// buffers), freed when its handle is.
type closer interface{ Close() }

// release forgets handle h; the object is freed once no call uses it, and
// device memory at once (after the calls in progress, which hold its lock).
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
		return fmt.Errorf("handle %d is closed or was never opened", h)
	}
	if c, ok := o.val.(closer); ok && last {
		o.mu.Lock()
		defer o.mu.Unlock()
		c.Close()
	}
	return nil
}

// Free releases any handle (index or pending range result).
func Free(h int64) string {
	return guard("free", func() error { return release(h) })
}

// NewHandle writes a second handle to the object behind h to out
// (int64[1]): each Python view of one index owns its own handle, so that
// freeing one view leaves the others working; they share the object's
// lock, and device memory goes with the last handle.
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
			return fmt.Errorf("handle %d is closed or was never opened", h)
		}
		o.refs++
		registry.next++
		registry.objs[registry.next] = o
		dst[0] = registry.next
		return nil
	})
}
