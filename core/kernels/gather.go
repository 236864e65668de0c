package kernels

// L2SqrGather writes the squared distances of x to rows ids of base (rows
// of len(x) floats): out[i] = L2Sqr(x, base[ids[i]*d:(ids[i]+1)*d]). The
// values equal L2Sqr's; the SIMD version loads x once per four rows (what
// graph searches need: the neighbours of a node lie anywhere). Ids are
// trusted to lie inside base.
func L2SqrGather(x, base []float32, ids []int32, out []float32) {
	d := len(x)
	out = out[:len(ids)]
	i := 0
	if l2GatherSIMD != nil && d > 0 {
		i = l2GatherSIMD(x, base, ids, out)
	}
	for ; i < len(ids); i++ {
		r := int(ids[i]) * d
		out[i] = L2Sqr(x, base[r:r+d])
	}
}

// l2GatherSIMD handles the ids it can and returns how many it did.
var l2GatherSIMD func(x, base []float32, ids []int32, out []float32) int
