package gpu

import (
	"fmt"
	"math"
	"sync"

	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// MaxK is the largest k the GPU selects (topk_select_rows' shared-memory
// lists; faiss's GPU limit is the same).
const MaxK = 2048

// fusedMaxK is the largest k kept in lists by knn_topk_tiled and the IVF
// scans (their KSEL) and merged by topk_merge_small.
const fusedMaxK = 32

// tileRows is the query tile of the IVF scans; chunk starts are multiples
// of it, which keeps binding offsets 256-byte aligned.
const tileRows = 64

// flatTile is the query and database tile of knn_tiled.comp: a workgroup's
// queries, and the step of its walk along the database.
const flatTile = 128

// scratchBudget caps each temporary buffer of a search (candidate lists,
// distance rows), whatever the device allows.
const scratchBudget = 256 << 20

// Engine runs the kernels on one device. It is safe for concurrent use:
// searches are serialised, as the device's queue would serialise them.
type Engine struct {
	mu      sync.Mutex
	dev     metalbridge.Device
	lim     metalbridge.Limits
	scratch map[string]metalbridge.Buffer
	// queriesHold is the host slice the "queries" scratch buffer holds
	// (its first element and length), so that an IVF scan right after the
	// coarse search of the same queries does not send them again. An IVF
	// search clears it before its coarse search and after its scan: a slice
	// freed since could have left its address to another.
	queriesHold hostSpan
	// searchedAgain counts the queries whose bounded search overflowed
	// (knn_filter.go), for tests.
	searchedAgain int
}

// NewEngine wraps dev.
func NewEngine(dev metalbridge.Device) *Engine {
	return &Engine{dev: dev, lim: dev.Info().Limits, scratch: map[string]metalbridge.Buffer{}}
}

var (
	defaultOnce   sync.Once
	defaultEngine *Engine
	defaultErr    error
)

// Default returns the engine of the process's device (metalbridge.Default).
func Default() (*Engine, error) {
	defaultOnce.Do(func() {
		dev, err := metalbridge.Default()
		if err != nil {
			defaultErr = err
			return
		}
		defaultEngine = NewEngine(dev)
	})
	return defaultEngine, defaultErr
}

// Device returns the engine's device.
func (e *Engine) Device() metalbridge.Device { return e.dev }

// buffer returns the scratch buffer called role, at least size bytes.
// Scratch buffers are reused across calls (allocation costs more than many
// small searches) and only grow.
func (e *Engine) buffer(role string, size int64) (metalbridge.Buffer, error) {
	size = max(size, 256)
	if b, ok := e.scratch[role]; ok && b.Size() >= size {
		return b, nil
	}
	if b, ok := e.scratch[role]; ok {
		b.Release()
		delete(e.scratch, role)
	}
	b, err := e.dev.NewBuffer(size)
	if err != nil {
		return nil, err
	}
	e.scratch[role] = b
	if role == "queries" {
		e.queriesHold = hostSpan{}
	}
	return b, nil
}

// hostSpan names a host slice of floats by its first element and length.
type hostSpan struct {
	first *float32
	n     int
}

func spanOf(x []float32) hostSpan {
	if len(x) == 0 {
		return hostSpan{}
	}
	return hostSpan{&x[0], len(x)}
}

// writeQueries puts x at the start of the "queries" scratch buffer, unless
// reuse is set and the buffer holds x already (see queriesHold).
func (e *Engine) writeQueries(x []float32, reuse bool) (metalbridge.Buffer, error) {
	b, err := e.buffer("queries", int64(len(x))*4)
	if err != nil || (reuse && e.queriesHold == spanOf(x) && len(x) > 0) {
		return b, err
	}
	e.queriesHold = hostSpan{}
	if err := b.Write(0, metalbridge.Bytes(x)); err != nil {
		return nil, err
	}
	e.queriesHold = spanOf(x)
	return b, nil
}

// ReleaseScratch frees the temporary buffers (they come back on next use).
func (e *Engine) ReleaseScratch() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for role, b := range e.scratch {
		b.Release()
		delete(e.scratch, role)
	}
	e.queriesHold = hostSpan{}
}

// keyNone is the key of "no result" (shaders/src/keys.glsl's KEY_NONE).
const keyNone = math.MaxUint32

// fromKey inverts the kernels' toKey: the float whose key is k.
func fromKey(k uint32) float32 {
	if k&0x80000000 != 0 {
		return math.Float32frombits(k &^ 0x80000000)
	}
	return math.Float32frombits(^k)
}

func groups(n, per int) int { return (n + per - 1) / per }

func roundUp(n, m int) int { return groups(n, m) * m }

// wrap keeps err's chain, so callers still see metalbridge's error kinds.
func wrap(op string, err error) error { return fmt.Errorf("%s: %w", op, err) }

func errorf(op, format string, args ...any) error {
	return fmt.Errorf("%s: %s", op, fmt.Sprintf(format, args...))
}
