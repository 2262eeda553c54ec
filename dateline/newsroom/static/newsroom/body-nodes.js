// The body's own elements as Tiptap nodes (docs/writing.md; articles/html.py decides what is stored):
//   <blockquote class="pullquote"><p>…</p></blockquote>
//   <figure data-image="ID"><img src srcset alt><figcaption>caption <span class="credit">credit</span></figcaption></figure>
//   <figure class="embed" data-embed="youtube" data-src="PLAYER"><a href="URL">title</a></figure>
import { Node, crel, gettext } from "../django_prose_editor/editor.js";

export const PullQuote = Node.create({
  name: "pullquote",
  content: "paragraph+",
  group: "block",
  defining: true,
  parseHTML() {
    return [{ tag: "blockquote.pullquote", priority: 100 }];
  },
  renderHTML() {
    return ["blockquote", { class: "pullquote" }, 0];
  },
  addCommands() {
    return {
      togglePullQuote: () => ({ commands }) => commands.toggleWrap(this.name),
    };
  },
});

function captionParts(figcaption) {
  if (!figcaption) return { caption: "", credit: "" };
  const copy = figcaption.cloneNode(true);
  const credit = copy.querySelector(".credit");
  if (credit) credit.remove();
  return { caption: copy.textContent.trim(), credit: credit ? credit.textContent.trim() : "" };
}

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { id: { default: "" }, src: { default: "" }, srcset: { default: "" }, alt: { default: "" },
      caption: { default: "" }, credit: { default: "" } };
  },
  parseHTML() {
    return [{
      tag: "figure[data-image]",
      getAttrs(figure) {
        const img = figure.querySelector("img");
        if (!img) return false;
        return { id: figure.dataset.image, src: img.getAttribute("src") || "", srcset: img.getAttribute("srcset") || "",
          alt: img.getAttribute("alt") || "", ...captionParts(figure.querySelector("figcaption")) };
      },
    }];
  },
  renderHTML({ node }) {
    const { id, src, srcset, alt, caption, credit } = node.attrs;
    const img = ["img", { src, alt, ...(srcset ? { srcset, sizes: "(min-width: 48rem) 46rem, 100vw" } : {}) }];
    if (!caption && !credit) return ["figure", { "data-image": id }, img];
    const captionContent = credit ? [caption ? `${caption} ` : "", ["span", { class: "credit" }, credit]] : [caption];
    return ["figure", { "data-image": id }, img, ["figcaption", ...captionContent.filter((part) => part !== "")]];
  },
  addNodeView() {
    return ({ node, editor, getPos }) => {
      const img = crel("img", { src: node.attrs.src, alt: node.attrs.alt });
      const caption = crel("figcaption");
      const describe = crel("button", { type: "button", className: "body-image-describe" });
      const dom = crel("figure", { className: "body-image", contentEditable: false }, [img, caption, describe]);
      const show = (attrs) => {
        img.alt = attrs.alt;
        dom.classList.toggle("missing-alt", !attrs.alt.trim());
        caption.textContent = [attrs.caption, attrs.credit && `(${attrs.credit})`].filter(Boolean).join(" ");
        describe.textContent = attrs.alt.trim()
          ? `${gettext("Alt text")}: ${attrs.alt} — ${gettext("edit")}`
          : gettext("Alt text missing: describe the image (required to publish)");
      };
      show(node.attrs);
      describe.addEventListener("click", (event) => {
        event.preventDefault();
        editor.chain().setNodeSelection(getPos()).describeImage().run();
      });
      return {
        dom,
        update(updated) {
          if (updated.type.name !== "bodyImage") return false;
          if (updated.attrs.src !== img.getAttribute("src")) img.src = updated.attrs.src;
          show(updated.attrs);
          return true;
        },
      };
    };
  },
});

const LABELS = { youtube: "YouTube", vimeo: "Vimeo", x: "X", instagram: "Instagram", bluesky: "Bluesky",
  soundcloud: "SoundCloud", mastodon: "Mastodon" };

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { provider: { default: "" }, src: { default: "" }, url: { default: "" }, title: { default: "" },
      label: { default: "" }, iframe: { default: false } };
  },
  parseHTML() {
    return [{
      tag: "figure.embed",
      getAttrs(figure) {
        const link = figure.querySelector("a");
        if (!link) return false;
        return { provider: figure.dataset.embed || "", src: figure.dataset.src || "", url: link.getAttribute("href"),
          title: link.textContent.trim() };
      },
    }, {
      // Older bodies carry the players' iframes (articles.html.EMBED_PROVIDERS): kept as they are.
      tag: "iframe[src]",
      getAttrs(iframe) {
        const src = iframe.getAttribute("src");
        return { iframe: true, src, url: src, title: iframe.getAttribute("title") || "", label: new URL(src).host };
      },
    }];
  },
  renderHTML({ node }) {
    const { provider, src, url, title, iframe } = node.attrs;
    if (iframe) return ["iframe", { src, ...(title ? { title } : {}) }];
    const attrs = { class: "embed", "data-embed": provider, ...(src ? { "data-src": src } : {}) };
    return ["figure", attrs, ["a", { href: url }, title || url]];
  },
  addNodeView() {
    return ({ node }) => {
      const { provider, src, url, title, label } = node.attrs;
      const name = label || LABELS[provider] || provider;
      const kind = src ? gettext("Embed") : gettext("Link card");
      const dom = crel("figure", { className: "body-embed", contentEditable: false, "data-embed": provider }, [
        crel("span", { className: "body-embed-label", textContent: `${kind}: ${name}` }),
        crel("a", { href: url, textContent: title || url, target: "_blank", rel: "noopener noreferrer" }),
      ]);
      return { dom };
    };
  },
});
