"""OneRecallAtRCriterion and IntersectionCriterion against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

# faiss 1.15 takes arrays in set_groundtruth; older wheels want pointers
FAISS_115 = tuple(int(v) for v in faiss.__version__.split(".")[:2]) >= (1, 15)


@pytest.mark.parametrize("name,R", [("OneRecallAtRCriterion", 1), ("OneRecallAtRCriterion", 5),
                                    ("IntersectionCriterion", 5)])
def test_criteria_score_like_faiss(name, R):
    rs = np.random.RandomState(8)
    gt_I = rs.randint(0, 50, size=(30, 10)).astype(np.int64)
    gt_D = rs.rand(30, 10).astype(np.float32)
    I = np.where(rs.rand(30, 10) < 0.5, gt_I, rs.randint(0, 50, size=(30, 10))).astype(np.int64)
    D = rs.rand(30, 10).astype(np.float32)
    if R == 1 or name == "OneRecallAtRCriterion":
        expected = (I[:, :R] == gt_I[:, :1]).any(axis=1).mean()
    else:
        expected = sum(len(np.intersect1d(I[q, :R], gt_I[q, :R])) for q in range(30)) / (30 * R)
    scores = []
    for lib in (mf, faiss) if FAISS_115 else (mf,):
        crit = getattr(lib, name)(30, R)
        crit.set_groundtruth(gt_D, gt_I)
        assert crit.gt_nnn == 10 and crit.gt_I.size() == 300
        Dr, Ir = np.ascontiguousarray(D[:, :R]), np.ascontiguousarray(I[:, :R])
        scores.append(crit.evaluate(lib.swig_ptr(Dr), lib.swig_ptr(Ir)))
        if lib is mf:
            assert crit.evaluate(D, I) == scores[0]
    assert scores[0] == pytest.approx(expected)
    if FAISS_115:
        assert scores[1] == pytest.approx(expected)
    crit = mf.OneRecallAtRCriterion(30, R)
    with pytest.raises(mf.InvalidArgumentError, match="ground truth"):
        crit.evaluate(D, I)
    crit.set_groundtruth(None, gt_I)
    with pytest.raises(mf.DimensionMismatchError):
        crit.evaluate(D[:5], I[:5])
