# gdb pretty-printers for embedlab: `p t` on a Tensor shows its shape, dtype, op and values
# the way Tensor::to_string() does, without calling into the program (so they also work on a
# core file). Load them with:   source scripts/gdb/embedlab_printers.py
# (or add that line to ~/.gdbinit). `call t.to_string()` still gives the full text.
import gdb
import gdb.printing

MAX_SHOWN = 12  # elements shown before "..."


def _shared_ptr_target(ptr):
    """The object a std::shared_ptr points to, or None (libstdc++ layout: _M_ptr)."""
    raw = ptr["_M_ptr"]
    return None if int(raw) == 0 else raw.dereference()


def _vector_items(vec, limit):
    """Up to `limit` elements of a std::vector and its size (libstdc++ layout)."""
    start = vec["_M_impl"]["_M_start"]
    finish = vec["_M_impl"]["_M_finish"]
    size = int(finish - start)
    return [start[i] for i in range(min(size, limit))], size


def _readable(text_of, what):
    """text_of() in a try: at a function's first line gdb may see arguments not yet set."""
    try:
        return text_of()
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError, ValueError):
        return what + "(<not readable here: step past the function's first line>)"


def _shape_text(shape):
    rank = int(shape["rank_"])
    sizes = [str(int(shape["sizes_"]["_M_elems"][i])) for i in range(rank)]
    return "(" + ", ".join(sizes) + ")"


class ShapePrinter:
    """embedlab::Shape as (R, C)."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _shape_text(self.val)


class TensorPrinter:
    """embedlab::Tensor as tensor(shape (2, 3), float32, grad_fn=<add>) [1, 2, 3, ...]."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _readable(self._text, "tensor")

    def _text(self):
        impl = _shared_ptr_target(self.val["impl_"])
        if impl is None:
            return "tensor(undefined)"
        is_float = str(impl["dtype"]).endswith("Float32")
        parts = ["shape " + _shape_text(impl["shape"]), "float32" if is_float else "int64"]
        op = impl["op"]
        if int(op) != 0:
            parts.append("grad_fn=<%s>" % op.string())
        elif bool(impl["requires_grad"]):
            parts.append("requires_grad=true")
        storage = _shared_ptr_target(impl["storage"])
        values = ""
        if storage is not None:
            items, size = _vector_items(storage["values" if is_float else "ids"], MAX_SHOWN)
            shown = ["%.4g" % float(v) if is_float else str(int(v)) for v in items]
            values = " [" + ", ".join(shown) + (", ..." if size > len(items) else "") + "]"
        return "tensor(" + ", ".join(parts) + ")" + values


class NodePrinter:
    """embedlab::Node as node 'matmul' with its input shapes."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _readable(self._text, "node")

    def _text(self):
        items, size = _vector_items(self.val["inputs"], 8)
        shapes = []
        for edge in items:
            impl = _shared_ptr_target(edge["tensor"]["impl_"])
            shapes.append("?" if impl is None else _shape_text(impl["shape"]))
        state = " (released)" if bool(self.val["released"]) else ""
        return "node '%s'%s, inputs %s" % (self.val["name"].string(), state, ", ".join(shapes))


class SavedTensorPrinter:
    """embedlab::SavedTensor as its tensor and the storage version it was saved at."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _readable(self._text, "saved tensor")

    def _text(self):
        return "%s (saved at version %d)" % (
            TensorPrinter(self.val["tensor"])._text(), int(self.val["version"]))


def build_printers():
    printers = gdb.printing.RegexpCollectionPrettyPrinter("embedlab")
    printers.add_printer("Shape", "^embedlab::Shape$", ShapePrinter)
    printers.add_printer("Tensor", "^embedlab::Tensor$", TensorPrinter)
    printers.add_printer("Node", "^embedlab::Node$", NodePrinter)
    printers.add_printer("SavedTensor", "^embedlab::SavedTensor$", SavedTensorPrinter)
    return printers


gdb.printing.register_pretty_printer(gdb.current_objfile(), build_printers(), replace=True)
