"""GPU benchmark: exact search and k-means through metalfaiss's GPU driver,
next to the same run's CPU backend and PyTorch's cdist + topk on the same
GPU (the reference for what the hardware can do; target: at least 25% of
its throughput).

The metalfaiss side is the Go program benchmarks/gpubench (built here with
`go build` unless --bin names a binary), so the benchmark runs on machines
that have a GPU and Python with PyTorch but no Go toolchain.

    python benchmarks/bench_gpu.py [--bin PATH] [--quick]

``--sweep 100000,1000000,10000000`` times flat search at each database
size instead (GPU, PyTorch on the same GPU, and the CPU backend on 1,000
queries) and writes the figures to ``--json``; ``--draw FILE.json`` then
draws the time-per-query chart (gpu_flat.png in --plots) from them, on
any machine with matplotlib (the lent GPU machines have none).
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
    (a 10,000 x 1M distance matrix would not fit) of at most 1,024 queries
    and 4 GiB of distances (1,024 x 10M took 38 GiB)."""
    batch = max(1, min(batch, (4 << 30) // (4 * nb)))
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
    ap.add_argument("--ivf-nb", type=int, default=0, help="also IVF-Flat over this many vectors (10M in docs)")
    ap.add_argument("--ivf-only", action="store_true", help="the IVF run alone")
    ap.add_argument("--sweep", help="database sizes for flat search, separated by commas")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--json", help="where --sweep writes its figures")
    ap.add_argument("--draw", help="draw the chart of a --sweep JSON file and stop")
    ap.add_argument("--plots", default="docs/plots", help="folder for the chart (gpu_flat.png)")
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if a.draw:
        draw(a.draw, a.plots)
        return
    if a.sweep:
        sweep(a, repo)
        return
    sizes = dict(nb=1_000_000, nq=10_000, d=128, k=10, kmeans_n=1_000_000, kmeans_k=1024, niter=10)
    if a.quick:
        sizes.update(nb=20_000, nq=500, kmeans_n=20_000, kmeans_k=64, niter=3)
    args = [f"-{key.replace('_', '-')}={val}" for key, val in sizes.items()]
    if a.skip_cpu:
        args.append("-skip-cpu")
    if a.ivf_nb:
        args += [f"-ivf-nb={a.ivf_nb}", "-nlist=4096" if not a.quick else "-nlist=64"]
    if a.ivf_only:
        args.append("-ivf-only")
    results = run_metalfaiss(a.bin or build(repo), args)
    rows = {r["what"]: r for r in results}
    dev = rows["device"]
    print(f"device: {dev['name']} ({dev['driver']}, {dev['kind']})")
    if a.ivf_nb:
        print_ivf(results, a.ivf_nb, sizes)
    if a.ivf_only:
        return
    ref = torch_search(sizes["nb"], sizes["nq"], sizes["d"], sizes["k"])
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


def sweep(a, repo):
    """Flat search at each size of a.sweep: metalfaiss's GPU and CPU
    backends and PyTorch on the same GPU, printed and written to a.json."""
    binary = a.bin or build(repo)
    points = []
    print("| nb | metalfaiss GPU QPS | PyTorch QPS | metalfaiss / PyTorch | CPU backend QPS | GPU / CPU |")
    print("|---|---|---|---|---|---|")
    for nb in (int(v) for v in a.sweep.split(",")):
        args = [f"-nb={nb}", "-nq=10000", "-d=128", f"-k={a.k}", "-kmeans-n=20000", "-kmeans-k=64", "-niter=1"]
        rows = {r["what"]: r for r in run_metalfaiss(binary, args)}
        ref = torch_search(nb, 10_000, 128, a.k)
        g, c = rows["gpu_search"], rows.get("cpu_search")
        point = {"nb": nb, "k": a.k, "gpu_qps": g["qps"], "torch_qps": ref["qps"] if ref else None,
                 "cpu_qps": c["qps"] if c else None, "device": rows["device"]["name"],
                 "driver": rows["device"]["driver"], "cores": os.cpu_count()}
        points.append(point)
        torch_cells = f"{ref['qps']:,.0f} | {g['qps'] / ref['qps']:.2f}" if ref else "n/a | n/a"
        cpu_cells = f"{c['qps']:,.0f} | {g['qps'] / c['qps']:.2f}x" if c else "n/a | n/a"
        print(f"| {nb:,} | {g['qps']:,.0f} | {torch_cells} | {cpu_cells} |", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(points, f, indent=1)


def draw(path, folder):
    """The time-per-query chart of a --sweep JSON file."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from plots import time_size

    with open(path) as f:
        points = json.load(f)
    sizes = [f"{p['nb']:,} x 128" for p in points]
    series = {}
    for label, key in (("metalfaiss GPU (Vulkan)", "gpu_qps"), ("PyTorch cdist + topk", "torch_qps"),
                       ("metalfaiss CPU backend", "cpu_qps")):
        series[label] = [1e6 / p[key] if p.get(key) else None for p in points]
    first = points[0]
    time_size(os.path.join(folder, "gpu_flat.png"), f"exact search on the GPU (Vulkan), nq=10,000, k={first['k']}",
              sizes, series, ylabel="microseconds per query",
              machine_name=f"{first['device']}, CPU backend on {first.get('cores', '?')} cores")


def print_ivf(results, nb, sizes):
    """The IVF-Flat table: GPU and CPU backend QPS and recall per nprobe."""
    by = {(r["what"], r.get("nprobe")): r for r in results}
    print(f"IVF-Flat nb={nb:,} d={sizes['d']} nq={sizes['nq']:,} k={sizes['k']}: "
          f"train {by[('gpu_ivf_train', None)]['seconds']:.2f} s, add {by[('gpu_ivf_add', None)]['seconds']:.2f} s (GPU)")
    print("| nprobe | GPU QPS | recall | CPU QPS | recall | GPU/CPU |")
    print("|---|---|---|---|---|---|")
    for (what, nprobe), g in by.items():
        if what != "gpu_ivf_search":
            continue
        c = by.get(("cpu_ivf_search", nprobe))
        cpu = f"{c['qps']:,.0f} | {c['recall']:.3f} | {g['qps'] / c['qps']:.1f}x" if c else "n/a | n/a | n/a"
        print(f"| {nprobe} | {g['qps']:,.0f} | {g['recall']:.3f} | {cpu} |")
    print()


if __name__ == "__main__":
    main()
