package core

import "fmt"

// ErrorKind classifies failures so the Python layer can raise the matching
// exception class (ValueError for bad arguments, NotImplementedError for
// unsupported operations, ...).
type ErrorKind int

const (
	// KindInvalidArgument: a value is out of its allowed range.
	KindInvalidArgument ErrorKind = iota
	// KindDimensionMismatch: vector sizes disagree with the index.
	KindDimensionMismatch
	// KindNotTrained: the index must be trained first.
	KindNotTrained
	// KindUnsupported: the index cannot do this operation.
	KindUnsupported
	// KindClosed: the handle was freed (or never existed).
	KindClosed
	// KindInternal: a bug: a panic, recovered, or a broken invariant.
	KindInternal
	// KindInterrupted: stopped by an interrupt request (Ctrl-C).
	KindInterrupted
)

// String names the kind; pyapi sends it to Python as the status prefix.
func (k ErrorKind) String() string {
	switch k {
	case KindDimensionMismatch:
		return "dimension"
	case KindNotTrained:
		return "not_trained"
	case KindUnsupported:
		return "unsupported"
	case KindClosed:
		return "closed"
	case KindInternal:
		return "internal"
	case KindInterrupted:
		return "interrupted"
	default:
		return "invalid"
	}
}

// Error is the one error type core returns: the operation and what was wrong.
type Error struct {
	Kind ErrorKind
	Op   string
	Msg  string
}

func (e *Error) Error() string { return e.Op + ": " + e.Msg }

// Errorf builds an *Error for operation op.
func Errorf(kind ErrorKind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Msg: fmt.Sprintf(format, args...)}
}
