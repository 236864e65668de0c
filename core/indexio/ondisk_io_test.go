package indexio

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalfaiss/metalfaiss/core"
)

// writeListsFile lays out the lists of ivf as faiss's OnDiskInvertedLists
// do after a merge (capacity = size, one after the other; faiss reads
// these files, as the Python tests check) and describes it.
func writeListsFile(t *testing.T, ivf *core.IndexIVF, path string) *core.OnDiskLists {
	od, err := rewriteOnDisk(ivf, path)
	require.NoError(t, err)
	return od
}

func TestOnDiskListsRoundTripAndAChangeRewritesTheFile(t *testing.T) {
	for _, ix := range codedIndexes(t) {
		ivf, ok := ix.(*core.IndexIVF)
		if !ok || ivf.Ntotal() == 0 || ivf.FastScan() != nil {
			continue
		}
		dir := t.TempDir()
		od := writeListsFile(t, ivf, filepath.Join(dir, "lists.ivfdata"))
		back, err := Read(mustWrite(t, ivf))
		require.NoError(t, err)
		bivf := back.(*core.IndexIVF)
		ids, vecs, codes, keep, err := LoadOnDisk(od, listCodeSize(bivf), !bivf.Coded(), "")
		require.NoError(t, err)
		require.NoError(t, bivf.ReplaceLists(od, ids, vecs, codes, keep))
		ref := mustWrite(t, bivf)
		path := filepath.Join(dir, "index.faiss")
		require.NoError(t, os.WriteFile(path, ref, 0o644))
		again, err := ReadFile(path, false)
		require.NoError(t, err)
		aivf := again.(*core.IndexIVF)
		require.NotNil(t, aivf.OnDiskFile())
		assert.Equal(t, ref, mustWrite(t, again), "%s: still a reference", ivf.Name())
		for l := 0; l < ivf.Nlist(); l++ {
			wantIDs, wantVecs, wantCodes := ivf.IVFList(l)
			gotIDs, gotVecs, gotCodes := aivf.IVFList(l)
			assert.Equal(t, wantIDs, gotIDs)
			assert.Equal(t, wantVecs, gotVecs)
			assert.Equal(t, wantCodes, gotCodes)
		}
		// A change is made in memory; writing the index rewrites the lists
		// file, and the index still refers to it.
		require.NoError(t, aivf.Add(make([]float32, ivf.D())))
		changedRef := mustWrite(t, again)
		assert.NotNil(t, aivf.OnDiskFile())
		lists, err := os.ReadFile(od.Filename)
		require.NoError(t, err)
		assert.Equal(t, aivf.OnDiskFile().Totsize, uint64(len(lists)), "the lists file holds the new entry")
		changed, err := Read(changedRef)
		require.NoError(t, err)
		assert.Equal(t, ivf.Ntotal()+1, changed.Ntotal())
		assert.True(t, bytes.Contains(changedRef, []byte(codeOnDiskLists)), "a reference, not the entries")

		require.NoError(t, os.Rename(od.Filename, filepath.Join(t.TempDir(), "elsewhere")))
		_, err = ReadFile(path, false)
		assert.ErrorContains(t, err, "lists.ivfdata")
	}
}

// Every proper prefix of an index is short; the index followed by more
// bytes is read with its own length.
func TestReadPrefixTellsShortFromBroken(t *testing.T) {
	for _, ix := range codedIndexes(t) {
		b := mustWrite(t, ix)
		for cut := 0; cut < len(b); cut += 1 + cut/3 {
			_, _, short, err := ReadPrefix(b[:cut])
			require.Error(t, err)
			assert.True(t, short, "%T cut at %d: %v", ix, cut, err)
		}
		back, n, short, err := ReadPrefix(append(append([]byte{}, b...), "tail"...))
		require.NoError(t, err)
		assert.False(t, short)
		assert.Equal(t, len(b), n)
		assert.Equal(t, ix.Ntotal(), back.Ntotal())
	}
	_, _, short, err := ReadPrefix([]byte("nope-this-is-no-index"))
	assert.Error(t, err)
	assert.False(t, short, "a wrong type code is broken, not short")
}
