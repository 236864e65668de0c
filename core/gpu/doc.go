// Package gpu runs exact search and k-means steps on a GPU through
// metalbridge, with the CPU code of package core as its reference: results
// agree with the CPU backend to float rounding (distances within 1e-5
// relative; ids equal except between near-equal distances).
//
// Search of a batch: the database sits on the device in chunks that fit the
// device's binding limit; for each batch of queries and each chunk, one
// kernel computes distance tiles and keeps per-query candidate lists
// (knn_topk_tiled, or kmeans_assign_tiled for k = 1), and topk_select_rows
// merges them. For k above 32 the tiles are written whole
// (knn_distances_tiled) and topk_select_rows selects from full rows.
package gpu
