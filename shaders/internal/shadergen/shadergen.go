// Package shadergen compiles the GLSL kernels of package shaders to SPIR-V
// and Metal Shading Language with Debian's glslang-tools and spirv-cross.
// `make shaders` runs it through cmd/shadergen, and the staleness test runs
// it into a temporary folder to compare with what is committed.
package shadergen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/metalfaiss/metalfaiss/shaders"
)

// Tools are the programs Generate runs.
var Tools = []string{"glslangValidator", "spirv-cross"}

// ManifestName is the file that records what the outputs were built from.
const ManifestName = "SOURCES.sha256"

// ToolsAvailable reports whether every tool is on PATH.
func ToolsAvailable() bool {
	for _, t := range Tools {
		if _, err := exec.LookPath(t); err != nil {
			return false
		}
	}
	return true
}

// Generate compiles every kernel of srcDir into outDir/spirv and
// outDir/metal and writes the manifest.
func Generate(srcDir, outDir string) error {
	for _, sub := range []string{"spirv", "metal"} {
		if err := os.MkdirAll(filepath.Join(outDir, sub), 0o755); err != nil {
			return err
		}
	}
	for _, k := range shaders.Kernels {
		spv := filepath.Join(outDir, "spirv", k.Name+".spv")
		args := []string{"-V", "--target-env", "vulkan1.1", "-S", "comp"}
		for _, d := range k.Defines {
			args = append(args, "-D"+d)
		}
		args = append(args, filepath.Join(srcDir, k.Source), "-o", spv)
		if err := run("glslangValidator", args...); err != nil {
			return fmt.Errorf("%s: %w", k.Name, err)
		}
		// Binding n becomes buffer n, so buffer 0 stays free for the params.
		if err := run("spirv-cross", "--msl", "--msl-version", "20100", "--msl-decoration-binding",
			"--rename-entry-point", "main", k.Name, "comp",
			spv, "--output", filepath.Join(outDir, "metal", k.Name+".metal")); err != nil {
			return fmt.Errorf("%s: %w", k.Name, err)
		}
	}
	manifest, err := Manifest(srcDir)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, ManifestName), []byte(manifest), 0o644)
}

// Manifest is one line per kernel: a hash of its name, its definitions and
// every source file (kernels include shared files), then its name.
func Manifest(srcDir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(srcDir, "*"))
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
		h.Write(b)
	}
	sources := h.Sum(nil)
	var out strings.Builder
	for _, k := range shaders.Kernels {
		kh := sha256.New()
		kh.Write(sources)
		fmt.Fprintf(kh, "%s %s %v", k.Name, k.Source, k.Defines)
		fmt.Fprintf(&out, "%s  %s\n", hex.EncodeToString(kh.Sum(nil)), k.Name)
	}
	return out.String(), nil
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}
