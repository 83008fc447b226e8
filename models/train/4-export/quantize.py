"""The recipe's quantization step: model_fp16.onnx and model_quantized.onnx from a model folder's
fp32 onnx/model.onnx, written with the `onnx` package alone (no onnxruntime python package).
  /usr/bin/python3 models/train/4-export/quantize.py <model-dir>

to_fp16: every float32 initializer is stored as float16 and Cast back to float32 right where it
  enters the graph, so all arithmetic stays fp32 (runs on WebGPU without `shader-f16`).
to_int8: symmetric int8 weights:
  - the word-embedding table [vocab, hidden] (feeding Gather) is quantized per row; the graph
    gathers the int8 rows and the per-row scales first and dequantizes only the gathered rows
    (Cast + Mul), so a run never dequantizes the whole 30k-row table;
  - every other 2-D MatMul weight [in, out] is quantized per output column (symmetric). With
    matmul="rowwise" (the default) the activations are quantized per token, each row with its own
    symmetric scale computed in the graph, then MatMulInteger -> Cast -> x column scales -> x row
    scales: a row's result depends on that row alone, so batch-mates never move a text's scores
    (with equal-length rows: onnxruntime-web's fp32 kernels round differently once a row is padded,
    and int8 rounding can amplify that; the engine batches only rows of one length). With
    matmul="dynamic" (the format shipped until December 2026) the MatMul becomes DynamicQuantizeLinear(activations) ->
    MatMulInteger -> Cast -> Mul(activation scale x column scales), the pattern onnxruntime fuses
    into its int8 GEMM (DynamicQuantizeMatMul); one activation range per run means a text's
    scores move with whatever else is in the batch. With matmul="weights" the weight is dequantized by
    DequantizeLinear(axis=1) and the MatMul stays fp32; onnxruntime fuses that into an 8-bit
    MatMulNBits, which onnxruntime-web 1.30 runs slower than plain fp32 on WASM (64 tokens, one
    thread: 7.5 ms against 6.1 ms fp32 and 3.4 ms dynamic; scratch measurement with
    onnxruntime-web in Node), so the WASM file does not use it;
  - small tensors (biases, LayerNorm, positions) stay float32.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def _consumers(graph):
    out = {}
    for node in graph.node:
        for i, name in enumerate(node.input):
            out.setdefault(name, []).append((node, i))
    return out


def _rewrite(model, initializers, head_nodes, dst):
    """Replaces the graph's initializers, puts `head_nodes` before its nodes, checks and saves."""
    g = model.graph
    del g.initializer[:]
    g.initializer.extend(initializers)
    nodes = head_nodes + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, dst)


def to_fp16(src, dst):
    model = onnx.load(src)
    g = model.graph
    new_inits, casts = [], []
    for init in list(g.initializer):
        if init.data_type != TensorProto.FLOAT:
            new_inits.append(init)
            continue
        arr = numpy_helper.to_array(init)
        half = numpy_helper.from_array(arr.astype(np.float16), init.name + "_fp16")
        new_inits.append(half)
        casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                      name=init.name + "_cast"))
    _rewrite(model, new_inits, casts, dst)


def _replace_node(g, node, replacement):
    """Puts `replacement` (a list of nodes) where `node` was, in order."""
    idx = list(g.node).index(node)
    g.node.remove(node)
    for k, n in enumerate(replacement):
        g.node.insert(idx + k, n)


def _dynamic_matmul(g, node, name):
    """Replaces MatMul(a, W) by an int8 GEMM on dynamically quantized activations."""
    a, out, p = node.input[0], node.output[0], node.name or node.output[0]
    replacement = [
        helper.make_node("DynamicQuantizeLinear", [a], [p + "_aq", p + "_as", p + "_azp"], name=p + "_qa"),
        helper.make_node("MatMulInteger", [p + "_aq", name + "_q", p + "_azp", name + "_zp"], [p + "_i32"], name=p + "_mmi"),
        helper.make_node("Cast", [p + "_i32"], [p + "_f"], to=TensorProto.FLOAT, name=p + "_cast"),
        helper.make_node("Mul", [p + "_as", name + "_scale"], [p + "_s"], name=p + "_scales"),
        helper.make_node("Mul", [p + "_f", p + "_s"], [out], name=p + "_dq"),
    ]
    _replace_node(g, node, replacement)


def _rowwise_matmul(g, node, name):
    """Replaces MatMul(a, W) by an int8 GEMM on activations quantized per token: each row of `a`
    (one token's vector) gets its own symmetric scale, max|row| / 127, so a row's int8 values, and
    with them its scores, do not depend on the other rows of the batch, on padding or on the
    neighbouring windows of a long text (DynamicQuantizeLinear takes one range for the whole tensor)."""
    a, out, p = node.input[0], node.output[0], node.name or node.output[0]
    replacement = [
        helper.make_node("Abs", [a], [p + "_abs"], name=p + "_abs"),
        helper.make_node("ReduceMax", [p + "_abs"], [p + "_amax"], axes=[-1], keepdims=1, name=p + "_amax"),
        helper.make_node("Max", [p + "_amax", "rowwise_floor"], [p + "_amax_f"], name=p + "_floor"),
        helper.make_node("Div", [p + "_amax_f", "rowwise_127"], [p + "_as"], name=p + "_ascale"),
        helper.make_node("Div", [a, p + "_as"], [p + "_ad"], name=p + "_adiv"),
        helper.make_node("Round", [p + "_ad"], [p + "_ar"], name=p + "_around"),
        # |a / scale| <= 127, so the shifted values lie in [1, 255] and need no Clip.
        helper.make_node("Add", [p + "_ar", "rowwise_128"], [p + "_ash"], name=p + "_ashift"),
        helper.make_node("Cast", [p + "_ash"], [p + "_aq"], to=TensorProto.UINT8, name=p + "_acast"),
        helper.make_node("MatMulInteger", [p + "_aq", name + "_q", "rowwise_zp", name + "_zp"], [p + "_i32"], name=p + "_mmi"),
        helper.make_node("Cast", [p + "_i32"], [p + "_f"], to=TensorProto.FLOAT, name=p + "_cast"),
        # Column scales first, row scales second: the product of the two scales feeding one Mul is
        # the pattern onnxruntime fuses into MatMulIntegerToFloat, whose kernel reads the
        # activation scale as one number (it took the first row's, and verdicts moved with it).
        helper.make_node("Mul", [p + "_f", name + "_scale"], [p + "_fw"], name=p + "_dqw"),
        helper.make_node("Mul", [p + "_fw", p + "_as"], [out], name=p + "_dqa"),
    ]
    _replace_node(g, node, replacement)


