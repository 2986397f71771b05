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
  const fmt = (v, digits = 1) => (v === null || v === undefined ? "—" : Number(v).toFixed(digits));
  const json = (id) => { const node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; };
  const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

  async function api(method, url, body) {
    const opts = { method, headers: { "Accept": "application/json" } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const response = await fetch(url, opts);
    const data = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) { const err = new Error(data.detail || response.statusText); err.problem = data; throw err; }
    return data;
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
    const changed = () => inputs.filter((i) => i.value !== i.dataset.orig);
    const refresh = () => {
      const n = changed().length;
      for (const i of inputs) i.classList.toggle("changed", i.value !== i.dataset.orig);
      save.disabled = reset.disabled = n === 0;
      status.textContent = n ? `${n} change${n > 1 ? "s" : ""} not saved` : "";
    };
    grid.addEventListener("input", refresh);
    reset.addEventListener("click", () => { for (const i of inputs) i.value = i.dataset.orig; refresh(); });
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
      status.textContent = "running…";
      try {
        const data = await api("POST", "/api/forecast", body);
        status.textContent = `run #${data.run.id} recorded`;
        renderForecast(data.results, json("grid-data"), data.run);
      } catch (err) { status.textContent = "failed:"; showProblems(problems, err); }
    });
  }

  function issueLabels(grid) { return grid.issues.map((i) => i.name); }

  function outcomeTraces(results, grid, opts = {}) {
    const traces = []; const ids = grid.issues.map((i) => i.id); const labels = issueLabels(grid);
    if (opts.actors !== false) {
      const x = [], y = [], text = [];
      for (const a of grid.actors) for (const i of grid.issues) {
        const c = grid.cells[a.id][i.id]; if (!c) continue;
        x.push(i.name); y.push(c.position); text.push(`${a.name}: ${c.position} (salience ${c.salience})`);
      }
      traces.push({ x, y, text, type: "scatter", mode: "markers", name: "actor positions", hoverinfo: "text",
        marker: { color: "rgba(120,120,120,0.35)", size: 7, symbol: "line-ew-open", line: { width: 2 } } });
    }
    Object.entries(results.models || {}).forEach(([name, m], n) => {
      if (!m.issues) return;
      const y = ids.map((i) => (m.issues[i] ? m.issues[i].outcome : null));
      const trace = { x: labels, y, type: "scatter", mode: "markers", name: (opts.prefix || "") + name,
        marker: { size: 12, color: opts.color || COLORS[n % COLORS.length], symbol: opts.symbol || "circle" } };
      const band = (i, key) => (m.issues[i] && m.issues[i].summary ? m.issues[i].summary[key] : null);
      const lo = ids.map((i) => band(i, "q05")), hi = ids.map((i) => band(i, "q95"));
      if (lo.some((v) => v !== null)) {
        trace.error_y = { type: "data", symmetric: false, array: hi.map((h, k) => (h === null ? 0 : h - y[k])),
          arrayminus: lo.map((l, k) => (l === null ? 0 : y[k] - l)), thickness: 2, width: 6 };
      }
      traces.push(trace);
    });
    return traces;
  }

  const LAYOUT = { margin: { t: 30, r: 20, b: 90, l: 50 }, yaxis: { title: "position on the issue's scale" },
    legend: { orientation: "h", y: 1.12 }, height: 440 };

  function outcomeTable(table, results, grid) {
    const models = Object.entries(results.models || {}).filter(([, m]) => m.issues);
    const head = el("tr", {}, el("th", {}, "issue"), ...models.map(([n]) => el("th", {}, n)));
    const rows = grid.issues.map((i) => el("tr", {}, el("td", {}, i.name),
      ...models.map(([, m]) => { const e = m.issues[i.id];
        const band = e && e.summary ? ` [${fmt(e.summary.q05)}–${fmt(e.summary.q95)}]` : "";
        return el("td", { class: "n" }, e ? fmt(e.outcome) + band : "—"); })));
    const skipped = Object.entries(results.models || {}).filter(([, m]) => m.skipped);
    table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    if (skipped.length) table.append(el("caption", {}, skipped.map(([n, m]) => `${n}: skipped (${m.skipped})`).join("; ")));
  }

  function renderDetails(container, results) {
    container.replaceChildren(); let any = false;
    for (const [name, m] of Object.entries(results.models || {})) {
      const d = m.details; if (!d || !Object.keys(d).length) continue;
      any = true; const box = el("details", {}, el("summary", {}, name));
      for (const [key, value] of Object.entries(d)) box.append(el("h4", {}, key), detailNode(value));
      container.append(box);
    }
    return any;
  }

  function detailNode(value) {
    if (Array.isArray(value) && value.length && value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      const cols = [...new Set(value.flatMap((v) => Object.keys(v)))];
      const shown = value.slice(0, 200);
      const cell = (v) => (typeof v === "number" ? fmt(v, 2) : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v ?? ""));
      const t = el("table", { class: "list details" }, el("thead", {}, el("tr", {}, ...cols.map((c) => el("th", {}, c)))),
        el("tbody", {}, ...shown.map((v) => el("tr", {}, ...cols.map((c) => el("td", {}, cell(v[c])))))));
      if (value.length > shown.length) t.append(el("caption", {}, `first ${shown.length} of ${value.length}`));
      return t;
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return el("table", { class: "kv" }, ...Object.entries(value).map(([k, v]) =>
        el("tr", {}, el("th", {}, k), el("td", {}, typeof v === "object" ? detailNode(v) : String(typeof v === "number" ? fmt(v, 3) : v)))));
    }
    return el("pre", {}, JSON.stringify(value, null, 1));
  }

  function renderTrajectories(results, grid) {
    const section = $("#trajectory-section");
    const dynamic = Object.entries(results.models || {}).filter(([, m]) => m.rounds > 1);
    section.hidden = dynamic.length === 0; if (!dynamic.length) return;
    const modelSel = $("#traj-model"), issueSel = $("#traj-issue");
    modelSel.replaceChildren(...dynamic.map(([n]) => el("option", { value: n }, n)));
    issueSel.replaceChildren(...grid.issues.map((i) => el("option", { value: i.id }, i.name)));
    const names = Object.fromEntries(grid.actors.map((a) => [a.id, a.name]));
    const draw = () => {
      const m = results.models[modelSel.value]; const issue = m.issues[issueSel.value]; if (!issue) return;
      const rounds = issue.rounds.map((_, r) => r);
      const actors = Object.keys(issue.rounds[0].positions);
      const traces = actors.map((a, n) => ({ x: rounds, y: issue.rounds.map((r) => r.positions[a]), name: names[a] || a,
        mode: "lines+markers", line: { width: 1.5, color: COLORS[n % COLORS.length] }, marker: { size: 4 } }));
      traces.push({ x: rounds, y: issue.rounds.map((r) => r.outcome), name: "outcome", mode: "lines",
        line: { width: 5, color: "black" } });
      const scale = grid.issues.find((i) => i.id === issueSel.value); const pad = (scale.max - scale.min) * 0.03;
      Plotly.react("trajectory-chart", traces, { ...LAYOUT, xaxis: { title: "round", dtick: 1 },
        yaxis: { title: "position", range: [scale.min - pad, scale.max + pad] },
        legend: { orientation: "v", x: 1.02, y: 1 }, margin: { t: 20, r: 20, b: 50, l: 50 } }, { responsive: true });
    };
    modelSel.onchange = draw; issueSel.onchange = draw; draw();
  }

  function renderForecast(results, grid, run) {
    $("#results").hidden = false;
    if (run) $("#results-meta").textContent = `run #${run.id} · seed ${run.seed ?? "none"}` +
      (results.draws ? ` · ${results.draws} draws (bands: 5–95%)` : "") + ` · models ${run.models.join(", ")} · accord ${run.accord_version}`;
    Plotly.react("outcome-chart", outcomeTraces(results, grid), LAYOUT, { responsive: true });
    outcomeTable($("#outcome-table"), results, grid);
    renderTrajectories(results, grid);
    $("#details-section").hidden = !renderDetails($("#details"), results);
  }

  function showStoredRun() {
    const data = json("run-data"); const grid = json("grid-data");
    if (data.run.kind === "forecast") renderForecast(data.results, grid, data.run);
    else if (data.run.kind === "whatif") renderWhatif(data.results, grid, data.run);
    else if (data.run.kind === "deal") renderDeal(data.results, grid, data.run);
  }

  function showCompare() {
    const t = json("compare-data"); if (!t.columns.length) return;
    const traces = t.columns.map((c, n) => ({ x: t.issues, y: t.issues.map((i) => t.rows[i][n]), name: c.label,
      type: "scatter", mode: "markers", marker: { size: 11, color: COLORS[n % COLORS.length] } }));
    Plotly.react("compare-chart", traces, LAYOUT, { responsive: true });
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
      status.textContent = "running baseline and what-if…";
      try {
        const data = await api("POST", "/api/whatif", body);
        status.textContent = `run #${data.run.id} recorded`;
        renderWhatif(data.results, json("grid-data"), data.run);
      } catch (err) { status.textContent = "failed:"; showProblems(problems, err); }
    });
  }

  function bandTrace(name, x, s, color, symbol, offset) {
    const med = s.map((v) => v.median);
    return { x, y: med, name, type: "scatter", mode: "markers", offsetgroup: offset,
      marker: { size: 12, color, symbol },
      error_y: { type: "data", symmetric: false, array: s.map((v, k) => (v.q95 ?? med[k]) - med[k]),
        arrayminus: s.map((v, k) => med[k] - (v.q05 ?? med[k])), color, thickness: 2, width: 5 } };
  }

  function renderWhatif(results, grid) {
    $("#whatif-results").hidden = false;
    const iv = results.whatif;
    $("#whatif-meta").textContent = `${iv.name || iv.id} · ${results.draws} draw${results.draws === 1 ? "" : "s"} · seed ${results.seed}` +
      (Object.keys(results.skipped || {}).length ? ` · skipped: ${Object.entries(results.skipped).map(([m, r]) => `${m} (${r})`).join(", ")}` : "");
    $("#whatif-lines").replaceChildren(...iv.changes.map((l) => el("li", {}, el("code", {}, l))));
    const sel = $("#whatif-model"); const names = Object.keys(results.models);
    sel.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
    const ids = grid.issues.map((i) => i.id), labels = grid.issues.map((i) => i.name);
    const draw = () => {
      const m = results.models[sel.value]; if (!m) return;
      const base = ids.map((i) => m.issues[i].baseline), what = ids.map((i) => m.issues[i].whatif);
      const diff = ids.map((i) => m.issues[i].difference);
      const xb = labels.map((l) => l), layout = { ...LAYOUT, height: 420, scattermode: "group" };
      Plotly.react("whatif-chart", [bandTrace("baseline", xb, base, "#6b7280", "circle", "b"),
        bandTrace("what-if", xb, what, "#d62728", "diamond", "w")], layout, { responsive: true });
      const dmed = diff.map((v) => v.median);
      Plotly.react("whatif-diff-chart", [{ x: labels, y: diff.map((v) => v.mean), type: "bar", name: "mean effect",
        marker: { color: diff.map((v) => ((v.mean ?? 0) >= 0 ? "#2ca02c" : "#d62728")) },
        error_y: { type: "data", symmetric: false, array: diff.map((v, k) => v.q95 - (v.mean ?? dmed[k])),
          arrayminus: diff.map((v, k) => (v.mean ?? dmed[k]) - v.q05), color: "#333" } }],
        { ...layout, yaxis: { title: "change in outcome (scale points)" }, showlegend: false }, { responsive: true });
      const head = el("tr", {}, ...["issue", "baseline median", "what-if median", "mean effect", "5%", "95%"].map((h) => el("th", {}, h)));
      $("#whatif-table").replaceChildren(el("thead", {}, head), el("tbody", {}, ...ids.map((i, k) => el("tr", {},
        el("td", {}, labels[k]), el("td", { class: "n" }, fmt(base[k].median)), el("td", { class: "n" }, fmt(what[k].median)),
        el("td", { class: "n" }, fmt(diff[k].mean, 2)), el("td", { class: "n" }, fmt(diff[k].q05, 2)), el("td", { class: "n" }, fmt(diff[k].q95, 2))))));
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
      status.textContent = "evaluating…";
      try {
        const data = await api("POST", "/api/deal", body);
        status.textContent = `run #${data.run.id} recorded`;
        renderDeal(data.results, json("grid-data"), data.run);
      } catch (err) { status.textContent = "failed:"; showProblems(problems, err); }
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
      traces.push({ x: names, y: actorIds.map((a) => r.actors[a].gain), type: "bar", name: r.proposal.name,
        marker: { color: COLORS[n % COLORS.length] },
        text: actorIds.map((a) => `${r.actors[a].verdict}${r.actors[a].vetoes ? ", VETOES" : r.actors[a].holds_veto ? ", holds a veto" : ""}`),
        textposition: "none", hovertemplate: "%{x}: %{y:.1f} (%{text})<extra>%{fullData.name}</extra>" });
      const box = el("details", { open: "" }, el("summary", {}, r.proposal.name));
      const hasP = actorIds.some((a) => r.actors[a].p_accepts !== undefined);
      const head = ["actor", "gain", "verdict", "accepts", "veto", ...(hasP ? ["P(accepts)", "P(vetoes)"] : [])];
      box.append(el("table", { class: "list" }, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
        el("tbody", {}, ...actorIds.map((a, k) => { const e = r.actors[a]; return el("tr", {},
          el("td", {}, names[k]), el("td", { class: "n " + (e.gain > 0 ? "gain" : e.gain < 0 ? "loss" : "") }, fmt(e.gain, 2)),
          el("td", {}, e.verdict), el("td", {}, e.accepts ? "yes" : "no"),
          el("td", {}, e.vetoes ? `vetoes (${e.veto_issues.join(", ")})` : e.holds_veto ? "holds, does not use" : ""),
          ...(hasP ? [el("td", { class: "n" }, fmt(100 * e.p_accepts) + "%"), el("td", { class: "n" }, fmt(100 * e.p_vetoes) + "%")] : [])); }))));
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
    Plotly.react("deal-chart", traces, { ...LAYOUT, barmode: "group", yaxis: { title: "gain over no deal (utility points)" } }, { responsive: true });
  }

  return { initWhatif, renderWhatif, initDeal, renderDeal, $, $$, el, api, fmt, json, showProblems, parseParams, formRequest, outcomeTraces, outcomeTable,
    renderDetails, renderForecast, initGrid, initForecast, showStoredRun, showCompare, LAYOUT, COLORS };
})();
