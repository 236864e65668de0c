package shaders

import (
	"embed"
	"fmt"
)

// Kernel describes one compiled kernel: the GLSL file it comes from, the
// preprocessor definitions of its variant, and what a dispatch must bind.
type Kernel struct {
	Name    string   // entry point and file stem, snake_case with its variant
	Source  string   // file under src/
	Defines []string // -D flags for the variant
	Buffers int      // storage buffers, at bindings 1..Buffers
	Params  any      // zero value of the Go mirror of the params struct
}

// WorkgroupSize is the local size of every kernel.
const WorkgroupSize = 256

// Kernels lists every kernel; the generator and the drivers read it.
var Kernels = []Kernel{
	{Name: "knn_topk_tiled", Source: "knn_tiled.comp", Defines: []string{"KSEL=32"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "kmeans_assign_tiled", Source: "knn_tiled.comp", Defines: []string{"KSEL=1"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "knn_distances_tiled", Source: "knn_tiled.comp", Defines: []string{"KSEL=0"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "knn_filter_tiled", Source: "knn_tiled.comp", Defines: []string{"KSEL=0", "FILTER"}, Buffers: 8, Params: KnnTiledParams{}},
	{Name: "topk_select_rows", Source: "topk_select_rows.comp", Buffers: 4, Params: TopkSelectParams{}},
	{Name: "topk_select_counted", Source: "topk_select_rows.comp", Defines: []string{"ROWLEN"}, Buffers: 5, Params: TopkSelectParams{}},
	{Name: "topk_merge_small", Source: "topk_merge_small.comp", Buffers: 4, Params: TopkSelectParams{}},
	{Name: "ivf_flat_topk", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=32"}, Buffers: 5, Params: IVFScanParams{}},
	{Name: "ivf_flat_distances", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=0"}, Buffers: 5, Params: IVFScanParams{}},
	{Name: "knn_topk_tiled_f16", Source: "knn_tiled.comp", Defines: []string{"KSEL=32", "FP16"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "kmeans_assign_tiled_f16", Source: "knn_tiled.comp", Defines: []string{"KSEL=1", "FP16"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "knn_distances_tiled_f16", Source: "knn_tiled.comp", Defines: []string{"KSEL=0", "FP16"}, Buffers: 6, Params: KnnTiledParams{}},
	{Name: "knn_filter_tiled_f16", Source: "knn_tiled.comp", Defines: []string{"KSEL=0", "FILTER", "FP16"}, Buffers: 8, Params: KnnTiledParams{}},
	{Name: "ivf_flat_topk_f16", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=32", "FP16"}, Buffers: 5, Params: IVFScanParams{}},
	{Name: "ivf_flat_distances_f16", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=0", "FP16"}, Buffers: 5, Params: IVFScanParams{}},
	{Name: "ivf_sq8_topk", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=32", "SQ", "SQ8"}, Buffers: 7, Params: IVFScanParams{}},
	{Name: "ivf_sq8_distances", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=0", "SQ", "SQ8"}, Buffers: 7, Params: IVFScanParams{}},
	{Name: "ivf_sqfp16_topk", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=32", "SQ", "FP16"}, Buffers: 7, Params: IVFScanParams{}},
	{Name: "ivf_sqfp16_distances", Source: "ivf_flat_scan.comp", Defines: []string{"KSEL=0", "SQ", "FP16"}, Buffers: 7, Params: IVFScanParams{}},
	{Name: "ivf_pq_distances", Source: "ivf_pq_scan.comp", Defines: []string{"KSEL=0"}, Buffers: 7, Params: IVFScanParams{}},
	{Name: "ivf_pq_topk", Source: "ivf_pq_scan.comp", Defines: []string{"KSEL=32"}, Buffers: 8, Params: IVFScanParams{}},
	{Name: "norms_rows", Source: "norms_rows.comp", Buffers: 2, Params: NormsParams{}},
	{Name: "kmeans_partial_sums", Source: "kmeans_partial_sums.comp", Buffers: 5, Params: KmeansPartialParams{}},
	{Name: "kmeans_reduce_sums", Source: "kmeans_reduce_sums.comp", Buffers: 4, Params: KmeansReduceParams{}},
}

//go:embed spirv/*.spv metal/*.metal
var generated embed.FS

// Lookup returns the kernel called name.
func Lookup(name string) (Kernel, error) {
	for _, k := range Kernels {
		if k.Name == name {
			return k, nil
		}
	}
	return Kernel{}, fmt.Errorf("no GPU kernel called %q", name)
}

// SPIRV returns the kernel's SPIR-V module, or the override set for tests.
func SPIRV(name string) ([]byte, error) {
	if o, ok := override(name); ok {
		return o.spirv, nil
	}
	return generated.ReadFile("spirv/" + name + ".spv")
}

// MSL returns the kernel's Metal Shading Language source, or the override
// set for tests.
func MSL(name string) (string, error) {
	if o, ok := override(name); ok {
		return o.msl, nil
	}
	b, err := generated.ReadFile("metal/" + name + ".metal")
	return string(b), err
}
