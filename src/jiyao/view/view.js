// jiyao view: step between articles, filter them, and link each value to its span and back.
// The page's text was escaped when it was written; this script only toggles classes and `hidden`.
(function () {
  const docs = Array.from(document.querySelectorAll("section.doc"));
  const items = Array.from(document.querySelectorAll("nav li"));
  const onlyWarn = document.getElementById("only-warn");
  const onlyDiff = document.getElementById("only-diff");
  let cur = -1;

  function visible(i) {
    const li = items[i];
    return !((onlyWarn && onlyWarn.checked && li.dataset.warn !== "1") ||
             (onlyDiff && onlyDiff.checked && li.dataset.diff !== "1"));
  }
  function show(i) {
    if (i < 0 || i >= docs.length) return;
    if (cur >= 0) { docs[cur].hidden = true; items[cur].classList.remove("current"); }
    cur = i;
    docs[i].hidden = false;
    items[i].classList.add("current");
    document.getElementById("pos").textContent = (i + 1) + " / " + docs.length + "  " + docs[i].dataset.doc;
    history.replaceState(null, "", "#" + encodeURIComponent(docs[i].dataset.doc));
  }
  function step(d) {
    for (let i = cur + d; i >= 0 && i < docs.length; i += d) if (visible(i)) { show(i); return; }
  }
  function filter() {
    items.forEach((li, i) => { li.hidden = !visible(i); });
    if (cur >= 0 && !visible(cur)) step(1);
  }
  // A click pins a value and its spans ("active"); hovering a value only previews its spans
  // ("hover"). Two classes, because scrolling a clicked span into view moves another value under
  // the pointer, and the browser then fires mouseover on it: a hover must never replace the pin.
  function light(section, refs, cls) {
    document.querySelectorAll("." + cls).forEach((el) => el.classList.remove(cls));
    if (!section || !refs.length) return [];
    const hits = Array.from(section.querySelectorAll("[data-ref]")).filter(
      (el) => el.dataset.ref.split(" ").some((r) => refs.includes(r)));
    hits.forEach((el) => el.classList.add(cls));
    return hits;
  }
  document.addEventListener("click", (ev) => {
    const li = ev.target.closest("nav li");
    if (li) { show(Number(li.dataset.n)); return; }
    const el = ev.target.closest("[data-ref]");
    if (!el) return;
    const hits = light(el.closest("section"), el.dataset.ref.split(" "), "active");
    if (el.classList.contains("val")) {
      const mark = hits.find((h) => h.tagName === "MARK");
      if (mark) mark.scrollIntoView({block: "center"});
    }
  });
  document.addEventListener("mouseover", (ev) => {
    const el = ev.target.closest(".val[data-ref]");
    light(el && el.closest("section"), el ? el.dataset.ref.split(" ") : [], "hover");
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight" || ev.key === "j") step(1);
    if (ev.key === "ArrowLeft" || ev.key === "k") step(-1);
  });
  document.getElementById("prev").onclick = () => step(-1);
  document.getElementById("next").onclick = () => step(1);
  if (onlyWarn) onlyWarn.onchange = filter;
  if (onlyDiff) onlyDiff.onchange = filter;
  const want = decodeURIComponent(location.hash.slice(1));
  const start = docs.findIndex((d) => d.dataset.doc === want);
  show(start >= 0 ? start : 0);
})();
