"""Ray, imported only when the distributed layer is used: `import
metalfaiss` needs numpy alone (`pip install metalfaiss[ray]` adds Ray)."""


def ray_module(op):
    """The ray module, or ImportError naming op and the extra to install."""
    message = f"{op} needs Ray: pip install 'metalfaiss[ray]' (or pip install ray)"
    try:
        import ray
    except ImportError as e:
        raise ImportError(message) from e
    if not hasattr(ray, "init"):  # a folder named ray on the path (Ray's /tmp/ray seen from /tmp), not Ray
        raise ImportError(f"{message}; the `ray` found at {getattr(ray, '__path__', '?')} is not Ray")
    return ray


def ensure_ray(op):
    """ray, started as a local instance when no cluster is connected (as
    ray.init() with no address does)."""
    ray = ray_module(op)
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    return ray
