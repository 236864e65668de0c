"""metalfaiss.distributed against one process, same data, same run.

Build: IVF1024,PQ32 over 1M x 128 points of a Gaussian mixture, cut into 8
partitions, trained on the same 262,144-point sample (the build's seeded
draw) and filled; once in this process (train + add), then with
build_index on a local Ray instance of 1 and of 2 workers (task slots).
The built indexes must be byte for byte the same; the table gives each
build's time and its overhead over the one-process build.

Search: the index served by ShardedIndex as 1 shard and as 2 shards by
list range (one replica each), against the index searched in this
process: QPS of 1,000 queries at nprobe 16, k = 10, medians of timed blocks
(benchmarks/timing.py), and the overhead per batch.

    .venv/bin/python benchmarks/bench_distributed.py [--n 1000000] [--workers 1,2]
"""

import argparse
import os
import sys
import tempfile
import time

import blas_env

blas_env.restart()

import numpy as np  # noqa: E402

import metalfaiss as faiss  # noqa: E402
from metalfaiss.distributed import ShardedIndex, build_index, draw_sample, list_ranges  # noqa: E402
from timing import cpu_line, median_times  # noqa: E402


def mixture(n, d, seed):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((2000, d)).astype(np.float32)
    x = centres[rng.integers(0, 2000, n)] + 0.3 * rng.standard_normal((n, d)).astype(np.float32)
    return np.ascontiguousarray(x, dtype=np.float32)


def write_shards(index, nshards, folder):
    sizes = [index.get_list_size(l) for l in range(index.nlist)]
    empty = faiss.serialize_index(index)
    paths = []
    for s, (l0, l1) in enumerate(list_ranges(sizes, nshards)):
        shard = faiss.deserialize_index(empty)
        shard.reset()
        index.copy_subset_to(shard, 4, l0, l1)
        paths.append(os.path.join(folder, f"shard{nshards}_{s}.index"))
        faiss.write_index(shard, paths[-1])
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=128)
    ap.add_argument("--factory", default="IVF1024,PQ32")
    ap.add_argument("--train-size", type=int, default=262_144)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--nprobe", type=int, default=16)
    args = ap.parse_args()
    import ray

    print(cpu_line())
    print(f"ray {ray.__version__}, {args.factory}, {args.n:,} x {args.d}, {args.partitions} partitions, "
          f"train sample {args.train_size:,}")
    x = mixture(args.n, args.d, 1)
    xq = mixture(args.nq, args.d, 2)
    parts = np.array_split(x, args.partitions)
    seed = 1234

    t = time.perf_counter()
    local = faiss.index_factory(args.d, args.factory)
    local.train(draw_sample(parts, seed, args.train_size))
    t_train = time.perf_counter() - t
    local.add(x)
    t_local = time.perf_counter() - t
    print(f"one process: train {t_train:.1f} s, add {t_local - t_train:.1f} s, total {t_local:.1f} s")
    want = faiss.serialize_index(local)

    rows = [("one process", t_local, "-", "-")]
    for w in [int(v) for v in args.workers.split(",")]:
        ray.init(num_cpus=w, include_dashboard=False, log_to_driver=False)
        t = time.perf_counter()
        built = build_index(parts, args.factory, train_size=args.train_size, seed=seed)
        s = time.perf_counter() - t
        same = np.array_equal(faiss.serialize_index(built), want)
        rows.append((f"build_index, {w} worker{'s' if w > 1 else ''}", s, f"{s / t_local:.2f}x", "yes" if same else "NO"))
        ray.shutdown()
    print("\n| build | seconds | / one process | same index |\n|---|---|---|---|")
    for name, s, ratio, same in rows:
        print(f"| {name} | {s:.1f} | {ratio} | {same} |")

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    params = faiss.SearchParametersIVF(nprobe=args.nprobe)
    folder = tempfile.mkdtemp()
    served = {n: ShardedIndex(write_shards(local, n, folder)) for n in (1, 2)}
    fns = [lambda: local.search(xq, 10, params=params)] + [lambda s=s: s.search(xq, 10, params=params)
                                                           for s in served.values()]
    times = median_times(fns)
    print(f"\n| search ({args.nq} queries, nprobe {args.nprobe}, k 10) | QPS | overhead per batch |\n|---|---|---|")
    print(f"| one process | {args.nq / times[0]:,.0f} | - |")
    for (n, _), s in zip(served.items(), times[1:]):
        print(f"| ShardedIndex, {n} shard{'s' if n > 1 else ''} | {args.nq / s:,.0f} | {1000 * (s - times[0]):+.1f} ms |")
    D1, I1 = local.search(xq, 10, params=params)
    D2, I2 = served[1].search(xq, 10, params=params)
    print(f"\n1-shard results equal the local index's: {np.array_equal(I1, I2)}")
    ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
