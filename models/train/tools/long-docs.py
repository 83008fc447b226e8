"""Long benign documents, with and without one buried attack, for measuring how the engine screens long texts.

    PYTHONPATH=models/train/lib /usr/bin/python3 models/train/tools/long-docs.py <rows.jsonl> <out.jsonl>
    PYTHONPATH=models/train/lib /usr/bin/python3 models/train/tools/long-docs.py --report <model-dir> <score-windows output for out.jsonl>

For each of the val and test splits (seeded): 200 documents each of about 1,200, 2,400 and 6,000
characters (~300, ~600, ~1,500 tokens), made of that split's benign rows (at most 1,200 characters
each) run together with blank lines, source `hay<chars>`, labels all 0; and the same documents with
one short injection or jailbreak row of that split (20-300 characters) put at the start, middle or
end, source `needle<chars>-<where>`, labels the attack row's. Test documents use only test rows, so
the attacks come from the held-out sources. Score with `5-measure/score-windows.ts`, then `--report` prints,
per split and length, the share of benign documents flagged by some label and of attacked ones
flagged as injection or jailbreak, at the manifest's 1% thresholds, without and with its window-count
penalty; the README's long-document figures were measured this way.
"""
import json
import math
import random
import sys
from collections import defaultdict

from metrics import LABELS  # PYTHONPATH=models/train/lib

LENGTHS = (1200, 2400, 6000)
PER_LENGTH = 200
SEEDS = {"val": 7, "test": 11}


def report(model_dir, scores_file):
    manifest = json.load(open(f"{model_dir}/manifest.json"))
    thr = [math.log(p / (1 - p)) for p in (manifest["thresholds"][label]["fpr_1pct"] for label in LABELS)]
    c = [manifest.get("window_penalty", {}).get("logit_per_ln_windows", {}).get(label, 0.0) for label in LABELS]
    rows = [json.loads(line) for line in open(scores_file)]
    for split in ("val", "test"):
        for penalty in (False, True):
            hits = defaultdict(lambda: [0, 0])
            for r in rows:
                if r["split"] != split:
                    continue
                z = [r["logits"][k] - (c[k] * math.log(r["main_windows"]) if penalty else 0.0) for k in range(len(LABELS))]
                fired = [z[k] >= thr[k] for k in range(len(LABELS))]
                kind = r["source"].split("-")[0]
                hits[kind][0] += (fired[0] or fired[1]) if kind.startswith("needle") else any(fired)
                hits[kind][1] += 1
            cells = "  ".join(f"{kind} {100 * a / n:.0f}%" for kind, (a, n) in sorted(hits.items(), key=lambda kv: (kv[0][0], int(kv[0].lstrip("haynedl")))))
            print(f"{split} {'with' if penalty else 'without'} the penalty: {cells}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--report":
        return report(sys.argv[2], sys.argv[3])
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = [json.loads(line) for line in open(sys.argv[1])]
    out = []
    for split, seed in SEEDS.items():
        rnd = random.Random(seed)
        benign = [r["text"] for r in rows if r["split"] == split and sum(r["y"]) == 0 and len(r["text"]) <= 1200]
        attacks = [r for r in rows if r["split"] == split and (r["y"][0] or r["y"][1]) and 20 <= len(r["text"]) <= 300]
        for target in LENGTHS:
            for _ in range(PER_LENGTH):
                parts, chars = [], 0
                while chars < target:
                    text = rnd.choice(benign)
                    parts.append(text)
                    chars += len(text) + 2
                out.append({"text": "\n\n".join(parts), "y": [0, 0, 0, 0], "split": split, "source": f"hay{target}"})
                attack, where = rnd.choice(attacks), rnd.choice(["start", "middle", "end"])
                at = {"start": 0, "middle": len(parts) // 2, "end": len(parts)}[where]
                with_attack = parts[:at] + [attack["text"]] + parts[at:]
                out.append({"text": "\n\n".join(with_attack), "y": attack["y"], "split": split, "source": f"needle{target}-{where}"})
    with open(sys.argv[2], "w") as f:
        for r in out:
            f.write(json.dumps(r) + "\n")
    print(f"long-docs: {len(out)} documents -> {sys.argv[2]}")


if __name__ == "__main__":
    main()
