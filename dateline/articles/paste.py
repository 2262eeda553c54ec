"""What Word, Google Docs and web pages put on the clipboard, turned into the structure a story body allows.

A pre-pass before the allow-list (html.clean_html): the allow-list drops every `style`, and with it the only sign
that a Google Docs span is bold or italic, and every Word `class`, the only sign that a paragraph is a list item.
So this pass reads them first: styled spans become <strong>/<em>, Word list paragraphs become <ul>/<ol> with <li>,
Word's list markers ("·", "1.") and Google Docs' outer <b id="docs-internal-guid-…"> go, <h1> becomes <h2>, and
spans other than a figure's credit are unwrapped. body-editor.js applies the same rules to a paste in the editor.
"""

import re
from html import escape
from html.parser import HTMLParser

BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)\b", re.IGNORECASE)
ITALIC = re.compile(r"font-style\s*:\s*italic\b", re.IGNORECASE)
WORD_LIST = re.compile(r"mso-list\s*:\s*l\d+\s+level(\d+)", re.IGNORECASE)
WORD_MARKER = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
ORDERED_MARKER = re.compile(r"\s*(\d+|[a-z]|[ivxlc]+)[.)]", re.IGNORECASE)
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "table", "blockquote", "figure", "hr"}
RENAMED = {"h1": "h2"}


def clean_pasted(html):
    """`html` with clipboard styling turned into tags (see the module's docstring); the allow-list runs after."""
    parser = ClipboardParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


class ClipboardParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.closers = {"span": [], "b": [], "p": []}  # what each open element's end tag becomes
        self.lists = []  # open Word lists: [index of the opening tag in self.out, tag]
        self.marker = None  # text of the Word list marker being skipped, while inside it
        self.marker_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.marker is not None:
            self.marker_depth += tag == "span"
            return
        if tag == "span":
            return self.open_span(attributes)
        if tag == "b" and (attributes.get("id") or "").startswith("docs-internal-guid"):
            return self.closers["b"].append("")
        level = WORD_LIST.search(attributes.get("style") or "")
        if tag == "p" and level and (attributes.get("class") or "").lower().startswith("msolist"):
            return self.open_list_item(int(level.group(1)))
        if tag in BLOCKS:
            self.close_lists()
        if tag == "p" and "quote" in (attributes.get("class") or "").lower():  # Word's Quote styles
            self.closers["p"].append("</p></blockquote>")
            return self.out.append("<blockquote><p>")
        if tag in self.closers:
            self.closers[tag].append(f"</{tag}>")
        self.out.append(f"<{RENAMED[tag]}>" if tag in RENAMED else self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if self.marker is None and tag != "span":
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.marker is not None:
            if tag == "span" and self.marker_depth == 0:
                self.end_marker()
            self.marker_depth -= tag == "span"
            return
        if tag in self.closers:
            if self.closers[tag]:
                self.out.append(self.closers[tag].pop())
            return
        self.out.append(f"</{RENAMED.get(tag, tag)}>")

    def handle_data(self, data):
        if self.marker is not None:
            self.marker += data
        else:
            self.out.append(escape(data, quote=False))

    def close(self):
        super().close()
        self.close_lists()

    def open_span(self, attributes):
        style = attributes.get("style") or ""
        if WORD_MARKER.search(style):
            self.marker, self.marker_depth = "", 0
            return
        opening, closing = "", ""
        if attributes.get("class") == "credit":
            opening, closing = '<span class="credit">', "</span>"
        for test, name in ((BOLD, "strong"), (ITALIC, "em")):
            if test.search(style):
                opening, closing = f"{opening}<{name}>", f"</{name}>{closing}"
        self.out.append(opening)
        self.closers["span"].append(closing)

    def end_marker(self):
        """A Word list's first marker tells whether the list is numbered."""
        if self.lists and ORDERED_MARKER.match(self.marker) and self.out[self.lists[-1][0]] == "<ul>":
            self.out[self.lists[-1][0]] = "<ol>"
            self.lists[-1][1] = "ol"
        self.marker = None

    def open_list_item(self, level):
        while len(self.lists) > level:
            self.close_list()
        if len(self.lists) == level:
            self.out.append("</li>")
        while len(self.lists) < level:
            self.lists.append([len(self.out), "ul"])
            self.out.append("<ul>")
        self.out.append("<li>")
        self.closers["p"].append("")

    def close_list(self):
        _index, tag = self.lists.pop()
        self.out.append(f"</li></{tag}>")

    def close_lists(self):
        while self.lists:
            self.close_list()

    def handle_comment(self, data):
        """Comments (Word's conditional ones among them) are dropped."""

    def unknown_decl(self, data):
        """Word's `<![if !supportLists]>` and `<![endif]>` are dropped."""
