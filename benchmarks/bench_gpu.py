"""GPU benchmark: exact search and k-means through metalfaiss's GPU driver,
next to the same run's CPU backend and PyTorch's cdist + topk on the same
GPU (the reference for what the hardware can do; target: at least 25% of
its throughput).

The metalfaiss side is the Go program benchmarks/gpubench (built here with
`go build` unless --bin names a binary), so the benchmark runs on machines
that have a GPU and Python with PyTorch but no Go toolchain.

    python benchmarks/bench_gpu.py [--bin PATH] [--quick]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def run_metalfaiss(binary, args):
    out = subprocess.run([binary] + args, check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def build(repo):
    path = os.path.join(tempfile.mkdtemp(), "gpubench")
    subprocess.run(["go", "build", "-o", path, "./benchmarks/gpubench"], cwd=repo, check=True)
    return path


def torch_search(nb, nq, d, k, repeats=3, batch=1024):
    """Best-of-repeats seconds for cdist + topk over every query, in batches
    (a 10,000 x 1M distance matrix would not fit)."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    g = torch.Generator(device="cuda").manual_seed(1)
    xb = torch.randn(nb, d, device="cuda", generator=g)
    xq = torch.randn(nq, d, device="cuda", generator=g)
    best = None
    for _ in range(repeats + 1):  # the first is a warm-up
        torch.cuda.synchronize()
        t = time.perf_counter()
        for q0 in range(0, nq, batch):
            dist = torch.cdist(xq[q0:q0 + batch], xb)
            torch.topk(dist, k, dim=1, largest=False)
        torch.cuda.synchronize()
        s = time.perf_counter() - t
        best = s if best is None or s < best else best
    return {"seconds": best, "qps": nq / best, "device": torch.cuda.get_device_name()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="a built benchmarks/gpubench")
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    ap.add_argument("--skip-cpu", action="store_true")
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sizes = dict(nb=1_000_000, nq=10_000, d=128, k=10, kmeans_n=1_000_000, kmeans_k=1024, niter=10)
    if a.quick:
        sizes.update(nb=20_000, nq=500, kmeans_n=20_000, kmeans_k=64, niter=3)
    args = [f"-{key.replace('_', '-')}={val}" for key, val in sizes.items()]
    if a.skip_cpu:
        args.append("-skip-cpu")
    rows = {r["what"]: r for r in run_metalfaiss(a.bin or build(repo), args)}
    ref = torch_search(sizes["nb"], sizes["nq"], sizes["d"], sizes["k"])

    dev = rows["device"]
    print(f"device: {dev['name']} ({dev['driver']}, {dev['kind']})")
    print(f"flat search nb={sizes['nb']:,} d={sizes['d']} nq={sizes['nq']:,} k={sizes['k']}")
    print("| what | seconds | QPS | ratio |")
    print("|---|---|---|---|")
    g = rows["gpu_search"]
    print(f"| metalfaiss GPU | {g['seconds']:.3f} | {g['qps']:,.0f} | 1.00 |")
    if "cpu_search" in rows:
        c = rows["cpu_search"]
        print(f"| metalfaiss CPU ({c['nq']} queries) | {c['seconds']:.3f} | {c['qps']:,.0f} | "
              f"GPU/CPU {g['qps'] / c['qps']:.1f}x |")
        print(f"GPU and CPU top-{sizes['k']} ids agree on {100 * c['gpu_cpu_id_agreement']:.2f}%")
    if ref:
        print(f"| PyTorch cdist+topk ({ref['device']}) | {ref['seconds']:.3f} | {ref['qps']:,.0f} | "
              f"metalfaiss/PyTorch {g['qps'] / ref['qps']:.2f} (target >= 0.25) |")
    print(f"\nk-means n={sizes['kmeans_n']:,} d={sizes['d']} k={sizes['kmeans_k']} niter={sizes['niter']}")
    print("| backend | seconds | assignment seconds | objective |")
    print("|---|---|---|---|")
    for name in ("gpu_kmeans", "cpu_kmeans"):
        if name in rows:
            r = rows[name]
            print(f"| {name.split('_')[0].upper()} | {r['seconds']:.2f} | {r['search_seconds']:.2f} | {r['obj']:.6g} |")


if __name__ == "__main__":
    main()
