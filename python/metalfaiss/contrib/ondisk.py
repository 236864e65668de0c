"""Building one on-disk IVF index from many shards (contrib.ondisk):
merge_ondisk writes the lists of every shard into one lists file in
faiss's on-disk layout and gives them to the trained, empty index, which
write_index then stores with a reference to that file."""

from __future__ import annotations

import logging

from metalfaiss import IO_FLAG_MMAP, extract_index_ivf, read_index
from metalfaiss.errors import InvalidArgumentError
from metalfaiss.ondisk_invlists import OnDiskInvertedLists
from .._typing import Any

LOG = logging.getLogger(__name__)


def merge_ondisk(trained_index: Any, shard_fnames: Any, ivfdata_fname: Any, shift_ids: bool = False) -> None:
    """Merge shard indexes into a trained empty one whose lists live in a file (faiss: ``contrib.ondisk.merge_ondisk``).

    Each shard file holds an index trained like trained_index; their lists
    are written to ivfdata_fname as OnDiskInvertedLists.

    Parameters
    ----------
    trained_index : IndexIVF
        A trained, empty IVF index (or an index around one).
    shard_fnames : list of str
        The shard index files.
    ivfdata_fname : str
        The file the merged lists are written to.
    shift_ids : bool
        Move shard i's ids up by the entries of the shards before it (for
        shards each numbered from 0).

    Raises
    ------
    InvalidArgumentError
        The index is not empty, or the merged entries do not add up.
    """
    index_ivf = extract_index_ivf(trained_index)
    if trained_index.ntotal != 0:
        raise InvalidArgumentError(f"merge_ondisk: the index must be empty, it holds {trained_index.ntotal} vectors")
    shards = []
    for fname in shard_fnames:
        LOG.info("read %s", fname)
        # mapped: the shards' lists are paged in as they are copied, so
        # together they may exceed memory
        shards.append(extract_index_ivf(read_index(fname, IO_FLAG_MMAP)))
    invlists = OnDiskInvertedLists(index_ivf.nlist, index_ivf.code_size, ivfdata_fname)
    LOG.info("merge %d inverted lists", len(shards))
    ntotal = invlists.merge_from_multiple([s.invlists for s in shards], shift_ids=shift_ids)
    index_ivf.replace_invlists(invlists, True)
    if trained_index.ntotal != ntotal:
        raise InvalidArgumentError(f"merge_ondisk: {ntotal} entries merged but the index reports "
                                   f"{trained_index.ntotal}")
