package core

// withoutMember returns members without ix (an error when it is not one).
func withoutMember(op string, members []Index, ix Index) ([]Index, error) {
	for i, m := range members {
		if m == ix {
			return append(members[:i:i], members[i+1:]...), nil
		}
	}
	return nil, Errorf(KindInvalidArgument, op, "the index is not a member of this set")
}

// RemoveShard takes a shard out of the set (its vectors leave the set's
// results; the shard itself is unchanged).
func (s *IndexShards) RemoveShard(ix Index) error {
	shards, err := withoutMember("IndexShards.remove_shard", s.shards, ix)
	if err == nil {
		s.shards = shards
	}
	return err
}

// RemoveReplica takes a replica out of the set.
func (r *IndexReplicas) RemoveReplica(ix Index) error {
	replicas, err := withoutMember("IndexReplicas.remove_replica", r.replicas, ix)
	if err == nil {
		r.replicas = replicas
	}
	return err
}
