/* accord workbench: small hand-written helpers over the JSON API (/api/...). */
"use strict";
const accord = (() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(Number(v)) ? "—"
    : Number(v).toFixed(digits).replace(/^-(0\.?0*)$/, "$1"));  // never "-0.00"
  const json = (id) => { const node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; };
  const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  // n colours that stay apart however many series there are (as accord.report.figures.palette.distinct):
  // Tableau 10 up to ten, else evenly spaced hues at three lightnesses; colour names a series, never a direction
  const colours = (n) => {
    if (n <= COLORS.length) return COLORS.slice(0, n);
    const levels = [0.44, 0.62, 0.28], per = Math.ceil(n / levels.length);
    return Array.from({ length: n }, (_, k) => {
      const level = Math.floor(k / per), step = k % per;
      const hue = (((0.6 + (step + 0.5 * level) / per) % 1) + 1) % 1;
      return `hsl(${(360 * hue).toFixed(1)}, 70%, ${(100 * levels[level]).toFixed(0)}%)`;
    });
  };
  // issues on different scales are drawn as shares of their own range (0-50 and 0-100 compared by position)
  const scaling = (issues) => {
    const same = issues.every((i) => i.min === issues[0].min && i.max === issues[0].max);
    const at = (issue, v) => (v === null || v === undefined || same ? v : (100 * (v - issue.min)) / (issue.max - issue.min));
    const title = same ? "position on the issue's scale" : "position as % of each issue's own scale (0 = its low end)";
    return { same, at, title };
  };
  const CONFIG = { responsive: true, displaylogo: false };
  // Plotly.js 3 draws axis titles only when given as {text}; a bare string is ignored.
  const T = (text) => ({ text });
  // long issue names broken into lines of about 14 characters, so tick labels do not overlap
  const wrap = (text, width = window.innerWidth < 1000 ? 10 : 14) => text.split(" ").reduce((lines, word) => {
    const last = lines[lines.length - 1];
    if (last && (last + " " + word).length <= width) lines[lines.length - 1] = last + " " + word; else lines.push(word);
    return lines; }, []).join("<br>");
  // models in the run's order (the display order), whatever order the stored JSON has
  const ordered = (models, run) => { const names = Object.keys(models || {});
    const order = (run && run.models) || [];
    const rank = (n) => (order.indexOf(n) < 0 ? order.length : order.indexOf(n));
    return names.sort((a, b) => rank(a) - rank(b)).map((n) => [n, models[n]]); };

  async function api(method, url, body) {
    const opts = { method, headers: { "Accept": "application/json" } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const response = await fetch(url, opts);
    const data = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) { const err = new Error(data.detail || response.statusText); err.problem = data; throw err; }
    return data;
  }

  // a run in progress: the button is disabled and a spinner shows beside the status text
  function busy(form, status, text) {
    const button = $("button[type=submit]", form); button.disabled = true;
    status.textContent = text; status.classList.add("busy");
    return () => { button.disabled = false; status.classList.remove("busy"); };
  }

  // a failed run hides the previous results, so they are not mistaken for this request's
  function failed(status, problems, err, results) {
    status.textContent = "failed (nothing was recorded):"; showProblems(problems, err);
    if (results) results.hidden = true;
  }

  function showProblems(list, err) {
    list.replaceChildren();
    const problem = err.problem || {};
    const items = problem.problems ? problem.problems.map((p) => p.text) :
      problem.errors ? problem.errors.map((e) => `${e.loc.join(".")}: ${e.message}`) : [err.message];
    for (const text of items) list.append(el("li", {}, text));
  }

  // ---- scenario grid: edit in place, save as a new version ------------------------------------------
  function initGrid() {
    const grid = $("#grid"); if (!grid) return;
    const save = $("#save-edits"), reset = $("#reset-edits"), status = $("#edit-status");
    const inputs = $$("input.num", grid);
    const changed = () => inputs.filter((i) => i.value !== i.dataset.orig || i.validity.badInput);
    const list = $("#edit-problems");
    // what is wrong with one input, checked as the analyst types (the server checks again on save)
    const problem = (i) => {
      if (i.validity.badInput) return "not a number";
      if (i.value === "") {
        const other = $$("input.num", i.closest("td")).find((o) => o !== i);
        return other && other.value !== "" ? "empty: clear both numbers to remove the stake, or give both" : null;
      }
      const v = Number(i.value), lo = i.dataset.min, hi = i.dataset.max;
      if (lo !== undefined && hi !== undefined && (v < Number(lo) || v > Number(hi))) return `${v} is outside ${Number(lo)}–${Number(hi)}`;
      if (lo !== undefined && v < Number(lo)) return `${v} is below ${Number(lo)}`;
      return null;
    };
    const refresh = () => {
      const n = changed().length; const bad = [];
      for (const i of inputs) {
        i.classList.toggle("changed", i.value !== i.dataset.orig || i.validity.badInput);
        const p = changed().includes(i) ? problem(i) : null;
        i.classList.toggle("invalid", p !== null); i.title = p || "";
        if (p) bad.push(`${i.dataset.label}: ${p}`);
      }
      list.replaceChildren(...bad.map((t) => el("li", {}, t)));
      save.disabled = n === 0 || bad.length > 0; reset.disabled = n === 0;
      status.textContent = bad.length ? `${bad.length} value${bad.length > 1 ? "s" : ""} to fix before saving`
        : n ? `${n} change${n > 1 ? "s" : ""} not saved` : "";
    };
    grid.addEventListener("input", refresh);
    reset.addEventListener("click", () => { for (const i of inputs) i.value = i.dataset.orig; refresh(); });
    grid.addEventListener("keyup", refresh);  // typing "7-" changes no value but makes the input bad
    save.addEventListener("click", async () => {
      const edits = changed().map((i) => ({
        actor: i.dataset.actor, issue: i.dataset.issue || null, field: i.dataset.field,
        value: i.value === "" ? null : Number(i.value),
      }));
      status.textContent = "saving…";
      try {
        const saved = await api("POST", `/api/versions/${grid.dataset.version}/edits`, { edits });
        window.location.href = `/versions/${saved.id}`;
      } catch (err) {
        status.textContent = "not saved:";
        showProblems($("#edit-problems"), err);
      }
    });
  }

  // ---- forecast ----------------------------------------------------------------------------------------
  function parseParams(text) {
    const params = {};
    for (const item of text.split(/[\s,;]+/).filter(Boolean)) {
      const [key, ...rest] = item.split("="); const value = rest.join("=");
      if (!key || !rest.length) throw new Error(`parameter ${item}: expected KEY=VALUE`);
      try { params[key] = JSON.parse(value); } catch { params[key] = value; }
    }
    return params;
  }

  function formRequest(form, versionId) {
    const models = $$("input[name=models]:checked", form).map((i) => i.value);
    const params = parseParams(form.elements.params ? form.elements.params.value : "");
    if (form.elements.rounds && form.elements.rounds.value) params.rounds = Number(form.elements.rounds.value);
    const seed = form.elements.seed && form.elements.seed.value !== "" ? Number(form.elements.seed.value) : null;
    const body = { version_id: versionId, models, params, seed };
    if (form.elements.draws && form.elements.draws.value !== "") body.draws = Number(form.elements.draws.value);
    return body;
  }

  function initForecast(versionId) {
    const form = $("#forecast-form"); const status = $("#forecast-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problems = $("#forecast-problems"); problems.replaceChildren();
      let body;
      try { body = formRequest(form, versionId); } catch (err) { showProblems(problems, err); return; }
      const done = busy(form, status, `running ${body.models.length || "all"} model${body.models.length === 1 ? "" : "s"}` +
        (body.draws ? ` over ${body.draws} draws` : "") + "…");
      try {
        const data = await api("POST", "/api/forecast", body);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderForecast(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#results")); } finally { done(); }
    });
  }

  function issueLabels(grid) { return grid.issues.map((i) => wrap(i.name)); }

  function outcomeTraces(results, grid, opts = {}) {
    const traces = []; const ids = grid.issues.map((i) => i.id); const labels = issueLabels(grid);
    const scale = scaling(grid.issues); const at = (k, v) => scale.at(grid.issues[k], v);
    if (opts.actors !== false) {
      const x = [], y = [], text = [];
      for (const a of grid.actors) for (const i of grid.issues) {
        const c = grid.cells[a.id][i.id]; if (!c) continue;
        x.push(wrap(i.name)); y.push(scale.at(i, c.position)); text.push(`${a.name}: ${c.position} (salience ${c.salience})`);
      }
      traces.push({ x, y, text, type: "scatter", mode: "markers", name: "actor positions", hoverinfo: "text",
        marker: { color: "rgba(120,120,120,0.35)", size: 7, symbol: "line-ew-open", line: { width: 2 } } });
    }
    const shown = ordered(results.models, opts.run); const palette = colours(shown.length);
    shown.forEach(([name, m], n) => {
      if (!m.issues) return;
      const raw = ids.map((i) => (m.issues[i] ? m.issues[i].outcome : null));
      const y = raw.map((v, k) => at(k, v));
      const trace = { x: labels, y, type: "scatter", mode: "markers", name: (opts.prefix || "") + name, offsetgroup: name,
        customdata: raw.map((v) => fmt(v)), hovertemplate: "%{customdata}<extra>%{fullData.name}</extra>",
        marker: { size: 12, color: opts.color || palette[n], symbol: opts.symbol || "circle" } };
      const band = (i, key) => (m.issues[i] && m.issues[i].summary ? at(ids.indexOf(i), m.issues[i].summary[key]) : null);
      const lo = ids.map((i) => band(i, "q05")), hi = ids.map((i) => band(i, "q95"));
      if (lo.some((v) => v !== null)) {
        trace.error_y = { type: "data", symmetric: false, array: hi.map((h, k) => (h === null ? 0 : h - y[k])),
          arrayminus: lo.map((l, k) => (l === null ? 0 : y[k] - l)), thickness: 2, width: 6 };
      }
      traces.push(trace);
    });
    return traces;
  }

  // the legend sits beside the plotting area from its foot up (never over the data, never under the mode bar,
  // which stays in the top margin; a long legend scrolls); models side by side per issue
  const LAYOUT = { margin: { t: 40, r: 20, b: 90, l: 60 }, yaxis: { title: T("position on the issue's scale") },
    legend: { orientation: "v", x: 1.02, xanchor: "left", y: 0, yanchor: "bottom" }, height: 480, scattermode: "group",
    scattergap: 0.15, xaxis: { tickangle: 0, automargin: true } };

  function outcomeTable(table, results, grid, run) {
    const models = ordered(results.models, run).filter(([, m]) => m.issues);
    const head = el("tr", {}, el("th", {}, "issue"), ...models.map(([n]) => el("th", {}, n)));
    const rows = grid.issues.map((i) => el("tr", {}, el("td", {}, i.name),
      ...models.map(([, m]) => { const e = m.issues[i.id];
        const band = e && e.summary ? ` [${fmt(e.summary.q05)}–${fmt(e.summary.q95)}]` : "";
        // "!" as on the command line: a diagnostic (cycle, not settled, capitulation, camps) is listed below
        const flag = (m.diagnostics || []).some((d) => d.issue === i.id) ? " !" : "";
        return el("td", { class: "n" }, e ? fmt(e.outcome) + band + flag : "—"); })));
    const skipped = Object.entries(results.models || {}).filter(([, m]) => m.skipped);
    table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    table.append(el("caption", {}, "The model's outcome on each issue's own scale" +
      (results.draws ? "; in brackets the 5–95% range over the draws." : ".")));
    if (skipped.length) table.caption.append(" Skipped: " + skipped.map(([n, m]) => `${n} (${m.skipped})`).join("; "));
    const warnings = models.flatMap(([n, m]) => (m.diagnostics || []).map((d) => el("li", {}, el("strong", {}, `! ${n}: `), d.message)));
    const box = $("#forecast-warnings");
    if (box) { box.replaceChildren(...(warnings.length ? [el("p", {}, el("strong", {}, "Warnings (! beside a forecast): the number alone would mislead")), el("ul", {}, ...warnings)] : [])); }
  }

  function renderDetails(container, results, run) {
    container.replaceChildren(); let any = false;
    for (const [name, m] of ordered(results.models, run)) {
      const d = m.details; if (!d || !Object.keys(d).length) continue;
      any = true; const box = el("details", {}, el("summary", {}, name));
      for (const [key, value] of Object.entries(d)) box.append(el("h4", {}, DETAIL_LABELS[key] || key.replaceAll("_", " ")), detailNode(value, key));
      container.append(box);
    }
    return any;
  }

  const DETAIL_LABELS = { converged_round: "round from which no actor moves (— : still moving at the end)",
    exchanges: "exchanges (round 0 is the input)", n_exchanges: "exchanges per round", tie_events: "ties per round",
    warnings: "warnings", outcome: "outcome" };

  function detailNode(value, key = "") {
    if (typeof value === "string") return el("p", {}, value);
    if (typeof value === "number") return el("p", {}, Number.isInteger(value) ? String(value) : fmt(value, 3));
    if (Array.isArray(value) && !value.length) return el("p", { class: "dim" }, "none");
    // one list per round (index 0 = the input): one table with a round column
    if (Array.isArray(value) && value.every(Array.isArray) && value.flat().every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      const rows = value.flatMap((list, r) => list.map((v) => ({ round: r, ...v })));
      return rows.length ? detailNode(rows, key) : el("p", { class: "dim" }, "none");
    }
    if (Array.isArray(value) && value.every((v) => typeof v === "number")) return el("p", {}, value.join(", "));
    if (Array.isArray(value) && value.length && value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      const cols = [...new Set(value.flatMap((v) => Object.keys(v)))];
      const shown = value.slice(0, 200);
      const cell = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : fmt(v, 2)) : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v ?? ""));
      const t = el("table", { class: "list details" }, el("thead", {}, el("tr", {}, ...cols.map((c) => el("th", {}, c)))),
        el("tbody", {}, ...shown.map((v) => el("tr", {}, ...cols.map((c) => el("td", {}, cell(v[c])))))));
      if (value.length > shown.length) t.append(el("caption", {}, `first ${shown.length} of ${value.length}`));
      return el("div", { class: "details-scroll" }, t);
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return el("table", { class: "kv" }, ...Object.entries(value).map(([k, v]) =>
        el("tr", {}, el("th", {}, k), el("td", {}, typeof v === "object" && v !== null ? detailNode(v, key)
          : key === "converged_round" && v < 0 ? "—" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : fmt(v, 3)) : String(v ?? "—")))));
    }
    return el("pre", {}, JSON.stringify(value, null, 1));
  }

  function renderTrajectories(results, grid, run) {
    const section = $("#trajectory-section");
    const dynamic = ordered(results.models, run).filter(([, m]) => m.rounds > 1);
    section.hidden = dynamic.length === 0; if (!dynamic.length) return;
    const modelSel = $("#traj-model"), issueSel = $("#traj-issue");
    modelSel.replaceChildren(...dynamic.map(([n]) => el("option", { value: n }, n)));
    issueSel.replaceChildren(...grid.issues.map((i) => el("option", { value: i.id }, i.name)));
    const names = Object.fromEntries(grid.actors.map((a) => [a.id, a.name]));
    const draw = () => {
      const m = results.models[modelSel.value]; const issue = m.issues[issueSel.value]; if (!issue) return;
      const rounds = issue.rounds.map((_, r) => r);
      const actors = Object.keys(issue.rounds[0].positions);
      const palette = colours(grid.actors.length), index = Object.fromEntries(grid.actors.map((a, n) => [a.id, n]));
      const traces = actors.map((a) => ({ x: rounds, y: issue.rounds.map((r) => r.positions[a]), name: names[a] || a,
        mode: "lines+markers", line: { width: 1.5, color: palette[index[a]] }, marker: { size: 4 } }));
      traces.push({ x: rounds, y: issue.rounds.map((r) => r.outcome), name: "outcome", mode: "lines",
        line: { width: 5, color: "black" } });
      const scale = grid.issues.find((i) => i.id === issueSel.value); const pad = (scale.max - scale.min) * 0.03;
      // lines over rounds: drawn where they are (the forecast chart's side-by-side grouping would shift them)
      Plotly.react("trajectory-chart", traces, { ...LAYOUT, scattermode: "overlay", xaxis: { title: T("round"), dtick: 1 },
        yaxis: { title: T(`position on the issue's scale (${scale.min}–${scale.max})`), range: [scale.min - pad, scale.max + pad] },
        margin: { t: 40, r: 20, b: 50, l: 50 } }, CONFIG);
    };
    modelSel.onchange = draw; issueSel.onchange = draw; draw();
  }

  function renderForecast(results, grid, run) {
    $("#results").hidden = false;
    if (run) $("#results-meta").textContent = `run #${run.id} · seed ${run.seed ?? "none"}` +
      (results.draws ? ` · ${results.draws} draws (bands: 5–95%)` : "") + ` · models ${run.models.join(", ")} · accord ${run.accord_version}`;
    Plotly.react("outcome-chart", outcomeTraces(results, grid, { run }),
      { ...LAYOUT, yaxis: { title: T(scaling(grid.issues).title) } }, CONFIG);
    outcomeTable($("#outcome-table"), results, grid, run);
    renderTrajectories(results, grid, run);
    $("#details-section").hidden = !renderDetails($("#details"), results, run);
  }

  function showStoredRun() {
    const data = json("run-data"); const grid = json("grid-data");
    if (data.run.kind === "forecast") renderForecast(data.results, grid, data.run);
    else if (data.run.kind === "whatif") renderWhatif(data.results, grid, data.run);
    else if (data.run.kind === "deal") renderDeal(data.results, grid, data.run);
  }

  function showCompare() {
    const t = json("compare-data"); if (!t.columns.length) return;
    const issues = t.issues.map((i) => ({ id: i, ...((t.scales || {})[i] || { min: 0, max: 100 }) }));
    const scale = scaling(issues); const palette = colours(t.columns.length);
    const traces = t.columns.map((c, n) => ({ x: t.issues, y: issues.map((i) => scale.at(i, t.rows[i.id][n])), name: c.label,
      customdata: t.issues.map((i) => fmt(t.rows[i][n])), hovertemplate: "%{customdata}<extra>%{fullData.name}</extra>",
      type: "scatter", mode: "markers", marker: { size: 11, color: palette[n], symbol: SYMBOLS[Math.floor(n / 10) % SYMBOLS.length] } }));
    Plotly.react("compare-chart", traces, { ...LAYOUT, height: 520, yaxis: { title: T(scale.title) },
      xaxis: { ...LAYOUT.xaxis, tickangle: -30 } }, CONFIG);
  }
  const SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross"];

  // a run just recorded joins the page's list of earlier runs (the list was rendered before it existed)
  function addRun(run) {
    const body = $("#runs-table tbody"); if (!body || !run) return;
    for (const row of $$("tr", body)) if (row.querySelector("td[colspan]")) row.remove();
    const when = (run.created_at || "").replace("T", " ").slice(0, 19);
    body.prepend(el("tr", {},
      el("td", {}, el("input", { type: "checkbox", name: "ids", value: String(run.id), "aria-label": `compare run ${run.id}` })),
      el("td", {}, el("a", { href: `/runs/${run.id}` }, `#${run.id}`), run.label ? ` ${run.label}` : ""),
      el("td", {}, run.kind), el("td", {}, el("a", { href: `/versions/${run.scenario_version_id}` }, `${run.scenario_id} v${run.version}`)),
      el("td", {}, (run.models || []).join(", ")), el("td", {}, run.seed ?? ""), el("td", { class: "params dim" }, "see the run"),
      el("td", { class: "dim" }, run.accord_version || ""), el("td", { class: "dim" }, when)));
    const form = body.closest("form");
    if (form && !$("button[type=submit]", form)) form.append(el("button", { type: "submit" }, "Compare the ticked runs"));
  }

  // ---- what-if -------------------------------------------------------------------------------------------
  function initWhatif(versionId) {
    const form = $("#whatif-form"); const status = $("#whatif-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problems = $("#whatif-problems"); problems.replaceChildren();
      const lines = (text) => text.split(/\n/).map((s) => s.trim()).filter(Boolean);
      const body = {
        version_id: versionId,
        intervention: {
          named: $$("input[name=named]:checked", form).map((i) => i.value),
          set: lines($("#whatif-set").value),
          add: $("#whatif-add").value.split(/[\s,;]+/).filter(Boolean),
          remove: Array.from($("#whatif-remove").selectedOptions).map((o) => o.value),
        },
        models: $$("input[name=models]:checked", form).map((i) => i.value),
        draws: Number($("#whatif-draws").value || 0),
        seed: form.elements.seed.value === "" ? null : Number(form.elements.seed.value),
      };
      const done = busy(form, status, `running baseline and what-if over ${body.draws} draws…`);
      try {
        const data = await api("POST", "/api/whatif", body);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderWhatif(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#whatif-results")); } finally { done(); }
    });
  }

  function bandTrace(name, x, s, color, symbol, offset) {
    const med = s.map((v) => v.median);
    return { x, y: med, name, type: "scatter", mode: "markers", offsetgroup: offset,
      marker: { size: 12, color, symbol },
      error_y: { type: "data", symmetric: false, array: s.map((v, k) => (v.q95 ?? med[k]) - med[k]),
        arrayminus: s.map((v, k) => med[k] - (v.q05 ?? med[k])), color, thickness: 2, width: 5 } };
  }

  function fmtSigned(v) { return v == null ? "—" : (v >= 0 ? "+" : "") + fmt(v); }
  // as on the command line: "≈0" when the median moved by less than 0.05 while draws moved (never a bare +0.0)
  function effectText(e) {
    if (e.value != null && Math.abs(e.value) < 0.05 && e.moved > 0) return "≈0";
    return fmtSigned(e.value);
  }

  function renderWhatif(results, grid, run) {
    $("#whatif-results").hidden = false;
    const iv = results.whatif;
    $("#whatif-meta").textContent = `${iv.name || iv.id} · ${results.draws} draw${results.draws === 1 ? "" : "s"} · seed ${results.seed}` +
      (Object.keys(results.skipped || {}).length ? ` · skipped: ${Object.entries(results.skipped).map(([m, r]) => `${m} (${r})`).join(", ")}` : "");
    $("#whatif-lines").replaceChildren(...iv.changes.map((l) => el("li", {}, el("code", {}, l))));
    const sel = $("#whatif-model"); const names = ordered(results.models, run).map(([n]) => n);
    sel.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
    // two charts side by side: each has half the width, so the issue names wrap shorter
    const ids = grid.issues.map((i) => i.id), names_ = grid.issues.map((i) => i.name), labels = names_.map((n) => wrap(n, 9));
    const draw = () => {
      const m = results.models[sel.value]; if (!m) return;
      // issues on different scales: medians and bands as shares of each issue's range (the table keeps the numbers)
      const sc = scaling(grid.issues);
      const on = (s, k) => ({ median: sc.at(grid.issues[k], s.median), q05: sc.at(grid.issues[k], s.q05), q95: sc.at(grid.issues[k], s.q95) });
      const base = ids.map((i) => m.issues[i].baseline), what = ids.map((i) => m.issues[i].whatif);
      const xb = labels.map((l) => l), layout = { ...LAYOUT, height: 440, scattermode: "group",
        xaxis: { ...LAYOUT.xaxis, tickfont: { size: 10 } }, yaxis: { title: T(sc.title) } };
      Plotly.react("whatif-chart", [bandTrace("baseline", xb, base.map(on), "#6b7280", "circle", "b"),
        bandTrace("what-if", xb, what.map(on), "#ff7f0e", "diamond", "w")], layout, CONFIG);
      // the effect: difference of the medians with its paired-bootstrap 90% interval (results.effect_definition);
      // one neutral colour: up is not "good" on every scale
      const eff = ids.map((i) => m.issues[i].effect || {});
      Plotly.react("whatif-diff-chart", [{ x: labels, y: eff.map((e) => e.value), type: "bar", name: "effect",
        marker: { color: "#4c78a8" },
        error_y: { type: "data", symmetric: false, array: eff.map((e) => (e.high ?? e.value) - e.value),
          arrayminus: eff.map((e) => e.value - (e.low ?? e.value)), color: "#333" } }],
        { ...layout, yaxis: { title: T("effect: change of the median (points on the issue's scale)") }, showlegend: false }, CONFIG);
      const head = el("tr", {}, ...["issue", "baseline median", "what-if median", "effect", "90% interval", "draws moved"].map((h) => el("th", {}, h)));
      $("#whatif-table").replaceChildren(el("thead", {}, head), el("tbody", {}, ...ids.map((i, k) => el("tr", {},
        el("td", {}, names_[k]), el("td", { class: "n" }, fmt(base[k].median)), el("td", { class: "n" }, fmt(what[k].median)),
        el("td", { class: "n" }, effectText(eff[k])), el("td", { class: "n" }, `${fmtSigned(eff[k].low)} … ${fmtSigned(eff[k].high)}`),
        el("td", { class: "n" }, eff[k].moved == null ? "—" : `${Math.round(100 * eff[k].moved)}%`)))),
        el("caption", {}, results.effect_definition || ""));
    };
    sel.onchange = draw; draw();
  }

  // ---- deal ------------------------------------------------------------------------------------------------
  function initDeal(versionId) {
    const form = $("#deal-form"); const status = $("#deal-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problems = $("#deal-problems"); problems.replaceChildren();
      let points;
      try { points = parseParams($("#deal-points").value); } catch (err) { showProblems(problems, err); return; }
      const body = {
        version_id: versionId,
        proposals: $$("input[name=proposals]:checked", form).map((i) => i.value),
        points, against: $("#deal-against").value, veto_rule: $("#deal-veto").value,
        threshold: Number($("#deal-threshold").value), draws: Number($("#deal-draws").value || 0),
        seed: form.elements.seed.value === "" ? null : Number(form.elements.seed.value),
        repair: $("#deal-repair").checked,
      };
      const done = busy(form, status, "evaluating" + (body.repair ? " and searching for repairs…" : "…"));
      try {
        const data = await api("POST", "/api/deal", body);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderDeal(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#deal-results")); } finally { done(); }
    });
  }

  function renderDeal(results, grid) {
    $("#deal-results").hidden = false;
    $("#deal-meta").textContent = `against ${results.against.base}${Object.keys(results.against.values || {}).length ? " (adjusted)" : ""}` +
      ` · veto rule ${results.rules.veto_rule} · coalition threshold ${results.rules.threshold} · ${results.utility}`;
    const verdicts = $("#deal-verdicts"); verdicts.replaceChildren();
    const actorIds = grid.actors.map((a) => a.id), names = grid.actors.map((a) => a.name);
    const traces = []; const tables = $("#deal-tables"); tables.replaceChildren();
    results.proposals.forEach((pid, n) => {
      const r = results.results[pid];
      const ok = r.accepted;
      const lines = [`support ${fmt(100 * r.support_share)}% of clout`, r.coalition ? "winning coalition" : "no winning coalition",
        r.vetoed_by.length ? `vetoed by ${r.vetoed_by.join(", ")}` : "no veto"];
      if (r.draws) lines.push(`P(accepted) ${fmt(100 * r.draws.p_accepted)}% over ${r.draws.n} draws`);
      verdicts.append(el("div", { class: "verdict " + (ok ? "gain" : "loss") },
        el("strong", {}, `${r.proposal.name}: ${ok ? "accepted" : "not accepted"}`), " — ", lines.join(" · ")));
      // long actor names fit at full width; a narrow window shows the ids (the hover names the actor)
      const ticks = window.innerWidth < 1000 ? actorIds : names.map((a) => wrap(a, 12));
      traces.push({ x: ticks, y: actorIds.map((a) => r.actors[a].gain), type: "bar", name: r.proposal.name,
        marker: { color: COLORS[n % COLORS.length] }, customdata: names,
        text: actorIds.map((a) => `${r.actors[a].verdict}${r.actors[a].vetoes ? ", VETOES" : r.actors[a].holds_veto ? ", holds a veto" : ""}`),
        textposition: "none", hovertemplate: "%{customdata}: %{y:.1f} (%{text})<extra>%{fullData.name}</extra>" });
      const box = el("details", { open: "" }, el("summary", {}, r.proposal.name));
      const hasP = actorIds.some((a) => r.actors[a].p_accepts !== undefined);
      const head = ["actor", "gain", "verdict", "accepts", "veto", ...(hasP ? ["P(accepts)", "P(vetoes)"] : [])];
      box.append(el("div", { class: "table-wrap" }, el("table", { class: "list" }, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
        el("tbody", {}, ...actorIds.map((a, k) => { const e = r.actors[a]; return el("tr", {},
          el("td", {}, names[k]), el("td", { class: "n " + (e.gain > 0 ? "gain" : e.gain < 0 ? "loss" : "") }, fmt(e.gain, 2)),
          el("td", {}, e.verdict), el("td", {}, e.accepts ? "yes" : "no"),
          el("td", {}, e.vetoes ? `vetoes (${e.veto_issues.join(", ")})` : e.holds_veto ? "holds, does not use" : ""),
          ...(hasP ? [el("td", { class: "n" }, fmt(100 * e.p_accepts) + "%"), el("td", { class: "n" }, fmt(100 * e.p_vetoes) + "%")] : [])); })))));
      if (r.breakers.length) {
        box.append(el("details", {}, el("summary", {}, `Deal breakers: ${r.breakers.length} points that cost an actor`),
          detailNode(r.breakers)));
      }
      if (r.repair) {
        box.append(el("h4", {}, "Repair"));
        if (r.repair.status === "found") box.append(el("ul", { class: "repair" }, ...r.repair.moves.map((m) => el("li", {}, m.text || `${m.issue}: ${m.from} → ${m.to}`))));
        else box.append(el("p", {}, r.repair.status === "not needed" ? "No repair needed: accepted as it stands." : `No repair exists: ${r.repair.reason}`));
      }
      tables.append(box);
    });
    Plotly.react("deal-chart", traces, { ...LAYOUT, barmode: "group", xaxis: { tickangle: 0, automargin: true },
      yaxis: { title: T("gain over the no-deal point (utility points)") } }, CONFIG);
  }

  return { initWhatif, renderWhatif, initDeal, renderDeal, $, $$, el, api, fmt, json, showProblems, parseParams, formRequest, outcomeTraces, outcomeTable,
    renderDetails, renderForecast, initGrid, initForecast, showStoredRun, showCompare, addRun, colours, scaling, LAYOUT, COLORS };
})();
