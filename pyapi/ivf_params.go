package pyapi

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core"
)

// ivfParamsLen is the size of the int64 block ivfParams reads.
const ivfParamsLen = 12

// ivfParams decodes faiss's SearchParametersIVF from ivf (int64[12]):
// nprobe, max_codes, ensure_topk_full, max_lists_num,
// max_empty_result_buckets, then the quantizer's parameters: kind (0 none,
// 1 IVF: nprobe, 2 HNSW: efSearch, check_relative_distance, bounded_queue,
// 3 residual coarse quantizer: beam_factor's float64 bits)
// and its three values, then IVFPQSearchParameters' polysemous_ht (-1:
// the index's), then IVFRaBitQSearchParameters' qb (-1: none given) and
// centered.
func ivfParams(ivf uintptr) (*core.SearchParams, error) {
	v, err := int64s(ivf, ivfParamsLen)
	if err != nil {
		return nil, err
	}
	p := &core.SearchParams{Nprobe: int(v[0]), IVF: core.IVFLimits{
		MaxCodes: int(v[1]), EnsureTopKFull: v[2] != 0, MaxListsNum: int(v[3]), MaxEmptyResultBuckets: int(v[4]),
	}}
	switch v[5] {
	case 1:
		p.Quantizer = &core.SearchParams{Nprobe: int(v[6])}
	case 2:
		p.Quantizer = &core.SearchParams{HNSW: &core.HNSWSearchParams{EfSearch: int(v[6]), CheckRelativeDistance: v[7] != 0, BoundedQueue: v[8] != 0}}
	case 3: // a residual coarse quantizer's beam factor, as float64 bits
		b := float32(math.Float64frombits(uint64(v[6])))
		p.Quantizer = &core.SearchParams{BeamFactor: &b}
	}
	if v[9] >= 0 {
		p.PQ = &core.PQSearchParams{PolysemousHT: int(min(v[9], 1<<20))}
	}
	if v[10] >= 0 {
		p.RaBitQ = &core.RaBitQParams{Qb: int(min(v[10], 1<<20)), Centered: v[11] != 0}
	}
	return p, nil
}

// IndexSearchIVF is IndexSearchWith with all of SearchParametersIVF
// (ivf: see ivfParams).
func IndexSearchIVF(h, n int64, x uintptr, k int64, dist, labels uintptr, sel uintptr, nsel int64, ivf uintptr) string {
	return paramSearch(h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) { return ivfParams(ivf) })
}

// IndexRangeSearchIVF is IndexRangeSearchWith with all of
// SearchParametersIVF (ivf: see ivfParams).
func IndexRangeSearchIVF(h, n int64, x uintptr, radius float64, sel uintptr, nsel int64, ivf uintptr, out uintptr) string {
	return paramRangeSearch(h, n, x, radius, sel, nsel, out, func() (*core.SearchParams, error) { return ivfParams(ivf) })
}
