"""The USE-lite TF.js graph (model.json + weight shards) as an equivalent PyTorch module, node
block by node block, for export to ONNX with dense `input_ids` + `attention_mask` inputs.

What the TF graph does (read from model.json; names below are its node scopes):
  ClipToMaxLength      keep sparse entries with position < 128
  SparseToDense        ids [B, S], padding = -1; mask = ids > -1 (so unknown id 0 is a real token)
  embedding_lookup     Embeddings_en [8002, 256], scattered to the mask positions
  AddTimingSignal      x + (x + concat(sin(p * inv), cos(p * inv))): the graph adds the
                       timing-signal output to its own input again (Layer_0/add), so the
                       embedding counts twice; p = column index, inv [128] (stored)
  Layer_0 (d=256->512) LN(eps 1e-6) -> qkv 1x1 conv 256->768 -> 4 heads x 64, q * 0.125,
                       softmax(q k^T + (1 - mask) * -1e9) v -> 1x1 conv 256->512
                       + AdjustResidualInput dense 256->512 of the layer input (mask positions);
                       LN -> conv1 512->1536 ReLU -> conv2 1536->512 (mask positions) + residual
  Layer_1 (d=512)      the same with qkv 512->1536, 4 heads x 128, q * 128^-0.5, identity residual
  pooling              sum of the first `len` positions / max(len, 1), len = mask count per row
  hidden_layers        tanh(x W + b) 512->512, then l2_normalize (rsqrt(max(sum x^2, 1e-12)))
Padding positions never reach real ones (keys masked, per-position FFN, masked pooling), so the
dense module computes them and ignores them instead of gathering/scattering.
"""
import json
import os

import numpy as np
import torch
from torch import nn

P = "module_apply_default/Encoder_en/KonaTransformer/Encode/"
M = "module/Encoder_en/KonaTransformer/Encode/"


def load_tfjs_weights(dist):
    manifest = json.load(open(os.path.join(dist, "model.json")))
    group = manifest["weightsManifest"][0]
    buf = b"".join(open(os.path.join(dist, p), "rb").read() for p in group["paths"])
    out, off = {}, 0
    for w in group["weights"]:
        assert "quantization" not in w
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        dt = {"float32": np.float32, "int32": np.int32}[w["dtype"]]
        out[w["name"]] = np.frombuffer(buf, dtype=dt, count=n, offset=off).reshape(w["shape"]).copy()
        off += n * 4
    assert off == len(buf)
    return out


class TfLayerNorm(nn.Module):
    """layer_prepostprocess/layer_norm: (x - mean) * rsqrt(mean((x - mean)^2) + 1e-6) * scale + bias."""

    def __init__(self, scale, bias, eps=1e-6):
        super().__init__()
        self.scale = nn.Parameter(torch.from_numpy(scale))
        self.bias = nn.Parameter(torch.from_numpy(bias))
        self.eps = eps

    def forward(self, x):
        c = x - x.mean(-1, keepdim=True)
        return c * torch.rsqrt((c * c).mean(-1, keepdim=True) + self.eps) * self.scale + self.bias


def linear(w, b):
    lin = nn.Linear(w.shape[0], w.shape[1])
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
        lin.bias.copy_(torch.from_numpy(b))
    return lin


