// lemma's browser UI: one page, routed by the URL's hash (#/lesson/ID, #/repl,
// #/practice/SKILL, #/progress), talking to `lemma serve`'s JSON API. Plain
// JavaScript, no build step; KaTeX (served from the pinned npm copy) typesets.
"use strict";

const main = document.getElementById("main");

// ---- small helpers ----

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  let r;
  try {
    r = await fetch(path, opts);
  } catch (e) {
    throw new Error("the lemma server did not answer: is `lemma serve` still running?");
  }
  let j = null;
  try { j = await r.json(); } catch (e) { /* not JSON: reported below */ }
  if (!r.ok) throw new Error((j && j.error) || `the server answered ${r.status}`);
  return j;
}

function tex(latex, display) {
  const span = el("span", { class: "tex" });
  if (window.katex) {
    try {
      window.katex.render(latex, span, { displayMode: !!display, throwOnError: false });
      return span;
    } catch (e) { /* shown as source below */ }
  }
  span.textContent = latex;
  return span;
}

// Math the server left as TeX: <span class="math" data-display="true|false">.
function typeset(root) {
  for (const m of root.querySelectorAll("span.math, div.math")) {
    if (m.dataset.done) continue;
    const src = m.textContent;
    m.textContent = "";
    m.append(tex(src, m.dataset.display === "true" || m.tagName === "DIV"));
    m.dataset.done = "1";
  }
}

// HTML the server made from Markdown (escaped there); math typeset here.
function html(fragment, tag) {
  const e = el(tag || "div");
  e.innerHTML = fragment || "";
  typeset(e);
  return e;
}

// An SVG plot from the engine, without anything that could run.
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.nodeName !== "svg") return el("pre", {}, "(this plot could not be shown)");
  for (const bad of svg.querySelectorAll("script, foreignObject, iframe")) bad.remove();
  for (const n of [svg, ...svg.querySelectorAll("*")]) {
    for (const a of [...n.attributes]) {
      if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) n.removeAttribute(a.name);
    }
  }
  return document.importNode(svg, true);
}

function fmtNum(x) {
  if (typeof x === "string") return x === "inf" ? "∞" : x === "-inf" ? "−∞" : x === "nan" ? "NaN" : x;
  if (Number.isInteger(x)) return String(x);
  return String(parseFloat(x.toPrecision(6)));
}

function texNum(x) {
  if (typeof x === "string" && /^-?\d+\/\d+$/.test(x)) {
    const neg = x.startsWith("-"), [a, b] = x.replace("-", "").split("/");
    return `${neg ? "-" : ""}\\frac{${a}}{${b}}`;
  }
  const s = fmtNum(x);
  return s === "∞" ? "\\infty" : s === "−∞" ? "-\\infty" : s.replace(/e([+-]?\d+)$/, "\\times 10^{$1}");
}

function matrixTex(data, exact) {
  const rows = (exact || data).map((r) => r.map(texNum).join(" & "));
  return `\\begin{bmatrix}${rows.join(" \\\\ ")}\\end{bmatrix}`;
}

// One value in the `lemma eval --json` shape (DESIGN.md), as DOM.
function valueNode(v) {
  switch (v.type) {
    case "number": return v.exact ? tex(texNum(v.exact)) : el("span", { class: "num" }, fmtNum(v.value));
    case "complex": return el("span", {}, `${fmtNum(v.re)} ${v.im < 0 ? "−" : "+"} ${fmtNum(Math.abs(v.im))}i`);
    case "boolean": return el("span", {}, v.value ? "true" : "false");
    case "string": return el("span", {}, `"${v.value}"`);
    case "expr": return tex(v.latex || v.text);
    case "matrix": {
      const [r, c] = v.shape;
      if (r === 0 || c === 0) return el("span", {}, "[] (empty)");
      if (r > 12 || c > 12 || v.imag) return el("pre", {}, v.data.map((row) => row.map(fmtNum).join("  ")).join("\n"));
      return tex(matrixTex(v.data, v.exact), true);
    }
    case "plot": return svgNode(v.svg);
    case "output": return el("pre", {}, v.text);
    case "steps": {
      const ol = el("ol", { class: "steps-list" });
      for (const s of v.steps || []) {
        ol.append(el("li", {}, html(s.text, "span"), s.latex ? el("div", {}, tex(s.latex, true)) : null,
          s.value ? valueNode(s.value) : null));
      }
      return el("div", {}, ol, v.result ? el("div", {}, "Result: ", valueNode(v.result)) : null);
    }
    case "test": {
      const rows = ["statistic", "df", "p_value", "conf_int", "estimate"].filter((k) => v[k] !== null && v[k] !== undefined)
        .map((k) => `${k.replace("_", " ")}: ${Array.isArray(v[k]) ? v[k].map(fmtNum).join(", ") : fmtNum(v[k])}`);
      return el("pre", {}, [v.name, ...rows].join("\n"));
    }
    default:
      return el("pre", {}, v.text !== undefined ? v.text : JSON.stringify(v));
  }
}

