"""SHA-256 of a file, streamed: the model manifests' hashes and the pretrained wheel's checks.
Standard library only, so 1-prepare/pretrained.py runs before the venv's packages are needed."""
import hashlib


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
