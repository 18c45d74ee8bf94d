"""Whether an SVG picture is safe to serve to respondents and to hand to the PDF renderer.

An SVG file is a program as much as a picture: it can run scripts, load other files from the
network (which would tell a third party who opens the form) and, through XML entities, grow
to gigabytes while it is read. A questionnaire's SVG may therefore hold drawing only: no
scripts or event handlers, no foreign HTML, no reference to anything outside the file except
embedded pictures, and no DOCTYPE (where entities live). It is refused before it is parsed if
it declares one, so the parser never expands an entity.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_REFUSED_ELEMENTS = {"script": "a script", "foreignObject": "foreign (HTML) content",
                     "iframe": "an embedded page", "embed": "an embedded object",
                     "object": "an embedded object", "handler": "an event handler",
                     "listener": "an event handler"}
_LINK_ATTRIBUTES = {"href", "src"}
_ANIMATIONS = {"set", "animate"}
_EMBEDDED_PICTURE = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_STYLESHEET = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _outside(reference: str) -> bool:
    """True when `reference` leads out of the file: anything but `#id` or an embedded
    PNG/JPEG/GIF/WebP picture."""
    reference = reference.strip()
    return not (reference.startswith("#") or _EMBEDDED_PICTURE.match(reference))


def _style_problem(style: str) -> str | None:
    if "@import" in style.lower():
        return "@import (loads another file)"
    for reference in _URL.findall(style):
        if _outside(reference):
            return f"url({reference[:60]}) (only url(#id) and embedded pictures may be used)"
    return None


def _element_problem(element: ElementTree.Element) -> str | None:
    tag = _local(str(element.tag))
    if tag in _REFUSED_ELEMENTS:
        return f"element <{tag}> ({_REFUSED_ELEMENTS[tag]})"
    for name, value in element.attrib.items():
        attribute = _local(name)
        if attribute.lower().startswith("on"):
            return f"attribute {attribute}= on <{tag}> (an event handler runs a script)"
        if attribute in _LINK_ATTRIBUTES and _outside(value):
            return (f"attribute {attribute}=\"{value[:60]}\" on <{tag}> (a reference to another "
                    "file; only #id and embedded pictures may be used)")
        if tag in _ANIMATIONS and attribute == "attributeName" and (
                _local(value) in _LINK_ATTRIBUTES or value.lower().startswith("on")):
            return f"<{tag} attributeName=\"{value}\"> (changes a link or a handler)"
        if problem := _style_problem(value):
            return f"attribute {attribute}= on <{tag}>: {problem}"
    if tag == "style" and (problem := _style_problem("".join(element.itertext()))):
        return f"<style>: {problem}"
    return None


def svg_problem(path: Path) -> str | None:
    """What makes the SVG file at `path` unsafe or unreadable, naming the element or
    attribute, or None when it holds drawing only."""
    data = path.read_bytes()
    if _DECLARATION.search(data):
        return ("declares a DOCTYPE or entities (they can make the file explode while it is "
                "read); save it again without them")
    if _STYLESHEET.search(data):
        return "holds <?xml-stylesheet?> (loads another file); remove it"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"is not well-formed XML ({error}); save it again from the drawing program"
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        return (f"is not an SVG picture: its first element is <{_local(str(root.tag))}>, "
                f"expected <svg xmlns=\"{SVG_NAMESPACE}\">")
    for element in root.iter():
        if problem := _element_problem(element):
            return f"holds {problem}; remove it (a picture needs drawing only)"
    return None