def _rowwise_constants():
    f = lambda v, n: numpy_helper.from_array(np.array(v, dtype=np.float32), n)
    return [f(1e-12, "rowwise_floor"), f(127.0, "rowwise_127"), f(128.0, "rowwise_128"),
            numpy_helper.from_array(np.array(128, dtype=np.uint8), "rowwise_zp")]


MATMUL_MODES = ("rowwise", "dynamic", "weights")


def to_int8(src, dst, min_size=4096, matmul="rowwise"):
    if matmul not in MATMUL_MODES:
        raise ValueError(f"matmul must be one of {MATMUL_MODES}, not {matmul!r}")
    model = onnx.load(src)
    g = model.graph
    cons = _consumers(g)
    inits = {i.name: i for i in g.initializer}
    head, remove = [], set()
    for name, init in inits.items():
        if init.data_type != TensorProto.FLOAT or len(init.dims) != 2 or np.prod(init.dims) < min_size:
            continue
        users = cons.get(name, [])
        kinds = {n.op_type for n, _ in users}
        w = numpy_helper.to_array(init).astype(np.float32)
        if kinds == {"Gather"} and all(i == 0 for _, i in users):
            scale = np.maximum(np.abs(w).max(axis=1), 1e-12) / 127.0
            q = np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)
            g.initializer.extend([numpy_helper.from_array(q, name + "_q"),
                                  numpy_helper.from_array(scale.astype(np.float32), name + "_scale")])
            for node, _ in users:
                ids = node.input[1]
                out = node.output[0]
                p = node.name or out
                node.input[0] = name + "_q"
                node.output[0] = p + "_q_rows"
                tail = [
                    helper.make_node("Cast", [p + "_q_rows"], [p + "_f_rows"], to=TensorProto.FLOAT, name=p + "_castq"),
                    helper.make_node("Gather", [name + "_scale", ids], [p + "_row_scale"], axis=0, name=p + "_gather_scale"),
                    helper.make_node("Unsqueeze", [p + "_row_scale", p + "_axes"], [p + "_row_scale_u"], name=p + "_unsq"),
                    helper.make_node("Mul", [p + "_f_rows", p + "_row_scale_u"], [out], name=p + "_dequant"),
                ]
                g.initializer.append(numpy_helper.from_array(np.array([-1], dtype=np.int64), p + "_axes"))
                idx = list(g.node).index(node)
                for k, t in enumerate(tail):
                    g.node.insert(idx + 1 + k, t)
            remove.add(name)
        elif kinds == {"MatMul"} and all(i == 1 for _, i in users):
            scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
            q = np.clip(np.round(w / scale[None, :]), -127, 127)
            if matmul in ("dynamic", "rowwise"):
                # uint8 with zero point 128 (still symmetric): onnxruntime's x86 kernel for uint8
                # activations x int8 weights (VPMADDUBSW) saturates int16 sums of two products
                # (255 * 127 * 2 > 32767); uint8 x uint8 takes a kernel that does not.
                q, zp = (q + 128).astype(np.uint8), np.full(scale.shape, 128, dtype=np.uint8)
            else:
                q, zp = q.astype(np.int8), np.zeros_like(scale, dtype=np.int8)
            g.initializer.extend([numpy_helper.from_array(q, name + "_q"),
                                  numpy_helper.from_array(scale.astype(np.float32), name + "_scale"),
                                  numpy_helper.from_array(zp, name + "_zp")])
            if matmul in ("dynamic", "rowwise"):
                for node, _ in users:
                    (_dynamic_matmul if matmul == "dynamic" else _rowwise_matmul)(g, node, name)
            else:
                head.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [name],
                                             axis=1, name=name + "_dq"))
            remove.add(name)
    kept = [i for i in g.initializer if i.name not in remove]
    if matmul == "rowwise":
        kept += _rowwise_constants()
    _rewrite(model, kept, head, dst)
    return sorted(remove)


def quantize_folder(model_dir):
    onnx_dir = os.path.join(model_dir, "onnx")
    fp32 = os.path.join(onnx_dir, "model.onnx")
    to_fp16(fp32, os.path.join(onnx_dir, "model_fp16.onnx"))
    quantized = to_int8(fp32, os.path.join(onnx_dir, "model_quantized.onnx"))
    print(f"{model_dir}: fp16 and int8 files written ({len(quantized)} weights in int8)")


if __name__ == "__main__":
    quantize_folder(sys.argv[1])
