"""metalfaiss.distributed on a local Ray instance (ray.init(num_cpus=2)):
builds equal to a one-machine build, shards by list range, serving with
IndexShards' merge, and the faults: a worker killed during the build, an
actor killed while serving, a shard that cannot come back."""

import os
import signal
import threading

import numpy as np
import pytest

import metalfaiss as faiss
from metalfaiss.contrib.vecs_io import fvecs_write
from metalfaiss.errors import DimensionMismatchError, InputTypeError

if os.environ.get("METALFAISS_REQUIRE_RAY") == "1":
    import ray  # make test installs Ray: its absence is a failure there
else:
    ray = pytest.importorskip("ray")
    if not hasattr(ray, "init"):  # a folder named ray (Ray's /tmp/ray, when run from /tmp), not Ray
        pytest.skip("Ray is not installed", allow_module_level=True)
from metalfaiss.distributed import (  # noqa: E402
    ShardedIndex, ShardUnavailableError, build_index, draw_sample, estimated_list_sizes, list_ranges)

D = 24


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, D)).astype(np.float32) * 4
    x = centres[rng.integers(0, 40, 12000)] + rng.standard_normal((12000, D)).astype(np.float32)
    return np.ascontiguousarray(x, dtype=np.float32)


def parts_of(x, cuts=(3000, 7500)):
    return [x[:cuts[0]], x[cuts[0]:cuts[1]], x[cuts[1]:]]


def one_machine(built, x):
    """The one-machine build from the same trained index: the built
    index emptied, then every vector added in order."""
    ref = faiss.deserialize_index(faiss.serialize_index(built))
    ref.reset()
    ref.add(x)
    return ref


@pytest.mark.parametrize("factory", ["IVF32,Flat", "IVF32,PQ6", "IVF16,SQ8", "PQ6"])
def test_build_equals_a_one_machine_build(data, factory):
    built = build_index(parts_of(data), factory, train_size=4000)
    assert built.ntotal == len(data)
    ref = one_machine(built, data)
    # same lists, codes and ids: the files are byte for byte the same
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(ref))
    Dq, Iq = built.search(data[:20], 5)
    Dr, Ir = ref.search(data[:20], 5)
    assert np.array_equal(Iq, Ir) and np.array_equal(Dq, Dr)


def test_a_build_is_reproducible_for_its_seed(data):
    """The training sample is a seeded draw per partition: the same seed
    and partitions train the same index, another seed another one."""
    a = build_index(parts_of(data), "IVF16,Flat", train_size=3000, seed=5)
    b = build_index(parts_of(data), "IVF16,Flat", train_size=3000, seed=5)
    assert np.array_equal(faiss.serialize_index(a), faiss.serialize_index(b))
    c = build_index(parts_of(data), "IVF16,Flat", train_size=3000, seed=6)
    assert not np.array_equal(faiss.serialize_index(a), faiss.serialize_index(c))


def test_trained_index_is_filled_as_given(data):
    trained = faiss.index_factory(D, "IVF16,Flat")
    trained.train(data[:4000])
    built = build_index(parts_of(data), "IVF16,Flat", trained_index=trained)
    ref = faiss.deserialize_index(faiss.serialize_index(trained))
    ref.add(data)
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(ref))


def test_partitions_from_files_callables_and_a_dataset(data, tmp_path):
    npy = tmp_path / "a.npy"
    np.save(npy, data[:3000])
    fvecs = str(tmp_path / "b.fvecs")
    fvecs_write(fvecs, data[3000:7500])
    tail = data[7500:].copy()
    built = build_index([str(npy), fvecs, lambda: tail], "IVF16,Flat", train_size=4000)
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(one_machine(built, data)))

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    parquet = str(tmp_path / "c.parquet")
    pq.write_table(pa.table({"embedding": list(data[7500:])}), parquet)
    from_parquet = build_index([str(npy), fvecs, parquet], "IVF16,Flat", trained_index=_emptied(built))
    assert np.array_equal(faiss.serialize_index(from_parquet), faiss.serialize_index(built))

    ds = ray.data.from_numpy(data).repartition(3)
    from_ds = build_index(ds, "IVF16,Flat", trained_index=_emptied(built))
    # a dataset's blocks keep the rows' order: the same lists and ids
    assert np.array_equal(faiss.serialize_index(from_ds), faiss.serialize_index(built))


