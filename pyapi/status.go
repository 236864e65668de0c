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

// guard runs fn, turning its error or any panic into a status string.
func guard(op string, fn func() error) (st string) {
	defer func() {
		if r := recover(); r != nil {
			st = fmt.Sprintf("internal|%s: internal error: %v", op, r)
		}
	}()
	return status(fn())
}
