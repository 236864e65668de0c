"""Names for the array types of the public signatures (PEP 484).

Inputs take anything numpy converts (``ArrayLike``: lists of lists, other
dtypes, torch tensors through ``__array__``); outputs are numpy arrays of
the dtype faiss returns. Annotations are strings everywhere (``from
__future__ import annotations``), so none of this costs an import at run
time beyond numpy.typing itself.
"""

import os
from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

Float32Array = NDArray[np.float32]
Float64Array = NDArray[np.float64]
Int64Array = NDArray[np.int64]
Int32Array = NDArray[np.int32]
UInt8Array = NDArray[np.uint8]

# A file name: a str or a pathlib.Path.
PathLike = Union[str, "os.PathLike[str]"]

# A metric: a faiss metric number (METRIC_L2, ...; MetricType is an int) or
# its name ("L2", "IP", ...).
MetricLike = Union[int, str]

# (D, I) of a k-nearest-neighbour search.
SearchResult = Tuple[Float32Array, Int64Array]
# (lims, D, I) of a range search: query i's matches are [lims[i], lims[i+1]).
RangeSearchResult = Tuple[Int64Array, Float32Array, Int64Array]
# k-means progress: called as progress(iteration, niter, objective).
ProgressCallback = Callable[[int, int, float], Any]
# An index's train / add progress: called as progress(stage, done, total).
IndexProgressCallback = Callable[[str, int, int], Any]

__all__ = [
    "Any", "ArrayLike", "Callable", "Float32Array", "Float64Array", "IndexProgressCallback", "Int32Array", "Int64Array",
    "Iterator",
    "MetricLike", "Optional", "PathLike", "ProgressCallback", "RangeSearchResult", "SearchResult", "Sequence",
    "UInt8Array", "Union",
]
