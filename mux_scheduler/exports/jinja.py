"""The Jinja2 environment of the built-in formats: autoescaped and strict.

Text that XML cannot carry at all is removed when the context is built
(``context.clean_text``), not on every output, which keeps rendering fast.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def template_environment() -> Environment:
    """Built once on first use (not at import). Autoescape is on: every template is XML/HTML."""
    return Environment(
        loader=PackageLoader("mux_scheduler.exports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render_template(name: str, context: dict[str, Any]) -> str:
    return template_environment().get_template(name).render(context)
