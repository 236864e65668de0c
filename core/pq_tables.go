package core

// DistanceTables fills out (n x M x Ksub) with the table of each of the n
// vectors of x: squared L2 distances, or inner products, between each
// sub-vector and its sub-space's centroids (faiss's
// compute_distance_tables / compute_inner_prod_tables).
func (pq *ProductQuantizer) DistanceTables(x []float32, metric Metric, out []float32) error {
	const op = "ProductQuantizer.compute_distance_tables"
	n, err := checkBatch(op, x, pq.D)
	if err != nil {
		return err
	}
	if !pq.trained {
		return Errorf(KindNotTrained, op, "train the product quantizer first")
	}
	if metric != MetricL2 && metric != MetricInnerProduct {
		return Errorf(KindInvalidArgument, op, "tables are for L2 or inner product, not %s", metric)
	}
	size := pq.M * pq.Ksub
	if len(out) != n*size {
		return Errorf(KindDimensionMismatch, op, "the tables need %d floats, got %d", n*size, len(out))
	}
	parallelChunks(n, chunkFor(size*pq.Dsub), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			pq.distanceTable(x[i*pq.D:(i+1)*pq.D], metric, out[i*size:(i+1)*size])
		}
	})
	return nil
}

// SDCTable is the symmetric distance table (M x Ksub x Ksub): squared L2
// distances between the centroids of each sub-space, built once.
func (pq *ProductQuantizer) SDCTable() ([]float32, error) {
	if !pq.trained {
		return nil, Errorf(KindNotTrained, "ProductQuantizer.compute_sdc_table", "train the product quantizer first")
	}
	if pq.sdc == nil {
		pq.computeSDC()
	}
	return pq.sdc, nil
}
