/* The keyboard path of the data-entry screen: Enter moves on, skip logic moves the cursor past
   the questions the form routes around (the same trees and walk as the server's routing, evaluated
   by expressions.js), and every field is checked on the server as soon as the cursor leaves it.
   On the reconciliation screen it adds buttons that copy either entry into the decision box.
   Without JavaScript both pages still work: the server checks and routes on submit. */
(function () {
  "use strict";

  function entryScreen(form) {
    var X = window.SurveyExpressions;
    var logic = JSON.parse(document.getElementById("entry-logic").textContent);
    var inputs = Array.prototype.slice.call(form.querySelectorAll(".entry-row input"));
    var byName = {};
    inputs.forEach(function (input) { byName[input.closest("tr").dataset.field] = input; });

    /* A typed text as the expression evaluator sees the answer (answers.for_expressions). */
    function value(name, text) {
      var t = logic.typing[name];
      text = text.trim();
      if (!t || text === "" || text === "-" || text === "?") return null;
      if (t.other_text) return text;
      var answer = t.codes[text];
      if (answer !== undefined && typeof answer === "object") return null; /* {missing: …} */
      switch (t.type) {
        case "single_choice": return answer === undefined ? null : answer;
        case "rating": case "grid":
          return answer === undefined ? null : (logic.codes[t.question] || {})[answer];
        case "consent": return text === "1" ? true : text === "0" ? false : null;
        case "multiple_choice": case "ranking":
          return text.split(/[\s,]+/).map(function (c) { return t.codes[c]; })
            .filter(function (a) { return typeof a === "string"; });
        case "integer": case "year": case "decimal":
          var n = Number(text.replace(",", "."));
          return isNaN(n) ? null : n;
        case "date": return X.parseDate(text) || text;
        case "country": return text.toUpperCase();
        case "language": return text.toLowerCase();
        default: return text;
      }
    }

    /* routing.route(): questions in order; answers of skipped questions do not count. */
    function asked() {
      var known = {}, hidden = {}, shown = {};
      function lookup(name) {
        if (Object.prototype.hasOwnProperty.call(known, name)) return known[name];
        var tree = logic.calculations[name];
        if (!tree || hidden[name]) return null;
        known[name] = null;
        known[name] = X.evaluate(tree, context);
        return known[name];
      }
      var context = {answers: lookup};
      function holds(tree) { return !tree || X.truthy(X.evaluate(tree, context)); }
      logic.order.forEach(function (id) {
        if (Object.prototype.hasOwnProperty.call(logic.calculations, id)) {
          if (holds(logic.calculation_relevant[id])) lookup(id);
          else { hidden[id] = true; delete known[id]; }
          return;
        }
        var q = logic.questions[id];
        if (!q) return;
        if (!holds(q.relevant)) { hidden[id] = true; return; }
        shown[id] = true;
        q.answer_names.forEach(function (name) {
          if (byName[name]) {
            var v = value(name, byName[name].value);
            if (v !== null) known[name] = v;
          }
        });
      });
      return {shown: shown, known: known};
    }

    function otherChosen(name, known) {
      var t = logic.typing[name];
      var choice = name.slice(t.question.length + 2).replace(/_text$/, "");
      var chosen = known[t.question];
      return Array.isArray(chosen) ? chosen.indexOf(choice) >= 0 : chosen === choice;
    }

    function route() {
      var walk = asked();
      inputs.forEach(function (input) {
        var name = input.closest("tr").dataset.field, t = logic.typing[name];
        var on = !!walk.shown[t.question] && (!t.other_text || otherChosen(name, walk.known));
        input.readOnly = !on;
        input.tabIndex = on ? 0 : -1;
        input.closest("tr").classList.toggle("skipped", !on);
      });
    }

    function next(input) {
      for (var i = inputs.indexOf(input) + 1; i < inputs.length; i++) {
        if (!inputs[i].readOnly) return inputs[i];
      }
      return document.getElementById("finish");
    }

    var pending = null;
    function check(upto) {
      var data = new FormData(form);
      data.append("upto", upto);
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.dataset.check, {method: "POST", body: data, credentials: "same-origin",
                                 signal: pending.signal})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (result) {
          if (!result) return;
          inputs.forEach(function (input) {
            var name = input.closest("tr").dataset.field;
            var message = input.readOnly ? "" : result.problems[name] || "";
            document.getElementById("e-" + name).textContent = message;
            input.closest("tr").classList.toggle("has-error", !!message);
            if (message) input.setAttribute("aria-invalid", "true");
            else input.removeAttribute("aria-invalid");
          });
        })
        .catch(function () { /* a newer check replaced this one */ });
    }

    form.addEventListener("keydown", function (event) {
      var input = event.target;
      if (event.key !== "Enter" || input.tagName !== "INPUT") return;
      event.preventDefault();
      route();
      next(input).focus();
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName !== "INPUT") return;
      route();
      check(event.target.closest("tr").dataset.field);
    });
    route();
    var first = inputs.filter(function (i) { return !i.readOnly && !i.value; })[0];
    (first || inputs[0]).focus();
  }

  function reconcileScreen(form) {
    Array.prototype.forEach.call(form.querySelectorAll("input[data-values]"), function (input) {
      var values = JSON.parse(input.dataset.values), after = input;
      if (values.length < 2) return;
      values.forEach(function (v, i) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "pick";
        button.textContent = "use " + (i === 0 ? "1st" : "2nd");
        button.setAttribute("aria-label", "use the " + (i === 0 ? "first" : "second") +
                            " entry: " + (v || "nothing"));
        button.addEventListener("click", function () {
          input.value = v || "-";
          input.focus();
        });
        input.parentNode.insertBefore(button, after.nextSibling);
        after = button;
      });
    });
    var first = form.querySelector("input[data-values]");
    if (first) first.focus();
  }

  var entry = document.getElementById("entry-form");
  if (entry) entryScreen(entry);
  var reconcile = document.querySelector(".reconcile-form");
  if (reconcile) reconcileScreen(reconcile);
})();