class TransformerLayer(nn.Module):
    def __init__(self, W, i, heads):
        super().__init__()
        e, s = f"{P}Layer_{i}/TransformerLayer/", f"{P}TransformerStack/Layer_{i}/TransformerLayer/"
        ln = "layer_prepostprocess/layer_norm/layer_norm_"
        self.ln1 = TfLayerNorm(W[e + ln + "scale/ConcatPartitions/concat"], W[e + ln + "bias/ConcatPartitions/concat"])
        qkv = W[f"{M}Layer_{i}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0"][0, 0]
        self.qkv = linear(qkv, W[e + "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat"])
        out = W[f"{M}Layer_{i}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0"][0, 0]
        self.out = linear(out, W[e + "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat"])
        dres = e + "dense/kernel/ConcatPartitions/concat"
        self.residual = linear(W[dres], W[e + "dense/bias/ConcatPartitions/concat"]) if dres in W else None
        self.ln2 = TfLayerNorm(W[e + "FFN/" + ln + "scale/ConcatPartitions/concat"], W[e + "FFN/" + ln + "bias/ConcatPartitions/concat"])
        self.ff1 = linear(W[s + "FFN/conv1/Tensordot/Reshape_1"], W[e + "FFN/conv1/bias/ConcatPartitions/concat"])
        self.ff2 = linear(W[s + "FFN/conv2/Tensordot/Reshape_1"], W[e + "FFN/conv2/bias/ConcatPartitions/concat"])
        self.heads = heads
        self.q_scale = float(W[s + "MultiheadAttention/mul/y"])
        self.d = qkv.shape[1] // 3

    def forward(self, x, bias):
        b, s, _ = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).split(self.d, dim=-1)  # SplitV [d, d, d]
        split = lambda t: t.reshape(b, s, self.heads, self.d // self.heads).permute(0, 2, 1, 3)
        att = torch.softmax(torch.matmul(split(q) * self.q_scale, split(k).transpose(-1, -2)) + bias, dim=-1)
        ctx = torch.matmul(att, split(v)).permute(0, 2, 1, 3).reshape(b, s, self.d)
        y = self.out(ctx) + (self.residual(x) if self.residual is not None else x)
        return y + self.ff2(torch.relu(self.ff1(self.ln2(y))))


class UseLiteEncoder(nn.Module):
    """input_ids [B, S] int64 (USE vocabulary ids, no special tokens), attention_mask [B, S]
    -> l2-normalized sentence embedding [B, 512], as the TF.js graph computes it."""

    MAX_LEN = 128

    def __init__(self, W):
        super().__init__()
        self.embed = nn.Embedding.from_pretrained(torch.from_numpy(W["module/Embeddings_en"]), freeze=False)
        self.register_buffer("inv_timescales", torch.from_numpy(W[P + "TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1"][0]))
        self.layers = nn.ModuleList([TransformerLayer(W, 0, 4), TransformerLayer(W, 1, 4)])
        self.tanh = linear(W["module/Encoder_en/hidden_layers/tanh_layer_0/weights"], W["module/Encoder_en/hidden_layers/tanh_layer_0/bias"])

    def pooled(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        m = attention_mask.to(torch.float32)
        pos = torch.arange(s, dtype=torch.float32, device=input_ids.device).unsqueeze(1) * self.inv_timescales.unsqueeze(0)
        e = self.embed(input_ids)
        x = e + (e + torch.cat([torch.sin(pos), torch.cos(pos)], dim=1).unsqueeze(0))  # Layer_0/add
        bias = ((1.0 - m) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        return (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)

    def forward(self, input_ids, attention_mask):
        t = torch.tanh(self.tanh(self.pooled(input_ids, attention_mask)))
        return t * torch.rsqrt((t * t).sum(-1, keepdim=True).clamp(min=1e-12))


def pad(seqs, max_len=UseLiteEncoder.MAX_LEN):
    seqs = [s[:max_len] for s in seqs]
    width = max(1, max(len(s) for s in seqs))
    ids = torch.zeros((len(seqs), width), dtype=torch.int64)
    mask = torch.zeros((len(seqs), width), dtype=torch.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.int64)
        mask[i, : len(s)] = 1
    return ids, mask


def export_onnx(module, path, output_name):
    ids = torch.tensor([[293, 205, 2330, 7], [293, 205, 0, 0]], dtype=torch.int64)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=torch.int64)
    torch.onnx.export(module.eval(), (ids, mask), path, opset_version=14, do_constant_folding=True, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=[output_name],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    output_name: {0: "batch"}})


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="port USE-lite to ONNX and check it against TF.js reference embeddings")
    ap.add_argument("--dist", required=True)
    ap.add_argument("--reference", help="tfjs-embed.mjs output: check the port against it")
    ap.add_argument("--out", help="write the encoder as ONNX here")
    args = ap.parse_args()
    torch.set_num_threads(2)
    enc = UseLiteEncoder(load_tfjs_weights(args.dist)).eval()
    if args.out:
        export_onnx(enc, args.out, "embedding")
        print("exported", args.out)
    if not args.reference:
        raise SystemExit(0)
    ref = json.load(open(args.reference))["rows"]
    worst = 0.0
    with torch.no_grad():
        for s in range(0, len(ref), 50):
            part = ref[s : s + 50]
            ids, mask = pad([r["ids"] for r in part])
            got = enc(ids, mask).numpy()
            want = np.array([r["embedding"] for r in part], dtype=np.float32)
            worst = max(worst, float(np.abs(got - want).max()))
    print(f"PyTorch port vs TF.js on {len(ref)} texts (padded batches of 50): max |embedding diff| = {worst:.3e}")
    if args.out:  # the exported file too, through onnxruntime-node: see check-onnx.mjs
        pass
    json.dump({"texts": len(ref), "max_abs_diff_torch_vs_tfjs": worst}, open(os.path.splitext(args.reference)[0] + "-torch-check.json", "w"))
    if not worst <= 1e-4:
        raise SystemExit(f"port check FAILED: {worst:.3e} > 1e-4")
