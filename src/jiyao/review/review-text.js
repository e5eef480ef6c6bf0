// jiyao review: the article's original text, cut at every value's span, and a selection's offsets.
// The text reaches the page only as text nodes (never as HTML); a direction mark (RLO…) keeps its
// place, isolated and shown by name. Offsets count code points, as Python does.
window.JiyaoText = (function () {
  "use strict";
  const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

  function cpLen(s) { let n = 0; for (const _ of s) n++; return n; }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    e.className = cls;
    e.textContent = text;
    return e;
  }
  function appendText(parent, str) {
    let rest = str;
    while (rest) {
      const m = BIDI.exec(rest);
      if (!m) { parent.appendChild(document.createTextNode(rest)); return; }
      if (m.index) parent.appendChild(document.createTextNode(rest.slice(0, m.index)));
      const ctl = el("span", "ctl", m[0]);  // the character itself stays (offsets), isolated and named
      ctl.dataset.cp = "U+" + m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      parent.appendChild(ctl);
      rest = rest.slice(m.index + 1);
    }
  }

  // spans: [{s, e, id, g}] in code points; each piece of text inside spans becomes a <mark> naming
  // them all (data-ids), coloured by the innermost one's field group
  function render(pre, text, spans) {
    const cps = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null;
    const n = cps ? cps.length : text.length;
    const sub = (a, b) => (cps ? cps.slice(a, b).join("") : text.slice(a, b));
    spans = spans.filter((x) => 0 <= x.s && x.s < x.e && x.e <= n);
    const cuts = Array.from(new Set([0, n, ...spans.map((x) => x.s), ...spans.map((x) => x.e)])).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i], b = cuts[i + 1];
      const cover = spans.filter((x) => x.s <= a && b <= x.e);
      if (!cover.length) { appendText(frag, sub(a, b)); continue; }
      const inner = cover.reduce((m, x) => (x.e - x.s < m.e - m.s ? x : m));
      const mark = el("mark", "f-" + inner.g);
      mark.dataset.ids = cover.map((x) => x.id).join(" ");
      appendText(mark, sub(a, b));
      frag.appendChild(mark);
    }
    pre.replaceChildren(frag);
  }

  // the selection inside PRE as [start, end) code points of the text, or null
  function selection(pre) {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const r = sel.getRangeAt(0);
    if (!pre.contains(r.startContainer) || !pre.contains(r.endContainer)) return null;
    const before = document.createRange();
    before.setStart(pre, 0);
    before.setEnd(r.startContainer, r.startOffset);
    const start = cpLen(before.toString());
    return {start, end: start + cpLen(r.toString())};
  }

  return {render, selection};
})();
