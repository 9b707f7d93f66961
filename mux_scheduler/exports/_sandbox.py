"""The child-process side of custom template rendering (see ``exports.custom``).

Run as ``python -m mux_scheduler.exports._sandbox``: reads one JSON request on stdin, writes
one JSON answer on stdout. The process sets its own address-space and CPU limits and a
wall-clock alarm around the render, and the parent kills it if it still overruns, so a
runaway template (endless loops, memory bombs) is stopped by the kernel or the clock, never
by trusting the template. Nothing here imports the database, FastAPI or the rest of the app.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import resource
import signal
import sys
from types import FrameType, TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE_REPEAT = 1_000_000
MAX_EXPONENT = 256
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox plus checks on ``*`` and ``**`` (string/number bombs).

    Jinja already caps ``range()`` at 100,000 items and blocks ``_``-prefixed attributes;
    other ways to allocate memory (``ljust``, ``center``, ``format`` widths) are stopped by
    the child's address-space limit.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is above the limit of {MAX_EXPONENT}")
            return operator.pow(left, right)
        return super().call_binop(context, op, left, right)


def _check_repeat(sequence: Any, count: Any) -> None:
    sized = isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int)
    if sized and len(sequence) * count > MAX_SEQUENCE_REPEAT:
        raise SecurityError(f"repetition would build more than {MAX_SEQUENCE_REPEAT} items")


def csv_cell(value: Any) -> str:
    """One RFC 4180 cell, quoted when needed, with spreadsheet formulas neutralised."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text])
    return buffer.getvalue()


def make_environment(*, autoescape: bool) -> LimitedSandbox:
    env = LimitedSandbox(
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csv_cell"] = csv_cell
    return env


def template_line(exc: BaseException) -> int | None:
    """The template line a render error was raised on (Jinja maps frames to '<template>')."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line = None
    trace: TracebackType | None = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def render_limited(
    source: str, *, autoescape: bool, context: dict[str, Any], max_output_chars: int
) -> str:
    template = make_environment(autoescape=autoescape).from_string(source)
    chunks: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > max_output_chars:
            raise OutputTooLarge(f"output is larger than {max_output_chars} characters")
        chunks.append(chunk)
    return "".join(chunks)


class OutputTooLarge(Exception):
    pass


def _apply_limits(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def describe(exc: BaseException) -> str:
    if isinstance(exc, RenderTimeout):
        reason = str(exc)
    elif isinstance(exc, SecurityError):
        reason = f"unsafe operation blocked by the sandbox: {exc}"
    elif isinstance(exc, UndefinedError):
        reason = f"undefined variable or attribute: {exc}"
    elif isinstance(exc, MemoryError):
        reason = "render exceeded the memory limit"
    elif isinstance(exc, OutputTooLarge | TemplateError):
        reason = str(exc)
    elif isinstance(exc, OverflowError) and "range" in str(exc).lower():
        reason = f"loop too large: {exc}"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    line = template_line(exc)
    return f"line {line}: {reason}" if line is not None else reason


class RenderTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise RenderTimeout("render took too long and was stopped")


def handle(request: dict[str, Any]) -> dict[str, str]:
    """Apply the limits, render under a wall-clock alarm, and describe the outcome."""
    _apply_limits(int(request["memory_bytes"]), int(request["cpu_seconds"]))
    sys.setrecursionlimit(2000)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(request["timeout_seconds"]))
    try:
        output = render_limited(
            str(request["source"]),
            autoescape=bool(request["autoescape"]),
            context=dict(request["context"]),
            max_output_chars=int(request["max_output_chars"]),
        )
    except BaseException as exc:  # every failure becomes a rejection message
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"status": "error", "payload": describe(exc)}
    signal.setitimer(signal.ITIMER_REAL, 0)
    return {"status": "ok", "payload": output}


def main() -> None:
    request = json.load(sys.stdin)
    answer = handle(request)
    json.dump(answer, sys.stdout, ensure_ascii=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
