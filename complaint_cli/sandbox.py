"""Limits on what a template we did not write may compute: sizes, ranges, time and memory.

Jinja's ``SandboxedEnvironment`` keeps a template away from Python's internals but not from computing forever or
filling the memory: ``{{ 'a' * 10**10 }}``, a list doubling itself in a loop, three nested ``range`` loops. An
advocate's template (``--templates``) renders in :class:`LimitedSandbox`, which bounds it in three layers:

1. **Values.** Every operation that can make a value grow is checked *before* it runs where its size is known in
   advance (``*`` and ``**``, ``+`` on strings and lists, printf widths of ``%`` and ``|format``, ``str.format``
   widths, ``center``/``indent``/``batch`` widths, ``join``), and its result after it runs (calls and their
   arguments, filters, ``~``, methods that grow a list or dict in place, ``namespace`` attributes — the only values a
   loop carries from one pass to the next); ``range`` gives at most :attr:`Limits.range` items. Sizes are
   weights (:func:`weight`): a list that holds another twice counts it twice, so nesting a list in itself cannot hide a
   terabyte in a few bytes.
2. **No evaluation while compiling.** Jinja folds constant expressions at compile time — ``{{ 'x'|center(10**10) }}``
   ran when the template was *compiled*, before any limit — so this environment compiles without the optimizer and
   without folding output expressions: everything runs at render time, under the limits.
3. **Time and memory of the whole render** (:func:`limits`): a wall-clock deadline, looked at by every check above,
   every ``for`` loop and the output as it comes (so it holds in any thread), and in the main thread also enforced by
   ``SIGALRM``, which stops Python code anywhere; and a cap on the address space the render may add (``RLIMIT_AS``,
   Linux), so an allocation nothing above foresaw fails at once with ``MemoryError`` instead of taking the machine
   down. The cap is process-wide while a render runs: renders of others' templates belong in one thread at a time.

The bundled templates are ours and render in the plain sandbox of :mod:`complaint_cli.render`, at full speed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import signal
import string
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace


@dataclass(frozen=True)
class Limits:
    """What one render of a template we did not write may use. Generous: a letter needs a thousandth of each."""

    seconds: float = 2.0  # wall time of one render (a letter renders in a few milliseconds)
    memory: int = 512 * 2**20  # bytes of address space one render may add to the process
    range: int = 10_000  # items of one range()
    size: int = 1_000_000  # characters of a string, items of a list, tuple, dict or set
    int_bits: int = 4_096  # bits of an integer (a sum in kopecks needs 40)
    output: int = 32 * 2**20  # characters of the rendered document part


LIMITS = Limits()  # tests replace it with smaller figures


class LimitExceeded(Exception):
    """A template went over one of the :class:`Limits`; ``reason`` says which, in Russian."""

    def __init__(self, reason: str, *, runaway: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.runaway = runaway  # time or memory: the template is refused for the rest of the process


class _Timeout(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that no ``except Exception`` in a filter swallows it."""


_state = threading.local()  # deadline: float | None, of the render running in this thread


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _tick() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise time_exceeded()


def time_exceeded() -> LimitExceeded:
    seconds = f"{LIMITS.seconds:g}".replace(".", ",")
    return LimitExceeded(f"отрисовка длится дольше {seconds} с (бесконечный или слишком длинный цикл?)",
                         runaway=True)


def memory_exceeded() -> LimitExceeded:
    return LimitExceeded(f"отрисовке не хватило {LIMITS.memory // 2**20} МБ памяти (значение растёт без меры?)",
                         runaway=True)


def _too_long(size: int, what: str) -> LimitExceeded:
    return LimitExceeded(f"{what}: значение длиной {_n(size)} — больше допустимых {_n(LIMITS.size)}")


_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_SCALARS = frozenset({int, float, bool, type(None), Decimal, dt.date, dt.datetime})  # skipped fast by weight()
_MAX_DEPTH = 100  # lists in lists: a letter's data is three levels deep


