"""Indexes built and served across a Ray cluster (``pip install
'metalfaiss[ray]'``): build_index trains once, encodes partitions in
parallel tasks and merges; ShardedIndex serves shard files from Ray actors
and merges their answers as IndexShards does. Ray is imported when these
are first used."""

from .build import build_index, estimated_list_sizes, list_ranges
from .partitions import draw_sample
from .serve import ShardedIndex, ShardUnavailableError

__all__ = ["build_index", "draw_sample", "estimated_list_sizes", "list_ranges", "ShardedIndex", "ShardUnavailableError"]
