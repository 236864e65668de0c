"""Test datasets with faiss's interface (contrib.datasets): a synthetic one
that is the same, value for value, as faiss's for the same sizes and seed,
and the classic benchmark sets read from local files (nothing is fetched)."""

from __future__ import annotations

import getpass
import os

import numpy as np

from metalfaiss import METRIC_INNER_PRODUCT, METRIC_L2
from metalfaiss.contrib.exhaustive_search import knn
from metalfaiss.contrib.vecs_io import bvecs_mmap, fvecs_mmap, fvecs_read, ivecs_read
from .._typing import Any, ArrayLike, Float32Array, Int64Array, MetricLike, Optional, PathLike, RangeSearchResult


class Dataset:
    """A benchmark dataset (faiss: ``contrib.datasets.Dataset``).

    Sizes ``d``, ``nq``, ``nb``, ``nt`` and ``metric`` ("L2" or "IP");
    ``get_queries()``, ``get_database()``, ``get_train(maxtrain=None)``,
    ``get_groundtruth(k=None)`` return arrays, ``database_iterator(bs,
    split=(1, 0))`` yields the database in blocks, ``check_sizes()`` checks
    them. Subclasses give the matrices; a missing one raises
    NotImplementedError.
    """

    def __init__(self) -> None:
        self.d = self.nq = self.nb = self.nt = -1
        self.metric = "L2"

    def _missing(self, what):
        return NotImplementedError(f"{type(self).__name__} has no {what}")

    def get_queries(self) -> Float32Array:
        """The (nq, d) queries."""
        raise self._missing("queries")

    def get_train(self, maxtrain: Optional[int] = None) -> Float32Array:
        """The first maxtrain (default all nt) training vectors."""
        raise self._missing("training set")

    def get_database(self) -> Float32Array:
        """The (nb, d) database."""
        raise self._missing("database")

    def database_iterator(self, bs: int = 128, split: Any = (1, 0)) -> Any:
        """The database in blocks of bs rows. split = (nsplit, rank) walks
        only the rank-th of nsplit equal slices."""
        return _blocks(self.get_database(), self.nb, bs, split)

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        """The ids of the exact k nearest database vectors of each query."""
        raise self._missing("k-NN ground truth")

    def get_groundtruth_range(self, thresh: Optional[float] = None) -> RangeSearchResult:
        """The exact range-search results of the queries."""
        raise self._missing("range ground truth")

    def __str__(self) -> str:
        return f"dataset in dimension {self.d}, with metric {self.metric}, size: Q {self.nq} B {self.nb} T {self.nt}"

    def check_sizes(self) -> None:
        """Fetch every part and check its shape (AssertionError otherwise)."""
        assert self.get_queries().shape == (self.nq, self.d)
        if self.nt > 0:
            assert self.get_train(maxtrain=123).shape == (123, self.d)
        assert self.get_database().shape == (self.nb, self.d)
        assert self.get_groundtruth(k=13).shape == (self.nq, 13)


def _blocks(xb, nb, bs, split, convert=lambda block: block):
    """Blocks of bs rows of the rank-th of nsplit slices of xb[:nb]."""
    nsplit, rank = split
    lo, hi = nb * rank // nsplit, nb * (rank + 1) // nsplit
    for start in range(lo, hi, bs):
        yield convert(xb[start:min(start + bs, hi)])


def _faiss_metric(name):
    return METRIC_L2 if name == "L2" else METRIC_INNER_PRODUCT


