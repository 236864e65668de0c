package core

import "sync"

// IndexShards spreads vectors over sub-indexes and merges their answers
// (faiss's IndexShards): an add of n vectors gives shard s the s-th of
// nshard contiguous slices; a search asks every shard and merges the k
// best, ordered by distance and then by shard, as faiss's
// merge_knn_results does. With SuccessiveIDs the ids of shard s are
// shifted by the sizes of the shards before it, so that they read as one
// index's 0..ntotal-1. Shards may be any indexes of the same dimension and
// metric, CPU or GPU.
type IndexShards struct {
	d             int
	metric        Metric
	shards        []Index
	SuccessiveIDs bool
	// Threaded runs the shards on their own goroutines.
	Threaded bool
}

var (
	_ Index         = (*IndexShards)(nil)
	_ ParamSearcher = (*IndexShards)(nil)
)

// NewIndexShards makes an empty set of shards of dimension d.
func NewIndexShards(d int, metric Metric, threaded, successiveIDs bool) (*IndexShards, error) {
	if d < 0 {
		return nil, Errorf(KindInvalidArgument, "IndexShards", "d must be positive (0: the first shard's), got %d", d)
	}
	return &IndexShards{d: d, metric: metric, Threaded: threaded, SuccessiveIDs: successiveIDs}, nil
}

// AddShard appends a sub-index of the same dimension and metric.
func (s *IndexShards) AddShard(ix Index) error {
	if s.d == 0 && ix != nil && len(s.shards) == 0 {
		s.d = ix.D() // made without d, as faiss's IndexShards(threaded, successive_ids)
	}
	if err := checkMember("IndexShards.add_shard", s, s.d, s.metric, s.shards, ix); err != nil {
		return err
	}
	if len(s.shards) == 0 {
		s.metric = ix.Metric() // the set takes its first member's metric, as faiss's
	}
	s.shards = append(s.shards, ix)
	return nil
}

// checkMember validates a shard or replica joining members.
func checkMember(op string, set Index, d int, metric Metric, members []Index, ix Index) error {
	if ix == nil {
		return Errorf(KindInvalidArgument, op, "an index is required")
	}
	if Contains(ix, set) {
		return Errorf(KindInvalidArgument, op, "the index is this set or contains it: a set cannot hold itself")
	}
	if ix.D() != d || len(members) > 0 && ix.Metric() != metric {
		return Errorf(KindDimensionMismatch, op, "the index has d=%d and metric %s, the set d=%d and metric %s", ix.D(), ix.Metric(), d, metric)
	}
	for _, m := range members {
		if m == ix {
			return Errorf(KindInvalidArgument, op, "the index is already a member")
		}
	}
	return nil
}

// Shards returns the sub-indexes.
func (s *IndexShards) Shards() []Index { return s.shards }

func (s *IndexShards) D() int             { return s.d }
func (s *IndexShards) Metric() Metric     { return s.metric }
func (s *IndexShards) MetricArg() float32 { return 0 }

// Ntotal is the sum of the shards'.
func (s *IndexShards) Ntotal() int64 {
	var n int64
	for _, ix := range s.shards {
		n += ix.Ntotal()
	}
	return n
}

// IsTrained: every shard is trained (and there is one).
func (s *IndexShards) IsTrained() bool { return membersTrained(s.shards) }

func membersTrained(members []Index) bool {
	for _, ix := range members {
		if !ix.IsTrained() {
			return false
		}
	}
	return len(members) > 0
}

