"""Parse TwiML documents into plain verb trees the player walks."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


class TwimlError(ValueError):
    """The body is not a TwiML <Response> document."""


@dataclass(frozen=True)
class Verb:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    children: tuple["Verb", ...] = ()

    def attr(self, key: str, default: str | None = None) -> str | None:
        return self.attrs.get(key, default)

    def number(self, key: str, default: float) -> float:
        """A numeric attribute; a malformed one falls back to Twilio's default."""
        try:
            return float(self.attrs[key])
        except (KeyError, ValueError):
            return default


@dataclass(frozen=True)
class Document:
    url: str                    # absolute public URL the document came from (for urljoin)
    verbs: tuple[Verb, ...]


def parse(body: str | bytes, url: str) -> Document:
    """The verbs of a <Response>; raises TwimlError for anything else."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TwimlError(f"不是 XML / not XML: {exc}") from None
    if root.tag != "Response":
        raise TwimlError(f"根元素不是 <Response> / root is <{root.tag}>, not <Response>")
    return Document(url=url, verbs=tuple(_verb(child) for child in root))


def _verb(element: ET.Element) -> Verb:
    return Verb(name=element.tag, attrs=dict(element.attrib), text=(element.text or "").strip(),
                children=tuple(_verb(child) for child in element))