class SyntheticDataset(Dataset):
    """Vectors on a 10-dimensional curved manifold in d dimensions (faiss: ``contrib.datasets.SyntheticDataset``).

    Easy to make, hard enough to index. The draws are faiss's (numpy's
    RandomState with the same seed, in the same order), so the data equal
    faiss's; the ground truth is computed by exact search.

    Parameters
    ----------
    d : int
        Dimension.
    nt : int
        Training vectors.
    nb : int
        Database vectors.
    nq : int
        Queries.
    metric : str or int
        "L2" (default) or "IP".
    seed : int
        Seed of the draws (1338).
    """

    def __init__(self, d: int, nt: int, nb: int, nq: int, metric: MetricLike = 'L2', seed: int = 1338) -> None:
        super().__init__()
        self.d, self.nt, self.nb, self.nq, self.metric = d, nt, nb, nq, metric
        rs = np.random.RandomState(seed)
        latent = rs.normal(size=(nt + nb + nq, 10))
        spread = latent @ rs.rand(10, d)  # an ellipsoid in d dimensions
        frequency = rs.rand(d) * 4 + 0.1  # higher: more curved, less linear
        x = np.sin(spread * frequency).astype("float32")
        self.xt, self.xb, self.xq = x[:nt], x[nt:nt + nb], x[nt + nb:]

    def get_queries(self) -> Float32Array:
        return self.xq

    def get_train(self, maxtrain: Optional[int] = None) -> Float32Array:
        return self.xt[:self.nt if maxtrain is None else maxtrain]

    def get_database(self) -> Float32Array:
        return self.xb

    def get_groundtruth(self, k: int = 100) -> Any:
        return knn(self.xq, self.xb, k, _faiss_metric(self.metric))[1]


############################################################################
# The standard benchmark sets, read from a local folder.

def _default_basedir():
    folders = ["/datasets01/simsearch/041218/", "/mnt/vol/gfsai-flash3-east/ai-group/datasets/simsearch/"]
    try:
        folders.append(f"/home/{getpass.getuser()}/simsearch/data/")
    except (KeyError, OSError):  # no user name (a container without a passwd entry)
        pass
    for folder in folders:
        if os.path.exists(folder):
            return folder
    return "data/"  # a link named data in the working directory


dataset_basedir = _default_basedir()


def set_dataset_basedir(path: PathLike) -> None:
    """The folder the file-based datasets read from (faiss: ``contrib.datasets.set_dataset_basedir``).

    Parameters
    ----------
    path : str
        The folder (a trailing "/" is added).
    """
    global dataset_basedir
    dataset_basedir = path if path.endswith("/") else path + "/"


def _path(*parts):
    return os.path.join(dataset_basedir, *parts)


def sanitize(x: ArrayLike) -> Float32Array:
    """An array as C-contiguous float32 (faiss: ``contrib.datasets.sanitize``).

    Parameters
    ----------
    x : array-like
        The array.

    Returns
    -------
    float32 ndarray
        x itself when it already is one.
    """
    return np.ascontiguousarray(x, dtype="float32")


class _FvecsFolder(Dataset):
    """A dataset of <prefix>_{base,query,learn}.fvecs and
    <prefix>_groundtruth.ivecs files in <basedir>/<folder>/."""

    folder = prefix = ""

    def __init__(self, d: int) -> None:
        super().__init__()
        self.d, self.nt, self.nb, self.nq = d, 100000, 1000000, 10000
        self.basedir = _path(self.folder)

    def _file(self, part):
        return f"{self.basedir}{self.prefix}_{part}"

    def get_queries(self) -> Float32Array:
        return fvecs_read(self._file("query.fvecs"))

    def get_train(self, maxtrain: Optional[int] = None) -> Float32Array:
        return fvecs_read(self._file("learn.fvecs"))[:self.nt if maxtrain is None else maxtrain]

    def get_database(self) -> Float32Array:
        return fvecs_read(self._file("base.fvecs"))

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        gt = ivecs_read(self._file("groundtruth.ivecs"))
        return gt if k is None else gt[:, :k]


class DatasetSIFT1M(_FvecsFolder):
    """SIFT1M: 128-d, 1M database, 10k queries (faiss: ``contrib.datasets.DatasetSIFT1M``).

    Read from <basedir>/sift1M/ (sift_base.fvecs, sift_query.fvecs,
    sift_learn.fvecs, sift_groundtruth.ivecs).
    """

    folder, prefix = "sift1M/", "sift"

    def __init__(self) -> None:
        super().__init__(128)


