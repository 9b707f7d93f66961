from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mux_scheduler.core.errors import TemplateRejected
from mux_scheduler.exports import custom
from mux_scheduler.exports.custom import (
    CONTEXT_DOC,
    CustomTemplate,
    custom_context,
    custom_format,
    render_custom,
    validate_template,
)
from mux_scheduler.exports.registry import render_export

XML_SOURCE = """<?xml version="1.0" encoding="UTF-8"?>
<playlist channel="{{ channel.name }}" date="{{ playlist.broadcast_date }}">
{% for item in items %}
  <item start="{{ item.start_timecode }}" dur="{{ item.duration_timecode }}">{{ item.title }}</item>
{% endfor %}
</playlist>
"""
CSV_SOURCE = """start,title,agency
{% for item in items %}{{ item.start_timecode | csv_cell }},{{ item.title | csv_cell }},\
{{ item.agency | csv_cell }}
{% endfor %}"""


def _template(source: str, output_type: str = "text") -> CustomTemplate:
    return CustomTemplate("op-format", "Operator format", output_type, source, "{channel_slug}.txt")  # type: ignore[arg-type]


def test_valid_xml_template_renders_autoescaped(playlist):
    output = validate_template(_template(XML_SOURCE, "xml"))
    root = ET.fromstring(output)
    assert len(root.findall("item")) == len(playlist.items)
    assert "script" not in {element.tag for element in root.iter()}
    assert "<script>alert('x')</script>" in {element.text for element in root.iter()}


def test_csv_template_neutralises_formulas(playlist):
    output = render_custom(_template(CSV_SOURCE, "csv"), playlist)
    assert "'=cmd|' /C calc'!A0" in output
    assert "\n=cmd" not in output and ",=cmd" not in output


def test_text_output_is_not_escaped(playlist):
    output = render_custom(_template("{{ items[0].title }}|{{ '<b>' }}"), playlist)
    assert output == "Identitas Kanal Humas|<b>"


def test_custom_format_renders_through_the_registry(playlist):
    rendered = render_export(custom_format(_template("{{ items | length }}")), playlist)
    assert rendered.content == str(len(playlist.items)).encode()
    assert rendered.file_name == "kanal-humas.txt"


def test_syntax_error_is_rejected_with_its_line_number():
    with pytest.raises(TemplateRejected) as caught:
        validate_template(_template("ok\n{% for x in items %}\n{{ x.title }\n"))
    assert caught.value.detail.startswith("line 3:")
    assert caught.value.errors[0]["line"] == 3


def test_malformed_xml_output_is_rejected():
    with pytest.raises(TemplateRejected, match="well-formed"):
        validate_template(_template("<a>{{ channel.name }}", "xml"))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("{{ cycler.__init__.__globals__ }}", "unsafe"),
        ("{{ self._TemplateReference__context }}", "unsafe"),
        ("{{ lipsum.__globals__['os'] }}", "unsafe"),
        ("{{ os.system('id') }}", "undefined"),
        ("{{ items.append(1) }}", "unsafe"),
        ("{% for i in range(10**9) %}x{% endfor %}", "loop too large"),
        ("{{ 'a' * 10**9 }}", "repetition"),
        ("{{ [1] * 10**9 }}", "repetition"),
        ("{{ 'a'.ljust(2000000000) }}", "memory"),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            "too long",
        ),
        ("line one\n{{ items[0].no_such_field }}", "line 2: undefined"),
    ],
)
def test_hostile_templates_are_rejected_cleanly(source, reason):
    with pytest.raises(TemplateRejected, match=reason):
        validate_template(_template(source))


def test_output_size_is_limited(monkeypatch, playlist):
    monkeypatch.setattr(custom, "MAX_OUTPUT_CHARS", 10_000)
    with pytest.raises(TemplateRejected, match="larger than 10000"):
        render_custom(_template("{% for i in range(50000) %}row {{ i }}\n{% endfor %}"), playlist)


def test_context_doc_names_every_context_variable(playlist):
    context = custom_context(playlist)
    for key in context:
        assert key in CONTEXT_DOC
    for section in ("channel", "playlist"):
        for field in context[section]:
            assert field in CONTEXT_DOC, field
    for field in (*context["items"][0], *context["epg_events"][0]):
        assert field in CONTEXT_DOC, field


def test_unknown_output_type_is_rejected():
    with pytest.raises(TemplateRejected, match="output type"):
        validate_template(_template("x", "pdf"))
