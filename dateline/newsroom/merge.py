"""When two people saved the same story: its versions side by side, block by block, and the writer's chosen merge.

A body is cut into its top-level blocks (paragraphs, subheads, lists, figures); difflib lines the two sequences up,
and every stretch where they differ is one choice: the writer's, the other's, or both (the writer's first).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml import html as lxml_html

from dateline.articles.html import clean_html

CHOICES = ("mine", "theirs", "both")
TEXT_FIELDS = ("headline", "summary")


@dataclass
class Difference:
    number: int
    theirs: list
    mine: list


def blocks(body):
    """The body's top-level elements as HTML strings (loose text becomes a paragraph of its own)."""
    if not body or not body.strip():
        return []
    parts = []
    for fragment in lxml_html.fragments_fromstring(body):
        if isinstance(fragment, str):
            parts.extend([f"<p>{fragment.strip()}</p>"] if fragment.strip() else [])
        else:
            parts.append(lxml_html.tostring(fragment, encoding="unicode").strip())
    return parts


def stretches(theirs_body, my_body):
    """(theirs, mine, same) runs of blocks in order; a replaced run of paragraphs is paired paragraph by paragraph,
    so each changed paragraph is its own choice."""
    theirs, mine = blocks(theirs_body), blocks(clean_html(my_body or ""))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
        if tag == "equal":
            yield theirs[i1:i2], mine[j1:j2], True
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            yield [theirs[i1 + k]], [mine[j1 + k]], False
        if i1 + paired < i2 or j1 + paired < j2:
            yield theirs[i1 + paired : i2], mine[j1 + paired : j2], False


def differences(theirs_body, my_body):
    """The stretches where the two bodies differ, numbered in order (the writer's side cleaned, as it would be)."""
    changed = [(theirs, mine) for theirs, mine, same in stretches(theirs_body, my_body) if not same]
    return [Difference(number, theirs, mine) for number, (theirs, mine) in enumerate(changed)]


def merged_body(theirs_body, my_body, choose):
    """The body made of the equal blocks and, for each difference, what `choose(number)` picked."""
    merged, number = [], 0
    for theirs, mine, same in stretches(theirs_body, my_body):
        if same:
            merged += theirs
            continue
        choice = choose(number)
        merged += (mine if choice in ("mine", "both") else []) + (theirs if choice != "mine" else [])
        number += 1
    return "\n".join(merged)


def resolve(data, stored):
    """The form data with the writer's choices applied against the stored story (`data` is a mutable QueryDict)."""

    def choose(number):
        choice = data.get(f"block-{number}", "mine")
        return choice if choice in CHOICES else "mine"

    data["body"] = merged_body(stored.body, data.get("body", ""), choose)
    for name in TEXT_FIELDS:
        if data.get(f"take-{name}") == "theirs":
            data[name] = getattr(stored, name)
    data["based_on"] = data.get("theirs_version", data.get("based_on"))
    return data
