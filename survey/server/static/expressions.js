/* The browser's evaluator of the expression tree (the JSON of syntax.to_json). It mirrors
   survey/questionnaire/expressions/evaluate.py rule for rule, and its functions are those of the
   registry functions.py (tests/expressions/test_functions.py checks the list), so that skip logic
   shown live agrees with the server's authoritative check; tests/server/browser proves the two
   agree. No parser and no eval: the server sends trees, never expression text. */
(function (root) {
  "use strict";

  /* A calendar date (Python's datetime.date); '2019-03-04' stays text until it meets a date. */
  function Day(y, m, d) {
    this.y = y; this.m = m; this.d = d;
    this.n = y * 10000 + m * 100 + d;
  }
  Day.prototype.toString = function () {
    return String(this.y).padStart(4, "0") + "-" + String(this.m).padStart(2, "0") + "-" +
      String(this.d).padStart(2, "0");
  };

  function monthLength(y, m) {
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }

  function fromUtc(t) {
    return new Day(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }

  /* The 10-character forms date.fromisoformat reads: YYYY-MM-DD and the week date YYYY-Www-D;
     null for anything else. */
  function parseDate(text) {
    let p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (p) {
      const y = +p[1], m = +p[2], d = +p[3];
      return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= monthLength(y, m) ? new Day(y, m, d)
        : null;
    }
    p = /^(\d{4})-W(\d{2})-(\d)$/.exec(text);
    if (!p) return null;
    const y = +p[1], w = +p[2], wd = +p[3], t = new Date(0);
    t.setUTCFullYear(y, 0, 1);
    const first = (t.getUTCDay() + 6) % 7; /* weekday of 1 January, Monday = 0 */
    const longYear = first === 3 || (first === 2 && monthLength(y, 2) === 29);
    if (y < 1 || w < 1 || w > (longYear ? 53 : 52) || wd < 1 || wd > 7) return null;
    t.setUTCFullYear(y, 0, 4 - ((first + 3) % 7) + (w - 1) * 7 + wd - 1);
    const day = fromUtc(t);
    return day.y >= 1 && day.y <= 9999 ? day : null;
  }

  function today() {
    const t = new Date();
    return new Day(t.getFullYear(), t.getMonth() + 1, t.getDate());
  }

  function isEmpty(v) {
    return v === null || v === undefined || v === "" || (typeof v === "number" && isNaN(v)) ||
      (Array.isArray(v) && v.length === 0);
  }

  function truthy(v) {
    if (isEmpty(v)) return false;
    return typeof v === "number" ? v !== 0 : typeof v === "boolean" ? v : true;
  }

  /* Python counts true/false as the numbers 1/0. */
  function isNum(v) {
    return typeof v === "number" || typeof v === "boolean";
  }

  function asDate(v) {
    return typeof v === "string" && v.length === 10 ? parseDate(v) || v : v;
  }

  function codePoints(s) {
    return Array.from(s, function (c) { return c.codePointAt(0); });
  }

  /* Python's ==, without the empty rules (used inside collections too). */
  function same(a, b) {
    if (isNum(a) && isNum(b)) return +a === +b;
    if (a instanceof Day && b instanceof Day) return a.n === b.n;
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (x, i) { return same(x, b[i]); });
    }
    return typeof a === "string" && a === b;
  }

  /* Python's ordering: <0, 0 or >0; undefined where Python raises TypeError. */
  function order(a, b) {
    if (isNum(a) && isNum(b)) return +a < +b ? -1 : +a > +b ? 1 : 0;
    if (a instanceof Day && b instanceof Day) return a.n - b.n;
    if (typeof a === "string" && typeof b === "string") {
      const x = codePoints(a), y = codePoints(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (!same(a[i], b[i])) return order(a[i], b[i]);
      }
      return a.length - b.length;
    }
    return undefined;
  }

  function compare(op, l, r) {
    const le = isEmpty(l), re = isEmpty(r);
    if (le || re) return op === "=" ? le && re : op === "!=" ? !(le && re) : false;
    if (l instanceof Day || r instanceof Day) { l = asDate(l); r = asDate(r); }
    if (op === "=") return same(l, r);
    if (op === "!=") return !same(l, r);
    const c = order(l, r);
    if (c === undefined || isNaN(c)) return false;
    return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
  }

  function arithmetic(op, l, r) {
    if (isEmpty(l) || isEmpty(r) || !isNum(l) || !isNum(r)) return null;
    const a = +l, b = +r;
    switch (op) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "div": return b === 0 ? null : a / b;
      default: return b === 0 ? null : a % b; /* mod: sign of the dividend, as C fmod */
    }
  }

  /* Every digit of a whole number from 2^53 on, as Python's str(int(x)); String() rounds. */
  function wholeText(v) {
    let e = 0, x = Math.abs(v);
    while (x >= 2 ** 53) { x /= 2; e++; }
    const digits = String(x).split("").map(Number);
    while (e--) {
      let carry = 0;
      for (let i = digits.length - 1; i >= 0; i--) {
        const d = digits[i] * 2 + carry;
        digits[i] = d % 10;
        carry = d >= 10 ? 1 : 0;
      }
      if (carry) digits.unshift(1);
    }
    return (v < 0 ? "-" : "") + digits.join("");
  }

  /* Python's text of a number: whole numbers in full, others as String() (shortest digits) but
     in exponent form below 0.0001 ('1e-05'). */
  function numberText(v) {
    if (Number.isInteger(v)) return Math.abs(v) < 2 ** 53 ? String(v) : wholeText(v);
    if (Math.abs(v) >= 1e-4) return String(v);
    return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }

  function text(v) {
    if (isEmpty(v)) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return numberText(v);
    if (Array.isArray(v)) return v.map(String).join(" ");
    return String(v);
  }

  function numeric(f) {
    return function (x) { return isEmpty(x) ? null : isNum(x) ? f(+x) : null; };
  }

  function datePart(key) {
    return function (d) {
      if (isEmpty(d)) return null;
      d = asDate(d);
      return d instanceof Day ? d[key] : null;
    };
  }

  function round(x, digits) {
    if (digits === undefined) digits = 0;
    if (isEmpty(x) || isEmpty(digits) || !isNum(x) || !isNum(digits)) return null;
    x = +x;
    const n = Math.trunc(+digits);
    if (n < 0) { /* an exact step, as evaluate.py: round(50000, -5) is 100000 */
      const step = Number("1e" + -n), r = Math.floor(Math.abs(x) / step + 0.5);
      return r === 0 ? 0 : (x < 0 ? -r : r) * step; /* 0 × a step beyond 1e308 is 0 */
    }
    const factor = Number("1e" + n);
    const r = Math.floor(Math.abs(x) * factor + 0.5), result = (x < 0 ? -r : r) / factor;
    return n === 0 ? Math.trunc(result) : result;
  }

  const FUNCTIONS = {
    "not": function (b) { return !truthy(b); },
    "selected": function (v, name) {
      if (isEmpty(v)) return false;
      if (typeof v === "string") return same(v, name);
      return Array.isArray(v) ? v.some(function (x) { return same(x, name); }) : null;
    },
    "count-selected": function (v) {
      return isEmpty(v) ? 0 : typeof v === "string" ? 1 : Array.isArray(v) ? v.length : null;
    },
    "coalesce": function (a, b) { return isEmpty(a) ? b : a; },
    "string-length": function (t) { return codePoints(text(t)).length; },
    "concat": function () { return Array.prototype.map.call(arguments, text).join(""); },
    "contains": function (t, part) { return text(t).indexOf(text(part)) >= 0; },
    "starts-with": function (t, start) { return text(t).startsWith(text(start)); },
    "int": function (x) { /* Python's int() also reads whole-number text: int(' 3') is 3 */
      const whole = typeof x === "string" && /^\s*[+-]?\d+(_\d+)*\s*$/.test(x);
      return whole ? +x.replace(/_/g, "") : numeric(Math.trunc)(x);
    },
    "round": round,
    "abs": numeric(Math.abs),
    "year": datePart("y"),
    "month": datePart("m"),
    "true": function () { return true; },
    "false": function () { return false; }
  };

  /* Results that are not finite numbers are empty (format reference 11.8). */
  function finite(v) {
    return typeof v === "number" && !isFinite(v) ? null : v;
  }

  function lookup(answers, name) {
    if (typeof answers === "function") return answers(name);
    return answers && Object.prototype.hasOwnProperty.call(answers, name) ? answers[name] : null;
  }

  /* The value of `node` for context {answers: object or function(name), current, today}. */
  function evaluate(node, context) {
    if ("lit" in node) return node.lit;
    if ("ref" in node) {
      const v = lookup(context.answers, node.ref);
      return isEmpty(v) ? null : v;
    }
    if ("cur" in node) return isEmpty(context.current) ? null : context.current;
    if ("neg" in node) {
      const v = evaluate(node.neg, context);
      return isEmpty(v) || !isNum(v) ? null : -v;
    }
    if ("op" in node) {
      const op = node.op, side = function (n) { return evaluate(n, context); };
      if (op === "and") return truthy(side(node.l)) && truthy(side(node.r));
      if (op === "or") return truthy(side(node.l)) || truthy(side(node.r));
      const l = side(node.l), r = side(node.r);
      if (op === "+" || op === "-" || op === "*" || op === "div" || op === "mod") {
        return finite(arithmetic(op, l, r));
      }
      return compare(op, l, r);
    }
    const args = node.args;
    if (node.fn === "if") {
      return evaluate(truthy(evaluate(args[0], context)) ? args[1] : args[2], context);
    }
    if (node.fn === "today") return context.today || today();
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, node.fn)) {
      throw new Error("unknown function " + node.fn);
    }
    const f = FUNCTIONS[node.fn], n = args.length;
    /* A wrong number of arguments gives empty, as Python's TypeError does. */
    if (node.fn !== "concat" && (n > f.length || n < f.length - (node.fn === "round" ? 1 : 0))) {
      return null;
    }
    return finite(f.apply(null, args.map(function (a) { return evaluate(a, context); })));
  }

  root.SurveyExpressions = {
    evaluate: evaluate, truthy: truthy, isEmpty: isEmpty, parseDate: parseDate, today: today,
    Day: Day
  };
})(window);
