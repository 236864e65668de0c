package gpu

import (
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// Matrix is n rows of d floats on the device with their squared norms (the
// database side of L2 search), grown in place as rows are appended; in
// layout rowsF16 the rows are stored as float16 (half_rows.go) and their
// norms are those of the halves.
type Matrix struct {
	e       *Engine
	d, n    int
	layout  rowLayout // rowsF32 or rowsF16
	capRows int
	rows    metalbridge.Buffer
	norms   metalbridge.Buffer
}

// NewMatrix makes an empty matrix of dimension d.
func (e *Engine) NewMatrix(d int) *Matrix { return &Matrix{e: e, d: d} }

// NewHalfMatrix makes an empty float16 matrix of dimension d.
func (e *Engine) NewHalfMatrix(d int) *Matrix { return &Matrix{e: e, d: d, layout: rowsF16} }

// half reports whether the rows are float16.
func (m *Matrix) half() bool { return m.layout == rowsF16 }

// Rows is the number of rows on the device.
func (m *Matrix) Rows() int { return m.n }

// Sync makes the device rows equal x (a whole number of rows; for a half
// matrix, values already rounded to halves). The first `same` rows are
// known to be on the device already and are not sent again unless the
// buffers must grow.
func (m *Matrix) Sync(x []float32, same int) error {
	const op = "gpu.Matrix.Sync"
	n := len(x) / m.d
	same = min(same, m.n, n)
	rb := m.layout.bytesPerRow(m.d, 0)
	if n > m.capRows {
		capRows := roundUp(max(n, 2*m.capRows, tileRows), tileRows)
		rows, err := m.e.dev.NewBuffer(int64(capRows) * rb)
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
	rows := metalbridge.Bytes(x[same*m.d:])
	if m.half() {
		rows = metalbridge.Bytes(packHalves(x[same*m.d:], m.d))
	}
	if err := m.rows.Write(int64(same)*rb, rows); err != nil {
		return wrap(op, err)
	}
	if m.half() { // the norms of the halves, in float32 on the host
		norms := make([]float32, n-start)
		for i := range norms {
			var s float32
			for _, v := range x[(start+i)*m.d : (start+i+1)*m.d] {
				s += v * v
			}
			norms[i] = s
		}
		if err := m.norms.Write(int64(start)*4, metalbridge.Bytes(norms)); err != nil {
			return wrap(op, err)
		}
		return nil
	}
	return m.computeNorms(start, n)
}

// binding binds rows [r0, r0+n).
func (m *Matrix) binding(r0, n int) metalbridge.Binding {
	rb := m.layout.bytesPerRow(m.d, 0)
	return metalbridge.Binding{Buffer: m.rows, Offset: int64(r0) * rb, Size: int64(n) * rb}
}

// normsBinding binds the norms of rows [r0, r0+n).
func (m *Matrix) normsBinding(r0, n int) metalbridge.Binding {
	return metalbridge.Binding{Buffer: m.norms, Offset: int64(r0) * 4, Size: int64(n) * 4}
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
				m.binding(r0, n),
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
