package gpu

import (
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// Matrix is n rows of d floats on the device with their squared norms (the
// database side of L2 search), grown in place as rows are appended.
type Matrix struct {
	e       *Engine
	d, n    int
	capRows int
	rows    metalbridge.Buffer
	norms   metalbridge.Buffer
}

// NewMatrix makes an empty matrix of dimension d.
func (e *Engine) NewMatrix(d int) *Matrix { return &Matrix{e: e, d: d} }

// Rows is the number of rows on the device.
func (m *Matrix) Rows() int { return m.n }

// Sync makes the device rows equal x (a whole number of rows). The first
// `same` rows are known to be on the device already and are not sent again
// unless the buffers must grow.
func (m *Matrix) Sync(x []float32, same int) error {
	const op = "gpu.Matrix.Sync"
	n := len(x) / m.d
	same = min(same, m.n, n)
	if n > m.capRows {
		capRows := roundUp(max(n, 2*m.capRows, tileRows), tileRows)
		rows, err := m.e.dev.NewBuffer(int64(capRows) * int64(m.d) * 4)
		if err != nil {
			return wrap(op, err)
		}
		norms, err := m.e.dev.NewBuffer(int64(capRows) * 4)
		if err != nil {
			rows.Release()
			return wrap(op, err)
		}
		m.Release()
		m.rows, m.norms, m.capRows, same = rows, norms, capRows, 0
	}
	m.n = n
	if same == n {
		return nil
	}
	// Norms restart at a tile boundary so that bindings stay aligned.
	start := same / tileRows * tileRows
	if err := m.rows.Write(int64(same)*int64(m.d)*4, metalbridge.Bytes(x[same*m.d:])); err != nil {
		return wrap(op, err)
	}
	return m.computeNorms(start, n)
}

// computeNorms runs norms_rows over rows [start, end), in pieces that fit
// the binding limit and the grid.
func (m *Matrix) computeNorms(start, end int) error {
	lim := m.e.lim
	per := int(lim.MaxBinding / int64(4*m.d))
	per = min(per, lim.MaxGroups[0]*shaders.WorkgroupSize) / tileRows * tileRows
	var ds []metalbridge.Dispatch
	for r0 := start; r0 < end; r0 += per {
		n := min(per, end-r0)
		ds = append(ds, metalbridge.Dispatch{
			Kernel: "norms_rows",
			Params: shaders.Bytes(shaders.NormsParams{N: uint32(n), D: uint32(m.d)}),
			Bindings: []metalbridge.Binding{
				{Buffer: m.rows, Offset: int64(r0) * int64(m.d) * 4, Size: int64(n) * int64(m.d) * 4},
				{Buffer: m.norms, Offset: int64(r0) * 4, Size: int64(n) * 4},
			},
			Groups: [3]int{groups(n, shaders.WorkgroupSize), 1, 1},
		})
	}
	return m.e.dev.Run(ds)
}

// Release frees the device memory; the matrix is empty afterwards.
func (m *Matrix) Release() {
	if m.rows != nil {
		m.rows.Release()
		m.norms.Release()
	}
	m.rows, m.norms, m.n, m.capRows = nil, nil, 0, 0
}
