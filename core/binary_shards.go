package core

import "math"

// IndexBinaryShards spreads codes over binary sub-indexes and merges their
// answers (faiss's IndexBinaryShards), as IndexShards does for vectors: an
// add gives shard s the s-th of nshard contiguous slices, a search merges
// the k best by (distance, shard). With SuccessiveIDs shard s numbers its
// codes after the shards before it.
type IndexBinaryShards struct {
	d             int
	shards        []BinaryIndex
	SuccessiveIDs bool
}

// IndexBinaryReplicas keeps the same codes in every replica and gives each
// replica a contiguous slice of each batch of queries (faiss's
// IndexBinaryReplicas).
type IndexBinaryReplicas struct {
	d        int
	replicas []BinaryIndex
}

var (
	_ BinaryIndex = (*IndexBinaryShards)(nil)
	_ BinaryIndex = (*IndexBinaryReplicas)(nil)
)

// NewIndexBinaryShards makes an empty set of binary shards of d bits (0:
// the first shard's).
func NewIndexBinaryShards(d int, successiveIDs bool) (*IndexBinaryShards, error) {
	if d != 0 {
		if err := checkBinaryD("IndexBinaryShards", d); err != nil {
			return nil, err
		}
	}
	return &IndexBinaryShards{d: d, SuccessiveIDs: successiveIDs}, nil
}

// NewIndexBinaryReplicas makes an empty set of binary replicas of d bits
// (0: the first replica's).
func NewIndexBinaryReplicas(d int) (*IndexBinaryReplicas, error) {
	if d != 0 {
		if err := checkBinaryD("IndexBinaryReplicas", d); err != nil {
			return nil, err
		}
	}
	return &IndexBinaryReplicas{d: d}, nil
}

// joinBinary validates ix joining members of a set of d bits (0: taken
// from ix) and returns the set's d.
func joinBinary(op string, set BinaryIndex, d int, members []BinaryIndex, ix BinaryIndex) (int, error) {
	if ix == nil {
		return d, Errorf(KindInvalidArgument, op, "an index is required")
	}
	if containsBinary(ix, set) {
		return d, Errorf(KindInvalidArgument, op, "the index is this set or contains it: a set cannot hold itself")
	}
	for _, m := range members {
		if m == ix {
			return d, Errorf(KindInvalidArgument, op, "the index is already a member")
		}
	}
	if d == 0 && len(members) == 0 {
		d = ix.D()
	}
	if ix.D() != d {
		return d, Errorf(KindDimensionMismatch, op, "the index has d=%d bits, the set %d", ix.D(), d)
	}
	return d, nil
}

// containsBinary reports whether target is root or one of its parts, at
// any depth.
func containsBinary(root, target BinaryIndex) bool {
	if root == target {
		return true
	}
	var parts []BinaryIndex
	switch r := root.(type) {
	case *IndexBinaryShards:
		parts = r.shards
	case *IndexBinaryReplicas:
		parts = r.replicas
	case *IndexBinaryIDMap:
		parts = []BinaryIndex{r.Sub()}
	case *IndexBinaryIVF:
		parts = []BinaryIndex{r.Quantizer()}
	}
	for _, p := range parts {
		if p != nil && containsBinary(p, target) {
			return true
		}
	}
	return false
}

// dropMember returns members without ix, or an error naming op.
func dropMember(op string, members []BinaryIndex, ix BinaryIndex) ([]BinaryIndex, error) {
	for i, m := range members {
		if m == ix {
			return append(members[:i:i], members[i+1:]...), nil
		}
	}
	return members, Errorf(KindInvalidArgument, op, "the index is not a member")
}

// AddShard appends a binary sub-index of the same d.
func (s *IndexBinaryShards) AddShard(ix BinaryIndex) error {
	d, err := joinBinary("IndexBinaryShards.add_shard", s, s.d, s.shards, ix)
	if err == nil {
		s.d, s.shards = d, append(s.shards, ix)
	}
	return err
}

// RemoveShard takes a shard out of the set.
func (s *IndexBinaryShards) RemoveShard(ix BinaryIndex) (err error) {
	s.shards, err = dropMember("IndexBinaryShards.remove_shard", s.shards, ix)
	return err
}

// Shards returns the sub-indexes.
func (s *IndexBinaryShards) Shards() []BinaryIndex { return s.shards }

func (s *IndexBinaryShards) D() int        { return s.d }
func (s *IndexBinaryShards) CodeSize() int { return s.d / 8 }
func (s *IndexBinaryShards) Name() string  { return "IndexBinaryShards" }

// Ntotal sums the shards'.
func (s *IndexBinaryShards) Ntotal() int64 {
	var n int64
	for _, ix := range s.shards {
		n += ix.Ntotal()
	}
	return n
}

// IsTrained: every shard is.
func (s *IndexBinaryShards) IsTrained() bool {
	for _, ix := range s.shards {
		if !ix.IsTrained() {
			return false
		}
	}
	return true
}

func needMembers(op string, n int, kind string) error {
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "the index has no %ss: add one first", kind)
	}
	return nil
}

// Train trains every shard on x.
func (s *IndexBinaryShards) Train(x []byte) error {
	if err := needMembers("IndexBinaryShards.train", len(s.shards), "shard"); err != nil {
		return err
	}
	for _, ix := range s.shards {
		if err := ix.Train(x); err != nil {
			return err
		}
	}
	return nil
}

// Add gives each shard its slice of x (see IndexShards.Add).
func (s *IndexBinaryShards) Add(x []byte) error { return s.AddWithIDs(x, nil) }

