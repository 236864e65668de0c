"""faiss's vector transforms: PCA, OPQ and random rotations, ITQ,
normalisation, centring and dimension remapping, computed in the Go core."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from ._handle import GoHandle, wrap
from .errors import InvalidArgumentError
from .vectors import field_vector
from ._typing import ArrayLike, Float32Array, Int32Array, Optional


def _setting(name, kind, doc=None):
    """A property reading and writing the transform's Go setting ``name``."""

    def get(self):
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("TransformGetParam", self._h(name), name, addr(out))
        return kind(out[0])

    def set_(self, value):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{type(self).__name__}.{name}: expected a number, got {value!r}") from None
        _bridge.call("TransformSetParam", self._h(name), name, value)

    return property(get, set_, doc=doc)


def _array(name, doc=None):
    """A property: a copy of the transform's learnt array, which
    copy_array_to_vector can fill to set it (A and b of a linear map)."""

    def get(self):
        n = np.zeros(1, dtype=np.int64)
        _bridge.call("TransformArrayLen", self._h(name), name, addr(n))
        out = np.empty(int(n[0]), dtype=np.float32)
        _bridge.call("TransformArrayFetch", self._h(name), name, out.shape[0], addr(out))
        if name not in ("A", "b") or not isinstance(self, LinearTransform):
            return out
        return field_vector(out, lambda new: self._set_part(name, new))

    return property(get, doc=doc)