// each runs fn on every member, concurrently when threaded, and returns
// the first error.
func each(members []Index, threaded bool, fn func(i int, ix Index) error) error {
	errs := make([]error, len(members))
	if threaded && len(members) > 1 {
		var wg sync.WaitGroup
		for i, ix := range members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						errs[i] = Errorf(KindInternal, "IndexShards", "member %d failed: internal error: %v", i, r)
					}
				}()
				errs[i] = fn(i, ix)
			}()
		}
		wg.Wait()
	} else {
		for i, ix := range members {
			errs[i] = fn(i, ix)
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Train trains every shard on all of x.
func (s *IndexShards) Train(x []float32) error {
	if err := s.needShards("IndexShards.train"); err != nil {
		return err
	}
	return each(s.shards, s.Threaded, func(_ int, ix Index) error { return ix.Train(x) })
}

func (s *IndexShards) needShards(op string) error {
	if len(s.shards) == 0 {
		return Errorf(KindInvalidArgument, op, "the index has no shards: add_shard first")
	}
	return nil
}

// Add gives each shard its slice of x. With SuccessiveIDs this works once,
// on empty shards (as in faiss); otherwise shards need ids, numbered from
// ntotal.
func (s *IndexShards) Add(x []float32) error {
	return s.AddWithIDs(x, nil)
}

// AddWithIDs gives each shard its slice of x with the matching ids.
func (s *IndexShards) AddWithIDs(x []float32, ids []int64) error {
	const op = "IndexShards.add"
	n, err := checkBatch(op, x, s.d)
	if err != nil {
		return err
	}
	if err := s.needShards(op); err != nil {
		return err
	}
	ids, err = shardIDs(op, s.SuccessiveIDs, ids, n, s.Ntotal())
	if err != nil {
		return err
	}
	ns := len(s.shards)
	return each(s.shards, s.Threaded, func(i int, ix Index) error {
		i0, i1 := i*n/ns, (i+1)*n/ns
		if ids == nil {
			return ix.Add(x[i0*s.d : i1*s.d])
		}
		a, ok := ix.(interface {
			AddWithIDs(x []float32, ids []int64) error
		})
		if !ok {
			return Errorf(KindUnsupported, op, "shard %d (%T) does not take ids: wrap it in IndexIDMap or use successive_ids", i, ix)
		}
		return a.AddWithIDs(x[i0*s.d:i1*s.d], ids[i0:i1])
	})
}

// Search implements Index.
func (s *IndexShards) Search(x []float32, k int, dist []float32, labels []int64) error {
	return s.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams searches every shard (passing p on) and merges.
func (s *IndexShards) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexShards.search"
	nq, err := checkBatch(op, x, s.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if err := s.needShards(op); err != nil {
		return err
	}
	ns := len(s.shards)
	allD, allI := make([]float32, ns*nq*k), make([]int64, ns*nq*k)
	shift := make([]int64, ns)
	for i := 1; i < ns && s.SuccessiveIDs; i++ {
		shift[i] = shift[i-1] + s.shards[i-1].Ntotal()
	}
	err = each(s.shards, s.Threaded, func(i int, ix Index) error {
		d, l := allD[i*nq*k:(i+1)*nq*k], allI[i*nq*k:(i+1)*nq*k]
		var err error
		if ps, ok := ix.(ParamSearcher); ok {
			err = ps.SearchWithParams(x, k, d, l, p)
		} else if p != nil {
			err = Errorf(KindUnsupported, op, "shard %d (%T) takes no search parameters", i, ix)
		} else {
			err = ix.Search(x, k, d, l)
		}
		for j, id := range l {
			if id >= 0 {
				l[j] = id + shift[i]
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	missing := float32(maxFloat)
	if s.metric.IsSimilarity() {
		missing = -maxFloat
	}
	mergeShardResults(nq, k, ns, allD, allI, s.metric.IsSimilarity(), dist, labels, missing)
	return nil
}

// shardIDs checks the ids of an add of n entries to shards holding ntotal
// and returns the ids to give them: nil with successive ids (allowed once,
// on empty shards, without ids), else ids or ntotal, ntotal+1, ...
func shardIDs(op string, successive bool, ids []int64, n int, ntotal int64) ([]int64, error) {
	if ids != nil && len(ids) != n {
		return nil, Errorf(KindDimensionMismatch, op, "%d ids for %d entries", len(ids), n)
	}
	if successive {
		if ids != nil {
			return nil, Errorf(KindInvalidArgument, op, "it makes no sense to pass ids and ask for them to be shifted (successive_ids)")
		}
		if ntotal != 0 {
			return nil, Errorf(KindInvalidArgument, op, "with successive_ids, add() works in a single pass on empty shards")
		}
		return nil, nil
	}
	if ids == nil {
		ids = make([]int64, n)
		for i := range ids {
			ids[i] = ntotal + int64(i)
		}
	}
	return ids, nil
}

// mergeShardResults merges the ns result tables (each nq x k, best first)
// into one, as faiss's merge_knn_results: the best head among the shards
// comes next; equal distances go to the lower shard for distances and to
// the higher shard for similarities (faiss's heap comparisons). Missing
// results are (missing, -1).
func mergeShardResults[T float32 | int32](nq, k, ns int, allD []T, allI []int64, similarity bool, dist []T, labels []int64, missing T) {
	pos := make([]int, ns)
	for q := 0; q < nq; q++ {
		clear(pos)
		for j := 0; j < k; j++ {
			best := -1
			var bd T
			for s := 0; s < ns; s++ {
				p := pos[s]
				if p >= k || allI[(s*nq+q)*k+p] < 0 {
					continue
				}
				d := allD[(s*nq+q)*k+p]
				better := best < 0 || (!similarity && (d < bd || d == bd && s < best)) ||
					(similarity && (d > bd || d == bd && s > best))
				if better {
					best, bd = s, d
				}
			}
			if best < 0 {
				dist[q*k+j], labels[q*k+j] = missing, -1
				continue
			}
			dist[q*k+j], labels[q*k+j] = bd, allI[(best*nq+q)*k+pos[best]]
			pos[best]++
		}
	}
}

// Reset empties every shard.
func (s *IndexShards) Reset() {
	for _, ix := range s.shards {
		ix.Reset()
	}
}

// IndexReplicas keeps the same vectors in every replica and splits each
// batch of queries between them (faiss's IndexReplicas): replica r answers
// the r-th of nreplica contiguous slices of the queries, so the results
// are one index's. Replicas may sit on different backends.
type IndexReplicas struct {
	d        int
	metric   Metric
	replicas []Index
	Threaded bool
}

var (
	_ Index         = (*IndexReplicas)(nil)
	_ ParamSearcher = (*IndexReplicas)(nil)
)

// NewIndexReplicas makes an empty set of replicas of dimension d.
func NewIndexReplicas(d int, metric Metric, threaded bool) (*IndexReplicas, error) {
	if d < 0 {
		return nil, Errorf(KindInvalidArgument, "IndexReplicas", "d must be positive (0: the first replica's), got %d", d)
	}
	return &IndexReplicas{d: d, metric: metric, Threaded: threaded}, nil
}

// AddReplica appends a replica, which must hold what the others hold.
func (r *IndexReplicas) AddReplica(ix Index) error {
	const op = "IndexReplicas.add_replica"
	if r.d == 0 && ix != nil && len(r.replicas) == 0 {
		r.d = ix.D()
	}
	if err := checkMember(op, r, r.d, r.metric, r.replicas, ix); err != nil {
		return err
	}
	if len(r.replicas) > 0 && ix.Ntotal() != r.replicas[0].Ntotal() {
		return Errorf(KindInvalidArgument, op, "the replica holds %d vectors, the others %d", ix.Ntotal(), r.replicas[0].Ntotal())
	}
	if len(r.replicas) == 0 {
		r.metric = ix.Metric()
	}
	r.replicas = append(r.replicas, ix)
	return nil
}

// Replicas returns the replicas.
func (r *IndexReplicas) Replicas() []Index { return r.replicas }

func (r *IndexReplicas) D() int             { return r.d }
func (r *IndexReplicas) Metric() Metric     { return r.metric }
func (r *IndexReplicas) MetricArg() float32 { return 0 }
func (r *IndexReplicas) IsTrained() bool    { return membersTrained(r.replicas) }

// Ntotal is any replica's.
func (r *IndexReplicas) Ntotal() int64 {
	if len(r.replicas) == 0 {
		return 0
	}
	return r.replicas[0].Ntotal()
}

func (r *IndexReplicas) need(op string) error {
	if len(r.replicas) == 0 {
		return Errorf(KindInvalidArgument, op, "the index has no replicas: add_replica first")
	}
	return nil
}

// Train trains every replica.
func (r *IndexReplicas) Train(x []float32) error {
	if err := r.need("IndexReplicas.train"); err != nil {
		return err
	}
	return each(r.replicas, r.Threaded, func(_ int, ix Index) error { return ix.Train(x) })
}

// Add adds x to every replica.
func (r *IndexReplicas) Add(x []float32) error {
	if err := r.need("IndexReplicas.add"); err != nil {
		return err
	}
	if _, err := checkBatch("IndexReplicas.add", x, r.d); err != nil {
		return err
	}
	return each(r.replicas, r.Threaded, func(_ int, ix Index) error { return ix.Add(x) })
}

// Search implements Index.
func (r *IndexReplicas) Search(x []float32, k int, dist []float32, labels []int64) error {
	return r.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams gives replica i the i-th slice of the queries.
func (r *IndexReplicas) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexReplicas.search"
	nq, err := checkBatch(op, x, r.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if err := r.need(op); err != nil {
		return err
	}
	nr := len(r.replicas)
	return each(r.replicas, r.Threaded, func(i int, ix Index) error {
		q0, q1 := i*nq/nr, (i+1)*nq/nr
		if q0 == q1 {
			return nil
		}
		xs, d, l := x[q0*r.d:q1*r.d], dist[q0*k:q1*k], labels[q0*k:q1*k]
		if ps, ok := ix.(ParamSearcher); ok {
			return ps.SearchWithParams(xs, k, d, l, p)
		}
		if p != nil {
			return Errorf(KindUnsupported, op, "replica %d (%T) takes no search parameters", i, ix)
		}
		return ix.Search(xs, k, d, l)
	})
}

// Reset empties every replica.
func (r *IndexReplicas) Reset() {
	for _, ix := range r.replicas {
		ix.Reset()
	}
}

// Name is the faiss class this type is read and written as.
func (s *IndexShards) Name() string { return "IndexShards" }

// Name is the faiss class this type is read and written as.
func (r *IndexReplicas) Name() string { return "IndexReplicas" }

// Members implements Composite.
func (s *IndexShards) Members() []Index { return s.shards }

// Members implements Composite.
func (r *IndexReplicas) Members() []Index { return r.replicas }
