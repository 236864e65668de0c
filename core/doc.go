// Package core holds metalfaiss's algorithms: indexes, distance computation
// and top-k selection. It has no cgo and knows nothing of Python.
//
// Layout contract (every package relies on it):
//   - a batch of n vectors of dimension d is a []float32 of length n*d,
//     row-major: vector i is x[i*d : (i+1)*d];
//   - ids (labels) are int64, assigned 0..ntotal-1 in insertion order;
//   - -1 means "no result" (k-NN results padded when k > ntotal).
//
// Public functions validate their arguments and return *Error; kernels in
// core/kernels trust their callers.
package core
