// The zhibiao page: hash routes over the gateway's /v1 API. No framework, no build step.
"use strict";

const STATUS = {received: "已接收", processing: "处理中", done: "完成", failed: "失败"};
const DOC_TYPE = {work_report: "政府工作报告", progress_table: "督查进展表", other: "其他"};
const KIND = {actual: "实际", target: "目标"};
const MEASURE = {value: "总量/水平", growth: "增速", share: "比重"};
const QUALIFIER = {about: "左右", at_least: "以上", at_most: "以内"};
const VERDICT = {met: "已完成", missed: "未完成", not_yet_reported: "尚未公布", not_comparable: "单位不可比"};
const TASK_STATUS = {done: "完成", on_track: "推进中", behind: "滞后"};
const COLORS = ["#b3261e", "#1f6feb", "#1e7b34", "#8250df", "#d97706", "#0e7490", "#be185d", "#4b5563",
  "#65a30d", "#7c2d12", "#0891b2", "#c026d3", "#a16207", "#1e3a8a"];
// As many distinct colours as regions: the palette, then evenly spaced hues past it.
function colorOf(i, n) { return n <= COLORS.length ? COLORS[i % COLORS.length] : `hsl(${Math.round(i * 360 / n)},70%,${i % 2 ? 35 : 48}%)`; }
const NUM = new Intl.NumberFormat("zh-CN", {maximumFractionDigits: 4});
const view = document.getElementById("view");
let timer = null;
let onResize = null;  // what the current view redraws when the window changes size
window.addEventListener("resize", () => onResize && onResize());