class DatasetBigANN(Dataset):
    """BIGANN (SIFT1B), the first nb_M million vectors (faiss: ``contrib.datasets.DatasetBigANN``).

    Read from <basedir>/bigann/ (.bvecs files).

    Parameters
    ----------
    nb_M : int
        Database size in millions: 1, 2, 5, 10, 20, 50, 100, 200, 500 or
        1000 (those with a ground truth).

    Raises
    ------
    ValueError
        Another size.
    """

    def __init__(self, nb_M: Any = 1000) -> None:
        super().__init__()
        if nb_M not in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
            raise ValueError(f"DatasetBigANN: no ground truth for nb_M={nb_M}")
        self.nb_M = nb_M
        self.d, self.nt, self.nb, self.nq = 128, 10 ** 8, nb_M * 10 ** 6, 10000
        self.basedir = _path("bigann/")

    def get_queries(self) -> Float32Array:
        return sanitize(bvecs_mmap(self.basedir + "bigann_query.bvecs")[:])

    def get_train(self, maxtrain: Optional[int] = None) -> Float32Array:
        return sanitize(bvecs_mmap(self.basedir + "bigann_learn.bvecs")[:maxtrain or self.nt])

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        gt = ivecs_read(self.basedir + f"gnd/idx_{self.nb_M}M.ivecs")
        return gt if k is None else gt[:, :k]

    def get_database(self) -> Float32Array:
        if self.nb_M >= 100:
            raise MemoryError(f"DatasetBigANN: {self.nb_M}M vectors do not fit in memory; use database_iterator")
        return sanitize(bvecs_mmap(self.basedir + "bigann_base.bvecs")[:self.nb])

    def database_iterator(self, bs: int = 128, split: Any = (1, 0)) -> Any:
        return _blocks(bvecs_mmap(self.basedir + "bigann_base.bvecs"), self.nb, bs, split, sanitize)


class DatasetDeep1B(Dataset):
    """Deep1B (96-d) with a database of nb vectors (faiss: ``contrib.datasets.DatasetDeep1B``).

    Read from <basedir>/deep1b/.

    Parameters
    ----------
    nb : int
        10^5, 10^6, 10^7, 10^8 or 10^9 (those with a ground truth).

    Raises
    ------
    ValueError
        Another size.
    """

    def __init__(self, nb: int = 10 ** 9) -> None:
        super().__init__()
        sizes = {10 ** 5: "100k", 10 ** 6: "1M", 10 ** 7: "10M", 10 ** 8: "100M", 10 ** 9: "1B"}
        if nb not in sizes:
            raise ValueError(f"DatasetDeep1B: no ground truth for nb={nb}")
        self.d, self.nt, self.nb, self.nq = 96, 358480000, nb, 10000
        self.basedir = _path("deep1b/")
        self.gt_fname = f"{self.basedir}deep{sizes[nb]}_groundtruth.ivecs"

    def get_queries(self) -> Float32Array:
        return sanitize(fvecs_read(self.basedir + "deep1B_queries.fvecs"))

    def get_train(self, maxtrain: Optional[int] = None) -> Float32Array:
        return sanitize(fvecs_mmap(self.basedir + "learn.fvecs")[:maxtrain or self.nt])

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        gt = ivecs_read(self.gt_fname)
        return gt if k is None else gt[:, :k]

    def get_database(self) -> Float32Array:
        if self.nb > 10 ** 8:
            raise MemoryError(f"DatasetDeep1B: {self.nb} vectors do not fit in memory; use database_iterator")
        return sanitize(fvecs_mmap(self.basedir + "base.fvecs")[:self.nb])

    def database_iterator(self, bs: int = 128, split: Any = (1, 0)) -> Any:
        return _blocks(fvecs_mmap(self.basedir + "base.fvecs"), self.nb, bs, split, sanitize)


