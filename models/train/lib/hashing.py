"""SHA-256 of a file, streamed: the model manifests' hashes and the pretrained wheels' checks; and
the installed wheel at the version the recipe pins. Standard library only, so
1-prepare/pretrained.py runs before the venv's packages are needed."""
import hashlib


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class PretrainedMismatch(Exception):
    """A pretrained wheel that is missing, at another version, or whose files are not the pinned ones."""


def pinned_distribution(package, version):
    """The installed distribution of `package`, which must be at `version` (the pinned hashes are for it)."""
    from importlib import metadata
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise PretrainedMismatch(f"{package} is not installed: pipeline.sh installs models/train/requirements.txt into models/train/.venv")
    if dist.version != version:
        raise PretrainedMismatch(f"{package} {dist.version} installed; the recipe pins {version} (its hashes are for that version)")
    return dist
