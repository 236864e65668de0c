package shaders_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/metalfaiss/metalfaiss/shaders"
	"github.com/metalfaiss/metalfaiss/shaders/internal/shadergen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stale = "the generated shaders are stale: run `make shaders` and commit the result"

// The manifest records the sources the committed outputs came from; it
// catches an edited kernel even where the shader tools are not installed.
func TestManifestMatchesTheSources(t *testing.T) {
	want, err := shadergen.Manifest("src")
	require.NoError(t, err)
	got, err := os.ReadFile(shadergen.ManifestName)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), stale)
}

// With the tools installed (`make test` installs them), regenerating must
// reproduce the committed files byte for byte.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	if !shadergen.ToolsAvailable() {
		if os.Getenv("METALFAISS_REQUIRE_SHADER_TOOLS") == "1" {
			t.Fatalf("METALFAISS_REQUIRE_SHADER_TOOLS=1 but %v are not all on PATH", shadergen.Tools)
		}
		t.Skipf("%v not installed; the manifest test still checks the sources", shadergen.Tools)
	}
	out := t.TempDir()
	require.NoError(t, shadergen.Generate("src", out))
	for _, k := range shaders.Kernels {
		for _, f := range []string{"spirv/" + k.Name + ".spv", "metal/" + k.Name + ".metal"} {
			fresh, err := os.ReadFile(filepath.Join(out, f))
			require.NoError(t, err)
			committed, err := os.ReadFile(f)
			require.NoError(t, err, "%s is missing: %s", f, stale)
			assert.True(t, bytes.Equal(fresh, committed), "%s differs: %s", f, stale)
		}
	}
	files, _ := filepath.Glob("spirv/*.spv")
	assert.Len(t, files, len(shaders.Kernels), "a generated file has no kernel in the registry")
}

func TestEveryKernelIsEmbedded(t *testing.T) {
	for _, k := range shaders.Kernels {
		spv, err := shaders.SPIRV(k.Name)
		require.NoError(t, err)
		assert.Equal(t, []byte{0x03, 0x02, 0x23, 0x07}, spv[:4], "%s: SPIR-V magic", k.Name)
		msl, err := shaders.MSL(k.Name)
		require.NoError(t, err)
		assert.Contains(t, msl, "kernel void "+k.Name+"(", "%s: the Metal entry point keeps the kernel's name", k.Name)
		assert.Contains(t, msl, "[[buffer(0)]]", "%s: the params struct is Metal buffer 0", k.Name)
	}
}

// The Go mirror of each params struct has the GLSL push-constant block's
// fields, in order, with the same signedness.
func TestParamsMirrorTheGLSL(t *testing.T) {
	block := regexp.MustCompile(`(?s)uniform Params \{(.*?)\} p;`)
	field := regexp.MustCompile(`(?m)^\s*(uint|int)\s+(\w+);`)
	for _, k := range shaders.Kernels {
		src, err := os.ReadFile(filepath.Join("src", k.Source))
		require.NoError(t, err)
		m := block.FindSubmatch(src)
		require.NotNil(t, m, "%s: no Params block", k.Source)
		var glsl []string
		for _, f := range field.FindAllSubmatch(m[1], -1) {
			glsl = append(glsl, string(f[1])+" "+strings.ToLower(string(f[2])))
		}
		var goFields []string
		typ := reflect.TypeOf(k.Params)
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			kind := map[reflect.Kind]string{reflect.Uint32: "uint", reflect.Int32: "int"}[f.Type.Kind()]
			goFields = append(goFields, kind+" "+strings.ToLower(f.Name))
		}
		assert.Equal(t, glsl, goFields, "%s: %s", k.Name, typ.Name())
	}
}

func TestOverrideAndClear(t *testing.T) {
	defer shaders.ClearOverrides()
	orig, err := shaders.SPIRV("norms_rows")
	require.NoError(t, err)
	shaders.Override("norms_rows", []byte{1, 2, 3, 4}, "x")
	got, _ := shaders.SPIRV("norms_rows")
	assert.Equal(t, []byte{1, 2, 3, 4}, got)
	shaders.ClearOverrides()
	got, _ = shaders.SPIRV("norms_rows")
	assert.Equal(t, orig, got)
	_, err = shaders.Lookup("nope")
	assert.Error(t, err)
}
