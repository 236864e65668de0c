"""faiss.contrib on metalfaiss: the Python helpers that faiss scripts and
faiss's own tests import (datasets, ground truth, evaluation, vecs files),
written on metalfaiss's API. Import the submodules, as with faiss:
``from metalfaiss.contrib import datasets``."""
