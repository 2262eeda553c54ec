// Clipboard HTML from Word, Google Docs and web pages turned into the body's structure before the editor reads it:
// the rules of dateline/articles/paste.py, so what the writer sees after a paste is what the server stores.
const BOLD = /font-weight\s*:\s*(bold|[6-9]00)\b/i;
const ITALIC = /font-style\s*:\s*italic\b/i;
const WORD_LIST = /mso-list\s*:\s*l\d+\s+level(\d+)/i;
const WORD_MARKER = /mso-list\s*:\s*ignore/i;
const ORDERED_MARKER = /^\s*(\d+|[a-z]|[ivxlc]+)[.)]/i;
const KEPT_ATTRIBUTES = new Set(["href", "title", "src", "srcset", "alt", "cite", "data-image", "data-embed", "data-src"]);
const DROPPED = "script, style, meta, link, title, xml, template, noscript";

function rename(element, tag) {
  const replacement = element.ownerDocument.createElement(tag);
  replacement.append(...element.childNodes);
  element.replaceWith(replacement);
  return replacement;
}

function unwrap(element) {
  element.replaceWith(...element.childNodes);
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((comment) => comment.remove());
}

function cleanSpans(root) {
  for (const span of [...root.querySelectorAll("span")]) {
    const style = span.getAttribute("data-style") || "";
    if (span.classList.contains("credit")) continue;
    let inner = span;
    for (const [test, tag] of [[BOLD, "strong"], [ITALIC, "em"]]) {
      if (test.test(style)) {
        const wrapper = root.ownerDocument.createElement(tag);
        wrapper.append(...inner.childNodes);
        inner.append(wrapper);
        inner = wrapper;
      }
    }
    unwrap(span);
  }
}

// Word's list paragraphs (<p class=MsoListParagraph… style="mso-list:l0 level1 lfo1">) as <ul>/<ol> with <li>.
function wordLists(root) {
  let stack = [];  // open lists, outermost first
  for (const child of [...root.children]) {
    const level = WORD_LIST.exec(child.getAttribute("data-style") || "");
    if (!(child.tagName === "P" && level && /^msolist/i.test(child.className))) {
      stack = [];
      continue;
    }
    const depth = Number(level[1]);
    const marker = [...child.querySelectorAll("span")].find((s) => WORD_MARKER.test(s.getAttribute("data-style") || ""));
    const ordered = marker && ORDERED_MARKER.test(marker.textContent);
    if (marker) marker.remove();
    stack = stack.slice(0, depth);
    while (stack.length < depth) {
      const list = root.ownerDocument.createElement(ordered ? "ol" : "ul");
      if (stack.length) stack[stack.length - 1].lastElementChild.append(list);
      else child.before(list);
      stack.push(list);
    }
    const item = root.ownerDocument.createElement("li");
    item.append(...child.childNodes);
    stack[depth - 1].append(item);
    child.remove();
  }
}

// Style attributes are read under another name, and event handlers disarmed, before parsing: the CSP refuses
// (and reports) both inline styles and inline handlers even in a parsed document.
const STYLE_ATTRIBUTE = /(\s)style(\s*=)/gi;
const HANDLER_ATTRIBUTE = /(\s)(on\w+\s*=)/gi;
const STYLE_OR_SCRIPT = /<(style|script)\b[\s\S]*?<\/\1\s*>/gi;

export function cleanPastedHTML(html) {
  const renamed = html.replace(STYLE_OR_SCRIPT, "").replace(/<[a-z][^>]*>/gi, (tag) =>
    tag.replace(STYLE_ATTRIBUTE, "$1data-style$2").replace(HANDLER_ATTRIBUTE, "$1data-dropped-$2"));
  const doc = new DOMParser().parseFromString(renamed, "text/html");
  const body = doc.body;
  body.querySelectorAll(DROPPED).forEach((element) => element.remove());
  removeComments(body);
  body.querySelectorAll('b[id^="docs-internal-guid"]').forEach(unwrap);
  body.querySelectorAll("h1").forEach((heading) => rename(heading, "h2"));
  body.querySelectorAll("p[class*='Quote' i]").forEach((paragraph) => {
    const quote = doc.createElement("blockquote");
    paragraph.replaceWith(quote);
    quote.append(paragraph);
  });
  wordLists(body);
  cleanSpans(body);
  for (const element of body.querySelectorAll("*")) {
    if (element.tagName.includes(":")) unwrap(element);  // Word's <o:p>
  }
  for (const element of body.querySelectorAll("*")) {
    for (const name of element.getAttributeNames()) {
      const ownClass = name === "class" && element.matches(".credit, .pullquote, .embed");
      if (!KEPT_ATTRIBUTES.has(name) && !ownClass) element.removeAttribute(name);  // event handlers among them
    }
  }
  return body.innerHTML;
}
