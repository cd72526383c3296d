/* verbatim search: runs the prebuilt index in the reader's browser, online or
   from disk. Index files are <script> files that call verbatimSearch.register. */
(function () {
  "use strict";
  var registry = {};
  var waiting = {};
  window.verbatimSearch = {
    register: function (name, data) {
      registry[name] = data;
      if (waiting[name]) { waiting[name].forEach(function (f) { f(data); }); delete waiting[name]; }
    }
  };
  var base = "search/";

  /* Every index file is a script that registers its data, so one loader
     serves http and file:// alike (where fetch is blocked). */
  function load(name, fresh) {
    if (registry[name] && !fresh) { return Promise.resolve(registry[name]); }
    return new Promise(function (resolve, reject) {
      (waiting[name] = waiting[name] || []).push(resolve);
      if (waiting[name].length > 1) { return; }
      var s = document.createElement("script");
      // `fresh` asks past the browser's cache (a query string the static
      // host ignores): see `search`.
      s.src = base + name + ".js" + (fresh ? "?v=" + Date.now() : "");
      s.onerror = function () { delete waiting[name]; reject(new Error("cannot load " + s.src)); };
      document.head.appendChild(s);
    });
  }

  /* The tokeniser lives in verbatim.js, which every page loads (session
     pages mark a result's words with it). */
  function tokens(text) { return window.verbatimText.tokens(text); }

  /* `"core values" internet inter` → phrases and words; while the reader is
     typing, the last bare word is a prefix. A query that is complete (from
     the address, a shared link, or Enter) means its words as written. */
  function parseQuery(q, typing) {
    var phrases = [], words = [], re = /"([^"]*)"?|(\S+)/g, m, lastBare = false;
    while ((m = re.exec(q)) !== null) {
      if (m[1] !== undefined) { var p = tokens(m[1]); if (p.length) { phrases.push(p); p.forEach(function (t) { words.push(t); }); } lastBare = false; }
      else { tokens(m[2]).forEach(function (t) { words.push(t); }); lastBare = true; }
    }
    var prefix = typing && lastBare && !/\s$/.test(q) && words.length ? words[words.length - 1] : null;
    return { phrases: phrases, words: words, prefix: prefix };
  }

  /* Postings are a string of base64url digits (crates/search/src/index/wire.rs writes
     them): numbers in base 32, least significant digit first, a digit of 32
     or more meaning more follow. `0, session delta, paragraph` opens a session,
     a paragraph delta continues it; each is followed by the impact, one digit.
     A document id is session × span + paragraph. */
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = new Int8Array(128);
  for (var k = 0; k < 64; k++) { DIGIT[DIGITS.charCodeAt(k)] = k; }
  function decode(text, span) {
    var out = [], session = 0, para = 0, i = 0, n = text.length;
    function number() {
      var v = 0, scale = 1, d;
      while ((d = DIGIT[text.charCodeAt(i++)]) >= 32) { v += (d - 32) * scale; scale *= 32; }
      return v + d * scale;
    }
    while (i < n) {
      var x = number();
      if (x === 0) { session += number(); para = number(); } else { para += x; }
      out.push([session * span + para, DIGIT[text.charCodeAt(i++)]]);
    }
    return out;
  }

  /* A term's rarity: the client's half of BM25 (impacts carry the term-frequency half). */
  function idf(manifest, df) {
    return Math.log(1 + (manifest.docs - df + 0.5) / (df + 0.5));
  }

  function shardFor(manifest, term) {
    var shards = manifest.shards, lo = 0, hi = shards.length - 1, ans = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid][0] <= term) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return shards.length ? shards[ans][1] : null;
  }

  var PREFIX_WEIGHT = 0.5;

  /* Postings of a term (a map doc → impact), expanded over a prefix when asked. */
  function postings(manifest, term, isPrefix) {
    var names = [shardFor(manifest, term)];
    if (isPrefix) {
      manifest.shards.forEach(function (s, i) {
        if (s[0] > term && s[0].indexOf(term) === 0) { names.push(s[1]); }
      });
      names = names.slice(0, 3);
    }
    return Promise.all(names.filter(Boolean).map(load)).then(function (shards) {
      var entries = [];
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (t) {
          if (t === term || (isPrefix && t.indexOf(term) === 0)) { entries.push([t, shard[t]]); }
        });
      });
      entries.sort(function (a, b) { return b[1].df - a[1].df; });
      entries = entries.slice(0, 12);
      var map = new Map(), partial = false, df = 0;
      // A word that only begins with the typed prefix counts half: the
      // exact word ranks first.
      function weight(e) { return idf(manifest, e[1].df) * (e[0] === term ? 1 : PREFIX_WEIGHT); }
      entries.forEach(function (e) {
        df += e[1].df;
        if (e[1].full) { partial = true; }
        var w = weight(e);
        decode(e[1].p, manifest.span).forEach(function (d) { map.set(d[0], Math.max(map.get(d[0]) || 0, d[1] * w)); });
      });
      return { term: term, map: map, partial: partial, df: df, full: entries.filter(function (e) { return e[1].full; }).map(function (e) { return [e[1].full, weight(e)]; }), terms: entries.map(function (e) { return e[0]; }) };
    });
  }

  /* A frequent term's shard keeps only its best postings: its full lists
     (`p-*`) complete the map where every posting counts. */
  function completed(manifest, list) {
    return Promise.all(list.full.map(function (f) { return load(f[0]); })).then(function (fulls) {
      fulls.forEach(function (f, k) { var w = list.full[k][1]; decode(f, manifest.span).forEach(function (d) { if (!list.map.has(d[0])) { list.map.set(d[0], d[1] * w); } }); });
      return list;
    });
  }

  /* Documents by id: their sessions' directory files first, then their shards.
     A row is [session ordinal, person, speaker, paragraph id, text]. */
  function docs(manifest, ids) {
    function where(id) {
      var session = Math.floor(id / manifest.span), para = id % manifest.span;
      return { session: session, para: para, dir: manifest.dirs[Math.floor(session / manifest.dir)] };
    }
    function shardName(w) { return registry[w.dir][w.session % manifest.dir][Math.floor(w.para / manifest.per)]; }
    var dirs = {};
    ids.forEach(function (id) { dirs[where(id).dir] = true; });
    return Promise.all(Object.keys(dirs).map(load)).then(function () {
      var names = {};
      ids.forEach(function (id) { names[shardName(where(id))] = true; });
      return Promise.all(Object.keys(names).map(load));
    }).then(function () {
      var out = {};
      ids.forEach(function (id) {
        var w = where(id);
        out[id] = [w.session].concat(registry[shardName(w)][w.para % manifest.per]);
      });
      return out;
    });
  }

  function containsPhrase(textTokens, phrase) {
    for (var i = 0; i + phrase.length <= textTokens.length; i++) {
      var ok = true;
      for (var j = 0; j < phrase.length && ok; j++) { ok = textTokens[i + j] === phrase[j]; }
      if (ok) { return true; }
    }
    return false;
  }

  /* Runs a query: all words must match (the last may be a prefix), phrases
     must occur as such; ranked by summed BM25 impacts. */
  function search(q, filters, fresh, typing) {
    var query = parseQuery(q, typing);
    if (!query.words.length) { return Promise.resolve({ query: query, results: [], total: 0 }); }
    return load("manifest", fresh).then(function (manifest) {
      var unique = [];
      query.words.forEach(function (w, i) { if (unique.indexOf(w) < 0 || (query.prefix === w && i === query.words.length - 1)) { unique.push(w); } });
      return Promise.all(unique.map(function (w, i) { return postings(manifest, w, query.prefix === w && i === unique.length - 1); }))
        .then(function (lists) {
          lists.sort(function (a, b) { return a.df - b.df; });
          var rarest = lists[0];
          // The rarest word's full list is needed to intersect with other
          // words, and to count exactly within a session, a year or a
          // person's turns.
          var complete = rarest.partial && (lists.length > 1 || filters.session || filters.year || filters.person) ? completed(manifest, rarest) : Promise.resolve();
          return complete.then(function () { return Promise.all([load(manifest.meta), Promise.resolve(lists), Promise.resolve(manifest)]); });
        });
    }).then(function (loaded) {
      // The person filter: the speaker's field term (`@` and their number in
      // the people table, as the index writes it) lists every paragraph they
      // speak, in full.
      var meta = loaded[0], manifest = loaded[2];
      if (!filters.person) { return loaded.concat([null]); }
      var number = meta.people.findIndex(function (p) { return p[0] === filters.person; });
      if (number < 0) { return loaded.concat([new Map()]); }
      return postings(manifest, "@" + number, false).then(function (field) {
        return completed(manifest, field);
      }).then(function (field) { return loaded.concat([field.map]); });
    }).then(function (loaded) {
      var meta = loaded[0], lists = loaded[1], manifest = loaded[2], spoken = loaded[3];
      // Session and year filters need only the document id (its session
      // ordinal) and the session table: they apply to every candidate before
      // the ranked list is cut, so what they find and count is exact.
      function inScope(doc) {
        var session = meta.sessions[Math.floor(doc / manifest.span)];
        return (!filters.session || session[0] === filters.session) &&
          (!filters.year || String(session[3]) === filters.year) &&
          (!spoken || spoken.has(doc));
      }
      var candidates = [];
      lists[0].map.forEach(function (impact, doc) {
        if (!inScope(doc)) { return; }
        var score = impact, sure = true;
        for (var i = 1; i < lists.length; i++) {
          var s = lists[i].map.get(doc);
          if (s === undefined) { if (lists[i].partial) { sure = false; } else { return; } } else { score += s; }
        }
        candidates.push({ doc: doc, score: score, sure: sure });
      });
      candidates.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      var needText = query.phrases.length > 0 || candidates.some(function (c) { return !c.sure; });
      var shown = candidates.slice(0, needText ? 200 : 50);
      return docs(manifest, shown.map(function (c) { return c.doc; })).then(function (rows) {
        var results = [];
        shown.forEach(function (c) {
          var row = rows[c.doc];
          var session = meta.sessions[row[0]];
          if (needText) {
            var toks = tokens(row[4]);
            if (!query.phrases.every(function (p) { return containsPhrase(toks, p); })) { return; }
          }
          results.push({ doc: c.doc, score: c.score, row: row, session: session });
        });
        // Counting: without phrases every candidate matches (a single
        // unfiltered word matches its document frequency); with them only the
        // checked ones are known.
        var scoped = filters.session || filters.year || filters.person;
        var filtered = needText;
        var total = filtered ? results.length : (lists.length === 1 && !scoped ? lists[0].df : candidates.length);
        var atLeast = filtered && candidates.length > shown.length;
        return { query: query, results: results.slice(0, 50), total: total, atLeast: atLeast, lists: lists };
      });
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  /* A snippet around the first phrase (or else the first matching word), with every match marked. */
  function snippet(text, matchTerms, phrase) {
    var words = text.split(/(\s+)/), first = -1, flat = [];
    var marked = words.map(function (w, i) {
      var t = tokens(w);
      t.forEach(function (x) { flat.push([i, x]); });
      var hit = t.some(function (x) { return matchTerms.indexOf(x) >= 0; });
      if (hit && first < 0) { first = i; }
      return hit ? "<mark>" + escapeHtml(w) + "</mark>" : escapeHtml(w);
    });
    if (phrase) {
      for (var k = 0; k + phrase.length <= flat.length; k++) {
        var ok = true;
        for (var j = 0; j < phrase.length && ok; j++) { ok = flat[k + j][1] === phrase[j]; }
        if (ok) { first = flat[k][0]; break; }
      }
    }
    var start = Math.max(0, first - 30), end = Math.min(words.length, Math.max(first, 0) + 50);
    return (start > 0 ? "… " : "") + marked.slice(start, end).join("") + (end < words.length ? " …" : "");
  }

  // A session id in a URL path, percent-encoded as the pages encode it (all
  // but RFC 3986's unreserved characters): a `#` or `?` in a file name would
  // otherwise end the path.
  function segment(id) {
    return encodeURIComponent(id).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function render(outcome) {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    list.innerHTML = "";
    if (!outcome.query.words.length) { status.textContent = "Type words to search the edition."; return; }
    status.textContent = outcome.total === 0 ? "No paragraph matches." :
      (outcome.total === 1 ? "1 paragraph matches." : (outcome.atLeast ? "At least " : "") + outcome.total + " paragraphs match" + (outcome.total > outcome.results.length ? "; the best " + outcome.results.length + " are shown." : "."));
    var matchTerms = [];
    outcome.lists.forEach(function (l) { l.terms.forEach(function (t) { matchTerms.push(t); }); });
    outcome.results.forEach(function (r) {
      var li = document.createElement("li");
      // `h` names the words to mark in the paragraph on arrival (verbatim.js).
      var url = "sessions/" + segment(r.session[0]) + ".html?h=" + encodeURIComponent(matchTerms.join(" ")) + "#" + r.row[3];
      li.innerHTML = '<a class="result-link" href="' + escapeHtml(url) + '">' + escapeHtml(r.session[1]) + "</a>" +
        '<span class="result-facts">' + escapeHtml([r.row[2], r.session[2], r.session[4]].filter(Boolean).join(" · ")) + "</span>" +
        '<p class="snippet">' + snippet(r.row[4], matchTerms, outcome.query.phrases[0]) + "</p>";
      list.appendChild(li);
    });
  }

  function start() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var params = new URLSearchParams(location.search);
    var input = document.getElementById("search-q");
    var filters = { person: params.get("person") || "", year: params.get("year") || "", session: params.get("session") || "" };
    input.value = params.get("q") || "";
    ["person", "year", "session"].forEach(function (f) { var el = document.getElementById("filter-" + f); if (el) { el.value = filters[f]; } });
    document.getElementById("search-noscript-note").hidden = true;
    var timer = null, seq = 0;
    function run(typing) {
      var mine = ++seq;
      var q = input.value;
      var f = {
        person: document.getElementById("filter-person").value,
        year: document.getElementById("filter-year").value,
        session: document.getElementById("filter-session").value
      };
      var url = new URL(location.href);
      url.search = "";
      if (q) { url.searchParams.set("q", q); }
      Object.keys(f).forEach(function (k) { if (f[k]) { url.searchParams.set(k, f[k]); } });
      try { history.replaceState(null, "", url.toString()); } catch (e) { /* file:// may refuse */ }
      // Every index file but the manifest is named by its content, so after
      // the site is published again a manifest the browser kept (in this
      // page or its cache) names files that are gone: on a failed load the
      // search runs once more with the manifest fetched afresh.
      search(q, f, false, typing).catch(function () { return search(q, f, true, typing); })
        .then(function (outcome) { if (mine === seq) { render(outcome); } })
        .catch(function (e) { document.getElementById("search-status").textContent = "Search failed: " + e.message; });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(true); }, 120); });
    form.addEventListener("change", function () { run(false); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(false); });
    // Arrow keys move between results; Escape returns to the box.
    document.getElementById("search-results").addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(document.querySelectorAll(".result-link"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { links[i + 1].focus(); e.preventDefault(); }
      if (e.key === "ArrowUp") { (i > 0 ? links[i - 1] : input).focus(); e.preventDefault(); }
      if (e.key === "Escape") { input.focus(); }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { var first = document.querySelector(".result-link"); if (first) { first.focus(); e.preventDefault(); } }
    });
    run(false);
  }

  window.verbatimSearch.tokens = tokens;
  window.verbatimSearch.decode = decode;
  window.verbatimSearch.search = search;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
