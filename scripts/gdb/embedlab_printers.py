# gdb pretty-printers for embedlab: `p t` on a Tensor shows its shape, dtype, op and values
# the way Tensor::to_string() does, without calling into the program (so they also work on a
# core file). Load them with:   source scripts/gdb/embedlab_printers.py
# (or add that line to ~/.gdbinit). `call t.to_string()` still gives the full text.
#
# Loading them also loads the skip recipe beside them (embedlab_skip.gdb), so that `step` from a
# chapter's line goes into embedlab's code, not into shared_ptr or vector internals.
#
# A value is checked before it is shown: at a function's entry its locals are not built yet
# (and a reference argument may not be stored yet), so their memory holds leftovers. The
# printers then say "not readable yet" instead of printing a plausible-looking garbage shape.
import os

import gdb
import gdb.printing

MAX_SHOWN = 12  # elements shown before "..."
MAX_RANK = 2  # embedlab tensors are rank 0, 1 or 2
MAX_SIZE = 1 << 40  # no real dim is longer; a larger size means uninitialised memory
MAX_NAME = 64  # op names are short identifiers
NOT_READABLE = "<not readable yet: its memory is not set up here; step past the function's first line (next)>"


class NotReadable(Exception):
    """The value's memory does not hold a built object (yet)."""


def _check(condition):
    if not condition:
        raise NotReadable()


def _pointer(ptr):
    """The address held by a pointer, checked to be null or a plausible aligned address."""
    address = int(ptr)
    _check(address == 0 or (address >= 4096 and address % 8 == 0))
    return address


def _shared_ptr_target(ptr):
    """The object a std::shared_ptr points to, or None (libstdc++ layout: _M_ptr)."""
    raw = ptr["_M_ptr"]
    return None if _pointer(raw) == 0 else raw.dereference()


def _vector_items(vec, limit, max_size=MAX_SIZE):
    """Up to `limit` elements of a std::vector and its size (libstdc++ layout), checked."""
    start = vec["_M_impl"]["_M_start"]
    finish = vec["_M_impl"]["_M_finish"]
    end = vec["_M_impl"]["_M_end_of_storage"]
    begin_address, finish_address, end_address = _pointer(start), int(finish), int(end)
    _check(begin_address <= finish_address <= end_address)
    _check(begin_address != 0 or end_address == 0)
    size = int(finish - start)
    _check(0 <= size <= max_size)
    return [start[i] for i in range(min(size, limit))], size


def _c_string(ptr):
    """A short printable C string (an op name), checked."""
    address = int(ptr)
    if address == 0:
        return ""
    _check(address >= 4096)  # string literals need no alignment
    text = ptr.string(length=MAX_NAME + 1)
    text = text.split("\0", 1)[0]
    _check(len(text) <= MAX_NAME and all(c.isalnum() or c in "_-. " for c in text))
    return text


def _readable(text_of, what):
    """text_of(), or `what(<not readable yet ...>)` when the memory does not hold the object."""
    try:
        return text_of()
    except (NotReadable, gdb.error, gdb.MemoryError, UnicodeDecodeError, ValueError,
            OverflowError):
        return what + "(" + NOT_READABLE + ")"


def _shape_sizes(shape):
    rank = int(shape["rank_"])
    _check(0 <= rank <= MAX_RANK)
    sizes = [int(shape["sizes_"]["_M_elems"][i]) for i in range(rank)]
    _check(all(0 <= size < MAX_SIZE for size in sizes))
    return sizes


def _shape_text(shape):
    return "(" + ", ".join(str(size) for size in _shape_sizes(shape)) + ")"


class ShapePrinter:
    """embedlab::Shape as (R, C)."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _readable(lambda: _shape_text(self.val), "shape")


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
        sizes = _shape_sizes(impl["shape"])
        numel = 1
        for size in sizes:
            numel *= size
        dtype = int(impl["dtype"])
        _check(dtype in (0, 1))  # DType::Float32, DType::Int64
        is_float = dtype == 0
        parts = ["shape " + _shape_text(impl["shape"]), "float32" if is_float else "int64"]
        requires_grad = int(impl["requires_grad"].cast(gdb.lookup_type("unsigned char")))
        _check(requires_grad in (0, 1))
        if int(impl["op"]) != 0:
            parts.append("grad_fn=<%s>" % _c_string(impl["op"]))
        elif requires_grad:
            parts.append("requires_grad=true")
        storage = _shared_ptr_target(impl["storage"])
        values = ""
        if storage is not None:
            items, size = _vector_items(storage["values" if is_float else "ids"], MAX_SHOWN)
            _check(size >= numel)  # a tensor never has more elements than its storage
            shown = ["%.4g" % float(v) if is_float else str(int(v)) for v in items[:numel]]
            values = " [" + ", ".join(shown) + (", ..." if numel > len(shown) else "") + "]"
        return "tensor(" + ", ".join(parts) + ")" + values


class NodePrinter:
    """embedlab::Node as node 'matmul' with its input shapes."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return _readable(self._text, "node")

    def _text(self):
        name = _c_string(self.val["name"])
        _check(name != "")
        items, size = _vector_items(self.val["inputs"], 8, max_size=64)
        shapes = []
        for edge in items:
            impl = _shared_ptr_target(edge["tensor"]["impl_"])
            shapes.append("?" if impl is None else _shape_text(impl["shape"]))
        released = int(self.val["released"].cast(gdb.lookup_type("unsigned char")))
        _check(released in (0, 1))
        state = " (released)" if released else ""
        more = ", ..." if size > len(items) else ""
        return "node '%s'%s, inputs %s%s" % (name, state, ", ".join(shapes), more)


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


def _load_skip_recipe():
    """Sources embedlab_skip.gdb (beside this file) once per gdb session."""
    if getattr(gdb, "_embedlab_skip_loaded", False):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    gdb.execute("source " + os.path.join(here, "embedlab_skip.gdb"), to_string=True)
    gdb._embedlab_skip_loaded = True


_load_skip_recipe()
