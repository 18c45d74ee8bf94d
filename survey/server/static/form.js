/* Live skip logic and validation on top of the server-rendered form, which works without it.
   Reads the page's survey-logic data; hides (and disables, so nothing is posted) the questions
   whose rule is false, and checks answers as the server's answer_checks.py would, so that the
   respondent sees a problem next to the question before sending. The server checks again. */
(function () {
  "use strict";
  const X = window.SurveyExpressions;
  const data = document.getElementById("survey-logic");
  const form = document.querySelector("form.survey-form");
  if (!X || !data || !form) return;
  const logic = JSON.parse(data.textContent);
  const MISSING = "missing:";
  /* Page order comes from the page itself: the rules of a question see the answers above it. */
  const ids = Array.prototype.map.call(form.querySelectorAll("[data-question]"), function (e) {
    return e.getAttribute("data-question");
  }).filter(function (id) { return Object.prototype.hasOwnProperty.call(logic.questions, id); });

  function box(id) { return document.getElementById("q-" + id); }

  /* The rules' "Only if …" words are for a form without this script, which shows all. */
  Array.prototype.forEach.call(document.querySelectorAll(".only-if"), function (e) {
    e.hidden = true;
  });

  function fields(id, name) {
    return Array.prototype.filter.call(box(id).querySelectorAll("input, select, textarea"),
      function (f) { return name === undefined || f.name === name; });
  }

  /* Posted texts of one answer name, as form_fields.py reads them (trimmed, blanks dropped). */
  function texts(id, name) {
    return fields(id, name).filter(function (f) {
      return f.type === "radio" || f.type === "checkbox" ? f.checked : true;
    }).map(function (f) { return f.value.trim(); }).filter(Boolean);
  }

  const DIGITS = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g;
  function number(text, decimal) {
    text = text.replace(DIGITS, function (d) { return String(d.charCodeAt(0) & 15); });
    if (decimal) text = text.replace(",", ".");
    const whole = /^[+-]?\d+(_\d+)*$/;
    const real = /^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/;
    if (text.length > 30 || !(whole.test(text) || (decimal && real.test(text)))) return undefined;
    const value = Number(text.replace(/_/g, ""));
    return isFinite(value) ? value : undefined;
  }

  /* One answer: {given: what the respondent gave (or null), value: what expressions see,
     problem: a message key when it cannot be read}. */
  function read(q, id, name) {
    const all = texts(id, name), type = q.type;
    const missing = all.filter(function (t) { return t.indexOf(MISSING) === 0; });
    if (!all.length) return { given: null, value: null };
    if (own(q, id).indexOf(name) < 0) return { given: all[0], value: all[0] }; /* other: text */
    if (type === "multiple_choice" || type === "ranking") {
      if (missing.length) {
        return { given: all, value: null, problem: all.length > 1 ? "one_answer" : null };
      }
      return { given: all, value: all };
    }
    if (all.length > 1) return { given: all, value: null, problem: "one_answer" };
    if (missing.length) return { given: all, value: null };
    const text = all[0];
    if (type === "consent") return { given: true, value: true };
    if (type === "integer" || type === "year" || type === "decimal") {
      const n = number(text, type === "decimal");
      if (n === undefined) {
        return { given: text, value: null, problem: type === "decimal" ? "decimal" : "number" };
      }
      return { given: n, value: n };
    }
    if (type === "date") {
      const day = X.parseDate(text);
      return day ? { given: text, value: day } : { given: text, value: null, problem: "date" };
    }
    const codes = logic.codes && logic.codes[id];
    if (codes && codes[text] !== undefined) {
      return { given: text, value: codes[text] }; /* ratings and grid rows compare by code */
    }
    return { given: text, value: text };
  }

  /* The answer names that answer the question ("please specify" texts do not). */
  function own(q, id) { return q.type === "grid" ? q.answer_names : [id]; }

  /* Earlier pages' answers as the evaluator sees them (answers.py for_expressions). */
  function earlier() {
    const values = {};
    Object.keys(logic.answers || {}).forEach(function (name) {
      let v = logic.answers[name];
      const codes = logic.codes && logic.codes[name.split("__")[0]];
      if (v !== null && typeof v === "object" && !Array.isArray(v)) v = null; /* {missing: …} */
      else if (codes && typeof v === "string" && codes[v] !== undefined) v = codes[v];
      values[name] = v;
    });
    return values;
  }

  /* Walk the page's questions in order as routing.py does: a skipped question's answers do not
     count for the rules after it; calculations are worked out when a rule first needs them. */
  function route() {
    const known = earlier(), calculations = logic.calculations || {}, busy = {}, today = X.today();
    const state = { answers: {}, shown: {} };
    function lookup(name) {
      if (Object.prototype.hasOwnProperty.call(known, name)) return known[name];
      if (!Object.prototype.hasOwnProperty.call(calculations, name) || busy[name]) return null;
      busy[name] = true;
      known[name] = X.evaluate(calculations[name], { answers: lookup, today: today });
      return known[name];
    }
    state.lookup = lookup;
    state.today = today;
    ids.forEach(function (id) {
      const q = logic.questions[id];
      const context = { answers: lookup, today: today };
      const shown = !q.relevant || X.truthy(X.evaluate(q.relevant, context));
      state.shown[id] = shown;
      q.answer_names.forEach(function (name) {
        const answer = shown ? read(q, id, name) : { given: null, value: null };
        state.answers[name] = answer;
        known[name] = answer.value;
      });
    });
    return state;
  }

  function show(id, shown) {
    const element = box(id);
    if (element.hidden === !shown) return;
    element.hidden = !shown;
    fields(id).forEach(function (f) {
      if (!shown && !f.disabled) { f.disabled = true; f.setAttribute("data-skipped", ""); }
      if (shown && f.hasAttribute("data-skipped")) {
        f.disabled = false;
        f.removeAttribute("data-skipped");
      }
    });
    if (!shown) message(id, "");
  }

  function says(key, params) {
    return (logic.messages[key] || "").replace("{min}", params && params.min)
      .replace("{max}", params && params.max).replace("{choice}", params && params.choice);
  }

  function given(v) { return v !== null && v !== undefined; }

  function length(text) { return Array.from(text).length; }

  /* The first problem of a shown question, in answer_checks.py's order, or "". */
  function problem(id, state) {
    const q = logic.questions[id], names = own(q, id);
    if (!q.answer_names.length) return ""; /* a note */
    for (let i = 0; i < names.length; i++) {
      const answer = state.answers[names[i]], value = answer.given;
      if (answer.problem) return says(answer.problem);
      if (!given(value) || answer.value === null) continue;
      if (typeof value === "number" || q.type === "date") {
        const date = q.type === "date";
        const low = given(q.min) && (!date || typeof q.min === "string") ? q.min : null;
        const high = given(q.max) && (!date || typeof q.max === "string") ? q.max : null;
        if ((low !== null && value < low) || (high !== null && value > high)) {
          return says(low !== null && high !== null ? "range" : low !== null ? "min" : "max",
            { min: low, max: high });
        }
      }
      if (typeof value === "string" && q.max_length && length(value) > q.max_length) {
        return says("too_long", { max: q.max_length });
      }
      if (Array.isArray(value)) {
        const twice = value.filter(function (v, i) { return value.indexOf(v) !== i; })[0];
        if (twice !== undefined && q.type === "ranking") {
          const shown = box(id).querySelector("option[value=\"" + CSS.escape(twice) + "\"]");
          return says("ranked_twice", { choice: shown ? shown.textContent : twice });
        }
        if (twice !== undefined) return says("choice");
        const exclusive = (q.exclusive || []).some(function (c) { return value.indexOf(c) >= 0; });
        if (exclusive && value.length > 1) return says("exclusive");
        if (q.type !== "ranking" && ((q.min_selected && value.length < q.min_selected) ||
            (q.max_selected && value.length > q.max_selected))) {
          return says("selected", { min: q.min_selected || 1, max: q.max_selected || "∞" });
        }
      }
    }
    const answered = names.some(function (n) { return given(state.answers[n].given); });
    const context = { answers: state.lookup, today: state.today };
    const required = typeof q.required === "boolean" ? q.required
      : X.truthy(X.evaluate(q.required, context));
    if (required && !answered) return says("required");
    /* as answer_checks.py: a rule about an empty or refused answer says nothing about this one */
    const current = state.answers[id] ? state.answers[id].value : null;
    const filled = function (n) { return !X.isEmpty(state.lookup(n)); };
    if (q.constraint && !X.isEmpty(current) && references(q.constraint).every(filled)) {
      context.current = current;
      if (!X.truthy(X.evaluate(q.constraint, context))) {
        return q.constraint_message || says("constraint");
      }
    }
    return "";
  }

  function references(tree) {
    if (tree.ref) return [tree.ref];
    return [tree.neg, tree.l, tree.r].concat(tree.args || []).filter(Boolean)
      .reduce(function (all, node) { return all.concat(references(node)); }, []);
  }

  function message(id, text) {
    const slot = document.getElementById("q-" + id + "-error");
    if (slot && slot.textContent !== text) slot.textContent = text;
    fields(id).forEach(function (f) {
      if (text) f.setAttribute("aria-invalid", "true"); else f.removeAttribute("aria-invalid");
    });
  }

  function refresh() {
    const state = route();
    ids.forEach(function (id) { if (box(id)) show(id, state.shown[id]); });
    return state;
  }

  function questionOf(element) {
    const holder = element.closest("[data-question]");
    const id = holder && holder.getAttribute("data-question");
    return id && ids.indexOf(id) >= 0 ? id : null;
  }

  /* Ticking an exclusive choice ("none of these") or a missing value unticks the others of its
     question; ticking another choice unticks them; typing a value unticks "don't know". */
  function exclusive(target, id) {
    const q = logic.questions[id];
    const ticks = function (f) { return f.type === "checkbox" || f.type === "radio"; };
    const sole = function (f) {
      const value = f.value;
      return ticks(f) && (value.indexOf(MISSING) === 0 || (q.exclusive || []).indexOf(value) >= 0);
    };
    if (ticks(target) ? !target.checked : !target.value.trim()) return;
    fields(id, target.name).forEach(function (f) {
      if (f === target || !(sole(target) || sole(f))) return; /* ordinary choices go together */
      if (ticks(f)) f.checked = false; else f.value = "";
    });
  }

  form.addEventListener("input", function (event) {
    const id = questionOf(event.target);
    if (id) exclusive(event.target, id);
    refresh();
  });
  /* A ranking's chosen topic in full under its list, which shows only one line of it. */
  function showRanked(target) {
    const chosen = target.tagName === "SELECT" && target.parentNode.querySelector(".rank-chosen");
    if (chosen) chosen.textContent = target.value ? target.selectedOptions[0].textContent : "";
  }

  /* Leaving a field by tapping another changes the page while the finger is still down: what
     that change shows (a message, a question) waits until the tap's click has landed. */
  let pressed = false;
  const held = [];
  function release() {
    pressed = false;
    setTimeout(function () { held.splice(0).forEach(function (task) { task(); }); }, 0);
  }
  document.addEventListener("pointerdown", function () { pressed = true; }, true);
  document.addEventListener("click", release, true);
  document.addEventListener("pointercancel", release, true);
  document.addEventListener("pointerup", function () {  /* a drag ends without a click */
    setTimeout(function () { if (pressed) release(); }, 500);
  }, true);

  form.addEventListener("change", function (event) {
    function react() {
      showRanked(event.target);
      const id = questionOf(event.target);
      if (id) exclusive(event.target, id);
      const state = refresh();
      if (id && state.shown[id]) message(id, problem(id, state));
    }
    if (pressed) held.push(react); else react();
  });
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value !== "next") return;
    const state = refresh();
    let first = null;
    ids.forEach(function (id) {
      if (!box(id) || !state.shown[id]) return;
      const text = problem(id, state);
      message(id, text);
      if (text && !first) first = id;
    });
    if (!first) return;
    event.preventDefault();
    const target = fields(first).filter(function (f) { return !f.disabled; })[0];
    if (target) target.focus();
  });
  refresh();
})();
