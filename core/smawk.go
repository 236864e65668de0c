package core

// Smawk finds the leftmost minimum of every row of a totally monotone
// matrix (the columns of the row minima never decrease down the rows) in
// O(nrows + ncols) evaluations of at (faiss's smawk, after Aggarwal,
// Klawe, Moran, Shor and Wilber). at(i, j) is the entry of row i, column
// j; argmins receives nrows column numbers.
func Smawk(nrows, ncols int, at func(i, j int) float64, argmins []int64) {
	if nrows == 0 || ncols == 0 {
		return
	}
	rows := make([]int, nrows)
	for i := range rows {
		rows[i] = i
	}
	cols := make([]int, ncols)
	for j := range cols {
		cols[j] = j
	}
	smawkRows(rows, cols, at, argmins)
}

func smawkRows(rows, cols []int, at func(i, j int) float64, argmins []int64) {
	// Reduce: keep at most len(rows) columns that can hold a row minimum.
	// A column leaves when a later one is strictly smaller in the row that
	// its stack depth stands for, so that ties keep the leftmost.
	kept := make([]int, 0, len(rows))
	for _, c := range cols {
		for len(kept) > 0 && at(rows[len(kept)-1], kept[len(kept)-1]) > at(rows[len(kept)-1], c) {
			kept = kept[:len(kept)-1]
		}
		if len(kept) < len(rows) {
			kept = append(kept, c)
		}
	}
	if len(rows) > 1 {
		odd := make([]int, 0, len(rows)/2)
		for i := 1; i < len(rows); i += 2 {
			odd = append(odd, rows[i])
		}
		smawkRows(odd, kept, at, argmins)
	}
	// The even rows: each minimum lies between its neighbours' columns.
	j := 0
	for i := 0; i < len(rows); i += 2 {
		r := rows[i]
		last := kept[len(kept)-1]
		if i+1 < len(rows) {
			last = int(argmins[rows[i+1]])
		}
		best, bv := kept[j], at(r, kept[j])
		for kept[j] != last {
			j++
			if v := at(r, kept[j]); v < bv {
				best, bv = kept[j], v
			}
		}
		argmins[r] = int64(best)
	}
}
