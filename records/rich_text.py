"""Rich text of record groups and entries: the allow-list every piece of HTML passes.

Rich text is written with the editor (the Customer record setting "Editor") and may hold
headings, lists, emphasis and tables. It is cleaned with nh3 when it is saved, and again
when it is shown, so a tightened allow-list also covers what was stored before. No script,
style, event handler or link survives: the pages' Content-Security-Policy forbids inline
styles anyway, and a clinical note has no need to send anyone elsewhere.
"""

import html

import nh3
from django.utils.html import escape, linebreaks

from customers.models import CustomerSettings

TAGS = {
    "p", "br", "hr", "div", "span", "blockquote", "pre",
    "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
}


def writes_rich(already_rich: bool, settings: CustomerSettings | None = None) -> bool:
    """Whether a text is written as rich text: once the Editor setting is on, yes; and rich
    text stays rich when the setting is switched off, so no table is ever flattened."""
    return already_rich or (settings or CustomerSettings.load()).record_editor_enabled


def clean(markup: str) -> str:
    """`markup` with everything outside the allow-list removed (scripts with their content)."""
    return nh3.clean(
        markup,
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes=set(),
        strip_comments=True,
        link_rel=None,
    ).strip()


def in_format(text: str, *, rich: bool, was_rich: bool) -> str:
    """`text`, written rich or plain (`was_rich`), as the format it is edited in now."""
    if rich and not was_rich:
        return from_plain(text)
    if was_rich and not rich:
        return to_plain(text)
    return text


def from_plain(text: str) -> str:
    """Plain text as rich text: paragraphs and line breaks kept, everything escaped."""
    return linebreaks(escape(text)) if text else ""


def to_plain(markup: str) -> str:
    """Rich text as plain text, for a plain entry written from a rich template."""
    with_breaks = markup.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</tr>", "\n")
    with_breaks = with_breaks.replace("</li>", "\n").replace("</td>", "\t")
    text = nh3.clean(with_breaks, tags=set(), clean_content_tags={"script", "style"})
    return "\n".join(line.rstrip() for line in html.unescape(text).splitlines()).strip()