// --- small helpers -----------------------------------------------------------------------
// replaceChildren turns null into the text "null": leave absent parts out instead.
function fill(el, ...nodes) { el.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined && n !== false)); }
function show(...nodes) { fill(view, ...nodes); }
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "html") el.innerHTML = v;  // only for server-escaped snippets
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return el;
}
const svgNS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}
async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
  return body;
}
// Writes carry the bearer token the user typed once (kept in this browser only).
function token() { return localStorage.getItem("zhibiao-token") || ""; }
async function write(method, path, body) {
  const headers = token() ? {Authorization: "Bearer " + token()} : {};
  const r = await fetch(path, {method, headers, body});
  let answer = null;
  try { answer = await r.json(); } catch (e) { answer = null; }
  return {status: r.status, ok: r.ok, body: answer,
    message: answer && answer.error ? answer.error.message : (r.ok ? "" : r.statusText)};
}
let openapi = null;  // which write operations this gateway has (DELETE may not exist yet)
async function operations() {
  if (!openapi) openapi = await api("/openapi.json").catch(() => ({paths: {}}));
  return openapi.paths;
}
async function canDelete() { const p = await operations(); return !!(p["/v1/documents/{document_id}"] || {}).delete; }
async function allPages(path) {
  let items = [], cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(path + sep + "limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    items = items.concat(page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
function fmt(v) {
  if (v === null || v === undefined) return "";
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
}
function tick(v) { return NUM.format(Math.round(v * 1000) / 1000); }  // 1,500,000 not 1500000
function figure(o) {
  if (!o) return "";
  const range = o.value_max !== null && o.value_max !== undefined ? fmt(o.value) + "–" + fmt(o.value_max) : fmt(o.value);
  return range + (o.unit || "") + (o.qualifier ? QUALIFIER[o.qualifier] : "");
}
function params() {
  const hash = location.hash.slice(1) || "/";
  const [path, query] = hash.split("?");
  return {path, q: new URLSearchParams(query || "")};
}
function go(path, q) {
  const qs = new URLSearchParams(Object.entries(q || {}).filter(([, v]) => v)).toString();
  location.hash = path + (qs ? "?" + qs : "");
}
function docLink(id, name, at) {
  return h("a", {href: "#/doc/" + id + (at !== undefined && at !== null ? "?at=" + at : "")}, name || id.slice(0, 12));
}
function badge(status, label) { return h("span", {class: "badge " + status}, label || STATUS[status] || status); }
function exportLinks(path) {
  const sep = path.includes("?") ? "&" : "?";
  return h("span", {}, h("a", {class: "export", href: path + sep + "format=csv"}, "导出 CSV"),
    h("a", {class: "export", href: path + sep + "format=xlsx"}, "导出 Excel"));
}
let indicatorNames = null;
async function indicators() {
  if (!indicatorNames) {
    const items = (await api("/v1/indicators")).items;
    indicatorNames = Object.fromEntries(items.map(i => [i.code, i]));
  }
  return indicatorNames;
}
function iname(code) { return indicatorNames && indicatorNames[code] ? indicatorNames[code].name : code; }

// --- documents (live): upload, filter, sort, retry, delete --------------------------------
const PENDING = new Set(["received", "processing"]);
const SORTS = {year: "年份（新在前）", name: "文件名", region: "地区", received: "接收时间（新在前）"};
async function showDocuments(q) {
  const filt = {text: q.get("q") || "", status: q.get("status") || "", type: q.get("type") || "", sort: q.get("sort") || "year"};
  const setq = () => history.replaceState(null, "", "#/?" + new URLSearchParams(Object.entries(filt).filter(([k, v]) => v && !(k === "sort" && v === "year"))));
  const textIn = h("input", {type: "search", id: "doc-filter", value: filt.text, placeholder: "按文件名、标题、地区筛选",
    oninput: e => { filt.text = e.target.value.trim(); setq(); render(); }});
  const pick = (id, key, options, all) => h("select", {id, onchange: e => { filt[key] = e.target.value; setq(); render(); }},
    all ? h("option", {value: ""}, all) : null,
    Object.entries(options).map(([k, v]) => h("option", {value: k, selected: filt[key] === k}, v)));
  const fileIn = h("input", {type: "file", id: "upload-input", multiple: true, hidden: true, onchange: e => upload([...e.target.files])});
  const tokenIn = h("input", {type: "password", id: "token", value: token(), placeholder: "写入令牌（API token）", size: 18,
    onchange: e => localStorage.setItem("zhibiao-token", e.target.value.trim())});
  const regionIn = h("input", {type: "text", id: "upload-region", placeholder: "地区（可选，如 保定市容城县）", size: 22});
  const drop = h("div", {id: "drop", class: "drop",
    ondragover: e => { e.preventDefault(); drop.classList.add("over"); },
    ondragleave: () => drop.classList.remove("over"),
    ondrop: e => { e.preventDefault(); drop.classList.remove("over"); upload([...e.dataTransfer.files]); }},
    h("b", {}, "把报告文件拖到这里上传"), "（PDF、Word、HTML、文本）或 ",
    h("button", {type: "button", onclick: () => fileIn.click()}, "选择文件"), fileIn,
    h("div", {class: "toolbar"}, h("label", {}, "令牌 ", tokenIn), h("label", {}, "地区 ", regionIn)),
    h("ul", {id: "upload-status", class: "uploads"}));
  show(h("h1", {}, "文档"), drop,
    h("div", {class: "toolbar"}, textIn, pick("doc-status", "status", STATUS, "全部状态"), pick("doc-type", "type", DOC_TYPE, "全部类型"),
      h("label", {}, "排序 ", pick("doc-sort", "sort", SORTS))),
    h("p", {class: "muted", id: "doc-summary"}, "加载中…"),
    h("table", {id: "docs"}, h("thead", {}, h("tr", {}, ["文件", "类型", "地区", "年份", "状态", "说明", ""].map(t => h("th", {}, t)))),
      h("tbody")));
  const deletable = await canDelete();
  let docs = [];
  const order = {
    year: (a, b) => (b.plan_year || 0) - (a.plan_year || 0) || a.source_name.localeCompare(b.source_name),
    name: (a, b) => a.source_name.localeCompare(b.source_name),
    region: (a, b) => (a.region || "\uffff").localeCompare(b.region || "\uffff", "zh-CN") || (b.plan_year || 0) - (a.plan_year || 0),
    received: (a, b) => (b.received_at || "").localeCompare(a.received_at || ""),
  };
  const render = () => {
    const words = filt.text.toLowerCase();
    const shown = docs.filter(d => (!filt.status || d.status === filt.status) && (!filt.type || d.doc_type === filt.type) &&
      (!words || [d.source_name, d.title, d.region].some(v => v && v.toLowerCase().includes(words))));
    // in progress on top, whatever the order: that is what a person is waiting for
    shown.sort((a, b) => (PENDING.has(b.status) - PENDING.has(a.status)) || order[filt.sort](a, b));
    fill(document.querySelector("#docs tbody"), ...shown.map(d => docRow(d, deletable, refresh)));
    const pending = docs.filter(d => PENDING.has(d.status)).length, failed = docs.filter(d => d.status === "failed").length;
    document.getElementById("doc-summary").textContent =
      `共 ${docs.length} 个文档：${docs.length - pending - failed} 个完成，${pending} 个处理中，${failed} 个失败` +
      (shown.length < docs.length ? `；筛选后显示 ${shown.length} 个` : "") + (pending ? "（自动刷新）" : "");
  };
  const refresh = async () => {
    try { docs = await allPages("/v1/documents"); } catch (e) { return schedule(5000); }
    if (params().path !== "/") return;
    render();
    schedule(docs.some(d => PENDING.has(d.status)) ? 1500 : 8000);
  };
  const schedule = ms => { clearTimeout(timer); timer = setTimeout(refresh, ms); };
  async function upload(files) {
    const list = document.getElementById("upload-status");
    for (const file of files) {
      const line = h("li", {class: "pending"}, file.name + "：上传中…");
      list.prepend(line);
      const form = new FormData();
      form.append("file", file);
      if (regionIn.value.trim()) form.append("region", regionIn.value.trim());
      const r = await write("POST", "/v1/documents", form);
      line.className = r.ok ? "ok" : "error";
      line.textContent = file.name + "：" + (r.ok ? "已上传，正在处理" + (r.body.status === "done" ? "（此前已处理过）" : "")
        : r.status === 401 || r.status === 403 ? "需要有效的写入令牌（" + r.message + "）" : "上传失败：" + r.message);
    }
    refresh();
  }
  await refresh();
}
function docRow(d, deletable, refresh) {
  const name = d.status === "done" || d.status === "failed" ? docLink(d.id, d.source_name) : d.source_name;
  const reason = d.status === "failed"
    ? h("details", {class: "reason"}, h("summary", {}, (d.error || "").slice(0, 40) + ((d.error || "").length > 40 ? "…" : "")), d.error)
    : d.title || "";
  return h("tr", {class: d.status, "data-status": d.status, "data-id": d.id},
    h("td", {}, name), h("td", {class: "nowrap"}, DOC_TYPE[d.doc_type] || ""), h("td", {}, d.region || ""),
    h("td", {}, d.plan_year || ""), h("td", {}, badge(d.status)),
    h("td", {class: d.status === "failed" ? "error" : "muted"}, reason),
    h("td", {class: "actions"}, docActions(d, deletable, refresh)));
}
function docActions(d, deletable, after) {
  const note = h("span", {class: "note muted"});
  const act = (label, cls, run) => h("button", {type: "button", class: "small " + cls, onclick: async e => {
    e.target.disabled = true;
    const r = await run();
    e.target.disabled = false;
    if (r.status === 405 || r.status === 404 && cls === "delete") { e.target.hidden = true; note.textContent = "此服务不支持删除"; return; }
    note.textContent = r.ok ? (cls === "delete" ? "已删除" : "已重新排队") :
      (r.status === 401 || r.status === 403 ? "需要写入令牌（在“文档”页输入）" : "失败：" + r.message);
    if (r.ok && after) after();
  }}, label);
  return [PENDING.has(d.status) ? null : act("重新处理", "retry", () => write("POST", `/v1/documents/${d.id}/reprocess`)),
    deletable ? act("删除", "delete", () => confirm(`删除 ${d.source_name}？`) ? write("DELETE", `/v1/documents/${d.id}`) : {ok: false, status: 0, message: "已取消"}) : null,
    note];
}

// --- one document: outline, text with figures marked in place, figures beside -------------
// A figure outside the catalogue has no indicator: it is named by its subject as written.
function factName(f) { return f.indicator ? iname(f.indicator) : (f.subject || "（主语不明）"); }
async function showDocument(id, q) {
  const [doc, facts, sections] = await Promise.all([
    api("/v1/documents/" + id), allPages("/v1/facts?document_id=" + id),
    api("/v1/documents/" + id + "/sections").then(b => b.items).catch(() => []), indicators()]);
  const text = doc.status === "done" ? await fetch("/v1/documents/" + id + "/text").then(r => r.ok ? r.text() : "") : "";
  const meta = [DOC_TYPE[doc.doc_type], doc.region, doc.plan_year && doc.plan_year + "年", doc.speaker && "报告人：" + doc.speaker,
    doc.delivered_on].filter(Boolean).join(" · ");
  const deletable = await canDelete();
  const head = [h("h1", {}, doc.title || doc.source_name),
    h("p", {class: "muted"}, [meta, doc.source_name].filter(Boolean).join(" · "), " ", badge(doc.status), " ",
      doc.status === "done" ? exportLinks("/v1/facts?document_id=" + id) : null, " ",
      h("span", {class: "actions"}, docActions(doc, deletable, () => { clearTimeout(timer); timer = setTimeout(route, 3000); })))];
  if (doc.status !== "done") {
    show(...head, doc.status === "failed"
      ? h("div", {class: "card failed-reason"}, h("h2", {}, "处理失败的原因"), h("p", {class: "error", id: "fail-reason"}, doc.error || "（未记录原因）"),
          h("p", {class: "muted"}, "可以修正文件后重新上传，或点“重新处理”再试一次。"),
          timelineList(doc.timeline))
      : h("p", {class: "muted"}, "这个文档还在处理中，完成后即可查看正文和数字（自动刷新）。"));
    if (PENDING.has(doc.status)) timer = setTimeout(route, 2000);
    return;
  }
  const catalogued = facts.filter(f => f.indicator), open = facts.filter(f => !f.indicator);
  const panel = h("div", {class: "side"},
    h("div", {class: "card", id: "fact-card"}, h("p", {class: "muted"}, "点击正文中标出的数字，查看它对应的数据。")),
    h("div", {class: "card", id: "facts-catalogue"}, h("h2", {}, `目录内指标的数字（${catalogued.length}）`), factList(catalogued)),
    h("div", {class: "card", id: "facts-open"}, h("h2", {}, `目录外的数字（${open.length}）`),
      h("p", {class: "muted small"}, "指标目录之外的数字，以原文所说的对象命名；“?”表示对象不明确。"), factList(open)),
    h("div", {class: "card"}, h("h2", {}, "关键词"),
      h("div", {class: "keywords"}, (doc.keywords || []).map(k => h("span", {}, h("a", {href: "#/search?q=" + encodeURIComponent(k)}, k))))));
  const at = q.get("at"), end = q.get("end");
  const hit = at !== null && end !== null ? [Number(at), Number(end)] : null;
  const body = h("div", {class: "doctext", id: "doctext"}, ...markFigures(text, facts, hit));
  const outline = h("nav", {class: "outline", id: "outline"}, h("h2", {}, "目录"),
    sections.length ? h("ol", {}, sections.map(sec => h("li", {class: "lvl" + Math.min(sec.level, 4)},
      h("a", {href: "javascript:void 0", "data-start": sec.start, onclick: () => scrollToOffset(sec.start)},
        [sec.number, sec.heading].filter(Boolean).join(" "))))) : h("p", {class: "muted"}, "没有识别出章节"));
  show(...head, h("div", {class: "docview"}, outline, body, panel));
  const words = (q.get("hl") || "").split(/\s+/).filter(Boolean);
  if (words.length) highlightWords(body, words);
  if (hit) scrollToOffset(hit[0], true);
  else if (at !== null) scrollToOffset(Number(at));
}
function timelineList(events) {
  const names = {received: "已接收", extraction_started: "开始提取", stored: "已保存", failed: "失败", dead_lettered: "转入死信"};
  return h("ol", {class: "timeline muted"}, (events || []).map(e => h("li", {}, `${(e.at || "").replace("T", " ").slice(0, 19)} ${names[e.event] || e.event}` + (e.detail ? "：" + e.detail : ""))));
}
// The text cut at every figure and at the search hit's paragraph, so that the paragraph is one
// element of its own (not the stretch between two figures) and each figure a <mark>.
function markFigures(text, facts, hit) {
  const spans = [];
  for (const f of facts) {
    if (f.figure_start === null || f.figure_start === undefined) continue;
    spans.push({start: f.figure_start, end: f.figure_end, facts: [f]});
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [];
  for (const sp of spans) {
    const prev = merged[merged.length - 1];
    if (prev && sp.start < prev.end) { prev.facts.push(...sp.facts); continue; }
    merged.push(sp);
  }
  const out = [];
  const plain = (from, to) => {  // text between figures, split at the hit's edges
    const cuts = [from, ...(hit ? hit.filter(c => c > from && c < to) : []), to];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const inHit = hit && cuts[i] >= hit[0] && cuts[i + 1] <= hit[1];
      out.push(h("span", {"data-at": cuts[i], class: inHit ? "hit-para" : null}, text.slice(cuts[i], cuts[i + 1])));
    }
  };
  let pos = 0;
  for (const sp of merged) {
    if (sp.start > pos) plain(pos, sp.start);
    const f = sp.facts.find(x => x.indicator) || sp.facts[0];
    const inHit = hit && sp.start >= hit[0] && sp.end <= hit[1];
    out.push(h("mark", {class: "fig " + f.kind + (f.indicator ? "" : " open") + (inHit ? " hit-para" : ""), "data-fact": f.id, "data-at": sp.start,
      title: factName(f) + " · " + KIND[f.kind] + " · " + f.period + (f.indicator ? "" : " · 目录外"), onclick: () => selectFact(sp.facts)},
      text.slice(sp.start, sp.end)));
    pos = sp.end;
  }
  if (pos < text.length) plain(pos, text.length);
  return out;
}
// Mark the query's words in the text (outside figures), as the search result did.
function highlightWords(root, words) {
  const pattern = new RegExp(words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).sort((a, b) => b.length - a.length).join("|"), "gi");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (!walker.currentNode.parentElement.closest("mark")) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const t = node.nodeValue;
    pattern.lastIndex = 0;
    if (!pattern.test(t)) continue;
    pattern.lastIndex = 0;
    const frag = document.createDocumentFragment();
    let pos = 0, m;
    while ((m = pattern.exec(t))) {
      if (m.index > pos) frag.appendChild(document.createTextNode(t.slice(pos, m.index)));
      frag.appendChild(h("mark", {class: "q"}, m[0]));
      pos = m.index + m[0].length;
    }
    if (pos < t.length) frag.appendChild(document.createTextNode(t.slice(pos)));
    node.parentNode.replaceChild(frag, node);
  }
}
function factList(facts) {
  if (!facts.length) return h("p", {class: "muted"}, "无");
  return h("table", {class: "facts"}, h("tbody", {}, facts.map(f => h("tr", {"data-fact": f.id, class: f.indicator ? null : "open"},
    h("td", {}, h("a", {href: "javascript:void 0", onclick: () => selectFact([f])}, factName(f)),
      f.subject_unclear ? h("span", {class: "muted", title: "对象不明确：取了整句的分句"}, " ?") : null),
    h("td", {}, KIND[f.kind] + " " + f.period), h("td", {class: "num"}, figure(f))))));
}
function selectFact(fs) {
  document.querySelectorAll("mark.fig.on").forEach(m => m.classList.remove("on"));
  const cards = fs.map(f => {
    const m = document.querySelector(`mark.fig[data-fact="${f.id}"]`);
    if (m) { m.classList.add("on"); m.scrollIntoView({block: "center", behavior: "smooth"}); }
    const flags = [f.estimated && "预计", f.strive && "力争"].filter(Boolean).join("、");
    return h("div", {class: "fact", "data-fact": f.id},
      h("h2", {}, factName(f), f.indicator
        ? h("span", {class: "muted"}, "（原文：" + f.indicator_label + "）")
        : h("span", {class: "muted"}, f.subject_unclear ? "（目录外；对象不明确）" : "（目录外）")),
      h("dl", {}, h("dt", {}, "类型"), h("dd", {}, KIND[f.kind] + (flags ? "（" + flags + "）" : "")),
        h("dt", {}, "地区"), h("dd", {}, f.region || "—"), h("dt", {}, "时期"), h("dd", {}, f.period),
        h("dt", {}, "口径"), h("dd", {}, MEASURE[f.measure]), h("dt", {}, "数值"), h("dd", {class: "value"}, figure(f)),
        h("dt", {}, "章节"), h("dd", {}, f.section || "")),
      h("blockquote", {}, f.quote),
      f.indicator ? h("p", {}, h("a", {href: `#/indicator?code=${f.indicator}&measure=${f.measure}&region=${encodeURIComponent(f.region || "")}`},
        "查看该指标历年走势 →")) : null);
  });
  fill(document.getElementById("fact-card"), ...cards);
}
function scrollToOffset(at, isHit) {
  const box = document.getElementById("doctext");
  const nodes = [...box.querySelectorAll("[data-at]")];
  let target = nodes[0];
  for (const n of nodes) { if (Number(n.dataset.at) <= at) target = n; else break; }
  if (!target) return;
  // scroll the text box itself (not the window) so that the place stands in its middle
  box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
  if (isHit) return;  // a search hit keeps its own lasting highlight (.hit-para)
  target.classList.add("flash");
  setTimeout(() => target.classList.remove("flash"), 2500);
}

