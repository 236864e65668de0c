package core

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Progress tells how far a long call (train, add) has come while it runs:
// the stage it is in, work done of the stage's total, and the lines faiss
// prints in verbose mode. The call updates it; another goroutine reads it
// with Snapshot (the Python side polls it to print verbose lines and to
// drive progress callbacks). Every method is safe on a nil *Progress, which
// records nothing, so the hot loops need no checks.
type Progress struct {
	mu       sync.Mutex
	stage    string
	total    int64
	lines    []string
	finished []StageState // stages ended since the last Snapshot
	done     atomic.Int64
}

// StageState is a stage's name and counts at one moment.
type StageState struct {
	Stage       string
	Done, Total int64
}

// ProgressReporter is an index that reports its train and add progress to
// a Progress it is given (nil: none).
type ProgressReporter interface {
	SetProgress(p *Progress)
}

// forwardProgress gives p to ix when it reports progress (a wrapper's
// inner index).
func forwardProgress(ix Index, p *Progress) {
	if r, ok := ix.(ProgressReporter); ok {
		r.SetProgress(p)
	}
}

// Stage starts a stage of total units of work (0: unknown) at 0 done; the
// stage before it is kept, as it ended, for the next Snapshot (a reader
// that polls sees every stage, however short).
func (p *Progress) Stage(name string, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	if p.stage != "" {
		p.finished = append(p.finished, StageState{p.stage, p.done.Load(), p.total})
	}
	p.stage, p.total = name, total
	p.done.Store(0)
	p.mu.Unlock()
}

// Advance adds n units of work done to the current stage.
func (p *Progress) Advance(n int64) {
	if p != nil {
		p.done.Add(n)
	}
}

// Logf records a verbose line.
func (p *Progress) Logf(format string, args ...any) {
	if p == nil {
		return
	}
	p.Line(fmt.Sprintf(format, args...))
}

// Line records a verbose line as it is (a Log hook of a part, such as
// the clustering that trains an IVF index's quantizer).
func (p *Progress) Line(line string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.lines = append(p.lines, line)
	p.mu.Unlock()
}

// Snapshot returns the stages that ended since the previous Snapshot (as
// they ended) followed by the current one (none before the first Stage),
// and the lines recorded since the previous Snapshot. It takes what it
// returns.
func (p *Progress) Snapshot() (stages []StageState, lines []string) {
	if p == nil {
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	stages, p.finished = p.finished, nil
	if p.stage != "" {
		stages = append(stages, StageState{p.stage, p.done.Load(), p.total})
	}
	lines, p.lines = p.lines, nil
	return stages, lines
}