function resultNode(r) {
  if (!r.ok) {
    const e = r.error || {};
    const where = e.line ? ` (line ${e.line}, column ${e.col})` : "";
    return el("div", { class: "result error", role: "alert" }, el("span", { class: "kind" }, `${e.kind} error`),
      `: ${e.message}${where}`);
  }
  const node = el("div", { class: `result ${r.type}` });
  if (r.name) node.append(el("span", { class: "name" }, `${r.name} = `));
  node.append(valueNode(r));
  for (const w of r.warnings || []) node.append(el("div", { class: "muted" }, `warning: ${w}`));
  return node;
}

// A session per notebook/REPL: the server's answer may hand out a new one.
class Session {
  constructor(key) { this.key = key; this.id = key ? sessionStorage.getItem(key) : null; }
  async run(program) {
    const j = await api("/api/eval", this.id ? { program, session: this.id } : { program });
    this.id = j.session || null;
    if (this.key && this.id) sessionStorage.setItem(this.key, this.id);
    return j;
  }
}

function expiredNote() {
  return el("div", { class: "notice" },
    "This workspace was reset (it sat idle too long, or the server restarted), so earlier variables are gone: run the cells above again.");
}

function errorBox(e) { return el("div", { class: "result error", role: "alert" }, e.message); }

const levels = ["beginner", "intermediate", "advanced"];

async function progressOrNull() {
  try { return await api("/api/progress"); } catch (e) { return null; }
}

function badge(mastery, label) {
  return el("span", { class: `badge ${mastery}` }, label || mastery.replace("-", " "));
}

// ---- pages ----

async function pageHome() {
  const [course, progress] = await Promise.all([api("/api/lessons"), progressOrNull()]);
  const bySkill = new Map((progress ? progress.skills : []).map((s) => [s.id, s]));
  const out = [el("h1", {}, "Learning paths"),
    el("p", { class: "muted" }, "The mathematics behind machine learning, in three levels. Open a lesson to run its cells; practise a skill to build mastery.")];
  for (const level of [...levels, ""]) {
    const mods = course.modules.filter((m) => (level ? m.level === level : !levels.includes(m.level)));
    if (!mods.length) continue;
    const grid = el("div", { class: "modules" });
    for (const m of mods) {
      const skills = [...new Set(m.lessons.flatMap((l) => l.skills))];
      grid.append(el("section", { class: "module", "data-module": m.id },
        el("h3", {}, `${m.order}. ${m.title}`),
        m.lessons.length ? el("ol", {}, m.lessons.map((l) =>
          el("li", {}, el("a", { href: `#/lesson/${l.id}` }, l.title), el("span", { class: "muted" }, ` · ${l.minutes} min`))))
          : el("p", { class: "muted" }, "Lessons coming soon."),
        skills.length ? el("ul", { class: "skills" }, skills.map((s) => {
          const st = bySkill.get(s);
          // a skill whose exercise generator is not written yet cannot be practised
          if (!st) return el("li", { class: "muted" }, s.split("/").pop().replace(/-/g, " "));
          return el("li", {}, el("a", { href: `#/practice/${s}` }, st.title), badge(st.mastery, st.mastery_label));
        })) : null));
    }
    const name = level ? level[0].toUpperCase() + level.slice(1) : "More";
    out.push(el("section", { class: "level" }, el("h2", {}, name), grid));
  }
  if (!progress) out.push(el("p", { class: "muted" }, "Progress is not available: the progress database could not be opened."));
  return out;
}

function notebookKey(id) { return `lemma:notebook:${id}`; }