class DatasetGIST1M(_FvecsFolder):
    """GIST1M: 960-d, 1M database (faiss: ``contrib.datasets.DatasetGIST1M``).

    Read from <basedir>/gist1M/.
    """

    folder, prefix = "gist1M/", "gist"

    def __init__(self) -> None:
        super().__init__(960)


class DatasetGlove(Dataset):
    """GloVe-100, angular (faiss: ``contrib.datasets.DatasetGlove``).

    Vectors normalized, metric IP; read from the HDF5 file
    glove-100-angular.hdf5, which needs h5py.

    Parameters
    ----------
    loc : str, optional
        The file (default <basedir>/glove/glove-100-angular.hdf5).
    download : bool
        Refused: metalfaiss fetches nothing.

    Raises
    ------
    ValueError
        download is true.
    ImportError
        h5py is not installed.
    """

    def __init__(self, loc: Any = None, download: Any = False) -> None:
        super().__init__()
        if download:
            raise ValueError("DatasetGlove: download is not supported; put glove-100-angular.hdf5 in loc")
        self.fname = loc or _path("glove/glove-100-angular.hdf5")
        import h5py  # only this dataset needs it

        self.glove_h5py = h5py.File(self.fname, "r")
        self.metric, self.d, self.nt = "IP", 100, 0
        self.nb = self.glove_h5py["train"].shape[0]
        self.nq = self.glove_h5py["test"].shape[0]

    def get_queries(self) -> Float32Array:
        return _normalized(self.glove_h5py["test"][:])

    def get_database(self) -> Float32Array:
        return _normalized(self.glove_h5py["train"][:])

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        gt = self.glove_h5py["neighbors"][:]
        return gt if k is None else gt[:, :k]


class DatasetMusic100(Dataset):
    """Music-100, metric IP (faiss: ``contrib.datasets.DatasetMusic100``).

    Read from <basedir>/music-100/ (raw float32 files).
    """

    def __init__(self) -> None:
        super().__init__()
        self.d, self.nt, self.nb, self.nq, self.metric = 100, 0, 10 ** 6, 10000, "IP"
        self.basedir = _path("music-100/")

    def get_queries(self) -> Float32Array:
        return np.fromfile(self.basedir + "query_music100.bin", dtype="float32").reshape(self.nq, self.d)

    def get_database(self) -> Float32Array:
        return np.fromfile(self.basedir + "database_music100.bin", dtype="float32").reshape(self.nb, self.d)

    def get_groundtruth(self, k: Optional[int] = None) -> Int64Array:
        gt = np.load(self.basedir + "gt.npy")
        return gt if k is None else gt[:, :k]


def _normalized(x):
    x = sanitize(x)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def dataset_from_name(dataset: str = 'deep1M', download: bool = False) -> Dataset:
    """A dataset by its usual name (faiss: ``contrib.datasets.dataset_from_name``).

    Parameters
    ----------
    dataset : str
        sift1M, bigann1M ... bigann1B, deep1M ... deep1B (also deep100k),
        gist1M, glove or music-100 (default deep1M).
    download : bool
        Given to DatasetGlove (refused).

    Returns
    -------
    Dataset
        The dataset.

    Raises
    ------
    ValueError
        An unknown name.
    """
    if dataset == "sift1M":
        return DatasetSIFT1M()
    if dataset == "gist1M":
        return DatasetGIST1M()
    if dataset == "glove":
        return DatasetGlove(download=download)
    if dataset == "music-100":
        return DatasetMusic100()
    for prefix, make in (("bigann", lambda n: DatasetBigANN(nb_M=n // 10 ** 6)), ("deep", DatasetDeep1B)):
        if dataset.startswith(prefix):
            size = dataset[len(prefix):]
            scale = {"k": 10 ** 3, "M": 10 ** 6, "B": 10 ** 9}.get(size[-1:])
            if scale and size[:-1].isdigit():
                return make(int(size[:-1]) * scale)
    raise ValueError(f"dataset_from_name: unknown dataset {dataset!r}")
