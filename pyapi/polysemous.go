package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// polysemousLen is the size of the float64 block of PolysemousTraining
// fields: optimization_type, ntrain_permutation, dis_weight_factor,
// max_memory, init_temperature, temperature_decay, n_iter, n_redo, seed,
// only_bit_flips, init_random.
const polysemousLen = 11

// PQSetPolysemous sets do_polysemous_training (train) and the
// PolysemousTraining fields at params (float64[11]) of an IndexPQ or
// IndexIVFPQ.
func PQSetPolysemous(h int64, train bool, params uintptr) string {
	const op = "IndexPQ.polysemous_training"
	return withIndex(op, h, true, func(ix core.Index) error {
		v, err := float64s(params, polysemousLen)
		if err != nil {
			return err
		}
		for i, lim := range []float64{0, 1 << 40, 0, 1 << 62, 0, 0, 1 << 40, 1 << 20} {
			if lim > 0 && !(v[i] >= 0 && v[i] <= lim) {
				return core.Errorf(core.KindInvalidArgument, op, "field %d is %v: must be in 0..%v", i, v[i], lim)
			}
		}
		pt := core.PolysemousTraining{OptimizationType: int(v[0]), NtrainPermutation: int(v[1]), DisWeightFactor: v[2],
			MaxMemory: int64(v[3]), InitTemperature: v[4], TemperatureDecay: v[5], NIter: int(v[6]), NRedo: int(v[7]),
			Seed: int(int64(v[8])), OnlyBitFlips: v[9] != 0, InitRandom: v[10] != 0}
		switch t := hostOf(ix).(type) {
		case *core.IndexPQ:
			t.DoPolysemousTraining, t.Polysemous = train, pt
		case *core.IndexIVF:
			if t.PQ() == nil {
				return core.Errorf(core.KindUnsupported, op, "%s has no product quantizer", t.Name())
			}
			t.DoPolysemousTraining, t.Polysemous = train, pt
		default:
			return core.Errorf(core.KindUnsupported, op, "%T has no polysemous training", ix)
		}
		return nil
	})
}

// PQSearchSettings sets (values >= 0) and writes to out (int64[2]) the
// search_type and polysemous_ht of an IndexPQ, or polysemous_ht of an
// IndexIVFPQ (search_type reads 0).
func PQSearchSettings(h, searchType, ht int64, out uintptr) string {
	const op = "IndexPQ.search_type"
	return withIndex(op, h, searchType >= 0 || ht >= 0, func(ix core.Index) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		if ht > 1<<20 || searchType > 5 {
			return core.Errorf(core.KindInvalidArgument, op, "search_type must be 0..5 and polysemous_ht at most %d, got %d and %d", 1<<20, searchType, ht)
		}
		switch t := hostOf(ix).(type) {
		case *core.IndexPQ:
			if searchType >= 0 {
				t.SearchType = core.PQSearchType(searchType)
			}
			if ht >= 0 {
				t.PolysemousHT = int(ht)
			}
			dst[0], dst[1] = int64(t.SearchType), int64(t.PolysemousHT)
		case *core.IndexIVF:
			if t.PQ() == nil || searchType > 0 {
				return core.Errorf(core.KindUnsupported, op, "%s has no search type and no polysemous_ht", t.Name())
			}
			if ht >= 0 {
				t.PolysemousHT = int(ht)
			}
			dst[0], dst[1] = 0, int64(t.PolysemousHT)
		default:
			return core.Errorf(core.KindUnsupported, op, "%T has no search type", ix)
		}
		return nil
	})
}

// IndexSearchPQ searches an IndexPQ with faiss's SearchParametersPQ:
// searchType, ht and a selector program.
func IndexSearchPQ(h, n int64, x uintptr, k int64, dist, labels uintptr, searchType, ht int64, sel uintptr, nsel int64) string {
	return paramSearch(h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		if searchType < 0 || searchType > 5 || ht < 0 || ht > 1<<20 {
			return nil, core.Errorf(core.KindInvalidArgument, "SearchParametersPQ", "search_type must be 0..5 and polysemous_ht 0..%d, got %d and %d", 1<<20, searchType, ht)
		}
		return &core.SearchParams{PQ: &core.PQSearchParams{SearchType: core.PQSearchType(searchType), PolysemousHT: int(ht)}}, nil
	})
}

// PQStatsGet writes faiss's indexPQ_stats: nq, ncode, n_hamming_pass to
// out (int64[3]).
func PQStatsGet(out uintptr) string {
	return guard("indexPQ_stats", func() error {
		o, err := int64s(out, 3)
		if err != nil {
			return err
		}
		s := core.GetPQStats()
		o[0], o[1], o[2] = s.NQ, s.NCode, s.NHammingPass
		return nil
	})
}

// PQStatsReset zeroes indexPQ_stats.
func PQStatsReset() string {
	return guard("indexPQ_stats.reset", func() error { core.ResetPQStats(); return nil })
}
