package metalbridge

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/shaders"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInfoReadsLimitsFromTheDevice(t *testing.T) {
	d := testDevice(t)
	info := d.Info()
	t.Logf("%+v", info)
	assert.NotEmpty(t, info.Name)
	assert.Contains(t, []string{"vulkan", "metal"}, info.Driver)
	assert.GreaterOrEqual(t, info.Limits.MaxSharedMemory, 16384) // Vulkan's guaranteed minimum
	assert.GreaterOrEqual(t, info.Limits.MaxThreads, shaders.WorkgroupSize)
	assert.GreaterOrEqual(t, info.Limits.MaxGroups[0], 65535)
	assert.GreaterOrEqual(t, info.Limits.MaxBinding, int64(1<<27))
}

func TestBufferRoundTripAndBounds(t *testing.T) {
	d := testDevice(t)
	b, err := d.NewBuffer(1000)
	require.NoError(t, err)
	defer b.Release()
	src := make([]byte, 600)
	rand.New(rand.NewSource(1)).Read(src)
	require.NoError(t, b.Write(300, src))
	got := make([]byte, 600)
	require.NoError(t, b.Read(300, got))
	assert.Equal(t, src, got)
	assert.ErrorContains(t, b.Write(500, src), "outside")
	assert.ErrorContains(t, b.Read(-1, got), "outside")
}

// A discrete GPU's buffers are copied through two 64 MiB staging slots in
// turn: three pieces and a partial one, at an offset, come back whole.
func TestLargeTransfersRoundTrip(t *testing.T) {
	d := testDevice(t)
	const off, n = 4096, 3<<26 + 12345
	b, err := d.NewBuffer(off + n)
	require.NoError(t, err)
	defer b.Release()
	src := make([]byte, n)
	rand.New(rand.NewSource(2)).Read(src)
	require.NoError(t, b.Write(off, src))
	got := make([]byte, n)
	require.NoError(t, b.Read(off, got))
	require.True(t, bytes.Equal(src, got), "the bytes read back differ from those written")
	part := make([]byte, 1<<20)
	require.NoError(t, b.Read(off+2<<26-(1<<19), part)) // across a piece boundary
	require.True(t, bytes.Equal(src[2<<26-(1<<19):2<<26+(1<<19)], part))
}

func TestNormsKernelMatchesTheLoop(t *testing.T) {
	d := testDevice(t)
	rng := rand.New(rand.NewSource(2))
	for _, sz := range [][2]int{{1, 1}, {3, 7}, {300, 33}, {513, 128}} {
		n, dim := sz[0], sz[1]
		x := make([]float32, n*dim)
		for i := range x {
			x[i] = rng.Float32()*2 - 1
		}
		xb, err := d.NewBuffer(int64(4 * len(x)))
		require.NoError(t, err)
		nb, err := d.NewBuffer(int64(4 * n))
		require.NoError(t, err)
		require.NoError(t, xb.Write(0, Bytes(x)))
		require.NoError(t, d.Run([]Dispatch{{
			Kernel:   "norms_rows",
			Params:   shaders.Bytes(shaders.NormsParams{N: uint32(n), D: uint32(dim)}),
			Bindings: []Binding{{Buffer: xb}, {Buffer: nb}},
			Groups:   [3]int{(n + 255) / 256, 1, 1},
		}}))
		got := make([]float32, n)
		require.NoError(t, nb.Read(0, Bytes(got)))
		for i := 0; i < n; i++ {
			var want float32
			for _, v := range x[i*dim : (i+1)*dim] {
				want += v * v
			}
			assert.InEpsilon(t, want, got[i], 1e-5, "row %d of %dx%d", i, n, dim)
		}
		xb.Release()
		nb.Release()
	}
}

func TestBadDispatchesAreErrors(t *testing.T) {
	d := testDevice(t)
	b, err := d.NewBuffer(1024)
	require.NoError(t, err)
	defer b.Release()
	params := shaders.Bytes(shaders.NormsParams{N: 1, D: 1})
	cases := map[string]Dispatch{
		"no GPU kernel":  {Kernel: "nope", Params: params, Bindings: []Binding{{Buffer: b}, {Buffer: b}}, Groups: [3]int{1, 1, 1}},
		"buffers bound":  {Kernel: "norms_rows", Params: params, Bindings: []Binding{{Buffer: b}}, Groups: [3]int{1, 1, 1}},
		"parameters":     {Kernel: "norms_rows", Params: params[:4], Bindings: []Binding{{Buffer: b}, {Buffer: b}}, Groups: [3]int{1, 1, 1}},
		"not a multiple": {Kernel: "norms_rows", Params: params, Bindings: []Binding{{Buffer: b, Offset: 4}, {Buffer: b}}, Groups: [3]int{1, 1, 1}},
		"outside":        {Kernel: "norms_rows", Params: params, Bindings: []Binding{{Buffer: b, Size: 2048}, {Buffer: b}}, Groups: [3]int{1, 1, 1}},
		"workgroups":     {Kernel: "norms_rows", Params: params, Bindings: []Binding{{Buffer: b}, {Buffer: b}}, Groups: [3]int{0, 1, 1}},
	}
	for want, ds := range cases {
		assert.ErrorContains(t, d.Run([]Dispatch{ds}), want)
	}
}

func TestBrokenKernelIsAnError(t *testing.T) {
	d := testDevice(t)
	defer func() {
		shaders.ClearOverrides()
		d.ResetPipelines()
	}()
	b, err := d.NewBuffer(1024)
	require.NoError(t, err)
	defer b.Release()
	good, err := shaders.SPIRV("norms_rows")
	require.NoError(t, err)
	broken := append([]byte{}, good...)
	broken[0] ^= 0xff
	shaders.Override("norms_rows", broken, "this is not Metal")
	d.ResetPipelines()
	err = d.Run([]Dispatch{{
		Kernel:   "norms_rows",
		Params:   shaders.Bytes(shaders.NormsParams{N: 1, D: 1}),
		Bindings: []Binding{{Buffer: b}, {Buffer: b}},
		Groups:   [3]int{1, 1, 1},
	}})
	assert.ErrorContains(t, err, "norms_rows")
	assert.False(t, IsUnavailable(err))
}
