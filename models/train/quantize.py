"""Weight-only conversions of the fp32 ONNX graph, written with the `onnx` package alone
(no onnxruntime python package is needed).

to_fp16: every float32 initializer is stored as float16 and Cast back to float32 right where it
  enters the graph, so all arithmetic stays fp32 (runs on WebGPU without `shader-f16`).
to_int8: symmetric int8, weight only:
  - the word-embedding table [vocab, hidden] (feeding Gather) is quantized per row; the graph
    gathers the int8 rows and the per-row scales first and dequantizes only the gathered rows
    (Cast + Mul), so a run never dequantizes the whole 30k-row table;
  - every other 2-D MatMul weight [in, out] is quantized per output column (symmetric). With
    matmul="dynamic" (the default) the MatMul becomes DynamicQuantizeLinear(activations) ->
    MatMulInteger -> Cast -> Mul(activation scale x column scales), the pattern onnxruntime fuses
    into its int8 GEMM (DynamicQuantizeMatMul). With matmul="weights" the weight is dequantized by
    DequantizeLinear(axis=1) and the MatMul stays fp32; onnxruntime fuses that into an 8-bit
    MatMulNBits, which onnxruntime-web 1.30 runs slower than plain fp32 on WASM (64 tokens, one
    thread: 7.5 ms against 6.1 ms fp32 and 3.4 ms dynamic; scratch measurement with
    onnxruntime-web in Node), so the WASM file uses "dynamic";
  - small tensors (biases, LayerNorm, positions) stay float32.
"""
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
    idx = list(g.node).index(node)
    g.node.remove(node)
    for k, n in enumerate(replacement):
        g.node.insert(idx + k, n)


def to_int8(src, dst, min_size=4096, matmul="dynamic"):
    if matmul not in ("dynamic", "weights"):
        raise ValueError(f"matmul must be 'dynamic' or 'weights', not {matmul!r}")
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
            if matmul == "dynamic":
                # uint8 with zero point 128 (still symmetric): onnxruntime's x86 kernel for uint8
                # activations x int8 weights (VPMADDUBSW) saturates int16 sums of two products
                # (255 * 127 * 2 > 32767); uint8 x uint8 takes a kernel that does not.
                q, zp = (q + 128).astype(np.uint8), np.full(scale.shape, 128, dtype=np.uint8)
            else:
                q, zp = q.astype(np.int8), np.zeros_like(scale, dtype=np.int8)
            g.initializer.extend([numpy_helper.from_array(q, name + "_q"),
                                  numpy_helper.from_array(scale.astype(np.float32), name + "_scale"),
                                  numpy_helper.from_array(zp, name + "_zp")])
            if matmul == "dynamic":
                for node, _ in users:
                    _dynamic_matmul(g, node, name)
            else:
                head.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [name],
                                             axis=1, name=name + "_dq"))
            remove.add(name)
    _rewrite(model, [i for i in g.initializer if i.name not in remove], head, dst)
    return sorted(remove)
