package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// Selectors travel from Python as a small program of int64s:
//
//	[0, imin, imax]    IDSelectorRange
//	[1, n, ids...]     IDSelectorBatch
//	[2, n, ids...]     IDSelectorArray
//	[3, <selector>]    IDSelectorNot
//	[4]                IDSelectorAll
//	[5, <lhs>, <rhs>]  IDSelectorAnd (6: Or, 7: XOr)
//	[8, nbytes, words...] IDSelectorBitmap: the bytes, 8 to a word, little-endian
const (
	selRange = iota
	selBatch
	selArray
	selNot
	selAll
	selAnd
	selOr
	selXOr
	selBitmap
)

// decodeSelector reads the selector at prog (n int64s); addr 0 means none.
func decodeSelector(op string, addr uintptr, n int64) (core.IDSelector, error) {
	if addr == 0 || n == 0 {
		return nil, nil
	}
	prog, err := int64s(addr, n)
	if err != nil {
		return nil, err
	}
	sel, used, err := parseSelector(op, prog)
	if err == nil && used != len(prog) {
		err = core.Errorf(core.KindInvalidArgument, op, "malformed selector: %d trailing values", len(prog)-used)
	}
	return sel, err
}

func parseSelector(op string, p []int64) (core.IDSelector, int, error) {
	bad := func() (core.IDSelector, int, error) {
		return nil, 0, core.Errorf(core.KindInvalidArgument, op, "malformed selector")
	}
	if len(p) == 0 {
		return bad()
	}
	switch p[0] {
	case selRange:
		if len(p) < 3 {
			return bad()
		}
		return core.IDSelectorRange{Min: p[1], Max: p[2]}, 3, nil
	case selBatch, selArray:
		if len(p) < 2 || p[1] < 0 || p[1] > int64(len(p)-2) {
			return bad()
		}
		ids := p[2 : 2+p[1]]
		return core.NewIDSelectorBatch(ids), int(2 + p[1]), nil
	case selNot:
		inner, used, err := parseSelector(op, p[1:])
		if err != nil {
			return nil, 0, err
		}
		return core.IDSelectorNot{Sel: inner}, 1 + used, nil
	case selAll:
		return core.IDSelectorAll{}, 1, nil
	case selAnd, selOr, selXOr:
		lhs, usedL, err := parseSelector(op, p[1:])
		if err != nil {
			return nil, 0, err
		}
		rhs, usedR, err := parseSelector(op, p[1+usedL:])
		if err != nil {
			return nil, 0, err
		}
		used := 1 + usedL + usedR
		switch p[0] {
		case selAnd:
			return core.IDSelectorAnd{Lhs: lhs, Rhs: rhs}, used, nil
		case selOr:
			return core.IDSelectorOr{Lhs: lhs, Rhs: rhs}, used, nil
		}
		return core.IDSelectorXOr{Lhs: lhs, Rhs: rhs}, used, nil
	case selBitmap:
		if len(p) < 2 || p[1] < 0 {
			return bad()
		}
		words := (p[1] + 7) / 8
		if words > int64(len(p)-2) {
			return bad()
		}
		bits := make([]byte, p[1])
		for i := range bits {
			bits[i] = byte(uint64(p[2+i/8]) >> (8 * (i % 8)))
		}
		return core.IDSelectorBitmap{Bits: bits}, int(2 + words), nil
	}
	return bad()
}
