"""Faults keep data: a full disk leaves the old index file intact, requests
too large for memory are refused before anything is allocated, and
pending Go results are freed on every path."""

import errno
import gc
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import metalfaiss as faiss
from metalfaiss import _bridge

D = 32


def _index(n, seed=0):
    index = faiss.IndexFlatL2(D)
    index.add(np.random.default_rng(seed).standard_normal((n, D)).astype(np.float32))
    return index


def _open_handles():
    return int(_bridge.call("OpenHandles"))


@pytest.fixture
def small_filesystem(tmp_path):
    """A 256 KiB tmpfs (root only); None where it cannot be mounted."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    mount = shutil.which("mount")
    done = mount and subprocess.run([mount, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                                    capture_output=True)
    if not done or done.returncode != 0:
        yield None
        return
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_write_index_onto_a_full_filesystem_keeps_the_old_file(small_filesystem, tmp_path):
    small, big = _index(100), _index(4000, seed=1)  # 13 KB and 512 KB files
    if small_filesystem is None:
        # Not root: a file-size limit in a child process fails the write
        # the same way (EFBIG instead of ENOSPC).
        path = tmp_path / "index.faiss"
        faiss.write_index(small, str(path))
        before = path.read_bytes()
        code = textwrap.dedent(f"""
            import resource, signal, numpy as np, metalfaiss as faiss
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
            index = faiss.IndexFlatL2({D})
            index.add(np.zeros((4000, {D}), dtype=np.float32))
            try:
                faiss.write_index(index, {str(path)!r})
            except OSError as e:
                print("OSError", e.errno, e)
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.startswith(f"OSError {errno.EFBIG} write_index: cannot write"), out
    else:
        path = small_filesystem / "index.faiss"
        faiss.write_index(small, str(path))
        before = path.read_bytes()
        with pytest.raises(OSError) as caught:
            faiss.write_index(big, str(path))
        assert caught.value.errno == errno.ENOSPC
        assert "write_index: cannot write" in str(caught.value)
    assert path.read_bytes() == before, "the old file is byte-identical"
    assert [p.name for p in path.parent.iterdir()] == ["index.faiss"], "no temporary file is left"
    assert faiss.read_index(str(path)).ntotal == 100


def test_write_index_gives_files_the_usual_mode(tmp_path):
    path = tmp_path / "index.faiss"
    faiss.write_index(_index(10), str(path))
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    os.chmod(path, 0o640)
    faiss.write_index(_index(20), str(path))
    assert path.stat().st_mode & 0o777 == 0o640, "rewriting keeps the file's mode"


@pytest.mark.parametrize("call", [
    lambda ix, xq: ix.search(xq, 10**12),
    lambda ix, xq: ix.search(np.zeros((10**6, D), np.float32), 10**7),
    lambda ix, xq: ix.assign(xq, 2**60),
    lambda ix, xq: faiss.knn(xq, np.zeros((5, D), np.float32), 10**13),
    lambda ix, xq: faiss.pairwise_distances(np.zeros((10**6, 1), np.float32), np.zeros((10**7, 1), np.float32)),
])
def test_results_too_large_for_memory_are_refused_before_allocating(call):
    index, xq = _index(10), np.zeros((3, D), np.float32)
    with pytest.raises(faiss.ResultTooLargeError, match="GiB of results") as caught:
        call(index, xq)
    assert isinstance(caught.value, MemoryError) and isinstance(caught.value, ValueError)
    assert index.ntotal == 10


def test_binary_search_too_large_is_refused():
    index = faiss.IndexBinaryFlat(64)
    index.add(np.zeros((4, 8), np.uint8))
    with pytest.raises(faiss.ResultTooLargeError):
        index.search(np.zeros((1, 8), np.uint8), 10**12)


def test_a_failed_fetch_frees_the_pending_result(monkeypatch):
    index = _index(50)
    xq = np.zeros((2, D), np.float32)
    index.range_search(xq, 1e9)  # warm: any lazily made handles exist now
    real_empty = np.empty

    def failing_empty(n, dtype=float):
        if np.dtype(dtype) == np.float32:
            raise MemoryError("simulated")
        return real_empty(n, dtype=dtype)

    # The count is process-wide: objects of earlier tests that the cyclic
    # collector frees meanwhile would change it, so it runs first and not
    # during the measured calls.
    gc.collect()
    gc.disable()
    try:
        before = _open_handles()
        monkeypatch.setattr(_bridge.np, "empty", failing_empty)
        with pytest.raises(MemoryError, match="simulated"):
            index.range_search(xq, 1e9)
        with pytest.raises(MemoryError, match="simulated"):
            # serialize_index's two steps, with the copy's allocation failing
            _bridge.fetch(_pending_bytes(index), "BytesFetch", 1, (1, np.float32))
        monkeypatch.undo()
        assert _open_handles() == before, "the range result and the serialized bytes were freed"
    finally:
        gc.enable()
    lims, Dist, I = index.range_search(xq, 1e9)
    assert lims[-1] == 100 and I.shape == (100,)


def _pending_bytes(index):
    out = np.zeros(2, dtype=np.int64)
    _bridge.call("IndexSerialize", index._handle, 0, out.ctypes.data)
    return int(out[0])


@pytest.mark.parametrize("kind,cls,not_cls", [
    ("internal", faiss.InternalError, ValueError),
    ("closed", faiss.ClosedIndexError, NotImplementedError),
    ("interrupted", faiss.OperationInterruptedError, ValueError),
    ("unsupported", faiss.UnsupportedOperationError, ValueError),
])
def test_every_status_kind_has_its_class(kind, cls, not_cls):
    from metalfaiss.errors import error_from_status

    err = error_from_status(f"{kind}|op: what happened")
    assert type(err) is cls and not isinstance(err, not_cls)
    assert str(err) == "op: what happened"
