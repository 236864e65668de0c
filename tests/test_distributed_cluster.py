"""metalfaiss.distributed on a real two-node Ray cluster made on this
machine: `ray start --head` and a second `ray start --address`, one CPU
each, so that tasks, actors and objects cross node boundaries."""

import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import metalfaiss as faiss

if os.environ.get("METALFAISS_REQUIRE_RAY") == "1":
    import ray  # make test installs Ray: its absence is a failure there
else:
    ray = pytest.importorskip("ray")
    if not hasattr(ray, "init"):  # a folder named ray (Ray's /tmp/ray, when run from /tmp), not Ray
        pytest.skip("Ray is not installed", allow_module_level=True)
from metalfaiss.distributed import ShardedIndex, build_index  # noqa: E402

RAY = os.path.join(os.path.dirname(sys.executable), "ray")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_cli(*args, env):
    subprocess.run([RAY, *args], check=True, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if ray.is_initialized():
        ray.shutdown()
    port = free_port()
    # A temp dir of the cluster's own keeps it apart from any local instance.
    env = dict(os.environ, RAY_TMPDIR=str(tmp_path_factory.mktemp("ray")))
    address = f"127.0.0.1:{port}"
    try:
        ray_cli("start", "--head", f"--port={port}", "--num-cpus=1", "--include-dashboard=false",
                "--node-ip-address=127.0.0.1", env=env)
        ray_cli("start", f"--address={address}", "--num-cpus=1", "--node-ip-address=127.0.0.1", env=env)
        ray.init(address=address, log_to_driver=False)
        yield address
    finally:
        if ray.is_initialized():
            ray.shutdown()
        subprocess.run([RAY, "stop", "--force"], capture_output=True, timeout=120, env=env)


def test_two_nodes_build_and_serve(cluster, tmp_path):
    alive = [n for n in ray.nodes() if n["Alive"]]
    assert len(alive) == 2 and all(n["Resources"].get("CPU") == 1 for n in alive)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6000, 16)).astype(np.float32)
    parts = [x[:1500], x[1500:3000], x[3000:4500], x[4500:]]
    built = build_index(parts, "IVF16,PQ4", train_size=3000)
    ref = faiss.deserialize_index(faiss.serialize_index(built))
    ref.reset()
    ref.add(x)
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(ref))

    paths = build_index(parts, "IVF16,Flat", train_size=3000, output=str(tmp_path / "s"), shards=2)
    served = ShardedIndex(paths, num_cpus=1)  # one CPU each: one actor a node
    nodes = {ray.get(served.actors(s)[0].info.remote())["node"] for s in range(2)}
    assert len(nodes) == 2
    local = faiss.IndexShards(16, False, False)
    for p in paths:
        local.add_shard(faiss.read_index(p))
    Dg, Ig = served.search(x[:25], 5)
    Dl, Il = local.search(x[:25], 5)
    assert np.array_equal(Ig, Il) and np.array_equal(Dg, Dl)
