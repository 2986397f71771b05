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

  // a run: queued as a job (/api/jobs/KIND), followed until it ends; while it waits or runs, the button
  // is disabled, a spinner, the progress and a Cancel button show beside the status text
  async function runJob(kind, body, form, status, text) {
    const button = $("button[type=submit]", form); button.disabled = true;
    status.textContent = text; status.classList.add("busy");
    const bar = el("progress", { max: "1", value: "0", class: "job-progress" }); bar.hidden = true;
    const cancel = el("button", { type: "button", class: "cancel", id: `cancel-${kind}` }, "Cancel");
    status.after(bar, cancel);
    let job = null; let cancelled = false;
    const stop = async () => { cancelled = true; cancel.disabled = true;
      if (job) { try { job = await api("DELETE", `/api/jobs/${job.id}`); } catch (err) { /* finished meanwhile */ } } };
    cancel.addEventListener("click", stop);
    try {
      job = await api("POST", `/api/jobs/${kind}`, body);
      if (cancelled) await stop();
      let wait = 200;
      while (job.status === "queued" || job.status === "running") {
        await new Promise((resolve) => setTimeout(resolve, wait)); wait = Math.min(1000, wait * 1.5);
        job = await api("GET", `/api/jobs/${job.id}`);
        const p = job.progress || {};
        if (job.status === "queued") status.textContent = `${text} (waiting for a free worker)`;
        else if (p.total) {
          bar.hidden = false; bar.max = p.total; bar.value = p.done;
          status.textContent = `${text} ${p.stage ? p.stage + ": " : ""}${p.done} of ${p.total}`;
        }
      }
      if (job.status === "done") return { run: job.run, results: job.results };
      const err = new Error((job.problem && job.problem.detail) || job.status); err.problem = job.problem || {};
      err.cancelled = job.status === "cancelled"; throw err;
    } finally { button.disabled = false; status.classList.remove("busy"); bar.remove(); cancel.remove(); }
  }

  // a failed run hides the previous results, so they are not mistaken for this request's
  function failed(status, problems, err, results) {
    if (err.cancelled) { status.textContent = "cancelled (nothing was recorded)"; problems.replaceChildren(); }
    else { status.textContent = "failed (nothing was recorded):"; showProblems(problems, err); }
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
    if (form.elements.veto_rule) body.veto_rule = form.elements.veto_rule.value;
    return body;
  }

  function initForecast(versionId) {
    const form = $("#forecast-form"); const status = $("#forecast-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problems = $("#forecast-problems"); problems.replaceChildren();
      let body;
      try { body = formRequest(form, versionId); } catch (err) { showProblems(problems, err); return; }
      const text = `running ${body.models.length || "all"} model${body.models.length === 1 ? "" : "s"}` +
        (body.draws ? ` over ${body.draws} draws` : "") + "…";
      try {
        const data = await runJob("forecast", body, form, status, text);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderForecast(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#results")); }
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

  // the settlement-or-stalemate headline: the same sentences as the command line (report/tables/settlement.py)
  function pct(x) { return x > 0 && x < 0.005 ? "<1%" : x >= 0.995 && x < 1 ? ">99%" : `${Math.round(100 * x)}%`; }
  function range(st, draws = true) { return !st ? "–" : draws ? `${fmt(st.median)} [${fmt(st.q05)}–${fmt(st.q95)}]` : fmt(st.median); }
  function settlementLines(st) {
    const draws = st.n_draws > 0;
    const where = !draws ? "at the coded values (no draws)"
      : st.of_draws ? `over the first ${st.n_draws.toLocaleString("en-US")} of the ${st.of_draws.toLocaleString("en-US")} draws`
      : `over ${st.n_draws} draws`;
    const rule = st.rules.veto_rule === "total" ? "each judges the package as a whole" : "each also refuses any point it ratifies that leaves it worse off";
    const lines = [`It needs the consent of ${st.consent_of.join(", ") || "nobody (no decision rules or vetoes)"} (${rule}: veto rule ${st.rules.veto_rule}) and a coalition holding more than ${Math.round(100 * st.rules.threshold)}% of the clout.`];
    if (st.slack) lines.push(`Width of the zone (the most every one of them gains at once, utility points): ${range(st.slack, draws)}; below 0 there is no zone.`);
    if (st.package) lines.push(`Likely package: the acceptable package nearest ${st.anchor}, ${draws ? "per issue the median over the draws with a zone" : "at the coded values"}` +
      (st.package_p_accepted == null || !draws ? "." : `; as one package it is accepted in ${pct(st.package_p_accepted)} of the draws.`));
    else lines.push("Likely package: none — no draw has a complete package that every consent allows.");
    const b = st.blockers[0];
    if (b) lines.push(`Likely blocker: ${b.actor}${draws ? `, in ${pct(b.share)} of the draws without a zone` : ""}; it would need ${range(b.compensation, draws)} utility points of compensation to agree.`);
    else lines.push(st.p_zone < 1 ? "Likely blocker: no single actor; several would need compensation at once." : `Likely blocker: none — ${draws ? "every draw has a zone." : "a zone exists."}`);
    if (st.blockers.length > 1) lines.push("Other blockers: " + st.blockers.slice(1).map((e) => `${e.actor} ${pct(e.share)}`).join(", ") + ".");
    if (st.closest && st.closest.length) lines.push(`Closest to refusing: ${st.closest[0].actor} — ${draws ? `in ${pct(st.closest[0].share)} of the draws with a zone ` : ""}the likely package leaves it the smallest gain of those whose consent is needed.`);
    if (st.several && st.p_zone < 1) lines.push(`In ${pct(st.several)} of the draws without a zone no single payment suffices (smallest total compensation ${range(st.total_compensation, draws)}).`);
    const head = `P(agreement) ${pct(st.p_zone)} ${where}: a complete package that every actor whose consent it needs prefers to its own no-deal outcome ` +
      (draws ? `exists in that share of the draws (at the coded values: ${st.zone_at_coded_values ? "yes" : "no"}).`
        : `${st.p_zone > 0 ? "exists" : "does not exist"}; draws give a probability.`);
    return { head, lines: [...lines, ...(st.notes || [])] };
  }

  function renderSettlement(st) {
    const box = $("#settlement"); if (!box) return;
    box.hidden = !st; $("#models-title").hidden = !st; if (!st) return;
    const text = settlementLines(st);
    const head = $("#settlement-headline"); head.textContent = text.head;
    head.className = "verdict " + (st.p_zone >= 0.5 ? "gain" : "loss");
    $("#settlement-lines").replaceChildren(...text.lines.map((l) => el("li", {}, l)));
    const table = $("#settlement-table");
    if (!st.package) { table.replaceChildren(); return; }
    const coded = st.n_draws ? (st.package_at_coded_values || {}) : null;
    table.replaceChildren(el("thead", {}, el("tr", {}, el("th", {}, "issue"), el("th", {}, "likely"),
      ...(coded ? [el("th", {}, "5–95%"), el("th", {}, "coded values")] : []))),
      el("tbody", {}, ...Object.entries(st.package).map(([i, v]) => el("tr", {}, el("td", {}, i), el("td", { class: "n" }, fmt(v.median, 0)),
        ...(coded ? [el("td", { class: "n" }, `${fmt(v.q05, 0)}–${fmt(v.q95, 0)}`), el("td", { class: "n" }, coded[i] == null ? "–" : fmt(coded[i], 0))] : [])))));
  }

  function renderForecast(results, grid, run) {
    $("#results").hidden = false;
    renderSettlement(results.settlement);
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
    else if (data.run.kind === "strategy") renderStrategy(data.results, grid, data.run);
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
      try {
        const data = await runJob("whatif", body, form, status, `running baseline and what-if over ${body.draws} draws…`);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderWhatif(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#whatif-results")); }
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
      // "territory=open" drops the proposal's point (as a printed repair may say); numbers change points
      const leaveOpen = Object.keys(points).filter((k) => points[k] === "open");
      leaveOpen.forEach((k) => delete points[k]);
      const body = {
        version_id: versionId,
        proposals: $$("input[name=proposals]:checked", form).map((i) => i.value),
        points, leave_open: leaveOpen, against: $("#deal-against").value, veto_rule: $("#deal-veto").value,
        threshold: Number($("#deal-threshold").value), draws: Number($("#deal-draws").value || 0),
        seed: form.elements.seed.value === "" ? null : Number(form.elements.seed.value),
        repair: $("#deal-repair").checked,
      };
      try {
        const data = await runJob("deal", body, form, status, "evaluating" + (body.repair ? " and searching for repairs…" : "…"));
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderDeal(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#deal-results")); }
    });
  }

  // as the command line's tables: a small loss keeps the digits that show its sign (never "+0.0" beside "loses")
  function gainText(v) {
    if (v == null) return "—";
    if (Math.abs(v) <= 1e-6) return "0.0";
    const text = Math.abs(v) >= 0.05 ? v.toFixed(1) : Number(v.toPrecision(2)).toString();
    return (v > 0 ? "+" : "") + text;
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
      // a partial package: the verdict is on the points it settles only (never "accepted" for the rest)
      const cov = r.coverage || { complete: true };
      const word = ok ? "accepted" : "not accepted";
      const verdict = cov.complete ? word
        : `partial — its ${cov.n_settled === 1 ? "point" : cov.n_settled + " points"} ${word} (${cov.n_issues - cov.n_settled} issues open: ${cov.open.join(", ")})`;
      const lines = [`support ${fmt(100 * r.support_share)}% of clout`, r.coalition ? "winning coalition" : "no winning coalition",
        r.vetoed_by.length ? `refused by ${r.vetoed_by.join(", ")}` : "every consent given"];
      if (r.draws) lines.push(`P(${cov.complete ? "accepted" : "its points accepted"}) ${fmt(100 * r.draws.p_accepted)}% over ${r.draws.n} draws`);
      verdicts.append(el("div", { class: "verdict " + (ok ? "gain" : "loss") },
        el("strong", {}, `${r.proposal.name}: ${verdict}`), " — ", lines.join(" · ")));
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
          el("td", {}, names[k]), el("td", { class: "n " + (e.gain > 1e-6 ? "gain" : e.gain < -1e-6 ? "loss" : "") }, gainText(e.gain)),
          el("td", {}, e.verdict), el("td", {}, e.accepts ? "yes" : "no"),
          el("td", {}, e.vetoes ? `refuses (${e.veto_issues.join(", ")})` : e.holds_veto ? "consent needed, given" : ""),
          ...(hasP ? [el("td", { class: "n" }, fmt(100 * e.p_accepts) + "%"), el("td", { class: "n" }, fmt(100 * e.p_vetoes) + "%")] : [])); })))));
      if (r.breakers.length) {
        box.append(el("details", {}, el("summary", {}, `Deal breakers: ${r.breakers.length} points that cost an actor`),
          detailNode(r.breakers)));
      }
      if ((r.requirements || []).length) {
        box.append(el("h4", {}, "Consents the package needs (decision rules)"), el("ul", {}, ...r.requirements.map((q) =>
          el("li", {}, `${q.text} [${q.rule.replace(/^veto:/, "")}] on ${q.issues.join(", ")}: `,
            el("strong", { class: q.met ? "gain" : "loss" }, q.met ? "given" : `refused${q.refused_by.length ? " by " + q.refused_by.join(", ") : ""}`)))));
      }
      if (r.repair) {
        box.append(el("h4", {}, "Repair"));
        if (r.repair.status === "found") {
          box.append(el("ul", { class: "repair" }, ...r.repair.moves.map((m) => el("li", {}, m.text || `${m.issue}: ${m.from} → ${m.to}`))));
          if ((r.repair.open || []).length) box.append(el("p", { class: "dim" }, `The repaired package leaves open: ${r.repair.open.join(", ")}.`));
        } else box.append(el("p", {}, r.repair.status === "not needed" ? "No repair needed: what the package settles is accepted as it stands." : `No repair exists: ${r.repair.reason}`));
      }
      tables.append(box);
    });
    Plotly.react("deal-chart", traces, { ...LAYOUT, barmode: "group", xaxis: { tickangle: 0, automargin: true },
      yaxis: { title: T("gain over the no-deal point (utility points)") } }, CONFIG);
  }

  // ---- strategy ------------------------------------------------------------------------------------------
  function initStrategy(versionId) {
    const form = $("#strategy-form"); const status = $("#strategy-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problems = $("#strategy-problems"); problems.replaceChildren();
      const body = {
        version_id: versionId, actor: $("#strategy-actor").value,
        models: $$("input[name=models]:checked", form).map((i) => i.value),
        draws: Number($("#strategy-draws").value || 0),
        seed: form.elements.seed.value === "" ? null : Number(form.elements.seed.value),
        step: Number($("#strategy-step").value), budget: Number($("#strategy-budget").value),
        top: Number($("#strategy-top").value),
      };
      try {
        const data = await runJob("strategy", body, form, status, `searching the levers of ${body.actor} over ${body.draws} draws…`);
        status.textContent = `run #${data.run.id} recorded`; addRun(data.run);
        renderStrategy(data.results, json("grid-data"), data.run);
      } catch (err) { failed(status, problems, err, $("#strategy-results")); }
    });
  }

  const VERDICT = { helps: "+", hurts: "−", unclear: "?", "no effect": "·" };
  const RELATION_CODE = { "confrontation other": "C+", "confrontation client": "C−", "compromise other": "cmp+",
    "compromise client": "cmp−", "capitulation other": "cap+", "capitulation client": "cap−", "stalemate neither": "st" };

  function renderStrategy(results, grid) {
    $("#strategy-results").hidden = false;
    const r = results, models = r.models;
    const n = Object.values(r.candidates).reduce((a, b) => a + b, 0);
    $("#strategy-meta").textContent = `${r.actor} · ${r.draws ? r.draws + " draws" : "coded inputs"} · seed ${r.seed} · ` +
      `models ${models.join(", ")} · ${n} candidates (${Object.entries(r.candidates).map(([k, v]) => `${k} ${v}`).join(", ")}) · ` +
      `gain: ${r.units.gain}; cost: ${r.units.cost}`;
    const evaluated = r.levers.filter((l) => l.evaluated);
    const head = el("tr", {}, ...["#", "lever", "family", "cost", "gain", "per point", ...models, "robustness"].map((h) => el("th", {}, h)));
    const cell = (g) => (g ? `${fmtSigned(g.mean)} [${fmtSigned(g.low)}, ${fmtSigned(g.high)}] ${VERDICT[g.verdict] || ""}` : "—");
    $("#strategy-levers").replaceChildren(el("thead", {}, head), el("tbody", {}, ...evaluated.map((l, k) => el("tr", {},
      el("td", { class: "n" }, String(k + 1)), el("td", {}, l.label), el("td", {}, l.family), el("td", { class: "n" }, fmt(l.cost)),
      el("td", { class: "n " + (l.expected_gain > 0 ? "gain" : l.expected_gain < 0 ? "loss" : "") }, fmtSigned(l.expected_gain)),
      el("td", { class: "n" }, fmt(l.score, 3)), ...models.map((m) => el("td", { class: "n" }, cell(l.gains[m]))),
      el("td", {}, l.robustness)))), el("caption", {}, "Per model: mean gain over the draws [90% paired-bootstrap interval]; " +
      "+ helps, − hurts, ? unclear, · no effect."));
    const plan = r.plan;
    $("#strategy-plan").replaceChildren(plan ? el("span", {}, el("strong", {}, `Plan within the budget (${fmt(plan.cost)} of ${fmt(r.budget)} effort points): `),
      plan.label, ` — expected gain ${fmtSigned(plan.expected_gain)} (${plan.robustness})`) : el("span", { class: "dim" }, "No plan: no evaluated lever helps without hurting under some model."));
    const rows = plan && plan.family === "plan" ? [plan, ...evaluated] : evaluated;
    const labels = rows.map((l) => wrap((l.family === "plan" ? "PLAN: " : "") + l.label, 40));
    const traces = models.map((m, i) => ({ type: "scatter", mode: "markers", name: m, orientation: "h",
      y: labels, x: rows.map((l) => (l.gains[m] ? l.gains[m].mean : null)), marker: { size: 9, color: COLORS[i % COLORS.length] },
      error_x: { type: "data", symmetric: false, array: rows.map((l) => (l.gains[m] && l.gains[m].high != null ? l.gains[m].high - l.gains[m].mean : 0)),
        arrayminus: rows.map((l) => (l.gains[m] && l.gains[m].low != null ? l.gains[m].mean - l.gains[m].low : 0)) } }));
    Plotly.react("strategy-chart", traces, { ...LAYOUT, scattermode: "group", height: 120 + 60 * rows.length,
      xaxis: { title: T(`gain for ${r.actor} (utility points)`), zeroline: true }, yaxis: { autorange: "reversed", automargin: true },
      margin: { t: 30, r: 20, b: 50, l: 20 } }, { responsive: true });
    const screened = r.levers.filter((l) => !l.evaluated).slice(0, 15);
    $("#strategy-screened").replaceChildren(el("thead", {}, el("tr", {}, ...["lever", "family", "cost", "gain", "per point"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...screened.map((l) => el("tr", {}, el("td", {}, l.label), el("td", {}, l.family), el("td", { class: "n" }, fmt(l.cost)),
        el("td", { class: "n" }, fmtSigned(l.expected_gain)), el("td", { class: "n" }, fmt(l.score, 3))))));
    // relations: the quadrant chart and the table (issues down, actors across)
    $("#strategy-relations-note").textContent = r.relations_note;
    const actors = [...new Set(r.relations.map((x) => x.actor))], issues = [...new Set(r.relations.map((x) => x.issue))];
    const qtraces = actors.map((a, i) => { const pts = r.relations.filter((x) => x.actor === a);
      return { type: "scatter", mode: "markers", name: a, x: pts.map((p) => p.E_cj), y: pts.map((p) => p.E_jc),
        text: pts.map((p) => `${a} on ${p.issue}: ${p.text}` + (p.agree == null ? "" : ` (${fmt(100 * p.agree, 0)}% of draws agree)`)),
        hoverinfo: "text", marker: { size: 9, color: COLORS[i % COLORS.length] } }; });
    Plotly.react("strategy-quadrants", qtraces, { ...LAYOUT, height: 480, scattermode: "overlay",
      xaxis: { title: T(`E_cj: what ${r.actor} expects from challenging`), zeroline: true, zerolinewidth: 2 },
      yaxis: { title: T(`E_jc: what ${r.actor} thinks the actor expects`), zeroline: true, zerolinewidth: 2 },
      annotations: [["confrontation", 0.5, 1], [`${r.actor} gives ground`, 0, 1], ["the actor gives ground", 1, 0], ["stalemate", 0, 0]]
        .map(([text, x, y]) => ({ text, x, y, xref: "paper", yref: "paper", showarrow: false, font: { color: "#777" } })) }, { responsive: true });
    const byCell = Object.fromEntries(r.relations.map((x) => [`${x.actor}|${x.issue}`, x]));
    $("#strategy-relations").replaceChildren(el("thead", {}, el("tr", {}, el("th", {}, "issue"), ...actors.map((a) => el("th", {}, a)))),
      el("tbody", {}, ...issues.map((i) => el("tr", {}, el("td", {}, i), ...actors.map((a) => { const x = byCell[`${a}|${i}`];
        const code = x ? RELATION_CODE[`${x.relation} ${x.gives}`] : "";
        return el("td", { class: (code || "").endsWith("+") ? "gain" : (code || "").endsWith("−") ? "loss" : "", title: x ? x.text : "" }, code || ""); })))),
      el("caption", {}, "C+ / C−: confrontation the client expects to win / lose; cmp+ cap+: the actor compromises / capitulates toward the client; cmp− cap−: the client does; st: stalemate."));
    const blocs = [...new Set(r.blocs.map((b) => b.bloc))], bIssues = [...new Set(r.blocs.map((b) => b.issue))];
    const byBloc = Object.fromEntries(r.blocs.map((b) => [`${b.bloc}|${b.issue}`, b]));
    $("#strategy-blocs").replaceChildren(el("thead", {}, el("tr", {}, el("th", {}, "issue"), ...blocs.map((b) => el("th", {}, b + (b === r.client_bloc ? " (client)" : ""))))),
      el("tbody", {}, ...bIssues.map((i) => el("tr", {}, el("td", {}, i), ...blocs.map((b) => { const x = byBloc[`${b}|${i}`];
        return el("td", { class: "n", title: x ? x.members.join(", ") : "" }, x ? `${fmt(x.position, 0)} (${fmt(100 * x.clout, 0)}%)${x.pivot ? " *" : ""}` : ""); })))),
      el("caption", {}, "Bloc position (capability × salience weighted mean of its members) and clout share; * holds the pivot (the weighted median)."));
  }

  return { initStrategy, renderStrategy, initWhatif, renderWhatif, initDeal, renderDeal, $, $$, el, api, runJob, fmt, json, showProblems, parseParams, formRequest, outcomeTraces, outcomeTable,
    renderDetails, renderForecast, initGrid, initForecast, showStoredRun, showCompare, addRun, colours, scaling, LAYOUT, COLORS };
})();