def _emptied(index):
    e = faiss.deserialize_index(faiss.serialize_index(index))
    e.reset()
    return e


def test_shards_by_list_range(data, tmp_path):
    out = tmp_path / "shards"
    paths = build_index(parts_of(data), "IVF32,Flat", train_size=4000, output=str(out), shards=3)
    assert sorted(os.listdir(out)) == ["shard_0000.index", "shard_0001.index", "shard_0002.index"]
    merged = build_index(parts_of(data), "IVF32,Flat", train_size=4000)
    sizes = [merged.get_list_size(l) for l in range(merged.nlist)]
    shards = [faiss.read_index(p) for p in paths]
    assert sum(s.ntotal for s in shards) == len(data)
    # the ranges come from the training sample's assignment to the lists
    bounds = list_ranges(estimated_list_sizes(merged, draw_sample(parts_of(data), 1234, 4000)), 3)
    assert 0.2 < min(s.ntotal for s in shards) / len(data)  # about a third each
    for s, (l0, l1) in zip(shards, bounds):
        for l in range(merged.nlist):
            want = sizes[l] if l0 <= l < l1 else 0
            assert s.get_list_size(l) == want
            if want:
                assert np.array_equal(s.invlists.get_ids(l), merged.invlists.get_ids(l))

    served = ShardedIndex(paths, replicas=2)
    assert (served.ntotal, served.d, served.nshards) == (len(data), D, 3)
    local = faiss.IndexShards(D, False, False)
    for s in shards:
        local.add_shard(s)
    q = data[::97]
    Dg, Ig = served.search(q, 10)
    Dl, Il = local.search(q, 10)
    assert np.array_equal(Ig, Il) and np.array_equal(Dg, Dl)
    # SearchParameters travel to the actors
    params = faiss.SearchParametersIVF(nprobe=4)
    Dg, Ig = served.search(q, 10, params=params)
    Dl, Il = local.search(q, 10, params=params)
    assert np.array_equal(Ig, Il)
    lims, Dr, Ir = served.range_search(q, 30.0)
    for i in range(len(q)):
        got = sorted(zip(Ir[lims[i]:lims[i + 1]].tolist(), Dr[lims[i]:lims[i + 1]].tolist()))
        want = []
        for s in shards:
            sl, sd, si = s.range_search(q[i:i + 1], 30.0)
            want += list(zip(si.tolist(), sd.tolist()))
        assert got == sorted(want)


def test_one_shard_is_the_whole_index(data, tmp_path):
    (path,) = build_index(parts_of(data), "IVF16,PQ6", train_size=4000, output=str(tmp_path / "one"), shards=1)
    merged = build_index(parts_of(data), "IVF16,PQ6", train_size=4000)
    assert np.array_equal(faiss.serialize_index(faiss.read_index(path)), faiss.serialize_index(merged))


def test_on_disk_lists_in_one_file(data, tmp_path):
    path = str(tmp_path / "big.index")
    written = build_index(parts_of(data), "IVF16,PQ6", train_size=4000, output=path, ondisk=True)
    assert written == [path, path + ".ivfdata"]
    assert sorted(os.listdir(tmp_path)) == ["big.index", "big.index.ivfdata"]
    merged = build_index(parts_of(data), "IVF16,PQ6", train_size=4000)
    disk = faiss.read_index(path)
    assert disk.ntotal == merged.ntotal
    for l in range(merged.nlist):
        assert np.array_equal(disk.invlists.get_ids(l), merged.invlists.get_ids(l))
    q = data[::301]
    Dd, Id = disk.search(q, 5)
    Dm, Im = merged.search(q, 5)
    assert np.array_equal(Id, Im) and np.array_equal(Dd, Dm)