async function pageLesson(id) {
  const l = await api(`/api/lessons/${id}`);
  const session = new Session(null);
  const body = html(l.html);
  body.classList.add("lesson");
  const cells = [...body.querySelectorAll(".cell")];
  const saved = JSON.parse(localStorage.getItem(notebookKey(id)) || "null");
  const useSaved = saved && Array.isArray(saved.cells) && saved.cells.length === cells.length;

  const status = el("span", { class: "muted", role: "status" });
  const runCell = async (cell) => {
    const ta = cell.querySelector("textarea.code"), out = cell.querySelector(".output");
    out.replaceChildren(el("span", { class: "muted" }, "running…"));
    try {
      const j = await session.run(ta.value);
      out.replaceChildren(...(j.expired ? [expiredNote()] : []), ...j.results.map(resultNode));
      if (!j.results.length) out.append(el("span", { class: "muted" }, "(no output: the statements end with ;)"));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  const save = () => {
    localStorage.setItem(notebookKey(id), JSON.stringify({
      saved: new Date().toISOString(), cells: cells.map((c) => c.querySelector("textarea.code").value),
    }));
    status.textContent = "Saved in this browser. It reopens with your edits.";
  };
  for (const [i, cell] of cells.entries()) {
    const pre = cell.querySelector("pre.source");
    const src = useSaved ? saved.cells[i] : (pre ? pre.textContent : "");
    const ta = el("textarea", { class: "code", spellcheck: "false", "aria-label": `Cell ${i + 1}, lemma code`,
      rows: Math.max(1, src.split("\n").length) }, src);
    ta.value = src;
    ta.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.shiftKey || ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); runCell(cell); }
      if (ev.key === "s" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save(); }
    });
    if (pre) pre.replaceWith(ta); else cell.prepend(ta);
    let out = cell.querySelector(".output");
    if (!out) { out = el("div", { class: "output" }); cell.append(out); }
    out.setAttribute("aria-live", "polite");
    ta.after(el("div", { class: "toolbar" },
      el("button", { class: "run", type: "button", onclick: () => runCell(cell) }, "Run"),
      el("span", {}, "Shift+Enter runs the cell")));
    if (useSaved) out.replaceChildren(el("span", { class: "muted" }, "(edited: run to see the output)"));
  }
  const runAll = async () => { for (const c of cells) await runCell(c); };
  const bar = el("div", { class: "row" },
    el("button", { type: "button", id: "run-all", onclick: runAll }, "Run all cells"),
    el("button", { type: "button", id: "save-notebook", class: "secondary", onclick: save }, "Save my notebook"),
    el("button", { type: "button", id: "reset-notebook", class: "secondary", onclick: () => {
      localStorage.removeItem(notebookKey(id));
      route();
    } }, "Restore the original"),
    status);
  // the controls go under the lesson's own title
  const head = body.querySelector("h1");
  const top = [bar, useSaved ? el("p", { class: "notice" },
    `This is your saved copy of the notebook (${new Date(saved.saved).toLocaleString()}).`) : null].filter(Boolean);
  if (head) head.after(...top); else body.prepend(el("h1", {}, l.title), ...top);
  return [
    el("p", { class: "muted" }, el("a", { href: "#/" }, "Paths"), ` › ${l.module} · ${l.level}`),
    body,
    el("div", { class: "row" },
      l.skills.map((s) => el("a", { class: "button secondary", href: `#/practice/${s}` }, `Practise ${s.split("/")[1]}`)),
      l.next ? el("a", { class: "button", href: `#/lesson/${l.next}` }, "Next lesson →") : null),
  ];
}

async function pageRepl() {
  const session = new Session("lemma:repl");
  const log = el("div", { class: "repl-log", "aria-live": "polite", role: "log" },
    el("p", { class: "muted" }, "Type lemma code and press Enter (Shift+Enter for a new line). Try: A = [2 1; 1 3], eig(A), plot(sin(x), x, -pi, pi)."));
  const input = el("textarea", { class: "repl-input code", "aria-label": "lemma code", spellcheck: "false", id: "repl-input" });
  const history = [];
  let hpos = 0;
  const run = async () => {
    const program = input.value;
    if (!program.trim()) return;
    history.push(program);
    hpos = history.length;
    input.value = "";
    const entry = el("div", { class: "repl-entry" }, el("div", { class: "in" }, program));
    log.append(entry);
    try {
      const j = await session.run(program);
      if (j.expired) entry.append(expiredNote());
      entry.append(...j.results.map(resultNode));
    } catch (e) { entry.append(errorBox(e)); }
    log.scrollTop = log.scrollHeight;
  };
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); run(); }
    else if (ev.key === "ArrowUp" && !input.value.includes("\n") && hpos > 0) { ev.preventDefault(); input.value = history[--hpos]; }
    else if (ev.key === "ArrowDown" && !input.value.includes("\n") && hpos < history.length) {
      ev.preventDefault();
      input.value = ++hpos < history.length ? history[hpos] : "";
    }
  });
  setTimeout(() => input.focus(), 0);
  return [el("h1", {}, "REPL"), log, input,
    el("div", { class: "row" }, el("button", { type: "button", id: "repl-run", onclick: run }, "Run"))];
}

