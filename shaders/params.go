package shaders

import (
	"bytes"
	"encoding/binary"
)

// The Go mirrors of the kernels' push-constant structs: same fields, same
// order, all 32-bit (a test checks them against the GLSL).

// KnnTiledParams drives knn_topk_tiled, kmeans_assign_tiled and
// knn_distances_tiled (src/knn_tiled.comp).
type KnnTiledParams struct {
	NQ, NB, D, K uint32
	Metric       uint32 // MetricIP or MetricL2
	Span         uint32
	IDBase       int32
	LdOut        uint32
}

// The metric codes of KnnTiledParams.Metric.
const (
	MetricIP = 0
	MetricL2 = 1
)

// TopkSelectParams drives topk_select_rows and topk_merge_small.
type TopkSelectParams struct {
	NRows, NCols, K, LdIn, LdOut, OutOffset uint32
	IDMode                                  uint32 // 0: id = IDBase + column; 1: ids from the ids buffer
	IDBase                                  int32
}

// IVFScanParams drives the IVF scans: ivf_flat_*, ivf_sq8_*, ivf_sqfp16_*
// (src/ivf_flat_scan.comp) and ivf_pq_distances / ivf_pq_topk
// (src/ivf_pq_scan.comp), where K holds the sub-quantizers M and NSel the
// results kept per probe.
type IVFScanParams struct {
	NQ, D, K uint32
	Metric   uint32 // MetricIP or MetricL2
	NTasks   uint32 // tasks TaskBase .. TaskBase+NTasks-1
	SlotBase uint32 // first slot's index in the work buffer
	LdOut    uint32
	RowBase  uint32 // the bound shard's first row
	TaskBase uint32
	Residual uint32 // IVF-SQ: 1 when codes are of residuals
	NSel     uint32 // ivf_pq_topk: results kept per probe
}

// NormsParams drives norms_rows.
type NormsParams struct{ N, D uint32 }

// KmeansPartialParams drives kmeans_partial_sums.
type KmeansPartialParams struct {
	N, D, K, RowsPerGroup uint32
	Weighted              uint32
}

// KmeansReduceParams drives kmeans_reduce_sums.
type KmeansReduceParams struct{ K, D, Groups uint32 }

// Bytes encodes a params struct as the kernel reads it (little-endian,
// packed 32-bit fields).
func Bytes(params any) []byte {
	var b bytes.Buffer
	if err := binary.Write(&b, binary.LittleEndian, params); err != nil {
		panic(err) // only fixed-size structs above reach here
	}
	return b.Bytes()
}
