package pyapi

import (
	"errors"
	"fmt"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

// status turns an error into the status string Python decodes.
func status(err error) string {
	if err == nil {
		return ""
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce.Kind.String() + "|" + ce.Error()
	}
	if metalbridge.IsUnavailable(err) {
		return "gpu_unavailable|" + err.Error()
	}
	var ge *metalbridge.Error
	if errors.As(err, &ge) {
		return "gpu|" + err.Error()
	}
	return "invalid|" + err.Error()
}

// Every exported function returns one string, in one of three forms: ""
// (done), "=" followed by the call's text result, or "<kind>|<message>"
// (failed; kind is core.ErrorKind's name or a GPU kind, and Python raises
// the matching exception class).

// guard runs fn, turning its error or any panic into a status string.
func guard(op string, fn func() error) (st string) {
	defer func() {
		if r := recover(); r != nil {
			st = fmt.Sprintf("internal|%s: internal error: %v", op, r)
		}
	}()
	return status(fn())
}

// text runs fn and returns "=" and its text, or the failure's status.
func text(op string, fn func() (string, error)) string {
	var out string
	if st := guard(op, func() (err error) { out, err = fn(); return err }); st != "" {
		return st
	}
	return "=" + out
}
