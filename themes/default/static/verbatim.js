/* verbatim: small progressive enhancements. The page reads fully without it. */
(function () {
  "use strict";
  /* The search tokeniser: the same specification as
     crates/search/src/tokenize.rs (tests/fixtures/tokenizer.json holds both). */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function tokens(text) {
    return fold(text).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }
  /* Step 5: hyphenated compounds, their parts joined (`multi-stakeholder` →
     `multistakeholder`), which the index holds as well. */
  var COMPOUND = /[\p{Alphabetic}\p{N}]+(?:[-\u2010\u2011][\p{Alphabetic}\p{N}]+)+/gu;
  function compounds(text) {
    return (fold(text).match(COMPOUND) || []).map(function (run) { return tokens(run).join(""); });
  }
  window.verbatimText = { tokens: tokens, compounds: compounds };

  // Arriving from a search result (`?h=words#paragraph`): the words that
  // matched are marked in the paragraph, in both readings.
  var wanted = new URLSearchParams(location.search).get("h");
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (wanted && target) {
    var words = tokens(wanted);
    var walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) { texts.push(walker.currentNode); }
    texts.forEach(function (node) {
      // Odd parts are words or hyphenated compounds (the split keeps its captures).
      var parts = node.nodeValue.split(/([\p{Alphabetic}\p{N}]+(?:[-\u2010\u2011][\p{Alphabetic}\p{N}]+)*)/u);
      var hits = parts.map(function (w, i) {
        return i % 2 === 1 && tokens(w).concat(compounds(w)).some(function (t) { return words.indexOf(t) >= 0; });
      });
      if (hits.indexOf(true) < 0) { return; }
      var fragment = document.createDocumentFragment();
      parts.forEach(function (w, i) {
        if (hits[i]) {
          var mark = document.createElement("mark");
          mark.className = "search-hit";
          mark.textContent = w;
          fragment.appendChild(mark);
        } else if (w) {
          fragment.appendChild(document.createTextNode(w));
        }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  // `/` goes to the search box, as on most sites with one.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var at = document.activeElement;
    if (at && (at.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(at.tagName))) { return; }
    var box = document.getElementById("search-q") || document.getElementById("site-search-q");
    if (box) { box.focus(); e.preventDefault(); }
  });
  // The readings: the radio buttons work through CSS alone; the script adds
  // `?reading=` (a citation can fix the reading), the `r` key, and memory.
  var KEY = "verbatim.reading";
  var READINGS = ["corrected", "captioned", "both"];
  var radios = document.querySelectorAll("input[name=reading]");
  function setReading(reading, remember) {
    Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === reading; });
    if (remember) {
      try { localStorage.setItem(KEY, reading); } catch (e) { /* file:// may forbid storage */ }
    }
  }
  if (radios.length) {
    var asked = new URLSearchParams(location.search).get("reading");
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    var first = READINGS.indexOf(asked) >= 0 ? asked : (READINGS.indexOf(saved) >= 0 ? saved : "corrected");
    setReading(first, false);
    Array.prototype.forEach.call(radios, function (r) {
      r.addEventListener("change", function () { if (r.checked) { setReading(r.value, true); } });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "r" || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var at = document.activeElement;
      if (at && (at.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(at.tagName) && at.type !== "radio")) { return; }
      var now = document.querySelector("input[name=reading]:checked");
      setReading(READINGS[(READINGS.indexOf(now ? now.value : "corrected") + 1) % READINGS.length], true);
    });
  }

  // A correction opens its entry of the apparatus beside it (without the
  // script its mark links there): inside the window, one at a time, closed
  // by its button, Escape, or a tap elsewhere.
  var pop = null, opener = null;
  function closePop(back) {
    if (!pop) { return; }
    pop.remove();
    pop = null;
    if (back && opener) { opener.focus(); }
    opener = null;
  }
  document.addEventListener("click", function (e) {
    var correction = e.target.closest && e.target.closest(".correction");
    if (pop && !pop.contains(e.target) && (!correction || correction.querySelector(".correction-ref") !== opener)) { closePop(false); }
    if (!correction || e.target.closest("a.time")) { return; }
    var ref = correction.querySelector(".correction-ref");
    var entry = ref && document.getElementById(ref.getAttribute("href").slice(1));
    if (!entry) { return; }
    e.preventDefault();
    if (pop) { closePop(false); return; }
    opener = ref;
    pop = document.createElement("div");
    pop.className = "correction-pop";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", ref.getAttribute("aria-label"));
    var body = entry.cloneNode(true);
    body.removeAttribute("id");
    Array.prototype.forEach.call(body.querySelectorAll(".apparatus-back"), function (a) { a.remove(); });
    var content = document.createElement("p");
    content.style.margin = "0";
    while (body.firstChild) { content.appendChild(body.firstChild); }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    // The word comes from the page (the edition's language).
    var apparatus = document.querySelector(".apparatus[data-close]");
    close.setAttribute("aria-label", apparatus ? apparatus.getAttribute("data-close") : "Close");
    close.textContent = "×";
    close.addEventListener("click", function (ev) { ev.stopPropagation(); closePop(true); });
    pop.appendChild(content);
    pop.appendChild(close);
    document.body.appendChild(pop);
    // Below the correction, moved left as far as the window needs.
    var box = correction.getBoundingClientRect();
    var width = pop.offsetWidth, room = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left, room - width - 8));
    pop.style.left = (left + window.scrollX) + "px";
    pop.style.top = (box.bottom + window.scrollY + 6) + "px";
    close.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { closePop(true); }
  });

  // The session's own recording: a time link plays it from there (without
  // the script, the link opens the file at that moment); as it plays, the
  // paragraph being said is marked and, while "Follow" is on, kept in view.
  var player = document.getElementById("player");
  if (player) {
    var follow = document.getElementById("player-follow");
    var timed = Array.prototype.map.call(
      document.querySelectorAll(".record p a.time[data-at]"),
      function (a) { return { at: Number(a.getAttribute("data-at")), paragraph: a.parentNode }; });
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a.time[data-at]");
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) { return; }
      e.preventDefault();
      player.currentTime = Number(link.getAttribute("data-at"));
      var playing = player.play();
      if (playing && playing.catch) { playing.catch(function () { /* the reader presses play */ }); }
    });
    var current = null;
    player.addEventListener("timeupdate", function () {
      var now = player.currentTime, found = null;
      // The last paragraph whose time has come (times follow the record).
      for (var lo = 0, hi = timed.length - 1; lo <= hi;) {
        var mid = (lo + hi) >> 1;
        if (timed[mid].at <= now) { found = timed[mid].paragraph; lo = mid + 1; } else { hi = mid - 1; }
      }
      if (found === current) { return; }
      if (current) { current.classList.remove("playing"); current.removeAttribute("aria-current"); }
      current = found;
      if (current) {
        current.classList.add("playing");
        current.setAttribute("aria-current", "true");
        if (!follow || follow.checked) { current.scrollIntoView({ block: "center" }); }
      }
    });
  }
  // Citations. Without the script a turn's "Cite" holds its citation as
  // text; with it, the turn's and (after following a paragraph's ¶) the
  // paragraph's citation come in text, BibTeX, RIS and CSL-JSON, with the
  // reading chosen and the moment of the recording, each with a copy button.
  var article = document.querySelector("[data-cite]");
  var cite = null;
  try { cite = article && JSON.parse(article.getAttribute("data-cite")); } catch (e) { cite = null; }
  function fill(pattern, args) {
    return pattern.replace(/\{(\w+)\}/g, function (all, name) { return name in args ? args[name] : all; });
  }
  function address(fragment) {
    var reading = document.querySelector("input[name=reading]:checked");
    var query = reading && reading.value !== "corrected" ? "?reading=" + reading.value : "";
    var base = (cite && cite.published) || location.href.split("#")[0].split("?")[0];
    return base + query + "#" + fragment;
  }
  function dateParts(iso) { return iso.split("-").map(Number); }
  function bibtex(text) { return String(text).replace(/[\\{}]/g, function (c) { return "\\" + c; }); }
  /* `what`: the turn's section, the paragraph (or null). */
  function citations(turn, paragraph) {
    var id = paragraph ? paragraph.id : turn.id;
    var speaker = turn.getAttribute("data-speaker");
    var n = turn.getAttribute("data-n");
    var p = paragraph ? Array.prototype.indexOf.call(turn.querySelectorAll(":scope > p[id]"), paragraph) + 1 : 0;
    var locator = fill(cite.labels.turn, { n: n }) + (p ? ", " + fill(cite.labels.paragraph, { n: p }) : "");
    var url = address(id);
    var accessed = new Date().toISOString().slice(0, 10);
    var time = paragraph ? paragraph.querySelector("a.time") : turn.querySelector("p a.time");
    var base = turn.querySelector(".citation").firstChild.textContent.trim();
    var text = paragraph ? base.replace(" [" + turn.id + "]", ", " + fill(cite.labels.paragraph, { n: p }) + " [" + id + "]") : base;
    var onDisk = !cite.published && location.protocol === "file:";
    text += " " + url + (onDisk ? " (" + cite.labels.on_disk + ")" : "") + ", " + fill(cite.labels.accessed, { date: accessed }) + ".";
    var title = cite.session + ", " + locator + (time ? ", " + time.textContent : "");
    var editors = cite.editors || [];
    var bib = ["@misc{" + id.replace(/[^\w-]/g, "") + ",",
      "  author = {{" + bibtex(speaker) + "}},",
      "  title = {{" + bibtex(title) + "}},",
      "  howpublished = {{" + bibtex(cite.edition) + "}" + (editors.length ? ", " + bibtex(editors.join(", ")) : "") + "},"]
      .concat(cite.version ? ["  edition = {" + bibtex(cite.version) + "},"] : [])
      .concat(cite.date ? ["  year = {" + cite.date.slice(0, 4) + "},"] : [])
      .concat(["  url = {" + url + "},", "  urldate = {" + accessed + "}", "}"]).join("\n");
    var ris = ["TY  - GEN", "AU  - " + speaker, "TI  - " + title, "T2  - " + cite.edition]
      .concat(editors.map(function (e) { return "A2  - " + e; }))
      .concat(cite.version ? ["ET  - " + cite.version] : [])
      .concat(cite.date ? ["PY  - " + cite.date.slice(0, 4), "DA  - " + cite.date.replace(/-/g, "/")] : [])
      .concat(cite.event ? ["C1  - " + cite.event] : [])
      .concat(["UR  - " + url, "Y2  - " + accessed.replace(/-/g, "/"), "ER  - "]).join("\n");
    var csl = { id: id, type: "speech", title: cite.session, author: [{ literal: speaker }],
      "container-title": cite.edition, locator: locator, URL: url, accessed: { "date-parts": [dateParts(accessed)] } };
    if (editors.length) { csl.editor = editors.map(function (e) { return { literal: e }; }); }
    if (cite.version) { csl.version = cite.version; }
    if (cite.date) { csl.issued = { "date-parts": [dateParts(cite.date)] }; }
    if (cite.event) { csl["event-title"] = cite.event; }
    if (cite.place) { csl["event-place"] = cite.place; }
    return [[cite.labels.text, text], ["BibTeX", bib], ["RIS", ris], ["CSL-JSON", JSON.stringify([csl], null, 2)]];
  }
  function citePanel(turn, paragraph) {
    var panel = document.createElement("div");
    panel.className = "cite-panel";
    citations(turn, paragraph).forEach(function (format) {
      var head = document.createElement("p");
      head.className = "cite-format";
      var name = document.createElement("strong");
      name.textContent = format[0];
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy";
      copy.textContent = cite.labels.copy;
      var body = document.createElement("pre");
      body.textContent = format[1];
      copy.addEventListener("click", function () {
        function done() { copy.textContent = cite.labels.copied; setTimeout(function () { copy.textContent = cite.labels.copy; }, 1500); }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(format[1]).then(done, function () { select(body); });
        } else { select(body); }
      });
      head.appendChild(name);
      head.appendChild(document.createTextNode(" "));
      head.appendChild(copy);
      panel.appendChild(head);
      panel.appendChild(body);
    });
    return panel;
  }
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  if (cite) {
    Array.prototype.forEach.call(document.querySelectorAll("details.cite"), function (details) {
      details.addEventListener("toggle", function () {
        var old = details.querySelector(".cite-panel");
        if (old) { old.remove(); }
        if (details.open) { details.appendChild(citePanel(details.closest(".turn"), null)); }
      });
    });
    // A paragraph's ¶ leads to it and opens its citation below it.
    function paragraphCitation() {
      var old = document.querySelector(".cite-panel.for-paragraph");
      if (old) { old.remove(); }
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (!target || target.tagName !== "P" || !target.closest(".turn")) { return; }
      var panel = citePanel(target.closest(".turn"), target);
      panel.classList.add("for-paragraph");
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", cite.labels.cite_paragraph);
      var close = document.createElement("button");
      close.type = "button";
      close.className = "close";
      close.setAttribute("aria-label", cite.labels.close);
      close.textContent = "×";
      close.addEventListener("click", function () { panel.remove(); });
      panel.insertBefore(close, panel.firstChild);
      target.insertAdjacentElement("afterend", panel);
    }
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest(".turn > p > a.permalink");
      if (link) { setTimeout(paragraphCitation, 0); }
    });
  }

  // Citations name the page's own address, wherever the site is published;
  // a copy read from disk without a published address says so.
  var here = location.href.split("#")[0];
  Array.prototype.forEach.call(document.querySelectorAll(".cite-url[data-fragment]"), function (span) {
    if (!/^https?:/.test(span.textContent)) {
      span.textContent = here + "#" + span.getAttribute("data-fragment") +
        (cite && location.protocol === "file:" ? " (" + cite.labels.on_disk + ")" : "");
    }
  });
})();
