"""Folders of Debian packages, for interpreters and headers this machine
lacks: another release's Python (bullseye's 3.9, trixie's 3.13) and another
architecture's (arm64 for qemu-aarch64, and its pyconfig.h for the
cross-built wheel).

``sysroot(suite, arch, packages)`` resolves the packages with their
dependencies through a private apt state (the machine's own apt setup is
neither read for packages nor changed), downloads them from the mirror the
machine's apt sources name, checks them against Debian's archive keyring,
and unpacks them (no maintainer scripts) into a folder under
~/.cache/metalfaiss, reused while the same list is asked for.
"""

import glob
import hashlib
import os
import re
import shutil
import subprocess

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "metalfaiss", "debian")
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def mirror():
    """The Debian mirror of this machine's apt sources (deb822 or one-line form)."""
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            for stanza in f.read().split("\n\n"):
                uris = re.search(r"^URIs:\s*(\S+)", stanza, re.M)
                suites = re.search(r"^Suites:\s*(.*)$", stanza, re.M)
                if uris and suites and not any(s.endswith("-security") for s in suites.group(1).split()):
                    return uris.group(1)
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    m = re.match(r"\s*deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line)
                    if m and not m.group(2).endswith("-security"):
                        return m.group(1)
    raise SystemExit("debian.py: no Debian mirror in /etc/apt/sources.list*")


def _apt(state, arch):
    """apt-get with every folder in state and the given architecture only."""
    return ["apt-get", "-q", "-o", f"Dir::State={state}/state", "-o", f"Dir::State::status={state}/status",
            "-o", f"Dir::Cache={state}/cache", "-o", f"Dir::Etc::SourceList={state}/sources.list",
            "-o", f"Dir::Etc::SourceParts={state}/parts", "-o", f"Dir::Etc::Preferences={state}/preferences",
            "-o", f"Dir::Etc::PreferencesParts={state}/parts", "-o", f"APT::Architecture={arch}",
            "-o", f"APT::Architectures={arch}", "-o", "Debug::NoLocking=1",
            "-o", "APT::Install-Recommends=0", "-o", "APT::Sandbox::User=root"]


def sysroot(suite, arch, packages):
    """A folder with packages (and their dependencies) of suite/arch unpacked."""
    key = hashlib.sha256(" ".join([suite, arch, *sorted(packages)]).encode()).hexdigest()[:12]
    root = os.path.join(CACHE, f"{suite}-{arch}-{key}")
    if os.path.exists(os.path.join(root, ".complete")):
        return root
    state = os.path.join(CACHE, f"apt-{suite}-{arch}")
    for sub in ("state/lists/partial", "cache/archives/partial", "parts"):
        os.makedirs(os.path.join(state, sub), exist_ok=True)
    with open(os.path.join(state, "sources.list"), "w") as f:
        f.write(f"deb [arch={arch} signed-by={KEYRING}] {mirror()} {suite} main\n")
    open(os.path.join(state, "status"), "w").close()  # nothing installed: the whole closure comes
    open(os.path.join(state, "preferences"), "w").close()
    apt = _apt(state, arch)
    subprocess.run(apt + ["update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(apt + ["install", "--download-only", "-y", *packages], check=True, stdout=subprocess.DEVNULL)
    if os.path.exists(root):
        mounted = [d for d in os.listdir(root) if os.path.ismount(os.path.join(root, d))]
        if mounted:
            raise SystemExit(f"debian.py: {root} has mounts ({mounted}); unmount them before it is rebuilt")
        shutil.rmtree(root)
    os.makedirs(root)
    debs = sorted(glob.glob(os.path.join(state, "cache", "archives", "*.deb")))
    wanted = set(_closure(apt, packages))
    for deb in debs:
        if os.path.basename(deb).split("_")[0] in wanted:
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    # Releases from trixie on ship /lib's files under /usr only and leave
    # the merged-/usr links (the ELF interpreter's path) to base-files.
    for top in ("bin", "lib", "lib64", "sbin"):
        if not os.path.lexists(os.path.join(root, top)) and os.path.isdir(os.path.join(root, "usr", top)):
            os.symlink(os.path.join("usr", top), os.path.join(root, top))
    open(os.path.join(root, ".complete"), "w").close()
    return root


def _closure(apt, packages):
    """The package names apt would install for packages (apt-get -s)."""
    out = subprocess.run(apt + ["install", "-s", "-y", *packages], check=True, capture_output=True, text=True).stdout
    return [m.group(1).split(":")[0] for m in re.finditer(r"^Inst (\S+)", out, re.M)]