def test_list_ranges_cover_every_list_once():
    for sizes in ([5] * 10, [100, 0, 0, 1, 1, 1, 1], [0, 0, 0], list(range(50))):
        for n in (1, 2, 3, 7):
            r = list_ranges(sizes, n)
            assert r[0][0] == 0 and r[-1][1] == len(sizes)
            assert all(a < b for a, b in r) and all(r[i][1] == r[i + 1][0] for i in range(len(r) - 1))
            assert len(r) == min(n, len(sizes))


def test_successive_ids_number_hand_made_shards(data, tmp_path):
    paths = []
    for i, part in enumerate(parts_of(data)):
        ix = faiss.IndexFlatL2(D)
        ix.add(part)
        paths.append(str(tmp_path / f"flat{i}.index"))
        faiss.write_index(ix, paths[-1])
    served = ShardedIndex(paths, successive_ids=True)
    whole = faiss.IndexFlatL2(D)
    whole.add(data)
    Dg, Ig = served.search(data[:30], 7)
    Dw, Iw = whole.search(data[:30], 7)
    assert np.array_equal(Ig, Iw)


def test_a_bad_partition_is_named_and_nothing_is_written(data, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    bad = [data[:3000], data[3000:6000, :D - 1], data[6000:]]
    with pytest.raises(DimensionMismatchError, match=r"partition 1 .*dimension 23"):
        build_index(bad, "IVF16,Flat", train_size=3000, d=D, output=str(out / "x.index"))
    with pytest.raises(InputTypeError, match=r"partition 2 .*dtype"):
        build_index([data[:3000], data[3000:6000], np.array([["a"] * D])], "IVF16,Flat", d=D,
                    output=str(out), shards=2)
    with pytest.raises(InputTypeError, match="list of partitions"):
        build_index(data, "IVF16,Flat")
    assert os.listdir(out) == []


def test_a_worker_killed_during_the_build_is_retried(data, tmp_path):
    marker = str(tmp_path / "killed-once")
    middle = data[3000:7500].copy()

    def dies_once():
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)  # the worker process dies mid-task
        return middle

    reference = build_index(parts_of(data), "IVF16,PQ6", train_size=4000)
    built = build_index([data[:3000], dies_once, data[7500:]], "IVF16,PQ6", trained_index=_emptied(reference))
    assert os.path.exists(marker)
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(reference))


def _served(data, tmp_path, **kw):
    paths = build_index(parts_of(data), "IVF16,Flat", train_size=4000, output=str(tmp_path / "s"), shards=2)
    local = faiss.IndexShards(D, False, False)
    shards = [faiss.read_index(p) for p in paths]
    for s in shards:
        local.add_shard(s)
    return paths, ShardedIndex(paths, **kw), local


def test_an_actor_killed_while_serving_is_restarted(data, tmp_path):
    paths, served, local = _served(data, tmp_path, retries=3)
    q = data[:40]
    want = local.search(q, 5)
    actor = served.actors(1)[0]
    pid = ray.get(actor.info.remote())["pid"]
    os.kill(pid, signal.SIGKILL)
    got = served.search(q, 5)  # the call to the dead actor is sent again after its restart
    assert np.array_equal(got[1], want[1])
    assert ray.get(actor.info.remote())["pid"] != pid


def test_a_shard_that_cannot_come_back_fails_or_is_left_out(data, tmp_path):
    paths, served, local = _served(data, tmp_path, retries=1)
    os.remove(paths[1])  # its restart cannot read the file
    pid = ray.get(served.actors(1)[0].info.remote())["pid"]
    os.kill(pid, signal.SIGKILL)
    q = data[:10]
    with pytest.raises(ShardUnavailableError, match=r"shard 1 .*shard_0001.index") as e:
        served.search(q, 5)
    assert e.value.shard == 1
    D0, I0, answered = served.search(q, 5, allow_partial=True)
    assert answered == [0]
    want = faiss.read_index(paths[0]).search(q, 5)
    assert np.array_equal(I0, want[1])