// --- an indicator across years and regions ---------------------------------------------
// Scale words and their factors, longest first, as the extractor reads them (zhibiao/domain/units.py)
let scales = null;
async function loadScales() {
  scales = scales || await api("/static/units.json");
  return scales;
}
function splitUnit(u) {
  for (const [w, factor] of Object.entries(scales)) if (u.startsWith(w) && u.length > w.length) return [factor, u.slice(w.length)];
  return [1, u];
}
function convert(v, from, to) {
  if (from === to) return v;
  const [a, ba] = splitUnit(from || ""), [b, bb] = splitUnit(to || "");
  return ba === bb && ba !== "%" ? v * a / b : null;
}
async function showIndicator(q) {
  const [cat] = await Promise.all([indicators(), loadScales()]);
  const used = Object.values(cat).filter(i => i.facts > 0);
  const code = q.get("code") || (used.find(i => i.code === "gdp") || used[0] || {}).code;
  const measure = q.get("measure") || "growth";
  const picker = h("select", {id: "ind-code", onchange: e => go("/indicator", {code: e.target.value, measure})},
    used.map(i => h("option", {value: i.code, selected: i.code === code}, `${i.name}（${i.facts}）`)));
  const measures = h("select", {id: "ind-measure", onchange: e => go("/indicator", {code, measure: e.target.value})},
    Object.entries(MEASURE).map(([k, v]) => h("option", {value: k, selected: k === measure}, v)));
  show(h("h1", {}, "指标走势：实际与目标"), h("div", {class: "toolbar"},
    h("label", {}, "指标 ", picker), h("label", {}, "口径 ", measures),
    code ? exportLinks(`/v1/series?indicator=${code}&measure=${measure}` + (q.get("region") ? "&region=" + encodeURIComponent(q.get("region")) : "")) : null),
    h("div", {id: "series"}, "加载中…"));
  if (!code) return;
  const series = await api(`/v1/series?indicator=${code}&measure=${measure}&limit=1000`);  // every region the page offers
  const wanted = q.get("region");
  const regions = [...new Set(series.items.map(i => i.region))];
  const chosen = wanted && regions.includes(wanted) ? [wanted] : regions;
  const box = document.getElementById("series");
  if (!series.items.length) { fill(box, h("p", {class: "muted"}, "没有该指标此口径的数据。")); return; }
  const regionPick = h("div", {class: "toolbar"}, "地区：", regions.map((r, i) => h("label", {},
    h("input", {type: "checkbox", value: r, checked: chosen.includes(r), onchange: () => redraw()}), " ",
    h("span", {style: `color:${colorOf(i, regions.length)}`}, r || "（未识别地区）"))));
  const chartBox = h("div", {}), tableBox = h("div", {});
  fill(box, regionPick, chartBox, tableBox);
  const redraw = () => {
    const on = [...regionPick.querySelectorAll("input:checked")].map(i => i.value);
    const items = series.items.filter(i => on.includes(i.region));
    fill(chartBox, chart(items, regions, chartBox.clientWidth || 860));
    fill(tableBox, seriesTable(items));
  };
  redraw();
  // the chart is as wide as the window lets it be
  let resizing = null;
  onResize = () => { clearTimeout(resizing); resizing = setTimeout(() => document.body.contains(chartBox) && redraw(), 150); };
}
// The unit the axis is drawn in: money in 亿元 whatever the reports wrote (万元, 万亿元), else
// the unit most figures use. Figures that cannot be converted to it are listed, not drawn.
function axisUnit(units) {
  const ranked = Object.keys(units).sort((a, b) => units[b] - units[a]);
  if (ranked.some(u => splitUnit(u)[1] === "元" && u !== "元") && "亿" in scales) return "亿元";
  return ranked[0] || "";
}
function chart(items, regions, width) {
  const W = Math.max(360, Math.round(width)), H = 360, L = 78, R = 20, T = 28, B = 44;
  const yearly = items.filter(i => /^\d{4}$/.test(i.period));
  const units = {};
  for (const i of yearly) for (const o of [...i.actual, ...i.target]) units[o.unit] = (units[o.unit] || 0) + 1;
  const unit = axisUnit(units);
  const points = [], skipped = [];
  for (const i of yearly) for (const kind of ["actual", "target"]) for (const o of i[kind]) {
    const v = convert(o.value, o.unit, unit);
    if (v === null) { skipped.push({region: i.region, period: i.period, kind, o}); continue; }
    const vmax = o.value_max !== null && o.value_max !== undefined ? convert(o.value_max, o.unit, unit) : null;
    points.push({year: Number(i.period), v, vmax, kind, region: i.region, o});
  }
  const svg = s("svg", {class: "chart", id: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img"});
  const notDrawn = skipped.length ? h("div", {class: "not-drawn", id: "not-drawn"},
    h("b", {}, `未绘制 ${skipped.length} 个数字`), `（单位无法换算为“${unit}”）：`,
    skipped.map(k => `${k.region || "（未识别地区）"} ${k.period} ${KIND[k.kind]} ${figure(k.o)}`).join("；")) : null;
  if (!points.length) { svg.appendChild(s("text", {x: 20, y: 40}, "没有可绘制的年度数据")); return h("div", {}, svg, notDrawn); }
  const years = points.map(p => p.year), vals = points.flatMap(p => [p.v, p.vmax]).filter(v => v !== null);
  const x0 = Math.min(...years) - 0.5, x1 = Math.max(...years) + 0.5;
  let y0 = Math.min(0, ...vals), y1 = Math.max(...vals);
  if (y1 === y0) y1 = y0 + 1;
  const raw = (y1 - y0) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(m => m >= raw);
  y0 = Math.floor(y0 / step) * step;
  y1 = Math.ceil(y1 / step) * step;
  const X = y => L + (y - x0) / (x1 - x0) * (W - L - R), Y = v => T + (1 - (v - y0) / (y1 - y0)) * (H - T - B);
  svg.appendChild(s("line", {x1: L, y1: Y(y0), x2: W - R, y2: Y(y0), stroke: "#888"}));
  svg.appendChild(s("line", {x1: L, y1: T, x2: L, y2: H - B, stroke: "#888"}));
  for (let v = y0; v <= y1 + step / 2; v += step) {
    svg.appendChild(s("line", {x1: L, y1: Y(v), x2: W - R, y2: Y(v), stroke: "#eee"}));
    svg.appendChild(s("text", {x: L - 6, y: Y(v) + 4, "text-anchor": "end", class: "tick"}, tick(v)));
  }
  const every = Math.max(1, Math.ceil((x1 - x0) / ((W - L - R) / 48)));  // year labels never overlap
  for (let yr = Math.ceil(x0); yr <= x1; yr++) if ((yr - Math.ceil(x0)) % every === 0) svg.appendChild(s("text", {x: X(yr), y: H - B + 18, "text-anchor": "middle"}, String(yr)));
  svg.appendChild(s("text", {x: L, y: 16, "text-anchor": "start", id: "axis-unit"}, unit ? "单位：" + unit : ""));
  regions.forEach((region, ri) => {
    const color = colorOf(ri, regions.length);
    for (const kind of ["actual", "target"]) {
      const pts = points.filter(p => p.region === region && p.kind === kind).sort((a, b) => a.year - b.year);
      if (!pts.length) continue;
      const first = {};
      for (const p of pts) if (!(p.year in first)) first[p.year] = p;
      // a line only between consecutive years: a missing year is a gap, not a straight line
      let run = [];
      const flush = () => {
        if (run.length > 1) svg.appendChild(s("polyline", {points: run.map(p => `${X(p.year)},${Y(p.v)}`).join(" "), fill: "none", stroke: color,
          "stroke-width": kind === "actual" ? 2 : 1.5, "stroke-dasharray": kind === "target" ? "6 4" : "none", class: "series-" + kind}));
        run = [];
      };
      for (const p of Object.values(first)) {
        if (run.length && p.year !== run[run.length - 1].year + 1) flush();
        run.push(p);
      }
      flush();
      for (const p of pts) {
        const tip = `${region || "（未识别地区）"} ${p.year} ${KIND[kind]}：${figure(p.o)}（${p.o.source_name}）`;
        if (p.vmax !== null) svg.appendChild(s("line", {x1: X(p.year), x2: X(p.year), y1: Y(p.v), y2: Y(p.vmax), stroke: color, "stroke-width": 4, opacity: 0.4}));
        const mark = kind === "actual"
          ? s("circle", {cx: X(p.year), cy: Y(p.v), r: 5, fill: color, class: "pt-actual"}, s("title", {}, tip))
          : s("rect", {x: X(p.year) - 5, y: Y(p.v) - 5, width: 10, height: 10, fill: "#fff", stroke: color, "stroke-width": 2, class: "pt-target"}, s("title", {}, tip));
        svg.appendChild(mark);
      }
    }
  });
  const legend = h("div", {class: "legend muted"}, h("span", {}, "● 实线：实际"), h("span", {}, "□ 虚线：目标"),
    h("span", {}, "竖条：目标区间"), h("span", {}, "缺少的年份不连线"), h("span", {}, "多年期（如“年均”）数据见下表"));
  return h("div", {}, svg, legend, notDrawn);
}
function seriesTable(items) {
  const cell = obs => obs.length ? obs.map(o => h("div", {},
    h("b", {}, figure(o)), o.estimated ? h("span", {class: "muted"}, "（预计）") : null, " ",
    h("span", {class: "src", title: o.quote}, docLink(o.document_id, o.source_name, o.start)))) : h("span", {class: "muted"}, "—");
  return h("table", {id: "series-table"}, h("thead", {}, h("tr", {}, ["地区", "时期", "实际", "目标", ""].map(t => h("th", {}, t)))),
    h("tbody", {}, items.map(i => h("tr", {"data-region": i.region, "data-period": i.period}, h("td", {}, i.region || "（未识别地区）"), h("td", {}, i.period), h("td", {}, cell(i.actual)),
      h("td", {}, cell(i.target)), h("td", {}, i.disagree ? h("span", {class: "disagree", title: "不同文档给出的数字不一致"}, "⚠ 数字不一致") : "")))));
}

// --- attainment --------------------------------------------------------------------------
async function showAttainment(q) {
  await indicators();
  const region = q.get("region") || "";
  const docs = await allPages("/v1/documents?status=done");
  const regions = [...new Set(docs.map(d => d.region).filter(Boolean))].sort();
  const pick = h("select", {id: "att-region", onchange: e => go("/attainment", {region: e.target.value})},
    h("option", {value: ""}, "全部地区"), regions.map(r => h("option", {value: r, selected: r === region}, r)));
  const path = "/v1/attainment" + (region ? "?region=" + encodeURIComponent(region) : "");
  show(h("h1", {}, "目标完成情况"), h("div", {class: "toolbar"}, h("label", {}, "地区 ", pick), exportLinks(path)),
    h("p", {class: "muted"}, "每个年度目标与此后报告公布的同一地区、同一指标、同一时期的实际数对照。“左右”按 ±0.5 个百分点（总量 ±2%）判断；物价、失业率、能耗等以不超过目标为完成。"),
    h("div", {id: "att"}, "加载中…"));
  const items = await allPages(path);
  const counts = {};
  for (const i of items) counts[i.status] = (counts[i.status] || 0) + 1;
  const rows = items.map(i => h("tr", {class: "att-row", "data-status": i.status, "data-indicator": i.indicator,
    "data-measure": i.measure, "data-period": i.period, "data-region": i.region},
    h("td", {}, i.region), h("td", {}, i.period), h("td", {}, i.indicator_name || i.indicator), h("td", {}, MEASURE[i.measure]),
    h("td", {class: "num", title: i.target.quote}, figure(i.target), i.target.strive ? "（力争）" : ""),
    h("td", {class: "num"}, i.rule),
    h("td", {class: "num", title: i.actual ? i.actual.quote : ""}, i.actual ? figure(i.actual) : "—",
      i.actual && i.actual.estimated ? "（预计）" : ""),
    h("td", {class: "num"}, i.gap === null ? "" : (i.gap > 0 ? "+" : "") + fmt(i.gap)),
    h("td", {}, badge(i.status, VERDICT[i.status])),
    h("td", {class: "src"}, docLink(i.target.document_id, i.target.source_name, i.target.start),
      i.actual ? [" → ", docLink(i.actual.document_id, i.actual.source_name, i.actual.start)] : "")));
  fill(document.getElementById("att"), 
    h("p", {id: "att-summary"}, Object.entries(VERDICT).filter(([k]) => counts[k]).map(([k, v]) => `${v} ${counts[k]} 项`).join("，") || "没有目标数据"),
    h("table", {id: "attainment"}, h("thead", {}, h("tr", {}, ["地区", "年份", "指标", "口径", "目标", "判断标准", "实际", "差距", "结果", "出处"].map(t => h("th", {}, t)))),
      h("tbody", {}, rows)));
}

// --- figures: any filter the API takes, e.g. which regions aim at >= 6 % GDP growth ---------
const FACT_FILTERS = ["indicator", "kind", "measure", "period", "value_gte", "value_lte", "region", "admin_level"];
const LEVEL = {national: "全国", province: "省级", city: "市级", district: "区级", county: "县级"};
async function showFacts(q) {
  const cat = await indicators();
  const want = Object.fromEntries(FACT_FILTERS.map(k => [k, q.get(k) || ""]));
  const sel = (id, all, options) => h("select", {id}, h("option", {value: ""}, all),
    Object.entries(options).map(([k, v]) => h("option", {value: k, selected: k === want[id.slice(2)]}, v)));
  const used = Object.values(cat).filter(i => i.facts > 0);
  const inputs = {
    indicator: sel("f-indicator", "全部指标", Object.fromEntries(used.map(i => [i.code, i.name]))),
    kind: sel("f-kind", "实际与目标", KIND), measure: sel("f-measure", "全部口径", MEASURE),
    period: h("input", {id: "f-period", value: want.period, placeholder: "年份，如 2025,2026", size: 14}),
    value_gte: h("input", {id: "f-value_gte", type: "number", step: "any", value: want.value_gte, placeholder: "≥", style: "width:5em"}),
    value_lte: h("input", {id: "f-value_lte", type: "number", step: "any", value: want.value_lte, placeholder: "≤", style: "width:5em"}),
    region: h("input", {id: "f-region", value: want.region, placeholder: "地区，如 杭州", size: 10}),
    admin_level: sel("f-admin_level", "全部级别", LEVEL),
  };
  const submit = () => go("/facts", Object.fromEntries(FACT_FILTERS.map(k => [k, inputs[k].value.trim()])));
  const qs = new URLSearchParams(Object.entries(want).filter(([, v]) => v)).toString();
  show(h("h1", {}, "数字查询"), h("form", {class: "toolbar", onsubmit: e => { e.preventDefault(); submit(); }},
      inputs.indicator, inputs.kind, inputs.measure, inputs.period, h("label", {}, "数值 ", inputs.value_gte, " 至 ", inputs.value_lte),
      inputs.region, inputs.admin_level, h("button", {type: "submit"}, "查询"), exportLinks("/v1/facts" + (qs ? "?" + qs : ""))),
    h("p", {class: "muted small"}, "数值按报告原单位比较；区间目标按下限计入“≥”、按上限计入“≤”。多个年份用逗号分开。"),
    h("div", {id: "fact-results"}, "加载中…"));
  const box = document.getElementById("fact-results");
  let res;
  let docs;
  try { [res, docs] = await Promise.all([api("/v1/facts?limit=500&sort=region" + (qs ? "&" + qs : "")), allPages("/v1/documents?status=done")]); }
  catch (e) { fill(box, h("p", {class: "error"}, "出错了：" + e.message)); return; }
  const names = Object.fromEntries(docs.map(d => [d.id, d.source_name]));
  const regions = [...new Set(res.items.map(f => f.region || "（未识别地区）"))];
  fill(box, h("p", {id: "fact-count"}, `共 ${res.total}${res.total_exact === false ? "+" : ""} 个数字，涉及 ${regions.length} 个地区` +
      (res.total > res.items.length ? `（显示前 ${res.items.length} 个，可导出全部）` : "") + (regions.length && regions.length <= 12 ? "：" + regions.join("、") : "")),
    h("table", {id: "fact-table"}, h("thead", {}, h("tr", {}, ["地区", "时期", "指标", "类型", "口径", "数字", "原文", "出处"].map(t => h("th", {}, t)))),
      h("tbody", {}, res.items.map(f => h("tr", {"data-region": f.region || "", "data-period": f.period},
        h("td", {}, f.region || "（未识别地区）"), h("td", {}, f.period), h("td", {}, factName(f)), h("td", {}, KIND[f.kind]),
        h("td", {}, MEASURE[f.measure]), h("td", {class: "num"}, h("b", {}, figure(f)), f.strive ? "（力争）" : "", f.estimated ? "（预计）" : ""),
        h("td", {class: "clip"}, f.quote.length > 80 ? h("details", {}, h("summary", {}, f.quote.slice(0, 80) + "…"), f.quote) : f.quote),
        h("td", {class: "src"}, docLink(f.document_id, names[f.document_id], f.start)))))));
}

// --- search ------------------------------------------------------------------------------
const PAGE = 50;
async function showSearch(q) {
  const want = {q: q.get("q") || "", region: q.get("region") || "", year: q.get("year") || "", doc_type: q.get("doc_type") || ""};
  const input = h("input", {type: "search", id: "q", value: want.q, placeholder: "如：数字经济、\"数字经济\"、亚运会 场馆", size: 32});
  const docs = await allPages("/v1/documents?status=done").catch(() => []);
  const regions = [...new Set(docs.map(d => d.region).filter(Boolean))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  const years = [...new Set(docs.map(d => d.plan_year).filter(Boolean))].sort((a, b) => b - a);
  const sel = (id, all, values, current, label) => h("select", {id}, h("option", {value: ""}, all),
    values.map(v => h("option", {value: v, selected: String(v) === current}, label ? label(v) : String(v))));
  const regionSel = sel("s-region", "全部地区", regions, want.region), yearSel = sel("s-year", "全部年份", years, want.year, y => y + "年");
  const typeSel = sel("s-type", "全部类型", Object.keys(DOC_TYPE), want.doc_type, t => DOC_TYPE[t]);
  const submit = () => go("/search", {q: input.value.trim(), region: regionSel.value, year: yearSel.value, doc_type: typeSel.value});
  const form = h("form", {class: "toolbar", onsubmit: e => { e.preventDefault(); submit(); }},
    input, regionSel, yearSel, typeSel, h("button", {type: "submit"}, "搜索"),
    want.q ? exportLinks("/v1/search?" + new URLSearchParams(Object.entries(want).filter(([, v]) => v))) : null);
  [regionSel, yearSel, typeSel].forEach(el => el.addEventListener("change", () => input.value.trim() && submit()));
  show(h("h1", {}, "全文搜索"), form,
    h("p", {class: "muted small"}, "多个词之间是“并且”；用引号（\"数字经济\" 或 “数字经济”）要求原文连在一起出现。地区包含下辖区县。"),
    h("div", {id: "hits"}));
  if (!want.q) { input.focus(); return; }
  const qs = new URLSearchParams(Object.entries(want).filter(([, v]) => v)).toString();
  let res;
  try { res = await api(`/v1/search?limit=${PAGE}&` + qs); }
  catch (e) { fill(document.getElementById("hits"), h("p", {class: "error"}, e.message.includes("searchable") ? "查询中没有可检索的词（“的”“和”这类虚词会被忽略）。" : "出错了：" + e.message)); return; }
  const terms = await api("/v1/terms?term=" + encodeURIComponent(want.q.replace(/["“”「」『』]/g, ""))).catch(() => null);
  const byYear = terms && terms.by_year.length ? h("p", {class: "muted", id: "term-years"}, `“${want.q}”出现次数：`,
    terms.by_year.map(y => `${y.year}年 ${y.count} 次（${y.documents} 个文档）`).join("；")) : null;
  // what the opened document marks: a quoted phrase whole (not its words apart), else the query and its words
  const phrases = (want.q.match(/["“「『]([^"”」』]+)["”」』]/g) || []).map(p => p.slice(1, -1));
  const outside = want.q.replace(/["“「『]([^"”」』]+)["”」』]/g, " ").split(/\s+/).filter(Boolean);
  const hl = encodeURIComponent((phrases.length ? [...phrases, ...outside] : [want.q.trim(), ...res.tokens]).join(" "));
  const list = h("ol", {class: "results", id: "hit-list"});
  const count = h("p", {id: "hit-count"});
  const more = h("button", {type: "button", id: "more-hits"}, "显示更多");
  let cursor = res.next_cursor, shown = 0;
  const add = items => {
    for (const it of items) list.appendChild(h("li", {class: "hit"},
      h("div", {}, h("a", {href: `#/doc/${it.document_id}?at=${it.start}&end=${it.end}&hl=${hl}`}, it.source_name),
        h("span", {class: "muted"}, " " + [it.region, it.year && it.year + "年", DOC_TYPE[it.doc_type], `第${it.paragraph + 1}段`].filter(Boolean).join(" · "))),
      h("div", {class: "snippet", html: it.snippet})));
    shown += items.length;
    fill(count, `找到 ${res.total} 个段落，显示 ${shown} 个`, h("span", {class: "muted"}, "（分词：" + res.tokens.join(" / ") + "）"));
    more.hidden = !cursor;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    const next = await api(`/v1/search?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}&` + qs);
    cursor = next.next_cursor;
    more.disabled = false;
    add(next.items);
  });
  fill(document.getElementById("hits"), count, byYear, list, more);
  add(res.items);
}

// --- key tasks ---------------------------------------------------------------------------
async function showTasks(q) {
  const want = {lead_unit: q.get("lead_unit") || "", leader: q.get("leader") || "", q: q.get("q") || "", status: q.get("status") || ""};
  const unitIn = h("input", {type: "text", id: "lead-unit", value: want.lead_unit, placeholder: "牵头单位，如 财政局"});
  const leaderIn = h("input", {type: "text", id: "leader", value: want.leader, placeholder: "分管领导", size: 8});
  const textIn = h("input", {type: "text", id: "task-q", value: want.q, placeholder: "关键词"});
  const statusSel = h("select", {id: "task-status"}, h("option", {value: ""}, "全部进展"),
    Object.entries(TASK_STATUS).map(([k, v]) => h("option", {value: k, selected: k === want.status}, v)));
  const submit = () => go("/tasks", {lead_unit: unitIn.value.trim(), leader: leaderIn.value.trim(), q: textIn.value.trim(), status: statusSel.value});
  statusSel.addEventListener("change", submit);
  const qs = new URLSearchParams(Object.entries(want).filter(([, v]) => v)).toString();
  const form = h("form", {class: "toolbar", onsubmit: e => { e.preventDefault(); submit(); }},
    unitIn, leaderIn, textIn, statusSel, h("button", {type: "submit"}, "筛选"), exportLinks("/v1/tasks" + (qs ? "?" + qs : "")));
  show(h("h1", {}, "重点工作推进情况"), form, h("div", {id: "task-units"}), h("div", {id: "tasks"}, "加载中…"));
  const unitQs = new URLSearchParams(Object.entries({leader: want.leader, q: want.q}).filter(([, v]) => v)).toString();
  const [items, units] = await Promise.all([allPages("/v1/tasks" + (qs ? "?" + qs : "")),
    api("/v1/tasks/lead_units" + (unitQs ? "?" + unitQs : "")).then(b => b.items).catch(() => [])]);
  const counts = {};
  for (const t of items) counts[t.progress_status || "none"] = (counts[t.progress_status || "none"] || 0) + 1;
  const top = units.slice(0, 12);
  fill(document.getElementById("task-units"), top.length ? h("details", {open: true, id: "unit-counts"},
    h("summary", {}, `各牵头单位的任务数（共 ${units.length} 个单位）`),
    h("table", {class: "compact"}, h("thead", {}, h("tr", {}, ["牵头单位", "任务", "完成", "推进中", "滞后", "未填"].map(t => h("th", {}, t)))),
      h("tbody", {}, top.map(u => h("tr", {"data-unit": u.lead_unit},
        h("td", {}, h("a", {href: "#/tasks?" + new URLSearchParams({...Object.fromEntries(Object.entries(want).filter(([, v]) => v)), lead_unit: u.lead_unit})}, u.lead_unit)),
        h("td", {class: "num"}, u.tasks), h("td", {class: "num"}, u.done), h("td", {class: "num"}, u.on_track),
        h("td", {class: "num" + (u.behind ? " error" : "")}, u.behind), h("td", {class: "num"}, u.unknown)))))) : null);
  const long = (t, n) => !t ? "" : t.length <= n ? t : h("details", {}, h("summary", {}, t.slice(0, n) + "…"), t);
  fill(document.getElementById("tasks"), h("p", {id: "task-count"}, `共 ${items.length} 项：` +
      Object.entries(TASK_STATUS).map(([k, v]) => `${v} ${counts[k] || 0}`).join("，") + (counts.none ? `，未填 ${counts.none}` : "")),
    h("table", {id: "task-table"}, h("thead", {}, h("tr", {}, ["序号", "重点工作", "牵头单位", "分管领导", "进展", "进展情况", "问题与下一步", "报告原文"].map(t => h("th", {}, t)))),
      h("tbody", {}, items.map(t => h("tr", {"data-status": t.progress_status || ""},
        h("td", {class: "num"}, t.number), h("td", {class: "clip"}, long(t.text, 60)), h("td", {}, t.lead_units.join("、")),
        h("td", {}, t.leader || ""), h("td", {}, t.progress_status ? badge("task-" + t.progress_status, TASK_STATUS[t.progress_status]) : ""),
        h("td", {class: "clip"}, long(t.progress, 40)), h("td", {class: "clip"}, long(t.next_steps, 40)),
        h("td", {}, t.report_paragraph ? h("span", {title: t.report_paragraph.excerpt},
          docLink(t.report_paragraph.document_id, t.report_paragraph.source_name, t.report_paragraph.start),
          h("span", {class: "muted"}, ` 第${t.report_paragraph.paragraph + 1}段`)) : h("span", {class: "muted"}, "—")))))));
}

// --- routing -----------------------------------------------------------------------------
async function route() {
  clearTimeout(timer);
  onResize = null;
  const {path, q} = params();
  const name = path.startsWith("/doc/") ? "docs" : (path.slice(1) || "docs");
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.view === name));
  try {
    if (path === "/") await showDocuments(q);
    else if (path.startsWith("/doc/")) await showDocument(path.slice(5), q);
    else if (path === "/indicator") await showIndicator(q);
    else if (path === "/attainment") await showAttainment(q);
    else if (path === "/facts") await showFacts(q);
    else if (path === "/search") await showSearch(q);
    else if (path === "/tasks") await showTasks(q);
    else show(h("p", {}, "没有这个页面。"));
  } catch (e) {
    show(h("p", {class: "error"}, "出错了：" + e.message));
  }
}
window.addEventListener("hashchange", route);
route();