def weight(value: Any, limit: int) -> int:
    """The size of a value written out: characters of its strings plus items of its containers, counting a shared
    item once per place it appears — ``[x, x]`` weighs twice ``x``, so a list nested in itself 40 times over, small
    in memory but a terabyte when printed or compared, weighs what printing it would cost. Each container is weighed
    once (memo by identity), so that costs 40 steps, not 2**40; counting stops past ``limit``; a container that holds
    itself weighs more than any limit."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _SIZED):
        return 1
    memo: dict[int, int] = {}

    def weigh(container: Any, depth: int) -> int:
        key = id(container)
        if key in memo:
            return memo[key]
        if depth > _MAX_DEPTH:
            raise LimitExceeded(f"значение вложено глубже {_MAX_DEPTH} уровней")
        memo[key] = limit + 1  # met again while being weighed: it holds itself
        items = container.values() if isinstance(container, dict) else container
        total = len(container)
        for child in [x for x in items if type(x) not in _SCALARS and isinstance(x, _SIZED)]:
            total += len(child) if isinstance(child, (str, bytes)) else weigh(child, depth + 1)
            if total > limit:
                break
        memo[key] = total
        return total

    return weigh(value, 0)


def _check_size(value: Any, what: str) -> Any:
    if isinstance(value, _SIZED) and (size := weight(value, LIMITS.size)) > LIMITS.size:
        raise _too_long(size, what)
    return value


def _check_int(bits: int, what: str) -> None:
    if bits > LIMITS.int_bits:
        raise LimitExceeded(f"{what}: число длиной {_n(bits)} бит — больше допустимых {_n(LIMITS.int_bits)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    what = f"оператор «{operator}»"
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SIZED) and _is_int(count) and len(seq) * count > LIMITS.size:
                raise _too_long(len(seq) * count, what)
        if _is_int(left) and _is_int(right):
            _check_int(left.bit_length() + right.bit_length(), what)
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            _check_int(left.bit_length() * right, what)
    elif operator == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED) and len(left) + len(right) > LIMITS.size:
            raise _too_long(len(left) + len(right), what)
    elif operator == "%" and isinstance(left, str):
        _check_printf(left, right, what)


# A printf conversion: %[(key)][flags][width][.precision]type
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_widths(widths: list[str], args: Any, what: str) -> None:
    """Widths and precisions of a format: a number over the size limit, or one taken from the arguments (``*``,
    ``{w}``) where an argument is over it, would build a string that long."""
    for width in widths:
        if width.isdigit() and int(width) > LIMITS.size:
            raise _too_long(int(width), what)
    if any(not w.isdigit() for w in widths):
        values = args.values() if isinstance(args, dict) else args if isinstance(args, (list, tuple)) else (args,)
        for value in values:
            if _is_int(value) and value > LIMITS.size:
                raise _too_long(value, what)


def _check_printf(fmt: str, args: Any, what: str) -> None:
    _check_widths([w for m in _PRINTF.finditer(fmt) for w in m.groups() if w], args, what)


def _check_str_format(fmt: str, args: tuple, kwargs: dict, what: str) -> None:
    widths = []
    try:
        for _, field_name, spec, _ in string.Formatter().parse(fmt):
            if field_name is not None and spec:
                widths += re.findall(r"\d+", spec) + (["{}"] if "{" in spec else [])
    except ValueError:
        return  # a malformed format: str.format itself will say so
    _check_widths(widths, list(args) + list(kwargs.values()), what)


# Filters whose integer arguments are widths or counts of the result (center(width), indent(width), batch(count)…).
_WIDTH_FILTERS = {"center", "indent", "batch", "slice", "wordwrap", "truncate"}
# Methods of str whose integer arguments are widths of the result.
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


def _check_widths_of(args: tuple, kwargs: dict, what: str) -> None:
    for value in (*args, *kwargs.values()):
        if _is_int(value) and value > LIMITS.size:
            raise _too_long(value, what)
        if isinstance(value, str) and len(value) > LIMITS.size:  # indent(width="…")
            raise _too_long(len(value), what)


def _check_join(items: Any, separator: Any, what: str) -> None:
    if isinstance(items, (list, tuple)):
        size = sum(len(x) if isinstance(x, str) else 1 for x in items)
        size += max(len(items) - 1, 0) * (len(separator) if isinstance(separator, str) else 0)
        if size > LIMITS.size:
            raise _too_long(size, what)


def _checked_filter(name: str, func: Any) -> Any:
    what = f"фильтр «{name}»"

    @functools.wraps(func)  # keeps jinja_pass_arg: the compiler passes the context or environment as before
    def checked(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if name in _WIDTH_FILTERS:
            _check_widths_of(args[1:], kwargs, what)
        elif name == "format" and args and isinstance(args[0], str):
            _check_printf(args[0], kwargs or args[1:], what)
        elif name == "join" and len(args) >= 2:  # join(eval_ctx, value, d="")
            _check_join(args[1], args[2] if len(args) > 2 else kwargs.get("d", ""), what)
        return _check_size(func(*args, **kwargs), what)

    return checked


class _NoFoldingCodeGenerator(CodeGenerator):
    """Compiles without evaluating anything but the template's literal text, checks the size of every ``~`` and
    looks at the clock in every ``for`` loop (so a loop with an empty body cannot run past the deadline either)."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        for loop in node.find_all(nodes.For):  # for x in checked_iter(…)
            loop.iter = nodes.Call(nodes.ImportedName(f"{__name__}.checked_iter"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> str:
        if isinstance(node, nodes.TemplateData):
            return super()._output_child_to_const(node, frame, finalize)
        raise nodes.Impossible()

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Namespace(Namespace):
    """``namespace()``, whose attributes are the only values a template carries from one loop pass to the next:
    each one set is checked, so nothing grows pass after pass past the limit."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        super().__setitem__(name, _check_size(value, f"присваивание {name} в namespace"))


def checked_iter(iterable: Any) -> Iterator[Any]:
    """The items of a ``for`` loop, looking at the clock every 256 of them."""
    for count, item in enumerate(iterable, 1):
        if not count & 255:
            _tick()
        yield item


def _safe_range(*args: int) -> range:
    _tick()
    rng = range(*args)
    if len(rng) > LIMITS.range:
        raise LimitExceeded(f"range() на {_n(len(rng))} элементов — больше допустимых {_n(LIMITS.range)}")
    return rng


def _safe_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002 (Jinja's names)
    from jinja2.utils import generate_lorem_ipsum

    _tick()
    if n * max > LIMITS.size // 10:  # ~10 characters a word
        raise _too_long(n * max * 10, "вызов lipsum()")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox with :data:`LIMITS` on sizes and ranges and no compile-time evaluation (see the module doc)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _NoFoldingCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, **options)
        self.globals["range"] = _safe_range
        self.globals["lipsum"] = _safe_lipsum
        self.globals["namespace"] = _Namespace
        self.filters = {name: _checked_filter(name, func) for name, func in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        return _check_size(self.binop_table[operator](left, right), f"оператор «{operator}»")

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        _tick()
        method = getattr(obj, "__name__", "")
        owner = getattr(obj, "__self__", None)
        what = f"вызов {method}()" if method else "вызов макроса"
        if isinstance(owner, str):
            if method in _WIDTH_METHODS:
                _check_widths_of(args, kwargs, what)
            elif method == "join" and args:
                _check_join(args[0], owner, what)
        for arg in (*args, *kwargs.values()):  # a macro calling itself with [x, x] would double x at every level
            _check_size(arg, what)
        result = super().call(context, obj, *args, **kwargs)
        if isinstance(owner, (list, dict, set)):  # append/extend/update grow the object itself
            _check_size(owner, what)
        return _check_size(result, what)

    def wrap_str_format(self, value: Any) -> Any:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = value.__self__

        @functools.wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            _tick()
            _check_str_format(fmt, args, kwargs, f"вызов {value.__name__}()")
            return _check_size(wrapper(*args, **kwargs), f"вызов {value.__name__}()")

        return checked

    def checked_concat(self, value: Any) -> Any:
        """The result of ``a ~ b`` (compiled by :class:`_NoFoldingCodeGenerator`)."""
        _tick()
        return _check_size(value, "оператор «~»")


def render_limited(template: Any, context: dict[str, Any]) -> str:
    """Render a template of :class:`LimitedSandbox` under :func:`limits`, counting the output as it comes."""
    parts: list[str] = []
    total = 0
    try:
        with limits():
            for count, chunk in enumerate(template.generate(context)):
                total += len(chunk)
                if total > LIMITS.output:
                    raise LimitExceeded(f"документ вышел бы длиннее {_n(LIMITS.output)} символов", runaway=True)
                parts.append(chunk)
                if not count & 1023:
                    _tick()
            return "".join(parts)
    except _Timeout:  # the alarm went off while limits() was already cleaning up
        raise time_exceeded() from None


@contextlib.contextmanager
def limits() -> Iterator[None]:
    """Run the block under :data:`LIMITS` of time and memory; breaking either raises :class:`LimitExceeded`."""
    _state.deadline = time.monotonic() + LIMITS.seconds
    restore_memory = _limit_memory(LIMITS.memory)
    restore_alarm = _alarm(LIMITS.seconds)
    try:
        yield
    except _Timeout:
        raise time_exceeded() from None
    except MemoryError:
        raise memory_exceeded() from None
    except RecursionError:
        raise LimitExceeded("макросы шаблона вызывают друг друга слишком глубоко") from None
    finally:
        restore_alarm()
        restore_memory()
        _state.deadline = None


def _alarm(seconds: float) -> Any:
    """Interrupt the main thread after ``seconds`` (pure-Python loops that no check above sees); elsewhere, or if
    the program uses SIGALRM itself, the cooperative checks of the deadline do it alone."""
    if (threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer")
            or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None)
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        return lambda: None
    armed = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            raise _Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)

    def restore() -> None:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    return restore


def _limit_memory(extra: int) -> Any:
    """Cap the process's address space at its current size plus ``extra`` (Linux; elsewhere a no-op)."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = current + extra
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return lambda: None  # already tighter
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        return lambda: None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
