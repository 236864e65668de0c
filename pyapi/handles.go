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
	registry.objs[registry.next] = &object{val: v}
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
	registry.Unlock()
	if !ok {
		return fmt.Errorf("handle %d is closed or was never opened", h)
	}
	if c, ok := o.val.(closer); ok {
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