async function pagePractice(skillId) {
  const { skills } = await api("/api/skills");
  const pick = el("select", { id: "skill", "aria-label": "Skill" },
    skills.map((s) => el("option", { value: s.id, selected: s.id === skillId }, s.title)));
  const diff = el("select", { id: "difficulty", "aria-label": "Difficulty" },
    [1, 2, 3].map((d) => el("option", { value: d }, ["", "easy", "medium", "hard"][d])));
  const area = el("div", {});
  const preview = new Session(null);
  let p = null, hintsShown = 0, solutionShown = false, started = 0;

  const load = async () => {
    area.replaceChildren(el("p", { class: "muted" }, "Making a problem…"));
    p = await api(`/api/practice/next?skill=${encodeURIComponent(pick.value)}&difficulty=${diff.value}`);
    hintsShown = 0;
    solutionShown = false;
    started = Date.now();
    const input = el("input", { class: "answer code", id: "answer", autocomplete: "off", spellcheck: "false",
      "aria-label": "Your answer", placeholder: "your answer, e.g. 3/5, [1 2; 3 4], 2*x + 1" });
    const pv = el("div", { class: "preview", "aria-live": "polite" });
    const feedback = el("div", { id: "feedback", "aria-live": "polite" });
    const hints = el("ol", { class: "hints", id: "hints" });
    const solution = el("div", { id: "solution-box" });
    const hintBtn = el("button", { type: "button", class: "secondary", id: "hint", disabled: p.nhints === 0 }, "Hint");
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!input.value.trim() || p.answer_type === "choice") { pv.replaceChildren(); return; }
        try {
          const j = await preview.run(input.value.replace(/;+\s*$/, ""));
          const r = j.results[j.results.length - 1];
          pv.replaceChildren(r && r.ok ? valueNode(r) : el("span", {}, "…"));
        } catch (e) { pv.replaceChildren(); }
      }, 250);
    });
    const check = async () => {
      if (!input.value.trim()) { input.focus(); return; }
      try {
        const v = await api("/api/practice/answer", { skill: p.skill, seed: p.seed, difficulty: p.difficulty,
          answer: input.value, hints_used: hintsShown, solution_shown: solutionShown, seconds: (Date.now() - started) / 1000 });
        const mark = { correct: "✓", wrong: "✗", unparsed: "?" }[v.verdict];
        feedback.replaceChildren(el("div", { class: `feedback ${v.verdict}`, role: "status" },
          el("strong", { "aria-hidden": "true", class: "mark" }, mark), html(v.feedback_html, "div"),
          v.mastery_label ? el("div", { class: "muted" }, "Mastery of this skill: ", badge(v.mastery, v.mastery_label)) : null,
          v.store_error ? el("div", { class: "muted" }, `(not saved: ${v.store_error})`) : null));
      } catch (e) { feedback.replaceChildren(errorBox(e)); }
    };
    input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); check(); } });
    hintBtn.addEventListener("click", async () => {
      if (hintsShown >= p.nhints) return;
      try {
        const h = await api(`/api/practice/hint?skill=${encodeURIComponent(p.skill)}&seed=${p.seed}&difficulty=${p.difficulty}&n=${hintsShown + 1}`);
        hintsShown++;
        hints.append(el("li", {}, html(h.hint_html, "span")));
        hintBtn.disabled = hintsShown >= p.nhints;
        hintBtn.textContent = hintBtn.disabled ? "No more hints" : "Another hint";
      } catch (e) { hints.append(el("li", {}, errorBox(e))); }
    });
    const solBtn = el("button", { type: "button", class: "secondary", id: "solution", onclick: async () => {
      try {
        const s = await api(`/api/practice/solution?skill=${encodeURIComponent(p.skill)}&seed=${p.seed}&difficulty=${p.difficulty}`);
        solutionShown = true;
        solution.replaceChildren(el("h2", {}, "Step by step"), el("ol", { class: "solution" },
          s.steps.map((st) => el("li", {}, html(st.html, "div"), st.latex ? tex(st.latex, true) : null))));
      } catch (e) { solution.replaceChildren(errorBox(e)); }
    } }, "Show the solution");
    const choices = p.choices.length ? el("ol", { type: "a", class: "choices" }, p.choices.map((c) => el("li", {}, html(c, "span")))) : null;
    area.replaceChildren(
      el("div", { class: "problem" }, el("p", { class: "muted" }, `${p.title} · difficulty ${p.difficulty} · problem ${p.seed}`),
        html(p.prompt_html), choices),
      el("p", {}, el("label", { for: "answer" }, p.answer_type === "choice" ? "Your answer (a letter):" : "Your answer:")),
      input, pv,
      el("div", { class: "row" }, el("button", { type: "button", id: "check", onclick: check }, "Check"), hintBtn, solBtn,
        el("button", { type: "button", class: "secondary", id: "next-problem", onclick: () => load().catch((e) => area.replaceChildren(errorBox(e))) }, "Next problem")),
      feedback, hints, solution);
    input.focus();
  };
  pick.addEventListener("change", () => { history.replaceState(null, "", `#/practice/${pick.value}`); load().catch((e) => area.replaceChildren(errorBox(e))); });
  diff.addEventListener("change", () => load().catch((e) => area.replaceChildren(errorBox(e))));
  if (!skills.length) return [el("h1", {}, "Practice"), el("p", {}, "No practice skills are available yet.")];
  if (!skillId || !skills.some((s) => s.id === skillId)) pick.value = skills[0].id;
  await load();
  return [el("h1", {}, "Practice"), el("div", { class: "row" }, el("label", {}, "Skill ", pick), el("label", {}, "Difficulty ", diff)), area];
}