// AddWithIDs gives each shard its slice of x with the matching ids.
func (s *IndexBinaryShards) AddWithIDs(x []byte, ids []int64) error {
	const op = "IndexBinaryShards.add"
	if err := needMembers(op, len(s.shards), "shard"); err != nil {
		return err
	}
	n, err := checkBinaryCodes(op, x, s.CodeSize(), s.d)
	if err != nil {
		return err
	}
	ids, err = shardIDs(op, s.SuccessiveIDs, ids, n, s.Ntotal())
	if err != nil {
		return err
	}
	cs, ns := s.CodeSize(), len(s.shards)
	for i, ix := range s.shards {
		i0, i1 := i*n/ns, (i+1)*n/ns
		if ids == nil {
			err = ix.Add(x[i0*cs : i1*cs])
		} else if a, ok := ix.(interface {
			AddWithIDs(x []byte, ids []int64) error
		}); ok {
			err = a.AddWithIDs(x[i0*cs:i1*cs], ids[i0:i1])
		} else {
			err = Errorf(KindUnsupported, op, "shard %d (%T) does not take ids: wrap it in IndexBinaryIDMap or use successive_ids", i, ix)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Search searches every shard and merges the k best, ties to the lower
// shard (faiss's merge).
func (s *IndexBinaryShards) Search(x []byte, k int, dist []int32, labels []int64) error {
	const op = "IndexBinaryShards.search"
	if err := needMembers(op, len(s.shards), "shard"); err != nil {
		return err
	}
	nq, err := checkBinaryCodes(op, x, s.CodeSize(), s.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	ns := len(s.shards)
	allD, allI := make([]int32, ns*nq*k), make([]int64, ns*nq*k)
	var shift int64
	for i, ix := range s.shards {
		l := allI[i*nq*k : (i+1)*nq*k]
		if err := ix.Search(x, k, allD[i*nq*k:(i+1)*nq*k], l); err != nil {
			return err
		}
		for j, id := range l {
			if id >= 0 {
				l[j] = id + shift
			}
		}
		if s.SuccessiveIDs {
			shift += ix.Ntotal()
		}
	}
	mergeShardResults(nq, k, ns, allD, allI, false, dist, labels, int32(math.MaxInt32))
	return nil
}

// Reset empties every shard.
func (s *IndexBinaryShards) Reset() {
	for _, ix := range s.shards {
		ix.Reset()
	}
}

// AddReplica appends a binary replica of the same d.
func (r *IndexBinaryReplicas) AddReplica(ix BinaryIndex) error {
	d, err := joinBinary("IndexBinaryReplicas.add_replica", r, r.d, r.replicas, ix)
	if err == nil {
		r.d, r.replicas = d, append(r.replicas, ix)
	}
	return err
}

// RemoveReplica takes a replica out of the set.
func (r *IndexBinaryReplicas) RemoveReplica(ix BinaryIndex) (err error) {
	r.replicas, err = dropMember("IndexBinaryReplicas.remove_replica", r.replicas, ix)
	return err
}

// Replicas returns the replicas.
func (r *IndexBinaryReplicas) Replicas() []BinaryIndex { return r.replicas }

func (r *IndexBinaryReplicas) D() int        { return r.d }
func (r *IndexBinaryReplicas) CodeSize() int { return r.d / 8 }
func (r *IndexBinaryReplicas) Name() string  { return "IndexBinaryReplicas" }

// Ntotal is the first replica's.
func (r *IndexBinaryReplicas) Ntotal() int64 {
	if len(r.replicas) == 0 {
		return 0
	}
	return r.replicas[0].Ntotal()
}

// IsTrained: every replica is.
func (r *IndexBinaryReplicas) IsTrained() bool {
	for _, ix := range r.replicas {
		if !ix.IsTrained() {
			return false
		}
	}
	return true
}

// each runs fn on every replica, stopping at the first error.
func (r *IndexBinaryReplicas) each(op string, fn func(ix BinaryIndex) error) error {
	if err := needMembers(op, len(r.replicas), "replica"); err != nil {
		return err
	}
	for _, ix := range r.replicas {
		if err := fn(ix); err != nil {
			return err
		}
	}
	return nil
}

// Train trains every replica on x.
func (r *IndexBinaryReplicas) Train(x []byte) error {
	return r.each("IndexBinaryReplicas.train", func(ix BinaryIndex) error { return ix.Train(x) })
}

// Add adds x to every replica.
func (r *IndexBinaryReplicas) Add(x []byte) error {
	const op = "IndexBinaryReplicas.add"
	if err := needMembers(op, len(r.replicas), "replica"); err != nil {
		return err
	}
	if _, err := checkBinaryCodes(op, x, r.CodeSize(), r.d); err != nil {
		return err
	}
	return r.each(op, func(ix BinaryIndex) error { return ix.Add(x) })
}

// Search gives replica i the i-th slice of the queries.
func (r *IndexBinaryReplicas) Search(x []byte, k int, dist []int32, labels []int64) error {
	const op = "IndexBinaryReplicas.search"
	if err := needMembers(op, len(r.replicas), "replica"); err != nil {
		return err
	}
	nq, err := checkBinaryCodes(op, x, r.CodeSize(), r.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	cs, nr := r.CodeSize(), len(r.replicas)
	for i, ix := range r.replicas {
		q0, q1 := i*nq/nr, (i+1)*nq/nr
		if q0 == q1 {
			continue
		}
		if err := ix.Search(x[q0*cs:q1*cs], k, dist[q0*k:q1*k], labels[q0*k:q1*k]); err != nil {
			return err
		}
	}
	return nil
}

// Reset empties every replica.
func (r *IndexBinaryReplicas) Reset() {
	for _, ix := range r.replicas {
		ix.Reset()
	}
}
