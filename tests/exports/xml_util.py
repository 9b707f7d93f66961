"""Parse our own XML exports for assertions (typed ``Any``: tests walk the tree freely)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any


def parse_xml(content: str | bytes) -> Any:
    return ET.fromstring(content)