async function pageProgress() {
  const [progress, course] = await Promise.all([api("/api/progress"), api("/api/lessons")]);
  const titles = new Map(course.modules.map((m) => [m.id, m]));
  const byModule = new Map();
  for (const s of progress.skills) {
    if (!byModule.has(s.module)) byModule.set(s.module, []);
    byModule.get(s.module).push(s);
  }
  const when = (t) => (t ? new Date(t * 1000).toLocaleDateString() : "—");
  const out = [el("h1", {}, "Progress"),
    el("p", { id: "summary" }, `${progress.attempts} answer${progress.attempts === 1 ? "" : "s"} so far`,
      progress.streak ? ` · a streak of ${progress.streak} day${progress.streak === 1 ? "" : "s"}` : "", ". ",
      el("a", { href: "/api/export", download: "lemma-progress.json" }, "Export all my data (JSON)")),
    el("h2", {}, "Due for review"),
    progress.due.length ? el("ul", { id: "review-queue" }, progress.due.map((s) =>
      el("li", {}, el("a", { href: `#/practice/${s.id}` }, s.title), " ", badge(s.mastery, s.mastery_label))))
      : el("p", { class: "muted", id: "review-queue" }, "Nothing is due: come back when the scheduler says a skill needs review.")];
  for (const [mod, skills] of byModule) {
    const m = titles.get(mod);
    const practised = skills.filter((s) => s.attempts > 0).length;
    out.push(el("h2", {}, m ? m.title : mod, el("span", { class: "muted" }, ` · ${practised} of ${skills.length} skills practised`)),
      el("table", { class: "mastery" },
        el("thead", {}, el("tr", {}, el("th", {}, "Skill"), el("th", {}, "Mastery"), el("th", {}, "Right"), el("th", {}, "Next review"))),
        el("tbody", {}, skills.map((s) => el("tr", { "data-skill": s.id },
          el("td", {}, el("a", { href: `#/practice/${s.id}` }, s.title)), el("td", {}, badge(s.mastery, s.mastery_label)),
          el("td", {}, `${s.correct} of ${s.attempts}`), el("td", {}, when(s.due)))))));
  }
  return out;
}

// ---- routing ----

async function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  const [page, ...rest] = hash.split("/");
  const arg = rest.join("/");
  for (const a of document.querySelectorAll("[data-nav]")) {
    a.classList.toggle("current", a.dataset.nav === (page || "home") || (page === "lesson" && a.dataset.nav === "home"));
  }
  const pages = { "": pageHome, lesson: pageLesson, repl: pageRepl, practice: pagePractice, progress: pageProgress };
  const fn = pages[page];
  main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  try {
    const nodes = fn ? await fn(arg) : [el("h1", {}, "Not found"), el("p", {}, "There is no such page. "), el("a", { href: "#/" }, "Back to the paths")];
    main.replaceChildren(...nodes.flat().filter(Boolean));
    const h1 = main.querySelector("h1");
    document.title = h1 ? `${h1.textContent} · lemma` : "lemma";
  } catch (e) {
    main.replaceChildren(el("h1", {}, "Something went wrong"), errorBox(e), el("p", {}, el("a", { href: "#/" }, "Back to the paths")));
  }
  if (page !== "repl" && page !== "practice") main.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
route();
