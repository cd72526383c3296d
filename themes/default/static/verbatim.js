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
  // Citations name the page's own address, wherever the site is published.
  var here = location.href.split("#")[0];
  Array.prototype.forEach.call(document.querySelectorAll(".cite-url[data-fragment]"), function (span) {
    if (!/^https?:/.test(span.textContent)) {
      span.textContent = here + "#" + span.getAttribute("data-fragment");
    }
  });
})();
