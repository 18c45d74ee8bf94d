/* The preview page: asks the preview server every second what to show, and refreshes the
   messages, the online form (a frame of the real respondent pages) and the paper pages when
   the questionnaire file changed. No inline script: the page's CSP allows only this file. */
(function () {
  "use strict";
  var POLL_MS = 1000;
  var root = document.getElementById("preview");
  var frame = document.getElementById("form-frame");
  var formNote = document.getElementById("form-note");
  var pages = document.getElementById("pages");
  var paperNote = document.getElementById("paper-note");
  var question = root.dataset.question || "";
  var asked = new URLSearchParams(window.location.search).get("lang") || "";
  var shown = { messages: null, languages: null, form: null, surveyId: null, render: null,
                highlight: null };
  var keepScroll = null;

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined && text !== null) { made.textContent = String(text); }
    return made;
  }

  function query(language) {
    var params = new URLSearchParams();
    if (language) { params.set("lang", language); }
    if (question) { params.set("q", question); }
    return params.toString();
  }

  function showMessages(state) {
    var key = JSON.stringify([state.status, state.headline, state.messages, state.form_error,
                              state.messages_file]);
    if (key === shown.messages) { return; }
    shown.messages = key;
    var section = document.getElementById("messages");
    section.className = "messages status-" + state.status;
    document.getElementById("headline").textContent = state.headline;
    var list = document.getElementById("message-list");
    list.replaceChildren();
    if (state.messages_file && state.messages.some(function (m) { return m.line; })) {
      list.appendChild(element("li", "info", "Line numbers are in the converted questionnaire " +
                                               state.messages_file));
    }
    state.messages.forEach(function (m) {
      var item = element("li", m.severity);
      var where = m.line ? "line " + m.line + (m.column ? ", column " + m.column : "")
                         : m.where;
      if (where) { item.appendChild(element("span", "where", where)); item.append(" "); }
      item.appendChild(element("span", "severity", m.severity + ":"));
      item.append(" " + m.text);
      if (m.snippet) { item.appendChild(element("pre", "", m.snippet)); }
      list.appendChild(item);
    });
    if (state.form_error) { list.appendChild(element("li", "error", state.form_error)); }
  }

  function showLanguages(state) {
    var key = JSON.stringify([state.languages, state.language]);
    if (key === shown.languages) { return; }
    shown.languages = key;
    var nav = document.getElementById("languages");
    nav.replaceChildren();
    state.languages.forEach(function (pair) {
      var link = element("a", "", pair[1]);
      link.href = "?" + query(pair[0]);
      link.lang = pair[0];
      if (pair[0] === state.language) { link.setAttribute("aria-current", "true"); }
      nav.appendChild(link);
    });
  }

  function framePath() {
    try {
      return frame.contentWindow.location.pathname + frame.contentWindow.location.search;
    } catch (error) {
      return "";
    }
  }

  function reloadForm(state) {
    var form = state.form;
    var path = framePath();
    var base = "/form/s/" + shown.surveyId + "/";
    try { keepScroll = frame.contentWindow.scrollY; } catch (error) { keepScroll = null; }
    var page = path.match(/\/page\/(\d+)(\?|$)/);
    var params = new URLSearchParams({ lang: state.language });
    if (form.survey_id !== shown.surveyId || path.indexOf(base) !== 0) {
      keepScroll = null;
      frame.src = form.start_url;
    } else if (page) {
      params.set("page", page[1]);
      frame.src = "/form/_preview/open?" + params.toString();
    } else if (/\/review(\?|$)/.test(path)) {
      params.set("page", "review");
      frame.src = "/form/_preview/open?" + params.toString();
    } else {
      frame.contentWindow.location.replace(path);
    }
  }

  function showForm(state) {
    if (!state.form) {
      frame.hidden = !shown.form;  // the last good form stays; before it, a note
      formNote.hidden = !!shown.form && !state.form_error;
      formNote.textContent = state.form_error ||
        "The online form appears here once the questionnaire has no errors.";
      return;
    }
    formNote.hidden = !state.form_error;
    if (state.form_error) { formNote.textContent = state.form_error; }
    frame.hidden = false;
    if (shown.form === null) {
      if (!frame.getAttribute("src")) { frame.src = state.form.start_url; }
    } else if (state.form.number !== shown.form) {
      reloadForm(state);
    }
    shown.form = state.form.number;
    shown.surveyId = state.form.survey_id;
    root.dataset.form = String(state.form.number);
  }

  function showFormNote(text) {
    var note = document.getElementById("question-note");
    note.textContent = text;
    note.hidden = !text;
  }

  function highlightInForm() {
    var doc;
    try { doc = frame.contentDocument; } catch (error) { return; }
    if (!doc || !question) { return; }
    var target = doc.getElementById("q-" + question);
    if (!target) {
      if (/\/page\/\d+$/.test(doc.location.pathname)) {
        showFormNote(question + " is not on this page: the routing skips it with the answers " +
                     "given so far.");
      }
      return;
    }
    showFormNote(target.hidden ? question + " is hidden until the answers above it lead to " +
                 "it (its relevant: rule)." : "");
    if (!doc.getElementById("preview-highlight-css")) {
      var link = doc.createElement("link");
      link.id = "preview-highlight-css";
      link.rel = "stylesheet";
      link.href = "/_preview/static/highlight.css";
      doc.head.appendChild(link);
    }
    target.classList.add("preview-highlight");
    if (keepScroll === null) { target.scrollIntoView({ block: "center" }); }
  }

  frame.addEventListener("load", function () {
    if (keepScroll !== null) {
      try { frame.contentWindow.scrollTo(0, keepScroll); } catch (error) { /* elsewhere */ }
    }
    highlightInForm();
    keepScroll = null;
  });

  function showPaper(state) {
    var paper = state.paper;
    if (!paper) { paperNote.textContent = "Paper pages are switched off."; return; }
    var notes = [];
    if (paper.rendering) { notes.push("Making the paper pages of the latest version…"); }
    if (paper.error) { notes.push(paper.error); }
    if (!paper.pages.length && !paper.rendering && !paper.error) {
      notes.push("The paper pages appear here once the questionnaire has no errors.");
    }
    if (question && paper.pages.length && !paper.highlight.length) {
      notes.push("No answer box of " + question + " on paper.");
    }
    paperNote.textContent = notes.join(" ");
    var highlightKey = JSON.stringify(paper.highlight);
    if (paper.render === shown.render && highlightKey === shown.highlight) { return; }
    var first = shown.render === null;
    shown.render = paper.render;
    shown.highlight = highlightKey;
    var scroll = pages.parentNode.scrollTop;
    var figures = paper.pages.map(function (url, index) {
      var figure = element("figure", "page");
      var image = element("img");
      image.src = url;
      image.alt = "Paper page " + (index + 1);
      figure.appendChild(image);
      figure.appendChild(element("figcaption", "", "Page " + (index + 1)));
      return figure;
    });
    paper.highlight.forEach(function (box) {
      var figure = figures[box.page - 1];
      if (!figure) { return; }
      var mark = element("div", "paper-highlight");
      mark.style.left = box.x + "%";
      mark.style.top = box.y + "%";
      mark.style.width = box.w + "%";
      mark.style.height = box.h + "%";
      figure.appendChild(mark);
      figure.classList.add("has-highlight");
    });
    pages.replaceChildren.apply(pages, figures);
    pages.dataset.render = paper.render === null ? "" : String(paper.render);
    pages.dataset.language = paper.language || "";
    if (first && paper.highlight.length) {
      figures[paper.highlight[0].page - 1].scrollIntoView({ block: "start" });
    } else {
      pages.parentNode.scrollTop = scroll;
    }
  }

  function apply(state) {
    root.dataset.status = state.status;
    root.dataset.fingerprint = state.fingerprint || "";
    root.dataset.language = state.language;
    showMessages(state);
    showLanguages(state);
    showForm(state);
    showPaper(state);
  }

  function poll() {
    fetch("/_preview/state.json?" + query(asked), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        document.getElementById("offline").hidden = true;
        apply(state);
      })
      .catch(function () {
        document.getElementById("offline").hidden = false;
      })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  poll();
}());
