"""On-disk inverted lists: merge_ondisk against faiss-cpu's, the files
each library writes read by the other, and what changing such an index
does."""

import faiss
import numpy as np
import pytest
from faiss.contrib.ondisk import merge_ondisk as faiss_merge_ondisk

import metalfaiss as mf
from metalfaiss.contrib.ondisk import merge_ondisk


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    """A trained empty IVF written by faiss, and three shards of it."""
    tmp = tmp_path_factory.mktemp("ondisk")
    x = faiss.rand((3000, 16), 4)
    index = faiss.index_factory(16, "IVF16,SQ8")
    index.train(x)
    faiss.write_index(index, str(tmp / "trained.index"))
    names = []
    for b in range(3):
        shard = faiss.read_index(str(tmp / "trained.index"))
        shard.add_with_ids(x[b * 1000:(b + 1) * 1000], np.arange(1000))  # each numbered from 0
        names.append(str(tmp / f"block_{b}.index"))
        faiss.write_index(shard, names[-1])
    return tmp, x, names


@pytest.mark.parametrize("shift_ids", [False, True])
def test_merge_ondisk_writes_faiss_files(shards, shift_ids):
    tmp, x, names = shards
    ours = mf.read_index(str(tmp / "trained.index"))
    merge_ondisk(ours, names, str(tmp / f"ours{shift_ids}.ivfdata"), shift_ids)
    theirs = faiss.read_index(str(tmp / "trained.index"))
    faiss_merge_ondisk(theirs, names, str(tmp / f"theirs{shift_ids}.ivfdata"), shift_ids)
    assert (tmp / f"ours{shift_ids}.ivfdata").read_bytes() == (tmp / f"theirs{shift_ids}.ivfdata").read_bytes()
    assert ours.ntotal == 3000 and ours.ondisk_filename.endswith(f"ours{shift_ids}.ivfdata")
    mf.write_index(ours, str(tmp / "ours.index"))
    faiss.write_index(theirs, str(tmp / "theirs.index"))
    results = []
    for reader, name in ((mf, "ours"), (faiss, "ours"), (mf, "theirs")):
        index = reader.read_index(str(tmp / f"{name}.index"))
        index.nprobe = 4
        results.append(index.search(x[:50], 5))
    for D, I in results[1:]:
        np.testing.assert_array_equal(I, results[0][1])
        np.testing.assert_allclose(D, results[0][0], rtol=1e-5, atol=1e-5)
    if shift_ids:
        assert results[0][1].max() >= 1000
    else:
        assert results[0][1].max() < 1000


def test_changing_an_ondisk_index_rewrites_the_file_when_written(shards):
    tmp, x, names = shards
    index = mf.read_index(str(tmp / "trained.index"))
    merge_ondisk(index, names, str(tmp / "c.ivfdata"), True)
    before = (tmp / "c.ivfdata").read_bytes()
    index.add_with_ids(x[:10], np.arange(5000, 5010))
    assert index.ntotal == 3010 and index.ondisk_filename == str(tmp / "c.ivfdata")
    mf.write_index(index, str(tmp / "changed.index"))  # rewrites c.ivfdata, refers to it
    assert (tmp / "c.ivfdata").read_bytes() != before
    for lib in (mf, faiss):  # faiss reads the rewritten pair
        again = lib.read_index(str(tmp / "changed.index"))
        assert again.ntotal == 3010
        np.testing.assert_array_equal(again.search(x[:5], 3)[1], index.search(x[:5], 3)[1])
    with pytest.raises(ValueError, match="must be empty"):
        merge_ondisk(index, names, str(tmp / "d.ivfdata"))
    with pytest.raises(ValueError, match="cannot set it to 7"):
        index.ntotal = 7
    index.replace_invlists(mf.ArrayInvertedLists(index.nlist, index.code_size))
    assert index.ondisk_filename is None and index.ntotal == 0


def test_new_ondisk_lists_filled_by_add_and_moved(tmp_path):
    xt, xb = faiss.rand((500, 10), 1), faiss.rand((300, 10), 2)
    results = []
    for lib in (mf, faiss):
        d = tmp_path / lib.__name__
        d.mkdir()
        index = lib.IndexIVFFlat(lib.IndexFlatL2(10), 10, 20)
        index.train(xt)
        invlists = lib.OnDiskInvertedLists(index.nlist, index.code_size, str(d / "aa.ondisk"))
        index.replace_invlists(invlists)  # faiss's index refers to invlists: keep it
        index.add(xb)
        D1, I1 = index.search(xb[:20], 5)
        lib.write_index(index, str(d / "aa.ivf"))
        moved = d / "1"
        moved.mkdir()
        for name in ("aa.ondisk", "aa.ivf"):
            (d / name).rename(moved / name)
        with pytest.raises(RuntimeError):
            lib.read_index(str(moved / "aa.ivf"))
        again = lib.read_index(str(moved / "aa.ivf"), lib.IO_FLAG_ONDISK_SAME_DIR)
        np.testing.assert_array_equal(again.search(xb[:20], 5)[1], I1)
        results.append(I1)
        del again, index  # faiss's index refers to invlists: it goes first
    np.testing.assert_array_equal(results[0], results[1])


def test_ondisk_same_dir_and_bad_files(shards, tmp_path):
    tmp, x, names = shards
    index = mf.read_index(str(tmp / "trained.index"))
    merge_ondisk(index, names, str(tmp / "moved.ivfdata"))
    mf.write_index(index, str(tmp_path / "moved.index"))
    (tmp_path / "moved.ivfdata").write_bytes((tmp / "moved.ivfdata").read_bytes())
    (tmp / "moved.ivfdata").unlink()
    with pytest.raises(ValueError, match="moved.ivfdata"):
        mf.read_index(str(tmp_path / "moved.index"))
    again = mf.read_index(str(tmp_path / "moved.index"), mf.IO_FLAG_ONDISK_SAME_DIR)
    assert again.ntotal == 3000
    (tmp_path / "moved.ivfdata").write_bytes(b"short")
    with pytest.raises(ValueError, match="outside"):
        mf.read_index(str(tmp_path / "moved.index"), mf.IO_FLAG_ONDISK_SAME_DIR)
    lists = mf.OnDiskInvertedLists(index.nlist, index.code_size, str(tmp_path / "x.ivfdata"))
    with pytest.raises(ValueError, match="nlist"):
        lists.merge_from_multiple([mf.extract_index_ivf(mf.index_factory(16, "IVF8,SQ8")).invlists])
