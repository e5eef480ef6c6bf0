// jiyao review: check an article's record against its text, decision by decision.
// Article and record text is hostile data: it reaches the page only as text nodes (textContent,
// createTextNode), never as HTML. Every decision goes to the server at once and the page shows
// what the server saved: nothing is kept only in the tab.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  // with text selected, these keys put the selection into a field
  const FIELD_KEYS = {p: "people.name", t: "people.titles", s: "slogans", u: "upstream_meetings", h: "headline",
    m: "meeting.name", v: "meeting.venue", o: "meeting.organizer", g: "meeting.region", d: "meeting.date",
    w: "meeting.time_of_day", l: "source.outlet", r: "source.reporters", f: "source.photographers", i: "source.editors"};
  let meta = null;   // the sample: articles, progress, field groups and rows
  let cur = -1;      // index of the article shown
  let art = null;    // {doc_id, text, draft, can_undo, pending}
  let items = [];    // the focusable values of the panel, in order
  let focusKey = null;
  let chain = Promise.resolve();  // decisions run one after another, each on the revision the last one left
  let queued = 0;

  // run fn after everything asked before it; body[data-busy] says whether anything is still to run
  function schedule(fn) {
    queued++;
    document.body.dataset.busy = "1";
    chain = chain.then(fn).catch((e) => message(String(e))).finally(() => {
      if (--queued === 0) document.body.dataset.busy = "0";
    });
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function message(text, info) {
    const m = $("message");
    m.hidden = !text;
    m.className = info ? "info" : "";
    m.textContent = text || "";
  }
  function saved(text, bad) {
    const s = $("saved");
    s.textContent = text;
    s.className = bad ? "bad" : "";
  }

  function allCells() {
    const out = [];
    for (const f of Object.keys(art.draft.fields)) for (const c of art.draft.fields[f]) out.push([f, c]);
    for (const p of art.draft.people) {
      out.push(["people.name", p.name]);
      for (const t of p.titles) out.push(["people.titles", t]);
    }
    return out;
  }
  function renderText() {
    const spans = [];
    for (const [f, c] of allCells()) for (const [s, e] of c.spans) spans.push({s, e, id: c.id, g: meta.groups[f] || "x"});
    JiyaoText.render($("text"), art.text, spans);
  }

  // ---- the record panel
  function stateClass(c, f) {
    return "chip st-" + c.state + " f-" + (meta.groups[f] || "x") + (c.spans.length ? "" : " nospan");
  }
  function chip(c, f, person) {
    const e = el("span", stateClass(c, f), c.value);
    e.dataset.key = c.id;
    if (c.conf) {
      e.title = c.conf.source + " " + c.conf.score;
      if (c.conf.score < 0.8) e.appendChild(el("span", "conf", c.conf.score.toFixed(2)));
    }
    items.push({key: c.id, kind: "cell", field: f, id: c.id, person: person ? person.id : null, state: c.state});
    return e;
  }
  function slot(f, person, label) {
    const key = "+" + f + (person ? ":" + person.id : "");
    const e = el("span", "chip slot", label || "＋");
    e.dataset.key = key;
    e.title = "select text, then c: add to " + f;
    items.push({key, kind: "slot", field: f, person: person ? person.id : null});
    return e;
  }
  function row(table, label, cellsEl) {
    const tr = el("tr");
    tr.appendChild(el("th", null, label));
    const td = el("td");
    cellsEl.forEach((x) => td.appendChild(x));
    tr.appendChild(td);
    table.appendChild(tr);
  }
  function renderRecord() {
    const d = art.draft;
    items = [];
    const box = $("record");
    box.replaceChildren();
    if (d.no_meeting) box.appendChild(el("p", "no-meeting", "no meeting: meeting null, no people (0 takes it back)"));
    const table = el("table", "rec");
    for (const f of meta.rows) {
      if (f === "people") {
        const ps = d.people.map((p) => {
          const div = el("div", "person");
          div.appendChild(chip(p.name, "people.name", p));
          p.titles.forEach((t) => div.appendChild(chip(t, "people.titles", p)));
          div.appendChild(slot("people.titles", p, "＋title"));
          const r = el("span", "chip st-" + p.roles_state + " f-role", p.roles.length ? p.roles.join(", ") : "no role");
          r.dataset.key = p.id + "/roles";
          r.title = "1 chair · 2 speaker";
          items.push({key: p.id + "/roles", kind: "roles", field: "people.roles", person: p.id, state: p.roles_state});
          div.appendChild(r);
          return div;
        });
        ps.push(slot("people.name", null, "＋person"));
        row(table, "people", ps);
        continue;
      }
      const cs = d.fields[f].map((c) => chip(c, f, null));
      if (meta.lists.includes(f) || !d.fields[f].length) cs.push(slot(f, null));
      row(table, f, cs);
    }
    box.appendChild(table);
    const hints = $("hints");
    hints.replaceChildren(...(d.hints || []).map((h) => el("li", null, (h.field ? h.field + ": " : "") + h.text)));
  }
  function renderHeader() {
    const p = meta.progress;
    $("progress").textContent = p.reviewed + " of " + p.total + " reviewed";
    document.title = "jiyao review · " + p.reviewed + "/" + p.total;
    $("pos").textContent = (cur + 1) + " / " + meta.articles.length + "  " + art.doc_id;
    const d = art.draft;
    $("pending").textContent = d.reviewed ? "reviewed by " + d.reviewed_by + " " + (d.reviewed_at || "").slice(0, 19)
      : art.pending + " to check";
    Array.from($("list").children).forEach((li, i) => {
      li.classList.toggle("current", i === cur);
      li.classList.toggle("reviewed", meta.articles[i].reviewed);
    });
  }
  function render() {
    renderText();
    renderRecord();
    renderHeader();
    if (!items.some((x) => x.key === focusKey)) focusKey = (items.find((x) => x.state === "pending") || items[0] || {}).key;
    setFocus(focusKey, false);
  }
  function focused() { return items.find((x) => x.key === focusKey) || null; }
  function setFocus(key, scroll) {
    focusKey = key;
    document.querySelectorAll(".focus").forEach((e) => e.classList.remove("focus"));
    const it = focused();
    if (!it) return;
    const c = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (c) { c.classList.add("focus"); if (scroll) c.scrollIntoView({block: "nearest"}); }
    let id = it.id;
    if (it.kind === "roles") id = (art.draft.people.find((p) => p.id === it.person) || {name: {}}).name.id;
    if (!id) return;
    const marks = Array.from(document.querySelectorAll("#text mark")).filter((m) => m.dataset.ids.split(" ").includes(id));
    marks.forEach((m) => m.classList.add("focus"));
    if (scroll && marks.length) marks[0].scrollIntoView({block: "center"});
  }
  function move(step) {
    const i = items.findIndex((x) => x.key === focusKey);
    const j = Math.max(0, Math.min(items.length - 1, i + step));
    if (items[j]) setFocus(items[j].key, true);
  }
  function nextPending(fromIndex) {
    for (let j = fromIndex + 1; j < items.length; j++) if (items[j].state === "pending") return items[j].key;
    for (let j = 0; j <= fromIndex && j < items.length; j++) if (items[j].state === "pending") return items[j].key;
    return null;
  }

  // ---- talking to the server
  async function decide(op) {
    saved("saving…");
    let res, data;
    try {
      res = await fetch("/api/decide", {method: "POST", headers: {"Content-Type": "application/json", "X-Jiyao-Review": "1"},
        body: JSON.stringify({doc: art.doc_id, base: art.draft.revision, op})});
      data = await res.json();
    } catch (e) {
      saved("NOT SAVED: the review server does not answer", true);
      message("Not saved: the review server does not answer (was it stopped?). Your last decision was not recorded; " +
              "everything before it is on disk. Start jiyao review again and reload this page.");
      return null;
    }
    if (res.status === 409) {  // another tab moved the article on: show what is saved now
      Object.assign(art, {draft: data.draft, can_undo: data.can_undo, pending: data.pending});
      meta.progress = data.progress;
      render();
      message(data.error);
      saved("not saved (stale page): reloaded revision " + data.draft.revision, true);
      return null;
    }
    if (!res.ok) { message(data.error || ("error " + res.status)); saved("not saved", true); return null; }
    Object.assign(art, {draft: data.draft, can_undo: data.can_undo, pending: data.pending});
    meta.progress = data.progress;
    meta.articles[cur].reviewed = data.draft.reviewed;
    message("");
    saved("saved ✓ revision " + data.draft.revision);
    render();
    return data;
  }
  async function open(i, key) {
    if (i < 0 || i >= meta.articles.length) return;
    const doc = meta.articles[i].doc_id;
    const res = await fetch("/api/article?doc=" + encodeURIComponent(doc));
    const data = await res.json();
    if (!res.ok) { message(data.error); return; }
    cur = i;
    art = data;
    meta.progress = data.progress;
    focusKey = key || null;
    message("");
    saved("revision " + art.draft.revision + " (saved)");
    render();
    setFocus(focusKey, true);
    history.replaceState(null, "", "#" + encodeURIComponent(doc));
  }

  // ---- decisions
  function selection() { return JiyaoText.selection($("text")); }
  function personOf(it) { return it && it.person; }
  async function accept() {
    const it = focused();
    if (!it) return;
    const i = items.indexOf(it);
    if (it.kind === "slot" || it.state !== "pending") {  // nothing to accept here: on to the next value to check
      const k = nextPending(i);
      if (k) setFocus(k, true); else move(1);
      return;
    }
    const data = await decide({op: "accept", id: it.kind === "roles" ? it.person + "/roles" : it.id});
    if (data) { const k = nextPending(items.findIndex((x) => x.key === it.key)); setFocus(k || (items[i + 1] || it).key, true); }
  }
  async function remove() {
    const it = focused();
    if (!it || it.kind !== "cell") { message("focus a value to delete it"); return; }
    const i = items.indexOf(it);
    const data = await decide({op: "delete", id: it.id});
    if (data && items.length) setFocus(items[Math.min(i, items.length - 1)].key, true);
  }
  async function put(sel, text) {  // the selection (or typed text) into the value in focus, or into its slot
    const it = focused();
    if (!it || it.kind === "roles") { message("focus a value or a ＋ slot first (roles: 1 and 2)"); return; }
    const what = text !== undefined ? {text} : {start: sel.start, end: sel.end};
    const op = it.kind === "cell" ? {op: "correct", id: it.id, ...what} : {op: "add", field: it.field, person: it.person, ...what};
    const data = await decide(op);
    if (data && data.change && data.change.id) setFocus(data.change.id, true);  // added: its person stays in focus (t)
    else if (data) setFocus(nextPending(items.findIndex((x) => x.key === it.key)) || it.key, true);  // corrected: on to the next
    window.getSelection().removeAllRanges();
  }
  async function addTo(field, sel) {
    const op = {op: "add", field, start: sel.start, end: sel.end};
    if (field === "people.titles") {
      op.person = personOf(focused());
      if (!op.person) { message("focus a person (any of their values) to add a title"); return; }
    }
    const data = await decide(op);
    if (data && data.change && data.change.id) setFocus(data.change.id, true);
    window.getSelection().removeAllRanges();
  }
  async function toggleRole(role) {
    const pid = personOf(focused());
    const p = art.draft.people.find((x) => x.id === pid);
    if (!p) { message("focus a person to set their roles"); return; }
    const roles = p.roles.includes(role) ? p.roles.filter((r) => r !== role) : p.roles.concat([role]);
    await decide({op: "roles", person: pid, roles});
  }
  async function undo() {
    if (!art.can_undo) { message("nothing to undo in this article", true); return; }
    await decide({op: "undo"});
  }
  async function done() {
    const data = await decide({op: "done"});
    if (!data) return;
    const n = meta.articles.length;
    for (let k = 1; k <= n; k++) {
      const j = (cur + k) % n;
      if (!meta.articles[j].reviewed) { await open(j); return; }
    }
    message("All " + n + " articles are reviewed. The gold is in the review folder's gold/ (jiyao eval --gold FOLDER).", true);
  }
  function edit() {
    const it = focused();
    if (!it || it.kind === "roles") { message("focus a value or a ＋ slot to type a value (roles: 1 and 2)"); return; }
    const box = $("editor");
    box.hidden = false;
    $("editor-label").textContent = it.field;
    const input = $("editor-input");
    const cell = it.kind === "cell" ? allCells().find(([, c]) => c.id === it.id) : null;
    input.value = cell ? cell[1].value : "";
    input.focus();
  }
  $("editor-input").addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { $("editor").hidden = true; ev.preventDefault(); return; }
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const text = $("editor-input").value;
    $("editor").hidden = true;
    schedule(() => put(null, text));
  });

  function action(ev, sel) {
    const k = ev.key;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return (ev.ctrlKey || ev.metaKey) && k === "z" ? undo : null;
    if (sel) {
      if (k === "Escape") return () => window.getSelection().removeAllRanges();
      if (k === "c" || k === "Enter") return () => put(sel);
      if (FIELD_KEYS[k]) return () => addTo(FIELD_KEYS[k], sel);
      return null;
    }
    switch (k) {
      case "j": case "ArrowDown": return () => move(1);
      case "k": case "ArrowUp": return () => move(-1);
      case "a": case " ": return accept;
      case "x": case "Delete": case "Backspace": return remove;
      case "e": return edit;
      case "1": return () => toggleRole("chair");
      case "2": return () => toggleRole("speaker");
      case "z": return undo;
      case "0": return () => decide({op: "no_meeting", on: !art.draft.no_meeting});
      case "Enter": return done;
      case "n": case "ArrowRight": return () => open(cur + 1);
      case "b": case "ArrowLeft": return () => open(cur - 1);
      default: return null;
    }
  }
  document.addEventListener("keydown", (ev) => {
    if (!art || ev.target.closest("#editor") || ["INPUT", "SELECT", "TEXTAREA"].includes(ev.target.tagName)) return;
    const sel = selection();  // read now: a decision before this one re-renders the text
    const run = action(ev, sel);
    if (!run) return;
    ev.preventDefault();
    schedule(run);
  });

  // ---- the mouse, for those who want it
  document.addEventListener("click", (ev) => {
    const li = ev.target.closest("#list li");
    if (li) { const i = Number(li.dataset.n); schedule(() => open(i)); return; }
    const c = ev.target.closest("[data-key]");
    if (c) { setFocus(c.dataset.key, false); return; }
    const m = ev.target.closest("#text mark");
    if (m && window.getSelection().isCollapsed) {
      const ids = m.dataset.ids.split(" ");
      setFocus(ids[ids.length - 1], true);
    }
  });
  const buttons = {prev: () => open(cur - 1), next: () => open(cur + 1), accept, delete: remove, undo, done,
    "no-meeting": () => decide({op: "no_meeting", on: !art.draft.no_meeting})};
  for (const [id, fn] of Object.entries(buttons)) $(id).addEventListener("click", () => schedule(fn));
  $("correct").addEventListener("click", () => {
    const sel = selection();
    if (!sel) { message("select the right text in the article first"); return; }
    schedule(() => put(sel));
  });
  $("add").addEventListener("click", () => {
    const sel = selection();
    if (!sel) { message("select the text to add in the article first"); return; }
    const f = $("add-field").value;
    schedule(() => addTo(f, sel));
  });
  // a click on a button must not drop the text selection it is about to use
  document.querySelectorAll("header button").forEach((b) => b.addEventListener("mousedown", (ev) => ev.preventDefault()));

  async function start() {
    const res = await fetch("/api/list");
    meta = await res.json();
    for (const f of Object.values(FIELD_KEYS)) $("add-field").appendChild(el("option", null, f));
    meta.articles.forEach((a, i) => {
      const li = el("li", null, a.doc_id);
      li.dataset.n = i;
      $("list").appendChild(li);
    });
    const want = decodeURIComponent(location.hash.slice(1));
    let i = meta.articles.findIndex((a) => a.doc_id === want);
    if (i < 0) i = meta.articles.findIndex((a) => !a.reviewed);
    await open(i < 0 ? 0 : i);
  }
  schedule(() => start().catch((e) => message("cannot load the sample: " + e)));
})();
