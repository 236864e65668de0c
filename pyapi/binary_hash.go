package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexBinaryHashNew makes an IndexBinaryHash of d bits keyed by b bits.
func IndexBinaryHashNew(d, b int64, out uintptr) string {
	return newObject("IndexBinaryHash", out, func() (any, error) { return core.NewIndexBinaryHash(int(d), int(b)) })
}

// IndexBinaryMultiHashNew makes an IndexBinaryMultiHash of d bits with
// nhash maps keyed by b bits.
func IndexBinaryMultiHashNew(d, nhash, b int64, out uintptr) string {
	return newObject("IndexBinaryMultiHash", out, func() (any, error) {
		return core.NewIndexBinaryMultiHash(int(d), int(nhash), int(b))
	})
}

// BinaryHashParam sets nflip (when nflip >= 0) of a hash or multi-hash
// index and writes nflip, b and nhash (1 for IndexBinaryHash) and the
// number of buckets to out (int64[4]).
func BinaryHashParam(h, nflip int64, out uintptr) string {
	const op = "IndexBinaryHash.nflip"
	return withBinary(op, h, nflip >= 0, func(ix core.BinaryIndex) error {
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		if nflip > 1<<20 {
			return core.Errorf(core.KindInvalidArgument, op, "nflip must be in 0..%d, got %d", 1<<20, nflip)
		}
		switch t := ix.(type) {
		case *core.IndexBinaryHash:
			if nflip >= 0 {
				t.Nflip = int(nflip)
			}
			dst[0], dst[1], dst[2], dst[3] = int64(t.Nflip), int64(t.B()), 1, int64(t.HashtableSize())
		case *core.IndexBinaryMultiHash:
			if nflip >= 0 {
				t.Nflip = int(nflip)
			}
			dst[0], dst[1], dst[2], dst[3] = int64(t.Nflip), int64(t.B()), int64(t.Nhash()), int64(t.HashtableSize())
		default:
			return core.Errorf(core.KindUnsupported, op, "%T is not a binary hash index", ix)
		}
		return nil
	})
}

// BinaryHashStatsGet writes faiss's indexBinaryHash_stats: nq, n0, nlist,
// ndis to out (int64[4]).
func BinaryHashStatsGet(out uintptr) string {
	return guard("indexBinaryHash_stats", func() error {
		o, err := int64s(out, 4)
		if err != nil {
			return err
		}
		s := core.GetBinaryHashStats()
		o[0], o[1], o[2], o[3] = s.NQ, s.N0, s.NList, s.NDis
		return nil
	})
}

// BinaryHashStatsReset zeroes indexBinaryHash_stats.
func BinaryHashStatsReset() string {
	return guard("indexBinaryHash_stats.reset", func() error { core.ResetBinaryHashStats(); return nil })
}

// IndexBinaryFromFloatNew wraps the float index behind idx in an
// IndexBinaryFromFloat and writes its handle to out (int64[1]).
func IndexBinaryFromFloatNew(idx int64, out uintptr) string {
	const op = "IndexBinaryFromFloat"
	return newObjectOver(op, out, []int64{idx}, func() (any, error) {
		o, err := lookup(op, idx)
		if err != nil {
			return nil, err
		}
		inner, ok := o.val.(core.Index)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "expected a float index, got %T", o.val)
		}
		return core.NewIndexBinaryFromFloat(inner)
	})
}

// BinaryIVFSetClusteringIndex makes the float index behind idx the
// assigner of a binary IVF's training k-means (idx 0: the default flat L2).
func BinaryIVFSetClusteringIndex(h, idx int64) string {
	const op = "IndexBinaryIVF.clustering_index"
	if idx == 0 {
		return withBinary(op, h, true, func(ix core.BinaryIndex) error {
			ivf, ok := ix.(*core.IndexBinaryIVF)
			if !ok {
				return core.Errorf(core.KindUnsupported, op, "%T is not a binary IVF", ix)
			}
			ivf.ClusteringIndex = nil
			return nil
		})
	}
	return setPart(op, h, idx, func(ivf *core.IndexBinaryIVF, index core.Index) error {
		if index.D() != ivf.D() {
			return core.Errorf(core.KindDimensionMismatch, op, "the clustering index has d=%d, the codes %d bits", index.D(), ivf.D())
		}
		ivf.ClusteringIndex = index
		return nil
	})
}

// IndexBinaryShardsNew makes an empty IndexBinaryShards of d bits (0: the
// first shard's).
func IndexBinaryShardsNew(d int64, successiveIDs bool, out uintptr) string {
	return newObject("IndexBinaryShards", out, func() (any, error) { return core.NewIndexBinaryShards(int(d), successiveIDs) })
}

// IndexBinaryReplicasNew makes an empty IndexBinaryReplicas of d bits (0:
// the first replica's).
func IndexBinaryReplicasNew(d int64, out uintptr) string {
	return newObject("IndexBinaryReplicas", out, func() (any, error) { return core.NewIndexBinaryReplicas(int(d)) })
}

// BinaryMember adds (add) or removes the binary index behind sub as a
// shard or replica of the set behind h; their lock families merge.
func BinaryMember(h, sub int64, add bool) string {
	op := "IndexBinaryShards.add_shard"
	if !add {
		op = "IndexBinaryShards.remove_shard"
	}
	return joinFamily(op, h, sub, func(owner, part any) error {
		member, ok := part.(core.BinaryIndex)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a binary index", sub)
		}
		switch set := owner.(type) {
		case *core.IndexBinaryShards:
			if add {
				return set.AddShard(member)
			}
			return set.RemoveShard(member)
		case *core.IndexBinaryReplicas:
			if add {
				return set.AddReplica(member)
			}
			return set.RemoveReplica(member)
		}
		return core.Errorf(core.KindUnsupported, op, "not supported by %T", owner)
	})
}