class VectorTransform(GoHandle):
    """A map from d_in to d_out dimensions (faiss: ``VectorTransform``).

    ``train`` it (when it learns from data) on (n, d_in) float32 vectors,
    then ``apply`` it to (n, d_in) arrays for (n, d_out) float32 ones;
    ``reverse_transform`` maps back where the transform allows. The
    subclasses (PCAMatrix, OPQMatrix, RandomRotationMatrix, ITQTransform,
    NormalizationTransform, CenteringTransform, RemapDimensionsTransform,
    HadamardRotation) are built directly; ``IndexPreTransform`` chains them
    before an index.

    Attributes
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension.
    is_trained : bool
        Whether ``apply`` may be called.
    """

    def _bind(self, handle):
        self._handle = handle
        self.verbose = False

    def _adopt(self, handle):
        self._bind(handle)

    def _new(self, fn, *args):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call(fn, *args, addr(out))
        self._bind(int(out[0]))

    def _info(self, op):
        out = np.zeros(3, dtype=np.int64)
        _bridge.call("TransformInfo", self._h(op), addr(out))
        return out

    @property
    def d_in(self) -> int:
        """Input dimension."""
        return int(self._info("d_in")[0])

    @property
    def d_out(self) -> int:
        """Output dimension."""
        return int(self._info("d_out")[1])

    @property
    def is_trained(self) -> bool:
        """Whether the transform is ready to apply."""
        return bool(self._info("is_trained")[2])

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        # faiss scripts set the flag after filling A and b by hand; here it
        # follows them (set_params trains), so only that value is accepted.
        if bool(value) != self.is_trained:
            raise InvalidArgumentError(f"{type(self).__name__}.is_trained: cannot set it to {bool(value)}; "
                                       "train the transform or install its parameters instead")

    def train(self, x: ArrayLike) -> None:
        """Learn the transform from the rows of x (n, d_in)."""
        x = as_matrix(x, f"{type(self).__name__}.train", self.d_in)
        _bridge.call_long("TransformTrain", self._h("train"), x.shape[0], addr(x))

    def _map(self, fn, name, x, reverse):
        op = f"{type(self).__name__}.{name}"
        info = self._info(name)
        din, dout = (int(info[1]), int(info[0])) if reverse else (int(info[0]), int(info[1]))
        x = as_matrix(x, op, din)
        out = np.empty((x.shape[0], dout), dtype=np.float32)
        _bridge.call(fn, self._h(name), x.shape[0], addr(x), addr(out))
        return out

    def apply(self, x: ArrayLike) -> Float32Array:
        """The (n, d_out) float32 transform of x (n, d_in)."""
        return self._map("TransformApply", "apply", x, False)

    apply_py = apply

    def reverse_transform(self, xt: ArrayLike) -> Float32Array:
        """The (n, d_in) vectors that xt (n, d_out) came from (where faiss
        defines the reverse: orthonormal linear maps, normalisation,
        centring, remapping)."""
        return self._map("TransformReverse", "reverse_transform", xt, True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(d_in={self.d_in}, d_out={self.d_out}, is_trained={self.is_trained})"


class LinearTransform(VectorTransform):
    """``y = A x + b`` (faiss: ``LinearTransform``).

    ``A`` is (d_out, d_in) row-major (flat, as faiss exposes it), ``b`` has
    d_out entries. A bare LinearTransform is set with ``set_params(A, b)``;
    its subclasses learn A and b by training.

    Parameters
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension.
    have_bias : bool
        Whether b is used (default False).

    Raises
    ------
    InputTypeError
        d_in or d_out is not an integer.
    InvalidArgumentError
        d_in or d_out below 1.
    """

    _go_type = "LinearTransform"

    def __init__(self, d_in: int = 0, d_out: int = 0, have_bias: bool = False) -> None:
        op = "LinearTransform"
        self._new("LinearTransformNew", as_int(d_in, op, "d_in"), as_int(d_out, op, "d_out"), bool(have_bias))

    A = _array("A", "The matrix, d_out*d_in floats, row-major.")
    b = _array("b", "The bias, d_out floats.")
    have_bias = _setting("have_bias", bool, doc="Whether the map adds a bias vector b.")
    is_orthonormal = _setting("is_orthonormal", bool,
                              doc="Whether A's rows are orthonormal (reverse_transform is then A transposed).")

    def _set_part(self, name, new):
        """Install A or b alone (copy_array_to_vector), the other kept, or
        zeros while it has not been set."""
        A = np.asarray(self.A) if self.A.size else np.zeros(self.d_out * self.d_in, np.float32)
        b = np.asarray(self.b)
        if not b.size and self.have_bias:
            b = np.zeros(self.d_out, np.float32)
        self.set_params(*((new, b) if name == "A" else (A, new)))

    def set_is_orthonormal(self) -> None:
        """Check whether A's rows are orthonormal (A A^T = I within faiss's
        tolerance), as faiss's set_is_orthonormal does: is_orthonormal
        holds the answer."""
        if self.A.size:
            self.set_params(self.A, self.b if self.b.size else None)

    def set_params(self, A: ArrayLike, b: Optional[ArrayLike] = None) -> None:
        """Install A (d_out x d_in) and b (d_out), making the map trained."""
        op = "LinearTransform.set_params"
        A = np.ascontiguousarray(np.asarray(A, dtype=np.float32).ravel())
        b = np.zeros(0, np.float32) if b is None else np.ascontiguousarray(np.asarray(b, dtype=np.float32).ravel())
        _bridge.call("LinearTransformSet", self._h(op), addr(A), A.shape[0], addr(b), b.shape[0])


class RandomRotationMatrix(LinearTransform):
    """A random orthonormal map (faiss: ``RandomRotationMatrix``).

    Drawn by ``train`` (seed 12345) or ``init(seed)`` with faiss's
    generator, so that it is faiss's own matrix. ``apply(x)`` maps (n, d_in)
    float32 to (n, d_out); with d_out > d_in the columns are orthonormal (an
    embedding), with d_out < d_in the rows (a projection).

    Parameters
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension.

    Raises
    ------
    InputTypeError
        d_in or d_out is not an integer.
    InvalidArgumentError
        d_in or d_out below 1.
    """

    _go_type = "RandomRotationMatrix"

    def __init__(self, d_in: int = 0, d_out: int = 0) -> None:
        op = "RandomRotationMatrix"
        self._new("RandomRotationMatrixNew", as_int(d_in, op, "d_in"), as_int(d_out, op, "d_out"))

    def init(self, seed: int) -> None:
        """Draw the rotation from seed (faiss's init)."""
        _bridge.call("RandomRotationInit", self._h("init"), as_int(seed, "RandomRotationMatrix.init", "seed"))


class PCAMatrix(LinearTransform):
    """Projection on the d_out principal components of the training data (faiss: ``PCAMatrix``).

    Train it (or the IndexPreTransform holding it) on more vectors than
    d_in; ``apply`` maps (n, d_in) to (n, d_out) and ``reverse_transform``
    back.

    Parameters
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension (at most d_in).
    eigen_power : float
        Scale each component by eigenvalue ** eigen_power: -0.5 whitens.
    random_rotation : bool
        Rotate the output randomly (spreads the variance over the outputs).
    """

    _go_type = "PCAMatrix"

    def __init__(self, d_in: int = 0, d_out: int = 0, eigen_power: float = 0.0, random_rotation: bool = False) -> None:
        op = "PCAMatrix"
        self._new("PCAMatrixNew", as_int(d_in, op, "d_in"), as_int(d_out, op, "d_out"), float(eigen_power),
                  bool(random_rotation))

    eigen_power = _setting("eigen_power", float,
                           doc="Power of the eigenvalues each component is scaled by (-0.5 whitens).")
    epsilon = _setting("epsilon", float, doc="Added to the eigenvalues before eigen_power (faiss's epsilon).")
    random_rotation = _setting("random_rotation", bool, doc="Whether a random rotation follows the projection.")
    max_points_per_d = _setting("max_points_per_d", int, doc="Training points used per input dimension at most.")
    balanced_bins = _setting("balanced_bins", int, doc="faiss's balanced-bins option (0: off).")
    mean = _array("mean", doc="The training mean (d_in floats).")
    eigenvalues = _array("eigenvalues", doc="The eigenvalues of the training covariance, largest first.")
    PCAMat = _array("PCAMat", "The eigenvectors, one per row (d_in floats each), largest first.")


class OPQMatrix(LinearTransform):
    """The rotation that makes a product quantizer of M sub-spaces most accurate (faiss: ``OPQMatrix``).

    Train it (or the IndexPreTransform holding it) on the data; factory
    ``OPQ{M}[_{d2}]``.

    Parameters
    ----------
    d : int
        Input dimension.
    M : int
        Sub-spaces of the product quantizer that follows.
    d2 : int
        Output dimension (-1: d).
    """

    _go_type = "OPQMatrix"

    def __init__(self, d: int = 0, M: int = 1, d2: int = -1) -> None:
        op = "OPQMatrix"
        self._new("OPQMatrixNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(d2, op, "d2"))

    M = _setting("M", int, doc="Sub-spaces of the product quantizer the rotation is learnt for.")
    niter = _setting("niter", int, doc="Outer iterations of the rotation's training.")
    niter_pq = _setting("niter_pq", int, doc="k-means iterations of the PQ in each outer iteration.")
    niter_pq_0 = _setting("niter_pq_0", int, doc="k-means iterations of the first PQ.")
    max_train_points = _setting("max_train_points", int, doc="Training points used at most.")


class ITQMatrix(LinearTransform):
    """The rotation of Iterative Quantization (faiss: ``ITQMatrix``).

    Learnt by ``train`` on (n, d) float32 vectors: ``max_iter`` alternations
    of binarising and solving the orthogonal Procrustes problem, from a
    random rotation (``seed``).

    Parameters
    ----------
    d : int
        Dimension of the vectors (input and output).

    Raises
    ------
    InputTypeError
        d is not an integer.
    InvalidArgumentError
        d below 1.
    """

    _go_type = "ITQMatrix"

    def __init__(self, d: int = 0) -> None:
        self._new("ITQMatrixNew", as_int(d, "ITQMatrix", "d"))

    max_iter = _setting("max_iter", int, doc="ITQ iterations (faiss's default 50).")
    seed = _setting("seed", int, doc="Seed of the initial random rotation.")


class ITQTransform(VectorTransform):
    """ITQ binarisation front end (faiss: ``ITQTransform``).

    Centres and normalises the vectors, reduces them by PCA (when do_pca)
    and rotates them by ITQ; the signs of the output are the binary codes
    (factory ``ITQ{b}``).

    Parameters
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension (equal to d_in without PCA).
    do_pca : bool
        Reduce by PCA before the rotation.

    Raises
    ------
    InvalidArgumentError
        d_in or d_out below 1, or d_out != d_in without PCA.
    """

    _go_type = "ITQTransform"

    def __init__(self, d_in: int = 0, d_out: int = 0, do_pca: bool = False) -> None:
        op = "ITQTransform"
        self._new("ITQTransformNew", as_int(d_in, op, "d_in"), as_int(d_out, op, "d_out"), bool(do_pca))

    do_pca = _setting("do_pca", bool, doc="Project on the principal components before the ITQ rotation.")
    max_train_per_dim = _setting("max_train_per_dim", int, doc="Training points kept per input dimension.")
    mean = _array("mean", doc="The mean subtracted before the rotation (d_in floats).")

    def _parts(self):
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("ITQTransformParts", self._h("itq"), addr(out))
        return [wrap(int(h), VectorTransform, "ITQTransform.itq") for h in out]

    @property
    def itq(self) -> ITQMatrix:
        """The ITQ rotation (an ITQMatrix)."""
        itq, other = self._parts()
        other.close()
        return itq

    @property
    def pca_then_itq(self) -> LinearTransform:
        """The composed linear map (a LinearTransform)."""
        other, composed = self._parts()
        other.close()
        return composed


class NormalizationTransform(VectorTransform):
    """Scales each vector to unit L2 norm (faiss: ``NormalizationTransform``).

    Needs no training; factory ``L2norm``. faiss implements norm 2 only, and
    so does metalfaiss.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    norm : float
        The norm (2.0 only).

    Raises
    ------
    UnsupportedOperationError
        Another norm.
    """

    _go_type = "NormalizationTransform"

    def __init__(self, d: int = 0, norm: float = 2.0) -> None:
        self._new("NormalizationTransformNew", as_int(d, "NormalizationTransform", "d"), float(norm))

    norm = _setting("norm", float, doc="The norm scaled to (2: L2).")


class HadamardRotation(VectorTransform):
    """A fast random orthonormal map (faiss: ``HadamardRotation``).

    Maps into the next power of two p >= d in O(d log d): three rounds of
    random signs and a fast Walsh-Hadamard transform, scaled by p^-3/2
    (faiss's signs from its SplitMix64 generator, so faiss's output). It has
    no reverse, as in faiss.

    Parameters
    ----------
    d : int
        Input dimension.
    seed : int
        Seed of the random signs (default 12345).

    Raises
    ------
    InvalidArgumentError
        d below 1.
    """

    _go_type = "HadamardRotation"

    def __init__(self, d: int = 0, seed: int = 12345) -> None:
        op = "HadamardRotation"
        seed = as_int(seed, op, "seed")
        if not 0 <= seed < 1 << 32:
            raise InvalidArgumentError(f"{op}: seed must be a uint32, got {seed}")
        self._new("HadamardRotationNew", as_int(d, op, "d"), seed)

    seed = _setting("seed", int, "The seed; train() draws the signs again from it (12345 when 0).")


class CenteringTransform(VectorTransform):
    """Subtracts the mean of the training data (faiss: ``CenteringTransform``).

    ``train`` learns the mean; ``reverse_transform`` adds it back.

    Parameters
    ----------
    d : int
        Dimension of the vectors.

    Raises
    ------
    InvalidArgumentError
        d below 1.
    """

    _go_type = "CenteringTransform"

    def __init__(self, d: int = 0) -> None:
        self._new("CenteringTransformNew", as_int(d, "CenteringTransform", "d"))

    mean = _array("mean", doc="The mean subtracted, learnt by train (d floats).")


class RemapDimensionsTransform(VectorTransform):
    """Output dimension j is input dimension map[j] (faiss: ``RemapDimensionsTransform``).

    ``RemapDimensionsTransform(d_in, d_out, uniform=True)`` or
    ``RemapDimensionsTransform(d_in, d_out, map)``: output j is input
    ``map[j]`` (0 where it is -1). Uniform spreads the inputs evenly;
    otherwise the first min(d_in, d_out) dimensions are kept.

    Parameters
    ----------
    d_in : int
        Input dimension.
    d_out : int
        Output dimension.
    uniform : bool or sequence of int
        True (spread evenly), False (keep the first dimensions), or the map
        itself (d_out entries, each an input dimension or -1).

    Raises
    ------
    InvalidArgumentError
        A map entry is neither -1 nor an input dimension, or a dimension
        below 1.
    """

    _go_type = "RemapDimensionsTransform"

    def __init__(self, d_in: int = 0, d_out: int = 0, uniform: bool = True) -> None:
        op = "RemapDimensionsTransform"
        d_in, d_out = as_int(d_in, op, "d_in"), as_int(d_out, op, "d_out")
        if isinstance(uniform, (bool, np.bool_, int)) and np.ndim(uniform) == 0:
            self._new("RemapDimensionsTransformNew", d_in, d_out, bool(uniform), 0, 0)
            return
        m = np.ascontiguousarray(np.asarray(uniform, dtype=np.int64).ravel())
        if m.shape[0] != d_out:
            raise InvalidArgumentError(f"{op}: the map has {m.shape[0]} entries, d_out={d_out}")
        self._new("RemapDimensionsTransformNew", d_in, d_out, False, addr(m), m.shape[0])

    @property
    def map(self) -> Int32Array:
        """For each output dimension, the input dimension it copies (-1: zero)."""
        out = np.empty(self.d_out, dtype=np.int64)
        _bridge.call("RemapDimensionsMap", self._h("map"), addr(out))
        return out.astype(np.int32)
