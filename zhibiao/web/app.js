// The zhibiao page: hash routes over the gateway's /v1 API. No framework, no build step.
"use strict";

const STATUS = {received: "已接收", processing: "处理中", done: "完成", failed: "失败"};
const DOC_TYPE = {work_report: "政府工作报告", progress_table: "督查进展表", other: "其他"};
const KIND = {actual: "实际", target: "目标"};
const MEASURE = {value: "总量/水平", growth: "增速", share: "比重"};
const QUALIFIER = {about: "左右", at_least: "以上", at_most: "以内"};
const VERDICT = {met: "已完成", missed: "未完成", not_yet_reported: "尚未公布", not_comparable: "单位不可比"};
const COLORS = ["#b3261e", "#1f6feb", "#1e7b34", "#8250df", "#d97706", "#0e7490", "#be185d", "#4b5563",
  "#65a30d", "#7c2d12", "#0891b2", "#c026d3", "#a16207", "#1e3a8a"];
const view = document.getElementById("view");
let timer = null;

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

// --- documents (live) ------------------------------------------------------------------
async function showDocuments() {
  show(h("h1", {}, "文档"), h("p", {class: "muted", id: "doc-summary"}, "加载中…"),
    h("table", {id: "docs"}, h("thead", {}, h("tr", {}, ["文件", "类型", "地区", "年份", "状态", "说明"].map(t => h("th", {}, t)))),
      h("tbody")));
  const refresh = async () => {
    let docs;
    try { docs = await allPages("/v1/documents"); } catch (e) { return schedule(5000); }
    if (params().path !== "/") return;
    docs.sort((a, b) => (b.plan_year || 0) - (a.plan_year || 0) || (a.source_name < b.source_name ? -1 : 1));
    const rows = docs.map(d => h("tr", {class: d.status, "data-status": d.status},
      h("td", {}, d.status === "done" ? docLink(d.id, d.source_name) : d.source_name),
      h("td", {}, DOC_TYPE[d.doc_type] || ""),
      h("td", {}, d.region || ""),
      h("td", {}, d.plan_year || ""),
      h("td", {}, badge(d.status)),
      h("td", {class: d.status === "failed" ? "error" : "muted"}, d.error || (d.title || ""))));
    fill(document.querySelector("#docs tbody"), ...rows);
    const pending = docs.filter(d => d.status === "received" || d.status === "processing").length;
    const failed = docs.filter(d => d.status === "failed").length;
    document.getElementById("doc-summary").textContent =
      `共 ${docs.length} 个文档：${docs.length - pending - failed} 个完成，${pending} 个处理中，${failed} 个失败` +
      (pending ? "（自动刷新）" : "");
    schedule(pending ? 1500 : 8000);
  };
  const schedule = ms => { clearTimeout(timer); timer = setTimeout(refresh, ms); };
  await refresh();
}

