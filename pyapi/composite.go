package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// IndexLSHNew makes an IndexLSH of nbits bits per vector.
func IndexLSHNew(d, nbits int64, rotate, trainThresholds bool, out uintptr) string {
	return newIndex("IndexLSH", out, func() (core.Index, error) {
		return core.NewIndexLSH(int(d), int(nbits), rotate, trainThresholds)
	})
}

// IndexLSHInfo writes nbits, rotate_data, train_thresholds and code_size
// to out (int64[4]) and, when thresholds is not 0, the nbits thresholds
// (float32[nbits], zeros while untrained) there.
func IndexLSHInfo(h int64, out, thresholds uintptr) string {
	const op = "IndexLSH.info"
	return withIndex(op, h, false, func(ix core.Index) error {
		l, ok := ix.(*core.IndexLSH)
		if !ok {
			return unsupported(op, ix)
		}
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2], dst[3] = int64(l.Nbits()), b2i(l.RotateData), b2i(l.TrainThresholds), int64(l.CodeSize())
		if thresholds != 0 {
			th, err := floats(thresholds, int64(l.Nbits()))
			if err != nil {
				return err
			}
			clear(th)
			copy(th, l.Thresholds)
		}
		return nil
	})
}

// IndexShardsNew makes an empty IndexShards of dimension d.
func IndexShardsNew(d int64, threaded, successiveIDs bool, out uintptr) string {
	return newIndex("IndexShards", out, func() (core.Index, error) {
		return core.NewIndexShards(int(d), core.MetricL2, threaded, successiveIDs)
	})
}

// IndexReplicasNew makes an empty IndexReplicas of dimension d.
func IndexReplicasNew(d int64, threaded bool, out uintptr) string {
	return newIndex("IndexReplicas", out, func() (core.Index, error) {
		return core.NewIndexReplicas(int(d), core.MetricL2, threaded)
	})
}

// IndexAddMember adds the index behind sub as a shard or a replica of the
// IndexShards / IndexReplicas behind h.
func IndexAddMember(h, sub int64) string {
	return memberOp("add_shard", h, sub, (*core.IndexShards).AddShard, (*core.IndexReplicas).AddReplica)
}

// memberOp runs shard or replica (by the set's kind) on the set behind h
// and the index behind sub, their families merged.
func memberOp(op string, h, sub int64, shard func(*core.IndexShards, core.Index) error,
	replica func(*core.IndexReplicas, core.Index) error) string {
	return joinFamily(op, h, sub, func(owner, part any) error {
		member, ok := part.(core.Index)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not an index", sub)
		}
		switch set := owner.(type) {
		case *core.IndexShards:
			return shard(set, member)
		case *core.IndexReplicas:
			return replica(set, member)
		}
		return core.Errorf(core.KindUnsupported, op, "not supported by %T", owner)
	})
}

// IndexRemoveMember takes the index behind sub out of the IndexShards /
// IndexReplicas behind h (the two keep sharing a lock family: harmless).
func IndexRemoveMember(h, sub int64) string {
	return memberOp("remove_shard", h, sub, (*core.IndexShards).RemoveShard, (*core.IndexReplicas).RemoveReplica)
}

// IndexRandomNew makes an IndexRandom of d dimensions claiming ntotal
// vectors, answering from seed.
func IndexRandomNew(d, ntotal, seed, metric int64, out uintptr) string {
	return newIndex("IndexRandom", out, func() (core.Index, error) {
		return core.NewIndexRandom(int(d), ntotal, seed, core.Metric(metric))
	})
}
