package pyapi

import (
	"strconv"
	"strings"
	"sync"

	"github.com/metalfaiss/metalfaiss/core"
)

// Progress of long index calls, by handle: the Python side attaches one
// before train or add (when the index is verbose or has a progress
// callback) and polls it from another thread while the call runs. The
// table has its own lock, so a poll never waits for the index's.
var (
	progressMu sync.Mutex
	progressOf = map[int64]*core.Progress{}
)

// IndexWatchProgress attaches (on) or detaches a Progress to index h's
// train and add; an index that does not report (core.ProgressReporter)
// keeps an empty one, which the Python side reads as "no stages".
func IndexWatchProgress(h int64, on bool) string {
	return withIndex("Index.progress", h, true, func(ix core.Index) error {
		var p *core.Progress
		if on {
			p = &core.Progress{}
		}
		if r, ok := ix.(core.ProgressReporter); ok {
			r.SetProgress(p)
		}
		progressMu.Lock()
		defer progressMu.Unlock()
		if p == nil {
			delete(progressOf, h)
		} else {
			progressOf[h] = p
		}
		return nil
	})
}

// IndexProgress returns index h's progress since the last call as records
// joined by \x1e, each of fields joined by \x1f: "S", stage, done, total
// for each stage that ended and then the current one; "L", line for each
// verbose line. Nothing without an attached Progress.
func IndexProgress(h int64) string {
	progressMu.Lock()
	p := progressOf[h]
	progressMu.Unlock()
	stages, lines := p.Snapshot()
	records := make([]string, 0, len(stages)+len(lines))
	for _, s := range stages {
		records = append(records, strings.Join([]string{"S", s.Stage, strconv.FormatInt(s.Done, 10), strconv.FormatInt(s.Total, 10)}, "\x1f"))
	}
	for _, line := range lines {
		records = append(records, "L\x1f"+line)
	}
	return "=" + strings.Join(records, "\x1e")
}