// --- one document: its text with figures marked in place ---------------------------------
async function showDocument(id, at) {
  const [doc, text, facts] = await Promise.all([
    api("/v1/documents/" + id), fetch("/v1/documents/" + id + "/text").then(r => r.ok ? r.text() : ""),
    allPages("/v1/facts?document_id=" + id), indicators()]);
  const meta = [DOC_TYPE[doc.doc_type], doc.region, doc.plan_year && doc.plan_year + "年", doc.speaker && "报告人：" + doc.speaker,
    doc.delivered_on].filter(Boolean).join(" · ");
  const panel = h("div", {class: "side"},
    h("div", {class: "card", id: "fact-card"}, h("p", {class: "muted"}, "点击正文中标出的数字，查看它对应的指标数据。")),
    h("div", {class: "card"}, h("h2", {}, "关键词"),
      h("div", {class: "keywords"}, (doc.keywords || []).map(k => h("span", {}, h("a", {href: "#/search?q=" + encodeURIComponent(k)}, k))))),
    h("div", {class: "card"}, h("h2", {}, `本文数字（${facts.length}）`), factList(facts)));
  const body = h("div", {class: "doctext", id: "doctext"}, ...markFigures(text, facts));
  show(h("h1", {}, doc.title || doc.source_name), h("p", {class: "muted"}, meta + " · " + doc.source_name,
    " ", exportLinks("/v1/facts?document_id=" + id)),
    doc.status === "failed" ? h("p", {class: "error"}, doc.error) : null,
    h("div", {class: "docview"}, body, panel));
  if (at !== null && at !== undefined) scrollToOffset(Number(at));
}
function markFigures(text, facts) {
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
  let pos = 0;
  for (const sp of merged) {
    if (sp.start > pos) out.push(h("span", {"data-at": pos}, text.slice(pos, sp.start)));
    const f = sp.facts[0];
    out.push(h("mark", {class: "fig " + f.kind, "data-fact": f.id, "data-at": sp.start,
      title: iname(f.indicator) + " · " + KIND[f.kind] + " · " + f.period, onclick: () => selectFact(sp.facts)},
      text.slice(sp.start, sp.end)));
    pos = sp.end;
  }
  if (pos < text.length) out.push(h("span", {"data-at": pos}, text.slice(pos)));
  return out;
}
function factList(facts) {
  return h("table", {}, h("tbody", {}, facts.map(f => h("tr", {},
    h("td", {}, h("a", {href: "javascript:void 0", onclick: () => selectFact([f])}, iname(f.indicator))),
    h("td", {}, KIND[f.kind] + " " + f.period), h("td", {class: "num"}, figure(f))))));
}
function selectFact(fs) {
  document.querySelectorAll("mark.fig.on").forEach(m => m.classList.remove("on"));
  const cards = fs.map(f => {
    const m = document.querySelector(`mark.fig[data-fact="${f.id}"]`);
    if (m) { m.classList.add("on"); m.scrollIntoView({block: "center", behavior: "smooth"}); }
    const flags = [f.estimated && "预计", f.strive && "力争"].filter(Boolean).join("、");
    return h("div", {class: "fact", "data-fact": f.id},
      h("h2", {}, iname(f.indicator), h("span", {class: "muted"}, "（原文：" + f.indicator_label + "）")),
      h("dl", {}, h("dt", {}, "类型"), h("dd", {}, KIND[f.kind] + (flags ? "（" + flags + "）" : "")),
        h("dt", {}, "地区"), h("dd", {}, f.region), h("dt", {}, "时期"), h("dd", {}, f.period),
        h("dt", {}, "口径"), h("dd", {}, MEASURE[f.measure]), h("dt", {}, "数值"), h("dd", {class: "value"}, figure(f)),
        h("dt", {}, "章节"), h("dd", {}, f.section || "")),
      h("blockquote", {}, f.quote),
      h("p", {}, h("a", {href: `#/indicator?code=${f.indicator}&measure=${f.measure}&region=${encodeURIComponent(f.region)}`},
        "查看该指标历年走势 →")));
  });
  fill(document.getElementById("fact-card"), ...cards);
}
function scrollToOffset(at) {
  const nodes = [...document.querySelectorAll("#doctext [data-at]")];
  let target = nodes[0];
  for (const n of nodes) { if (Number(n.dataset.at) <= at) target = n; else break; }
  if (!target) return;
  target.classList.add("flash");
  target.scrollIntoView({block: "center"});
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
    code ? exportLinks(`/v1/series?indicator=${code}&measure=${measure}`) : null), h("div", {id: "series"}, "加载中…"));
  if (!code) return;
  const series = await api(`/v1/series?indicator=${code}&measure=${measure}`);
  const wanted = q.get("region");
  const regions = [...new Set(series.items.map(i => i.region))];
  const chosen = wanted && regions.includes(wanted) ? [wanted] : regions;
  const box = document.getElementById("series");
  if (!series.items.length) { fill(box, h("p", {class: "muted"}, "没有该指标此口径的数据。")); return; }
  const regionPick = h("div", {class: "toolbar"}, "地区：", regions.map((r, i) => h("label", {},
    h("input", {type: "checkbox", value: r, checked: chosen.includes(r), onchange: () => redraw()}), " ",
    h("span", {style: `color:${COLORS[i % COLORS.length]}`}, r))));
  const chartBox = h("div", {}), tableBox = h("div", {});
  fill(box, regionPick, chartBox, tableBox);
  const redraw = () => {
    const on = [...regionPick.querySelectorAll("input:checked")].map(i => i.value);
    const items = series.items.filter(i => on.includes(i.region));
    fill(chartBox, chart(items, regions));
    fill(tableBox, seriesTable(items));
  };
  redraw();
}
function chart(items, regions) {
  const W = 860, H = 340, L = 64, R = 20, T = 24, B = 44;
  const yearly = items.filter(i => /^\d{4}$/.test(i.period));
  const units = {};
  for (const i of yearly) for (const o of [...i.actual, ...i.target]) units[o.unit] = (units[o.unit] || 0) + 1;
  const unit = Object.keys(units).sort((a, b) => units[b] - units[a])[0] || "";
  const points = [];
  for (const i of yearly) for (const kind of ["actual", "target"]) for (const o of i[kind]) {
    const v = convert(o.value, o.unit, unit);
    if (v === null) continue;
    const vmax = o.value_max !== null && o.value_max !== undefined ? convert(o.value_max, o.unit, unit) : null;
    points.push({year: Number(i.period), v, vmax, kind, region: i.region, o});
  }
  const svg = s("svg", {class: "chart", id: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img"});
  if (!points.length) { svg.appendChild(s("text", {x: 20, y: 40}, "没有可绘制的年度数据")); return svg; }
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
    svg.appendChild(s("text", {x: L - 6, y: Y(v) + 4, "text-anchor": "end"}, fmt(Math.round(v * 1000) / 1000)));
  }
  for (let yr = Math.ceil(x0); yr <= x1; yr++) svg.appendChild(s("text", {x: X(yr), y: H - B + 18, "text-anchor": "middle"}, String(yr)));
  svg.appendChild(s("text", {x: W - R, y: 14, "text-anchor": "end"}, unit ? "单位：" + unit : ""));
  regions.forEach((region, ri) => {
    const color = COLORS[ri % COLORS.length];
    for (const kind of ["actual", "target"]) {
      const pts = points.filter(p => p.region === region && p.kind === kind).sort((a, b) => a.year - b.year);
      if (!pts.length) continue;
      const first = {};
      for (const p of pts) if (!(p.year in first)) first[p.year] = p;
      const line = Object.values(first).map(p => `${X(p.year)},${Y(p.v)}`).join(" ");
      svg.appendChild(s("polyline", {points: line, fill: "none", stroke: color, "stroke-width": kind === "actual" ? 2 : 1.5,
        "stroke-dasharray": kind === "target" ? "6 4" : "none", class: "series-" + kind}));
      for (const p of pts) {
        const tip = `${region} ${p.year} ${KIND[kind]}：${figure(p.o)}（${p.o.source_name}）`;
        if (p.vmax !== null) svg.appendChild(s("line", {x1: X(p.year), x2: X(p.year), y1: Y(p.v), y2: Y(p.vmax), stroke: color, "stroke-width": 4, opacity: 0.4}));
        const mark = kind === "actual"
          ? s("circle", {cx: X(p.year), cy: Y(p.v), r: 5, fill: color, class: "pt-actual"}, s("title", {}, tip))
          : s("rect", {x: X(p.year) - 5, y: Y(p.v) - 5, width: 10, height: 10, fill: "#fff", stroke: color, "stroke-width": 2, class: "pt-target"}, s("title", {}, tip));
        svg.appendChild(mark);
      }
    }
  });
  const legend = h("div", {class: "legend muted"}, h("span", {}, "● 实线：实际"), h("span", {}, "□ 虚线：目标"),
    h("span", {}, "竖条：目标区间"), h("span", {}, "多年期（如“年均”）数据见下表"));
  return h("div", {}, svg, legend);
}
function seriesTable(items) {
  const cell = obs => obs.length ? obs.map(o => h("div", {},
    h("b", {}, figure(o)), o.estimated ? h("span", {class: "muted"}, "（预计）") : null, " ",
    h("span", {class: "src", title: o.quote}, docLink(o.document_id, o.source_name, o.start)))) : h("span", {class: "muted"}, "—");
  return h("table", {id: "series-table"}, h("thead", {}, h("tr", {}, ["地区", "时期", "实际", "目标", ""].map(t => h("th", {}, t)))),
    h("tbody", {}, items.map(i => h("tr", {"data-region": i.region, "data-period": i.period}, h("td", {}, i.region), h("td", {}, i.period), h("td", {}, cell(i.actual)),
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
  const data = await api(path);
  const counts = {};
  for (const i of data.items) counts[i.status] = (counts[i.status] || 0) + 1;
  const rows = data.items.map(i => h("tr", {class: "att-row", "data-status": i.status, "data-indicator": i.indicator,
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

// --- search ------------------------------------------------------------------------------
async function showSearch(q) {
  const query = q.get("q") || "";
  const input = h("input", {type: "search", id: "q", value: query, placeholder: "如：数字经济、亚运会、营商环境", size: 32});
  const form = h("form", {class: "toolbar", onsubmit: e => { e.preventDefault(); go("/search", {q: input.value.trim()}); }},
    input, h("button", {type: "submit"}, "搜索"));
  show(h("h1", {}, "全文搜索"), form, h("div", {id: "hits"}));
  if (!query) { input.focus(); return; }
  const [res, terms] = await Promise.all([api("/v1/search?limit=50&q=" + encodeURIComponent(query)),
    api("/v1/terms?term=" + encodeURIComponent(query)).catch(() => null)]);
  const byYear = terms && terms.by_year.length ? h("p", {class: "muted", id: "term-years"}, `“${query}”出现次数：`,
    terms.by_year.map(y => `${y.year}年 ${y.count} 次（${y.documents} 个文档）`).join("；")) : null;
  fill(document.getElementById("hits"), 
    h("p", {id: "hit-count"}, `找到 ${res.total} 个段落`, h("span", {class: "muted"}, "（分词：" + res.tokens.join(" / ") + "）")), byYear,
    h("ul", {class: "results"}, res.items.map(it => h("li", {class: "hit"},
      h("div", {}, docLink(it.document_id, it.source_name, it.start), h("span", {class: "muted"}, " " + [it.region, it.year && it.year + "年"].filter(Boolean).join(" "))),
      h("div", {class: "snippet", html: it.snippet})))));
}

// --- key tasks ---------------------------------------------------------------------------
async function showTasks(q) {
  const unit = q.get("lead_unit") || "", text = q.get("q") || "";
  const unitIn = h("input", {type: "text", id: "lead-unit", value: unit, placeholder: "牵头单位，如 财政局"});
  const textIn = h("input", {type: "text", id: "task-q", value: text, placeholder: "关键词"});
  const form = h("form", {class: "toolbar", onsubmit: e => { e.preventDefault(); go("/tasks", {lead_unit: unitIn.value.trim(), q: textIn.value.trim()}); }},
    unitIn, textIn, h("button", {type: "submit"}, "筛选"));
  show(h("h1", {}, "重点工作推进情况"), form, h("div", {id: "tasks"}, "加载中…"));
  const qs = new URLSearchParams(Object.entries({lead_unit: unit, q: text}).filter(([, v]) => v)).toString();
  const items = await allPages("/v1/tasks" + (qs ? "?" + qs : ""));
  const long = (t, n) => !t ? "" : t.length <= n ? t : h("details", {}, h("summary", {}, t.slice(0, n) + "…"), t);
  fill(document.getElementById("tasks"), h("p", {}, `共 ${items.length} 项`),
    h("table", {id: "task-table"}, h("thead", {}, h("tr", {}, ["序号", "重点工作", "牵头单位", "分管领导", "进展情况", "问题与下一步", "报告原文"].map(t => h("th", {}, t)))),
      h("tbody", {}, items.map(t => h("tr", {},
        h("td", {class: "num"}, t.number), h("td", {class: "clip"}, long(t.text, 60)), h("td", {}, t.lead_units.join("、")),
        h("td", {}, t.leader || ""), h("td", {class: "clip"}, long(t.progress, 40)), h("td", {class: "clip"}, long(t.next_steps, 40)),
        h("td", {}, t.report_paragraph ? h("span", {title: t.report_paragraph.excerpt},
          docLink(t.report_paragraph.document_id, t.report_paragraph.source_name, t.report_paragraph.start),
          h("span", {class: "muted"}, ` 第${t.report_paragraph.paragraph + 1}段`)) : h("span", {class: "muted"}, "—")))))));
}

// --- routing -----------------------------------------------------------------------------
async function route() {
  clearTimeout(timer);
  const {path, q} = params();
  const name = path.startsWith("/doc/") ? "docs" : (path.slice(1) || "docs");
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.view === name));
  try {
    if (path === "/") await showDocuments();
    else if (path.startsWith("/doc/")) await showDocument(path.slice(5), q.get("at"));
    else if (path === "/indicator") await showIndicator(q);
    else if (path === "/attainment") await showAttainment(q);
    else if (path === "/search") await showSearch(q);
    else if (path === "/tasks") await showTasks(q);
    else show(h("p", {}, "没有这个页面。"));
  } catch (e) {
    show(h("p", {class: "error"}, "出错了：" + e.message));
  }
}
window.addEventListener("hashchange", route);
route();