def test_concurrent_searches_share_a_batch(data, tmp_path):
    paths, served, local = _served(data, tmp_path, batch_window=0.05)
    qs = [data[i * 7:i * 7 + 3 + i] for i in range(6)]
    out = [None] * len(qs)

    def run(i):
        out[i] = served.search(qs[i], 4)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(qs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for q, got in zip(qs, out):
        assert np.array_equal(got[1], local.search(q, 4)[1])


def test_bad_serving_input(data, tmp_path):
    paths, served, _ = _served(data, tmp_path)
    with pytest.raises(DimensionMismatchError, match="d=24"):
        served.search(np.zeros((2, 5), np.float32), 3)
    with pytest.raises(faiss.errors.InvalidArgumentError, match="k must be positive"):
        served.search(data[:2], 0)
    with pytest.raises(faiss.errors.InvalidArgumentError, match="does not exist"):
        ShardedIndex([str(tmp_path / "nope.index")])


def test_without_ray_the_error_says_what_to_install(monkeypatch):
    import sys

    from metalfaiss.distributed._ray import ray_module

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray then fails
    with pytest.raises(ImportError, match=r"build_index needs Ray: pip install 'metalfaiss\[ray\]'"):
        ray_module("build_index")


def test_training_goes_through_the_gpu_where_there_is_one(data, monkeypatch):
    """A worker with a hardware GPU trains IVF through GpuIndexIVF* (GPU
    k-means); lavapipe stands in for the hardware here."""
    from metalfaiss import _backend
    from metalfaiss.distributed import build as build_module

    if not _backend.available():
        pytest.skip("no Vulkan or Metal device")
    monkeypatch.setattr(_backend, "hardware_available", lambda: True)
    import metalfaiss.gpu as gpu

    used = []
    real = gpu.index_cpu_to_gpu

    def spy(res, device, index, options=None):
        used.append(type(index).__name__)
        return real(res, device, index, options)

    monkeypatch.setattr(gpu, "index_cpu_to_gpu", spy)  # _train imports it when it runs
    trained = build_module._train(faiss.index_factory(D, "IVF16,Flat"), data[:4000])
    assert used == ["IndexIVFFlat"] and trained.is_trained and type(trained).__name__ == "IndexIVFFlat"
    cpu = faiss.index_factory(D, "IVF16,Flat")
    cpu.train(data[:4000])
    # GPU k-means, the CPU's to float rounding: the same lists for the data
    a = trained.quantizer.assign(data[:500], 1).ravel()
    b = cpu.quantizer.assign(data[:500], 1).ravel()
    assert (a == b).mean() > 0.95


def test_a_folder_named_ray_is_not_ray(monkeypatch):
    import sys
    import types

    from metalfaiss.distributed._ray import ray_module

    monkeypatch.setitem(sys.modules, "ray", types.ModuleType("ray"))  # as /tmp/ray imports from /tmp
    with pytest.raises(ImportError, match="is not Ray"):
        ray_module("ShardedIndex")


def test_build_reports_its_stages(data, tmp_path, capsys):
    seen = []
    built = build_index(parts_of(data), "IVF16,Flat", train_size=4000, verbose=True,
                        progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert built.ntotal == len(data)
    finals = {}
    for stage, done, total in seen:
        assert 0 <= done <= total
        finals[stage] = (done, total)
    assert finals == {"sample": (3, 3), "train": (1, 1), "encode": (3, 3), "merge": (3, 3)}
    assert [s for i, (s, _, _) in enumerate(seen) if i == 0 or seen[i - 1][0] != s] == \
        ["sample", "train", "encode", "merge"]
    assert "build_index: encode 3 / 3" in capsys.readouterr().out
    seen.clear()
    files = build_index(parts_of(data), "IVF16,Flat", train_size=4000, output=str(tmp_path / "shards"), shards=2,
                        progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert len(files) == 2
    assert ("encode", 6, 6) in seen and ("merge", 2, 2) in seen  # a piece per partition and shard
