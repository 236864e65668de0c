"""Ray, imported only when the distributed layer is used: `import
metalfaiss` needs numpy alone (`pip install metalfaiss[ray]` adds Ray)."""


def ray_module(op):
    """The ray module, or ImportError naming op and the extra to install."""
    try:
        import ray
    except ImportError as e:
        raise ImportError(f"{op} needs Ray: pip install 'metalfaiss[ray]' (or pip install ray)") from e
    return ray


def ensure_ray(op):
    """ray, started as a local instance when no cluster is connected (as
    ray.init() with no address does)."""
    ray = ray_module(op)
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    return ray
