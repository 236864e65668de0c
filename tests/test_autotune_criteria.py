"""OneRecallAtRCriterion and IntersectionCriterion against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("name,R", [("OneRecallAtRCriterion", 1), ("OneRecallAtRCriterion", 5),
                                    ("IntersectionCriterion", 5)])
def test_criteria_score_like_faiss(name, R):
    rs = np.random.RandomState(8)
    gt_I = rs.randint(0, 50, size=(30, 10)).astype(np.int64)
    gt_D = rs.rand(30, 10).astype(np.float32)
    I = np.where(rs.rand(30, 10) < 0.5, gt_I, rs.randint(0, 50, size=(30, 10))).astype(np.int64)
    D = rs.rand(30, 10).astype(np.float32)
    scores = []
    for lib in (mf, faiss):
        crit = getattr(lib, name)(30, R)
        crit.set_groundtruth(gt_D, gt_I)
        assert crit.gt_nnn == 10 and crit.gt_I.size() == 300
        Dr, Ir = np.ascontiguousarray(D[:, :R]), np.ascontiguousarray(I[:, :R])
        scores.append(crit.evaluate(lib.swig_ptr(Dr), lib.swig_ptr(Ir)))
        if lib is mf:
            assert crit.evaluate(D, I) == scores[0]
    assert scores[0] == pytest.approx(scores[1])
    crit = mf.OneRecallAtRCriterion(30, R)
    with pytest.raises(mf.InvalidArgumentError, match="ground truth"):
        crit.evaluate(D, I)
    crit.set_groundtruth(None, gt_I)
    with pytest.raises(mf.DimensionMismatchError):
        crit.evaluate(D[:5], I[:5])
