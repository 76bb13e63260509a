"""``Model.summary()``: Keras 3's box-drawn table, rendered without ``rich``.

Column widths follow Keras (line length 88, or the terminal width minus 4 when smaller;
positions [0.45, 0.80, 1.0], or [0.3, 0.56, 0.74, 1.0] with a "Connected to" column)
and rich's rule for fitting fixed-width columns into the table width.
"""

import math
import shutil
import sys


def _ratio_reduce(total, ratios, maximums, values):
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            d = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - d)
            remaining -= d
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _column_widths(line_length, positions):
    widths, current = [], 0
    for pos in positions:
        w = int(pos * line_length) - current
        if w < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(w)
        current += w
    widths = [w + 2 for w in widths]                 # cell padding
    max_width = line_length - (len(widths) + 1)      # borders
    if sum(widths) > max_width:
        widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
    return widths


def _wrap(text, width, ellipsis=True):
    """Greedy word wrap; words longer than the width are cut with '…'."""
    lines, cur = [], ""
    for word in text.split(" "):
        if len(word) > width:
            word = word[:width - 1] + "…"
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    return lines


def _row(cells, widths, aligns, bar="│"):
    wrapped = []
    for text, w, a in zip(cells, widths, aligns):
        parts = []
        for line in str(text).split("\n"):
            parts.extend(_wrap(line, w - 2))
        wrapped.append((parts, w, a))
    height = max(len(p) for p, _, _ in wrapped)
    out = []
    for i in range(height):
        segs = []
        for parts, w, a in wrapped:
            t = parts[i] if i < len(parts) else ""
            inner = w - 2
            segs.append(" " + (t.rjust(inner) if a == "right" else
                               t.center(inner) if a == "center" else t.ljust(inner)) + " ")
        out.append(bar + bar.join(segs) + bar)
    return out


def _fmt_shape(shape):
    if isinstance(shape, list):
        return "[" + ", ".join(_fmt_shape(s) for s in shape) + "]"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_fmt_shape(v)}" for k, v in shape.items()) + "}"
    return "(" + ", ".join(str(d) for d in shape) + ")" if len(shape) != 1 else \
        f"({shape[0]},)"


def _layer_output_shape(layer):
    nodes = layer.__dict__.get("_inbound_nodes") or []
    if nodes:
        outs = nodes[-1].outputs
        if len(outs) == 1:
            return _fmt_shape(outs[0].shape)
        return _fmt_shape([o.shape for o in outs])
    shape = layer.__dict__.get("_keras_output_shape")
    if shape is not None:
        return _fmt_shape(shape)
    build = layer.__dict__.get("_build_shapes_dict")
    if build is not None:
        try:
            s = layer.compute_output_shape(build["input_shape"])
            return _fmt_shape(s) if not isinstance(s, list) or len(s) != 1 else _fmt_shape(s[0])
        except Exception:  # noqa: BLE001
            return "?"
    return "?"


def readable_memory_size(size):
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _count(weights):
    seen = {}
    for w in weights:
        seen[id(w)] = w
    count = sum(math.prod(w.shape.as_list()) for w in seen.values())
    mem = sum(math.prod(w.shape.as_list()) * w.dtype.size for w in seen.values())
    return int(count), mem


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    from tinytf.keras.models.functional import Functional
    from tinytf.keras.models.sequential import Sequential
    if isinstance(model, Sequential):
        layers = model.layers
        sequential_like = True
    elif isinstance(model, Functional):
        layers = model._all_layers_in_order()
        sequential_like = model._is_sequential_like()
    else:
        layers = model.layers
        sequential_like = True
    if sequential_like:
        default = 88
        positions = positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        aligns = ["left", "left", "right"]
    else:
        default = 108
        positions = positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        aligns = ["left", "left", "right", "left"]
    if show_trainable:
        default += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        aligns.append("center")
    default = min(default, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default
    widths = _column_widths(line_length, positions)

    if layer_range is not None:
        import re
        lo = [i for i, l in enumerate(layers) if re.match(layer_range[0], l.name)]
        hi = [i for i, l in enumerate(layers) if re.match(layer_range[1], l.name)]
        if not lo or not hi:
            raise ValueError("Passed layer_names do not match the layer names in the model. "
                             f"Received: {layer_range}")
        layers = layers[min(lo):max(hi) + 1]

    rows = []

    def fields(layer, prefix=""):
        name = f"{prefix}{layer.name} ({type(layer).__name__})"
        if not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        f = [name, _layer_output_shape(layer), params]
        if not sequential_like:
            f.append(model._connections(layer))
        if show_trainable:
            f.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append(f)
        from tinytf.keras.models.model import Model
        if expand_nested and isinstance(layer, Model) and layer.layers:
            for sub in layer.layers:
                fields(sub, prefix="   " * (prefix.count("└") + 1) + "└ ")

    for layer in layers:
        fields(layer)

    lines = [f'Model: "{model.name}"']
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    lines.extend(_row(header, widths, aligns, bar="┃"))
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for i, r in enumerate(rows):
        if i:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
        lines.extend(_row(r, widths, aligns))
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")

    trainable_count, trainable_mem = _count(model.trainable_weights)
    non_trainable_count, non_trainable_mem = _count(model.non_trainable_weights)
    opt = model.__dict__.get("optimizer") if model.compiled else None
    opt_vars = list(getattr(opt, "variables", []) or []) if opt is not None and \
        getattr(opt, "built", False) else []
    opt_count, opt_mem = _count(opt_vars) if opt_vars else (0, 0)
    total = trainable_count + non_trainable_count + opt_count
    total_mem = trainable_mem + non_trainable_mem + opt_mem
    lines.append(f" Total params: {total:,} ({readable_memory_size(total_mem)})")
    lines.append(f" Trainable params: {trainable_count:,} "
                 f"({readable_memory_size(trainable_mem)})")
    lines.append(f" Non-trainable params: {non_trainable_count:,} "
                 f"({readable_memory_size(non_trainable_mem)})")
    if opt_vars:
        lines.append(f" Optimizer params: {opt_count:,} ({readable_memory_size(opt_mem)})")
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        print_fn(text)
