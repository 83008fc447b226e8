"""Study (not a stage): a guard-minilm work folder on a trimmed vocabulary, to train on it.

tools/vocab-trim.py trims a trained model and measures the loss: rows whose words lost their pieces
are read in shorter pieces the network never trained on. Here the rows are tokenized again over the
trimmed vocabulary first (lib/vocab_trim.py), so training (finetune_minilm.py --init) sees what the
shipped tokenizer will produce.

Writes <out>/: prep/rows.jsonl and every other prep file whose rows carry ids (each row's ids from
the trimmed tokenizer, cut to stage 2's 256 pieces; everything else as it was), the other prep
files as they were, tokenizer/ (the trimmed
tokenizer.json, tokenizer_config.json as it was), pretrained.json as it was, and init/ (the source's
fine-tuned classifier with only the kept embedding rows, in save_classifier's layout), trim.json.

Usage: .venv/bin/python tools/trim-work.py <work folder> <out folder> MIN_COUNT
"""
import json
import os
import shutil
import sys
import time
from collections import Counter

from torch import nn

from export_minilm import load_classifier
from finetune_minilm import cut, save_classifier
from vocab_trim import trimmed_tokenizer, trimmed_vocab


def main():
    from tokenizers import Tokenizer
    work, out, min_count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    t0 = time.time()
    tok_json = json.load(open(os.path.join(work, "tokenizer", "tokenizer.json")))
    rows = [json.loads(l) for l in open(os.path.join(work, "prep", "rows.jsonl"))]
    counts = Counter(i for r in rows if r["split"] == "train" for i in r["ids"])
    keep = trimmed_vocab(tok_json["model"]["vocab"], counts, min_count)
    tj = trimmed_tokenizer(tok_json, keep)

    os.makedirs(os.path.join(out, "prep"), exist_ok=True)
    os.makedirs(os.path.join(out, "tokenizer"), exist_ok=True)
    with open(os.path.join(out, "tokenizer", "tokenizer.json"), "w") as f:
        json.dump(tj, f)
    shutil.copy(os.path.join(work, "tokenizer", "tokenizer_config.json"), os.path.join(out, "tokenizer"))
    shutil.copy(os.path.join(work, "pretrained.json"), out)
    tok = Tokenizer.from_str(json.dumps(tj))
    remap = {old: new for new, old in enumerate(keep)}

    def retokenized(rows_in, path):
        """Rows with ids from the trimmed tokenizer; how many of them changed beyond renumbering."""
        # The Rust tokenizer takes only valid Unicode: a lone surrogate (a noise row cut mid-character)
        # is read as U+FFFD, which WordPiece maps to [UNK] as stage 2's tokenizer did.
        texts = [r["text"].encode("utf-8", "surrogatepass").decode("utf-8", "replace") for r in rows_in]
        n = 0
        with open(path, "w") as f:
            for r, e in zip(rows_in, tok.encode_batch(texts)):
                ids = cut(e.ids, 256)
                n += ids != [remap.get(i, -1) for i in r["ids"]]
                f.write(json.dumps(dict(r, ids=ids), separators=(",", ":")) + "\n")
        return n

    # Every prep file whose rows carry ids (rows.jsonl, the eval-only framed rows) is tokenized again.
    changed = retokenized(rows, os.path.join(out, "prep", "rows.jsonl"))
    for name in os.listdir(os.path.join(work, "prep")):
        src = os.path.join(work, "prep", name)
        if not os.path.isfile(src) or name == "rows.jsonl":
            continue
        first = open(src).readline() if name.endswith(".jsonl") else ""
        if first.startswith("{") and '"ids"' in first:
            retokenized([json.loads(l) for l in open(src)], os.path.join(out, "prep", name))
        else:
            shutil.copy(src, os.path.join(out, "prep"))

    model, meta = load_classifier(os.path.join(work, "prep", "minilm", "model"))
    full = model.encoder.embeddings.word_embeddings.weight.detach()
    model.encoder.embeddings.word_embeddings = nn.Embedding.from_pretrained(full[keep].clone(), freeze=True, padding_idx=0)
    model.encoder.config.vocab_size = len(keep)
    save_classifier(model, os.path.join(out, "init"), {"max_len": meta["max_len"]})
    json.dump({"source_work": os.path.abspath(work), "min_count": min_count, "pieces": len(keep), "of": len(tok_json["model"]["vocab"]),
               "rows": len(rows), "rows_tokenized_differently": changed, "seconds": round(time.time() - t0, 1)}, open(os.path.join(out, "trim.json"), "w"), indent=2)
    print(f"{len(keep)} of {len(tok_json['model']['vocab'])} pieces kept (min count {min_count}); {len(rows)} rows tokenized again, {changed} of them differently -> {out} "
          f"({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
