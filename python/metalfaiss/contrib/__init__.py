"""faiss.contrib on metalfaiss: the Python helpers that faiss scripts and
faiss's own tests import (datasets, ground truth, evaluation, vecs files),
written on metalfaiss's API. Import the submodules, as with faiss:
``from metalfaiss.contrib import datasets``."""

# The submodules import metalfaiss by its own name, never relatively:
# scripts bind the package as faiss (sys.modules["faiss"] = metalfaiss), and
# `from faiss.contrib import x` then loads these files a second time as
# faiss.contrib.x, whose relative imports would load second copies of the
# index classes, so that isinstance checks against them would fail.
