"""Label- and source-balanced epochs, shared by every training step (3-train: train_bert.py,
head.py, finetune.py)."""
import numpy as np

from metrics import LABELS


def pools(train_idx, y, sources):
    """Training rows by label and source: {source: [row]} per label, and the benign rows by source."""
    by_label = [{} for _ in LABELS]
    benign = {}
    for i in train_idx:
        if not y[i].any():
            benign.setdefault(sources[i], []).append(i)
        for k in range(len(LABELS)):
            if y[i, k]:
                by_label[k].setdefault(sources[i], []).append(i)
    return by_label, benign


def draw(pool, n, rng):
    return rng.sample(pool, n) if len(pool) >= n else [rng.choice(pool) for _ in range(n)]


def epoch_sample(by_label, benign, rng, per_epoch, benign_groups=None, benign_weights=None):
    """One epoch's rows. Each label's positives are shared among its sources in proportion to the
    square root of their size (no source dominates, and a 90-row source is not repeated 20 times
    an epoch); benign rows are drawn equally from each benign source.

    benign_groups ({source: group}) makes the grouped benign sources share one source's quota
    between them, so that six files of one kind (say, hard negatives) weigh as one source.
    benign_weights ({source or group: k}) gives a unit k shares of the benign quota instead of one."""
    out = []
    for k, l in enumerate(LABELS):
        srcs = sorted(by_label[k])
        w = np.sqrt([len(by_label[k][s]) for s in srcs])
        quota = np.floor(per_epoch[l] * w / w.sum()).astype(int)
        for s, q in zip(srcs, quota):
            out += draw(by_label[k][s], int(q), rng)
    # A source is its own unit unless grouped; each unit weighs 1 unless weighted.
    benign_groups, benign_weights = benign_groups or {}, benign_weights or {}
    units = {}
    for s in sorted(benign):
        units.setdefault(benign_groups.get(s, s), []).append(s)
    total = sum(benign_weights.get(u, 1) for u in units)
    for u in sorted(units):
        members = units[u]
        share = int(per_epoch["benign"] * benign_weights.get(u, 1) // total)
        for j, s in enumerate(members):
            out += draw(benign[s], share // len(members) + (1 if j < share % len(members) else 0), rng)
    return out


def length_batches(sample, lengths, rng, batch, bucket):
    """Shuffled batches of rows of similar length, from chunks of `batch * bucket` rows in the
    sample's order: padding a 10-piece prompt to a 128-piece jailbreak in the same batch would make
    every step cost the longest row. `lengths[i]` is row i's length."""
    out = []
    for s in range(0, len(sample), batch * bucket):
        chunk = sorted(sample[s : s + batch * bucket], key=lambda i: lengths[i])
        out += [chunk[j : j + batch] for j in range(0, len(chunk), batch)]
    rng.shuffle(out)
    return out


def parse_benign_groups(specs, benign_sources):
    """`--benign-group NAME=SRC,SRC` values as {source: group name}. A named source with no benign
    training rows stops the run (a typo would otherwise leave the quota as it was, silently)."""
    groups = {}
    for spec in specs:
        name, _, srcs = spec.partition("=")
        if not name or not srcs:
            raise SystemExit(f"--benign-group: expected NAME=SRC,SRC, got {spec!r}")
        groups.update({s: name for s in srcs.split(",") if s})
    unknown = sorted(set(groups) - set(benign_sources))
    if unknown:
        raise SystemExit(f"--benign-group: no benign training rows from {', '.join(unknown)}")
    return groups
