package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// Hammings writes the na x nb Hamming distances between the codes at a and
// b (cs bytes each) into dis (int32).
func Hammings(na int64, a uintptr, nb int64, b uintptr, cs int64, dis uintptr) string {
	return guard("hammings", func() error {
		as, bs, err := codePair(na, a, nb, b, cs)
		if err != nil {
			return err
		}
		ds, err := int32s(dis, na*nb)
		if err != nil {
			return err
		}
		return core.Hammings(as, bs, int(cs), ds)
	})
}

// HammingsKNN writes the k nearest of the nb codes at b to each of the na
// codes at a into dist (int32) and labels (int64), among the ids the
// selector program at sel (nsel int64s; 0: none) picks.
func HammingsKNN(na int64, a uintptr, nb int64, b uintptr, cs, k int64, dist, labels, sel uintptr, nsel int64) string {
	const op = "hammings_knn"
	return guard(op, func() error {
		as, bs, err := codePair(na, a, nb, b, cs)
		if err != nil {
			return err
		}
		ds, err := int32s(dist, na*k)
		if err != nil {
			return err
		}
		ls, err := int64s(labels, na*k)
		if err != nil {
			return err
		}
		s, err := decodeSelector(op, sel, nsel)
		if err != nil {
			return err
		}
		return core.HammingsKNN(as, bs, int(cs), int(k), ds, ls, s)
	})
}

func codePair(na int64, a uintptr, nb int64, b uintptr, cs int64) ([]byte, []byte, error) {
	as, err := bytesAt(a, na*cs)
	if err != nil {
		return nil, nil, err
	}
	bs, err := bytesAt(b, nb*cs)
	return as, bs, err
}
