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

  /* The interface's words, from the edition's catalogue (the search form's
     `data-strings`); a counted text takes the page language's plural rules. */
  var strings = null, rules = null;
  function tr(key, args, n) {
    if (strings === null) {
      var form = typeof document !== "undefined" && document.getElementById("search-form");
      try { strings = JSON.parse((form && form.getAttribute("data-strings")) || "{}"); } catch (e) { strings = {}; }
      rules = new Intl.PluralRules((typeof document !== "undefined" && document.documentElement.lang) || "en");
    }
    var message = strings[key];
    if (message === undefined) { return key; }
    if (typeof message !== "string") { message = message[rules.select(n)] || message.other; }
    return message.replace(/\{(\w+)\}/g, function (all, name) { return args && name in args ? String(args[name]) : all; });
  }

  /* Every index file is a script that registers its data, so one loader
     serves http and file:// alike (where fetch is blocked). Data registered
     as a string is packed JSON (base64 of raw deflate): inflated here. */
  var loaded = {};
  function load(name, fresh) {
    if (loaded[name] && !fresh) { return loaded[name]; }
    var got = script(name, fresh).then(function (data) { return typeof data === "string" ? inflate(data) : data; });
    loaded[name] = got;
    got.catch(function () { if (loaded[name] === got) { delete loaded[name]; } });
    return got;
  }
  function inflate(text) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error(tr("no_decompression")));
    }
    var bin = atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }
  function script(name, fresh) {
    if (registry[name] && !fresh) { return Promise.resolve(registry[name]); }
    return new Promise(function (resolve, reject) {
      (waiting[name] = waiting[name] || []).push(resolve);
      if (waiting[name].length > 1) { return; }
      var s = document.createElement("script");
      // `fresh` asks past the browser's cache (a query string the static
      // host ignores): see `start`.
      s.src = base + name + ".js" + (fresh ? "?v=" + Date.now() : "");
      s.onerror = function () { delete waiting[name]; reject(new Error(tr("cannot_load", { file: s.src }))); };
      document.head.appendChild(s);
    });
  }

  /* The tokeniser lives in verbatim.js, which every page loads (session
     pages mark a result's words with it); the stemmer in porter2.js. Both
     follow crates/search/src/tokenize.rs. */
  function tokens(text) { return window.verbatimText.tokens(text); }
  function compounds(text) { return window.verbatimText.compounds(text); }
  function stem(t) { return t.length >= 3 && /^[a-z]+$/.test(t) ? window.verbatimStem(t) : t; }
  /* A text's terms as the index holds them: its tokens and its compounds. */
  function terms(text) { return tokens(text).concat(compounds(text)); }

  /* `"core values" internet multi-stakeholder inter` → phrases and words.
     A word is `phrase` (inside quotes: as written), `word` (its stem's other
     forms count too) or `prefix` (the last bare word while the reader is
     typing; a query from the address, a shared link or Enter is complete).
     A hyphenated compound is one word, its parts joined, which the index
     holds for both spellings. */
  function parseQuery(q, typing) {
    var phrases = [], words = [], re = /"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(q)) !== null) {
      if (m[1] !== undefined) {
        var p = tokens(m[1]);
        if (p.length) { phrases.push(p); p.forEach(function (t) { words.push({ term: t, kind: "phrase" }); }); }
      } else {
        var joined = compounds(m[2]);
        var parts = joined.length === 1 && tokens(m[2]).join("") === joined[0] ? joined : tokens(m[2]);
        parts.forEach(function (t) { words.push({ term: t, kind: "word" }); });
      }
    }
    var last = words[words.length - 1];
    if (typing && last && last.kind === "word" && !/[\s"]$/.test(q)) { last.kind = "prefix"; }
    // One list per distinct term and kind.
    var seen = {};
    words = words.filter(function (w) { var k = w.kind + ":" + w.term; if (seen[k]) { return false; } seen[k] = true; return true; });
    return { phrases: phrases, words: words };
  }

  /* Postings are a string of base64url digits (crates/search/src/index/wire.rs writes
     them): numbers in base 32, least significant digit first, a digit of 32
     or more meaning more follow. `0, session delta, paragraph` opens a session,
     a paragraph delta continues it; each is followed by the impact, one digit.
     A document id is session × span + paragraph. */
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = new Int8Array(128);
  for (var k = 0; k < 64; k++) { DIGIT[DIGITS.charCodeAt(k)] = k; }
  function decode(text, span, bare) {
    var out = [], session = 0, para = 0, i = 0, n = text.length;
    function number() {
      var v = 0, scale = 1, d;
      while ((d = DIGIT[text.charCodeAt(i++)]) >= 32) { v += (d - 32) * scale; scale *= 32; }
      return v + d * scale;
    }
    while (i < n) {
      var x = number();
      if (x === 0) { session += number(); para = number(); } else { para += x; }
      out.push(bare ? session * span + para : [session * span + para, DIGIT[text.charCodeAt(i++)]]);
    }
    return out;
  }

  /* A full list's documents: its postings without impacts. */
  function presence(text, span) { return decode(text, span, true); }

  /* The session table (see assemble.rs): columns by session ordinal. */
  var tables = {};
  function sessionTable(manifest) {
    if (tables[manifest.meta]) { return tables[manifest.meta]; }
    tables[manifest.meta] = load(manifest.meta).then(function (m) {
      function expand(runs) {
        var out = [];
        runs.forEach(function (r) { for (var i = 0; i < r[1]; i++) { out.push(r[0]); } });
        return out;
      }
      return {
        ids: m.ids, paragraphs: m.paragraphs, year: expand(m.year), date: expand(m.date),
        event: expand(m.event).map(function (e) { return e === null ? null : m.events[e]; })
      };
    });
    return tables[manifest.meta];
  }

  /* A term's rarity: the client's half of BM25 (impacts carry the term-frequency half). */
  function idf(manifest, df) {
    return Math.log(1 + (manifest.docs - df + 0.5) / (df + 0.5));
  }

  function shardIndex(manifest, term) {
    var shards = manifest.shards, lo = 0, hi = shards.length - 1, ans = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid][0] <= term) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }

  /* The shards that may hold terms beginning with `prefix`: the one where
     it would sort and those that start with it, at most `most`. */
  function shardsFrom(manifest, prefix, most) {
    var shards = manifest.shards, names = [];
    if (!shards.length) { return names; }
    for (var i = shardIndex(manifest, prefix); i < shards.length && names.length < most; i++) {
      if (names.length && shards[i][0].indexOf(prefix) !== 0) { break; }
      names.push(shards[i][1]);
    }
    return names;
  }

  /* How much a form other than the word itself counts: the exact word
     ranks first, then its stem's other forms, then words it only begins. */
  var STEM_WEIGHT = 0.7, PREFIX_WEIGHT = 0.5;
  /* A person's name matching a query word counts each of their paragraphs
     as one plain occurrence would, times this: a paragraph that says the
     name ranks above one the person merely speaks. */
  var FIELD_IMPACT = 20, FIELD_WEIGHT = 0.6;

  /* Which indexed terms a query word matches, and with what weight. */
  function matcher(word) {
    var term = word.term;
    if (word.kind === "phrase") { return { from: term, weight: function (t) { return t === term ? 1 : 0; } }; }
    if (word.kind === "prefix") { return { from: term, weight: function (t) { return t === term ? 1 : (t.indexOf(term) === 0 ? PREFIX_WEIGHT : 0); } }; }
    var s = stem(term);
    // A stem is its words' beginning, but for a letter or two Porter2
    // rewrites (happy → happi, relational → relat): one letter less finds them.
    var from = s === term ? term : s.slice(0, Math.max(3, s.length - 1));
    return { from: from, weight: function (t) { return t === term ? 1 : (t.indexOf(from) === 0 && stem(t) === s ? STEM_WEIGHT : 0); } };
  }

  /* A query word's postings: a map doc → score over every term it matches,
     with the terms, the document frequency, whether heads only were loaded
     (`partial`), the full lists to complete it with, and the documents it
     matches only as a speaker's name (`spoken`: doc → name). */
  function postings(manifest, word) {
    var match = matcher(word);
    var names = shardsFrom(manifest, match.from, word.kind === "phrase" ? 1 : 3);
    // The word's own shard, where its stem does not begin it (dying → die).
    var own = manifest.shards.length ? manifest.shards[shardIndex(manifest, word.term)][1] : null;
    if (own && names.indexOf(own) < 0) { names.push(own); }
    return Promise.all(names.map(function (n) { return load(n); })).then(function (shards) {
      var entries = [];
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (t) {
          var w = match.weight(t);
          if (w > 0) { entries.push([t, shard[t], w]); }
        });
      });
      entries.sort(function (a, b) { return b[2] - a[2] || b[1].df - a[1].df || (a[0] < b[0] ? -1 : 1); });
      entries = entries.slice(0, 12);
      var list = { word: word, map: new Map(), partial: false, df: 0, full: [], years: null, terms: [], spoken: new Map() };
      // One rarity for the word's whole family (its forms together), so a
      // rare form does not outrank the word itself.
      var family = idf(manifest, Math.min(manifest.docs, entries.reduce(function (n, e) { return n + e[1].df; }, 0)));
      entries.forEach(function (e) {
        var w = family * e[2];
        list.df += e[1].df;
        // A name's word that no paragraph says is no word to mark.
        if (e[1].df > 0) { list.terms.push(e[0]); }
        if (e[1].full) { list.partial = true; list.full.push({ chunks: e[1].full, score: e[1].floor * w }); }
        if (entries.length === 1 && e[1].years) { list.years = e[1].years; }
        if (e[1].p) { decode(e[1].p, manifest.span).forEach(function (d) { list.map.set(d[0], Math.max(list.map.get(d[0]) || 0, d[1] * w)); }); }
      });
      if (word.kind === "phrase") { return list; }
      // Registered speakers whose name holds the word (a name's word says
      // who bears it in its entry): their paragraphs, as a field.
      var named = [];
      entries.forEach(function (e) { (e[1].who || []).forEach(function (id) { if (named.indexOf(id) < 0) { named.push(id); } }); });
      return named.length ? spokenBy(manifest, named, list) : list;
    });
  }

  /* Adds to a word's list the paragraphs its named people speak. */
  function spokenBy(manifest, named, list) {
    return Promise.all(named.slice(0, 8).map(function (id) {
      return field(manifest, "@" + id).then(function (docs) {
        var w = FIELD_IMPACT * idf(manifest, docs.size) * FIELD_WEIGHT;
        docs.forEach(function (doc) {
          var had = list.map.get(doc) || 0;
          if (w > had) { list.map.set(doc, w); list.spoken.set(doc, id); }
        });
        list.df += docs.size;
      });
    })).then(function () { return list; });
  }

  /* Every paragraph of a field, in full: a registered person's (`@` and
     their id) or a stakeholder group's (`#` and the group), as the index
     writes them. */
  function field(manifest, term) {
    var name = manifest.shards.length ? manifest.shards[shardIndex(manifest, term)][1] : null;
    if (!name) { return Promise.resolve(new Set()); }
    return load(name).then(function (shard) {
      var e = shard[term];
      if (!e) { return new Set(); }
      if (!e.full) { return new Set(decode(e.p, manifest.span).map(function (d) { return d[0]; })); }
      return Promise.all(e.full.map(function (c) { return load(c[1]); })).then(function (chunks) {
        var all = new Set();
        chunks.forEach(function (c) { presence(c, manifest.span).forEach(function (d) { all.add(d); }); });
        return all;
      });
    });
  }

  /* A frequent term's shard keeps only its best postings: its full list
     (`p-*` files, each from a session ordinal on) completes the map, in
     the sessions `within` (sorted ordinals; null: all). A posting past the
     head scores the head's lowest impact: it has at most that. */
  function completed(manifest, list, within) {
    var wanted = [];
    list.full.forEach(function (f) {
      f.chunks.forEach(function (c, k) {
        var from = c[0], to = k + 1 < f.chunks.length ? f.chunks[k + 1][0] : Infinity;
        if (!within || overlaps(within, from, to)) { wanted.push([c[1], f.score]); }
      });
    });
    return Promise.all(wanted.map(function (c) { return load(c[0]); })).then(function (chunks) {
      chunks.forEach(function (text, k) {
        var score = wanted[k][1];
        presence(text, manifest.span).forEach(function (d) { if (!list.map.has(d)) { list.map.set(d, score); } });
      });
      list.partial = false;
      return list;
    });
  }

  /* Whether sorted `ordinals` hold one in [from, to). */
  function overlaps(ordinals, from, to) {
    var lo = 0, hi = ordinals.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (ordinals[mid] < from) { lo = mid + 1; } else { hi = mid; } }
    return lo < ordinals.length && ordinals[lo] < to;
  }

  /* Documents by id: their sessions' directory files first, then their shards.
     A row is [session ordinal, person, speaker, paragraph id, text] and,
     where the captioned reading differs, [captioned text, [[captioned, corrected], …]];
     its `title` is its session's. */
  function docs(manifest, ids) {
    function where(id) {
      var session = Math.floor(id / manifest.span), para = id % manifest.span;
      return { session: session, para: para, dir: manifest.dirs[Math.floor(session / manifest.dir)] };
    }
    var got = {};
    function keep(names) {
      return Promise.all(names.map(function (n) { return load(n).then(function (d) { got[n] = d; }); }));
    }
    function entry(w) { return got[w.dir][w.session % manifest.dir]; }
    function shardName(w) { return entry(w)[2][Math.floor(w.para / manifest.per)]; }
    var dirs = {};
    ids.forEach(function (id) { dirs[where(id).dir] = true; });
    return keep(Object.keys(dirs)).then(function () {
      var names = {};
      ids.forEach(function (id) { names[shardName(where(id))] = true; });
      return keep(Object.keys(names));
    }).then(function () {
      var out = {};
      ids.forEach(function (id) {
        var w = where(id);
        out[id] = [w.session].concat(got[shardName(w)][w.para % manifest.per]);
        out[id].title = entry(w)[1];
        // The section the paragraph is in: the last to start at or before it.
        (entry(w)[3] || []).forEach(function (s) { if (s[0] <= w.para) { out[id].section = s[1]; } });
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

  /* Whether a row matches the query in a reading (4: corrected, 5: captioned). */
  function matchesIn(row, at, query, lists) {
    var text = row[at];
    if (text === undefined || text === null) { return false; }
    var toks = tokens(text), all = toks.concat(compounds(text));
    return query.phrases.every(function (p) { return containsPhrase(toks, p); }) &&
      lists.every(function (l) { return l.spoken.has(row.doc) || l.terms.some(function (t) { return all.indexOf(t) >= 0; }); });
  }

  /* Results a page shows: each loads its paragraph's document shard and its
     session's directory (about 7 KB together at scale), so a page of ten
     keeps a query, or a change of filter, within its budget of bytes. */
  var PAGE = 10;
  /* The filters whose options show counts. */
  var FACETS = ["person", "stakeholder", "year", "event", "session"];
  /* Counts per person need who speaks each candidate: the speaker files of
     the candidates' directories, loaded when they are this few at most. */
  var SPEAKER_FILES = 16;
  /* How many ranked candidates a phrase is checked in (their text): their
     document shards load. */
  var CHECKED = 200;

  /* Runs a query. `options`: filters (person, year, event, session), sort
     ("relevance", "oldest", "newest"), group (by session), page (from 1),
     fresh (manifest past the cache), typing (the last word is a prefix).
     All words must match; phrases must occur as such in either reading.
     An empty query with a filter lists the paragraphs in scope. */
  function search(q, options) {
    var query = parseQuery(q, options.typing);
    var filters = options.filters || {};
    var scoped = filters.person || filters.stakeholder || filters.year || filters.event || filters.session;
    if (!query.words.length && !scoped) { return Promise.resolve({ query: query, results: [], total: 0, lists: [], idle: true }); }
    var manifest, table;
    return load("manifest", options.fresh).then(function (m) {
      manifest = m;
      return sessionTable(manifest);
    }).then(function (t) {
      table = t;
      var speakers = Promise.all([
        filters.person ? field(manifest, "@" + filters.person) : null,
        filters.stakeholder ? field(manifest, "#" + filters.stakeholder) : null
      ]);
      return Promise.all([Promise.all(query.words.map(function (w) { return postings(manifest, w); })), speakers]);
    }).then(function (got) {
      var lists = got[0], by = { person: got[1][0], stakeholder: got[1][1] };
      // The paragraphs the speaker filters leave (null: no such filter).
      var spoken = by.person && by.stakeholder ? new Set(Array.from(by.person).filter(function (d) { return by.stakeholder.has(d); })) :
        by.person || by.stakeholder;
      lists.sort(function (a, b) { return a.df - b.df; });
      // A single word's head holds its best paragraphs: enough for its
      // first pages by relevance, in a year too (its entry counts each
      // year's). Anything else needs every paragraph that holds each word,
      // within the filters' sessions.
      var page = Math.max(1, options.page || 1);
      var yearly = onlyYear(filters) && lists.length === 1 && lists[0].years;
      var headOnly = lists.length === 1 && (!scoped || yearly) && !options.group && (options.sort || "relevance") === "relevance" &&
        page * PAGE <= inYear(lists[0].map);
      function inYear(map) {
        if (!filters.year) { return map.size; }
        var n = 0;
        map.forEach(function (_, doc) { if (String(table.year[Math.floor(doc / manifest.span)]) === filters.year) { n++; } });
        return n;
      }
      var within = scope(table, filters, spoken, manifest.span);
      var complete = headOnly ? [] : lists.filter(function (l) { return l.partial; }).map(function (l) { return completed(manifest, l, within); });
      // Counts per stakeholder group need each group's paragraphs: loaded
      // where the other counts are exact (not for a single word's head).
      var groups = headOnly || !manifest.stakeholders.length ? Promise.resolve(null) :
        Promise.all(manifest.stakeholders.map(function (g) { return field(manifest, "#" + g); }));
      return Promise.all([Promise.all(complete), groups]).then(function (g) {
        return rank(query, options, manifest, table, lists, by, spoken, within !== null, g[1]);
      });
    }).then(function (outcome) {
      // A word the index lacks: the nearest word it holds is suggested, and
      // when nothing matched, searched for instead.
      var missing = outcome.lists.filter(function (l) { return l.map.size === 0 && l.word.kind !== "prefix"; });
      if (!missing.length || options.suggested) { return outcome; }
      return Promise.all(missing.map(function (l) { return nearest(manifest, l.word.term); })).then(function (near) {
        var fixed = q, changes = [];
        missing.forEach(function (l, i) {
          if (near[i]) { fixed = fixed.replace(new RegExp(escapeRegExp(l.word.term), "i"), near[i]); changes.push([l.word.term, near[i]]); }
        });
        if (!changes.length) { return outcome; }
        outcome.suggestion = { query: fixed, changes: changes };
        if (outcome.total > 0) { return outcome; }
        var again = Object.assign({}, options, { suggested: true, typing: false });
        return search(fixed, again).then(function (o) { o.corrected = { from: q, changes: changes }; return o; });
      });
    });
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function onlyYear(filters) { return !!filters.year && !filters.event && !filters.session && !filters.person && !filters.stakeholder; }

  /* How many of `candidates` each registered person speaks, from the
     speaker files of their directories; null when there are too many. */
  function speakerCounts(manifest, candidates) {
    var files = {};
    candidates.forEach(function (c) { files[Math.floor(Math.floor(c.doc / manifest.span) / manifest.dir)] = true; });
    var wanted = Object.keys(files);
    if (wanted.length > SPEAKER_FILES) { return Promise.resolve(null); }
    var got = {};
    return Promise.all(wanted.map(function (d) {
      return load(manifest.speakers[d]).then(function (runs) { got[d] = runs; });
    })).then(function () {
      var who = {}, counts = {};
      candidates.forEach(function (c) {
        var o = Math.floor(c.doc / manifest.span);
        if (!who[o]) {
          who[o] = [];
          got[Math.floor(o / manifest.dir)][o % manifest.dir].forEach(function (r) { for (var i = 0; i < r[1]; i++) { who[o].push(r[0]); } });
        }
        var id = who[o][c.doc % manifest.span];
        if (id) { counts[id] = (counts[id] || 0) + 1; }
      });
      return counts;
    });
  }

  /* The sessions the filters leave (sorted ordinals), or null for all. */
  function scope(table, filters, spoken, span) {
    if (!filters.year && !filters.event && !filters.session && !spoken) { return null; }
    var of = spoken ? new Set(Array.from(spoken, function (doc) { return Math.floor(doc / span); })) : null;
    var out = [];
    table.ids.forEach(function (id, o) {
      if ((filters.session && id !== filters.session) || (filters.year && String(table.year[o]) !== filters.year) ||
        (filters.event && table.event[o] !== filters.event) || (of && !of.has(o))) { return; }
      out.push(o);
    });
    return out;
  }

  /* Candidates in scope, counts per filter value, ranking, paging. `by`:
     the paragraphs of the person and of the stakeholder filter; `spoken`:
     both; `narrowed`: the lists were completed within the filters'
     sessions only; `groups`: each stakeholder group's paragraphs (in the
     manifest's order), for the counts per group. */
  function rank(query, options, manifest, table, lists, by, spoken, narrowed, groups) {
    var filters = options.filters || {};
    function ordinal(doc) { return Math.floor(doc / manifest.span); }
    function session(doc) { var o = ordinal(doc); return [table.ids[o], null, table.event[o], table.year[o], table.date[o]]; }
    function fits(doc, except) {
      var o = ordinal(doc);
      return (except === "session" || !filters.session || table.ids[o] === filters.session) &&
        (except === "year" || !filters.year || String(table.year[o]) === filters.year) &&
        (except === "event" || !filters.event || table.event[o] === filters.event) &&
        (except === "person" || !by.person || by.person.has(doc)) &&
        (except === "stakeholder" || !by.stakeholder || by.stakeholder.has(doc));
    }
    // `whole`: the first list is complete, so the candidates are all. With
    // several words every list was completed (`search`): a candidate missing
    // from one does not hold its word.
    var pool = [], whole = !lists.length || !lists[0].partial, browsing = false;
    if (lists.length) {
      lists[0].map.forEach(function (impact, doc) {
        var score = impact;
        for (var i = 1; i < lists.length; i++) {
          var s = lists[i].map.get(doc);
          if (s === undefined) { return; }
          score += s;
        }
        pool.push({ doc: doc, score: score });
      });
    } else if (spoken) {
      spoken.forEach(function (doc) { pool.push({ doc: doc, score: 0 }); });
    } else {
      // Browsing by a filter alone: every paragraph of the sessions in scope.
      browsing = true;
      table.ids.forEach(function (id, o) {
        if (!fits(o * manifest.span, "none")) { return; }
        for (var p = 0; p < table.paragraphs[o]; p++) { pool.push({ doc: o * manifest.span + p, score: 0 }); }
      });
    }
    // Counts per value of each filter, with the other filters applied: known
    // where the candidates reach past the filter's own value (not when the
    // lists were completed, or the sessions browsed, within it).
    var counts = {};
    FACETS.forEach(function (f) { counts[f] = (narrowed || browsing) && filters[f] ? null : {}; });
    if (!groups) { counts.stakeholder = null; }
    pool.forEach(function (c) {
      var o = ordinal(c.doc);
      ["year", "event", "session"].forEach(function (f) {
        if (!counts[f] || !fits(c.doc, f)) { return; }
        var v = String(f === "year" ? table.year[o] : f === "event" ? table.event[o] : table.ids[o]);
        counts[f][v] = (counts[f][v] || 0) + 1;
      });
      if (counts.stakeholder && fits(c.doc, "stakeholder")) {
        groups.forEach(function (g, k) { if (g.has(c.doc)) { var v = manifest.stakeholders[k]; counts.stakeholder[v] = (counts.stakeholder[v] || 0) + 1; } });
      }
    });
    var candidates = pool.filter(function (c) { return fits(c.doc); });
    var when = function (doc) { return table.date[ordinal(doc)] || ""; };
    var sort = options.sort || "relevance";
    candidates.sort(function (a, b) {
      if (sort !== "relevance" || !lists.length) {
        var da = when(a.doc), db = when(b.doc);
        // Sessions without a date after the dated ones.
        if (da !== db) { return !da ? 1 : !db ? -1 : (sort === "newest" ? (da < db ? 1 : -1) : (da < db ? -1 : 1)); }
        return sort === "newest" ? b.doc - a.doc : a.doc - b.doc;
      }
      return b.score - a.score || a.doc - b.doc;
    });
    var needText = query.phrases.length > 0;
    var checkable = needText ? candidates.slice(0, CHECKED) : candidates;
    var page = Math.max(1, options.page || 1);
    // Without a check every candidate matches, so only the page's rows load.
    function firstPerSession(list) {
      var seen = {};
      return list.filter(function (c) { var s = ordinal(c.doc); if (seen[s]) { return false; } seen[s] = true; return true; });
    }
    var wanted = needText ? checkable : (options.group ? firstPerSession(checkable) : checkable).slice((page - 1) * PAGE, page * PAGE);
    var perPerson = (narrowed || browsing) && filters.person ? Promise.resolve(null) :
      speakerCounts(manifest, pool.filter(function (c) { return fits(c.doc, "person"); }));
    return Promise.all([docs(manifest, wanted.map(function (c) { return c.doc; })), perPerson]).then(function (got) {
      var rows = got[0];
      counts.person = got[1];
      var matched = [];
      wanted.forEach(function (c) {
        var row = rows[c.doc];
        row.doc = c.doc;
        var inText = !lists.length || matchesIn(row, 4, query, lists);
        var inCaptioned = !inText && lists.length > 0 && matchesIn(row, 5, query, lists);
        if (needText && !inText && !inCaptioned) { return; }
        var where = session(c.doc);
        where[1] = row.title;
        matched.push({ doc: c.doc, score: c.score, row: row, session: where, captioned: inCaptioned });
      });
      var all = whole && (!needText || candidates.length <= checkable.length);
      var total = needText ? matched.length : candidates.length;
      var groups = null;
      if (options.group) {
        groups = {};
        (needText ? matched : candidates).forEach(function (c) { var id = table.ids[ordinal(c.doc)]; groups[id] = (groups[id] || 0) + 1; });
        if (needText) { matched = firstPerSession(matched); }
      }
      var shown = needText ? matched.slice((page - 1) * PAGE, page * PAGE) : matched;
      var count = options.group ? (needText ? matched.length : firstPerSession(candidates).length) : total;
      // With a single word and no scope, its document frequency is its
      // count even when only its head was loaded, and its counts per year
      // are in its entry.
      var single = lists.length === 1 && lists[0].terms.length === 1 && lists[0].spoken.size === 0 && !query.phrases.length;
      var scoped = filters.person || filters.stakeholder || filters.year || filters.event || filters.session;
      if (single && !options.group && (!scoped || (onlyYear(filters) && !all))) {
        total = count = !filters.year ? lists[0].df : (lists[0].years.filter(function (y) { return String(y[0]) === filters.year; })[0] || [0, 0])[1];
        if (!all) {
          counts = { year: null, event: null, session: null, stakeholder: null, person: null };
          if (lists[0].years) {
            counts.year = {};
            lists[0].years.forEach(function (y) { if (y[0] !== null) { counts.year[String(y[0])] = y[1]; } });
          }
        }
        all = true;
      }
      // Counts per filter value are of the candidates before any check
      // of their text: shown only when nothing is left to check.
      return {
        query: query, results: shown, total: count, paragraphs: total, atLeast: !all,
        pages: Math.max(1, Math.ceil(count / PAGE)), page: page, lists: lists, groups: groups,
        counts: all && !needText ? counts : null
      };
    });
  }

  /* The index's word nearest to a word it lacks: within one edit for short
     words and two for longer (a transposition is one), from the term shards
     around where the word would sort (people's names are among them); the
     most frequent of the nearest wins. */
  function nearest(manifest, word) {
    if (word.length < 3 || !manifest.shards.length) { return Promise.resolve(null); }
    var at = shardIndex(manifest, word), names = [];
    for (var i = Math.max(0, at - 1); i <= Math.min(manifest.shards.length - 1, at + 1); i++) {
      if ("@#".indexOf(manifest.shards[i][0].charAt(0)) < 0) { names.push(manifest.shards[i][1]); }
    }
    return Promise.all(names.map(function (n) { return load(n); })).then(function (shards) {
      var most = word.length <= 4 ? 1 : 2, best = null;
      function consider(t, df) {
        if (Math.abs(t.length - word.length) > most || t === word) { return; }
        var d = distance(word, t);
        if (d <= most && (!best || d < best.d || (d === best.d && df > best.df))) { best = { t: t, d: d, df: df }; }
      }
      shards.forEach(function (shard) { Object.keys(shard).forEach(function (t) { consider(t, shard[t].df); }); });
      return best && best.t;
    });
  }

  /* Optimal string alignment distance: insertions, deletions,
     substitutions and transpositions of neighbours each cost one. */
  function distance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); }
      }
    }
    return d[a.length][b.length];
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  /* A snippet around the first phrase (or else the first matching word), with every match marked. */
  function snippet(text, matchTerms, phrase) {
    var words = text.split(/(\s+)/), first = -1, flat = [];
    var marked = words.map(function (w, i) {
      var t = tokens(w);
      t.forEach(function (x) { flat.push([i, x]); });
      var hit = t.concat(compounds(w)).some(function (x) { return matchTerms.indexOf(x) >= 0; });
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

  /* Why a result matched, where the snippet alone does not show it: a
     speaker's name, or words found only in the captioned reading. */
  function reasons(r, outcome, matchTerms) {
    var out = [];
    outcome.lists.forEach(function (l) {
      var name = l.spoken.has(r.doc) ? r.row[2] : null;
      var said = name && tr("spoken_by", { name: name });
      if (said && out.indexOf(said) < 0) { out.push(said); }
    });
    if (r.captioned) {
      var phraseTerms = [];
      outcome.query.phrases.forEach(function (p) { p.forEach(function (t) { phraseTerms.push(t); }); });
      var pairs = (r.row[6] || []).filter(function (pair) {
        return terms(pair[0]).some(function (t) { return matchTerms.indexOf(t) >= 0 || phraseTerms.indexOf(t) >= 0; });
      });
      out.push(pairs.length ? pairs.map(function (pair) { return tr("captioned_corrected", { captioned: pair[0], corrected: pair[1] }); }).join(" ") :
        tr("in_captioned"));
    }
    return out;
  }

  // A session id in a URL path, percent-encoded as the pages encode it (all
  // but RFC 3986's unreserved characters): a `#` or `?` in a file name would
  // otherwise end the path.
  function segment(id) {
    return encodeURIComponent(id).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function statusLine(outcome, group) {
    if (outcome.total === 0) { return tr(group ? "no_session" : "no_paragraph"); }
    var paragraphs = tr("paragraphs", { n: group ? outcome.paragraphs : outcome.total }, group ? outcome.paragraphs : outcome.total);
    var what = group ? tr("grouped", { sessions: tr("sessions", { n: outcome.total }, outcome.total), paragraphs: paragraphs }) : paragraphs;
    if (outcome.atLeast) { what = tr("at_least", { what: what }); }
    // "At least one" is still more than one.
    var line = tr("matches", { what: what }, outcome.atLeast ? 2 : outcome.total);
    if (outcome.pages > 1) { line += " " + tr("page_of", { page: outcome.page, pages: outcome.pages }); }
    return line;
  }

  /* Filter options show how many results each value would give. */
  function showCounts(outcome) {
    FACETS.forEach(function (f) {
      var select = document.getElementById("filter-" + f);
      if (!select) { return; }
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.hasAttribute("data-label")) { o.setAttribute("data-label", o.textContent); }
        var label = o.getAttribute("data-label");
        var known = outcome.counts && outcome.counts[f];
        var n = known && o.value ? (known[o.value] || 0) : null;
        o.textContent = n === null ? label : label + " (" + n + ")";
      });
    });
  }

  /* An option added for a session or a person the page does not list
     takes its name from a result: the session's title, the speaker's name. */
  function relabel(results) {
    [["session", function (r) { return [r.session[0], r.session[1]]; }],
      ["person", function (r) { return [r.row[1], r.row[2]]; }]].forEach(function (f) {
      var select = document.getElementById("filter-" + f[0]);
      var option = select && select.querySelector('option[data-named="no"]');
      if (!option) { return; }
      results.forEach(function (r) {
        var named = f[1](r);
        if (named[0] === option.value && named[1] && option.getAttribute("data-named") === "no") {
          option.setAttribute("data-named", "yes");
          option.textContent = named[1];
          option.removeAttribute("data-label");
        }
      });
    });
  }

  function render(outcome, options, go) {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var note = document.getElementById("search-note");
    var pager = document.getElementById("search-pages");
    list.innerHTML = "";
    list.start = ((outcome.page || 1) - 1) * PAGE + 1;
    note.innerHTML = "";
    pager.innerHTML = "";
    relabel(outcome.results || []);
    showCounts(outcome);
    if (outcome.idle) {
      status.textContent = tr("prompt");
      return;
    }
    status.textContent = statusLine(outcome, options.group);
    if (outcome.corrected) {
      note.innerHTML = escapeHtml(tr("corrected_query", {
        words: outcome.corrected.changes.map(function (c) { return "“" + c[0] + "”"; }).join(", "),
        query: "“" + outcome.query.words.map(function (w) { return w.term; }).join(" ") + "”"
      }));
    } else if (outcome.suggestion) {
      note.innerHTML = escapeHtml(tr("did_you_mean", { query: "\u0000" })).replace("\u0000", '<a href="#" id="search-suggestion">' + escapeHtml(outcome.suggestion.query) + "</a>");
      document.getElementById("search-suggestion").addEventListener("click", function (e) { e.preventDefault(); go(outcome.suggestion.query); });
    }
    var matchTerms = [];
    outcome.lists.forEach(function (l) { l.terms.forEach(function (t) { matchTerms.push(t); }); });
    outcome.results.forEach(function (r) {
      var li = document.createElement("li");
      // `h` names the words to mark in the paragraph on arrival (verbatim.js).
      var url = "sessions/" + segment(r.session[0]) + ".html" + (matchTerms.length ? "?h=" + encodeURIComponent(matchTerms.join(" ")) : "") + "#" + r.row[3];
      // A timed paragraph of a recorded session says when it was said.
      var facts = [r.row[2], r.row.section ? "§ " + r.row.section : "", r.row[7] ? tr("at_time", { time: r.row[7] }) : "", r.session[2], r.session[4]].filter(Boolean).join(" · ");
      var inGroup = outcome.groups ? outcome.groups[r.session[0]] : 0;
      var text = r.captioned ? r.row[5] : r.row[4];
      li.innerHTML = '<a class="result-link" href="' + escapeHtml(url) + '">' + escapeHtml(r.session[1]) + "</a>" +
        '<span class="result-facts">' + escapeHtml(facts) + "</span>" +
        (inGroup ? '<span class="result-group">' + escapeHtml(tr("in_session", { n: inGroup }, inGroup)) + "</span>" : "") +
        '<p class="snippet">' + snippet(text, matchTerms, outcome.query.phrases[0]) + "</p>" +
        reasons(r, outcome, matchTerms).map(function (w) { return '<p class="result-why">' + escapeHtml(w) + "</p>"; }).join("");
      list.appendChild(li);
    });
    if (outcome.pages > 1) {
      [[tr("previous"), outcome.page - 1], [tr("next"), outcome.page + 1]].forEach(function (b) {
        if (b[1] < 1 || b[1] > outcome.pages) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "search-page";
        button.textContent = b[0];
        button.addEventListener("click", function () { go(null, b[1]); });
        pager.appendChild(button);
      });
    }
  }

  var FIELDS = ["person", "stakeholder", "year", "event", "session", "sort"];

  function start() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var params = new URLSearchParams(location.search);
    var input = document.getElementById("search-q");
    input.value = params.get("q") || "";
    FIELDS.forEach(function (f) {
      var el = document.getElementById("filter-" + f), value = params.get(f);
      if (!el || !value) { return; }
      // A large edition's page lists no session or person to choose: the one
      // a session's or a person's page asked for is added, named by its id
      // until a result names it (relabel).
      if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        option.setAttribute("data-named", "no");
        el.appendChild(option);
        el.hidden = false;
        var label = document.querySelector('label[for="filter-' + f + '"]');
        if (label) { label.hidden = false; }
      }
      el.value = value;
    });
    var groupBox = document.getElementById("filter-group");
    groupBox.checked = params.get("group") === "session";
    var page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    document.getElementById("search-noscript-note").hidden = true;
    // Back to this page returns to its scroll position, once its results
    // are drawn again (the browser's own restoration comes too early).
    var restore = history.state && typeof history.state.scroll === "number" ? history.state.scroll : null;
    function remember() { try { history.replaceState({ scroll: window.scrollY }, "", location.href); } catch (e) { /* file:// may refuse */ } }
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    var saving = null;
    window.addEventListener("scroll", function () { clearTimeout(saving); saving = setTimeout(remember, 150); });
    window.addEventListener("pagehide", remember);
    var timer = null, seq = 0;
    function run(typing) {
      var mine = ++seq;
      var q = input.value;
      var filters = {};
      FIELDS.forEach(function (f) { var el = document.getElementById("filter-" + f); filters[f] = el ? el.value : ""; });
      var options = { filters: filters, sort: filters.sort || "relevance", group: groupBox.checked, page: page, typing: typing };
      var url = new URL(location.href);
      url.search = "";
      if (q) { url.searchParams.set("q", q); }
      FIELDS.forEach(function (f) { if (filters[f] && !(f === "sort" && filters[f] === "relevance")) { url.searchParams.set(f, filters[f]); } });
      if (options.group) { url.searchParams.set("group", "session"); }
      if (page > 1) { url.searchParams.set("page", String(page)); }
      try { history.replaceState(history.state, "", url.toString()); } catch (e) { /* file:// may refuse */ }
      // Every index file but the manifest is named by its content, so after
      // the site is published again a manifest the browser kept (in this
      // page or its cache) names files that are gone: on a failed load the
      // search runs once more with the manifest fetched afresh.
      search(q, options).catch(function () { return search(q, Object.assign({}, options, { fresh: true })); })
        .then(function (outcome) {
          if (mine !== seq) { return; }
          render(outcome, options, function (query, toPage) {
            if (query !== null) { input.value = query; page = 1; } else { page = toPage; window.scrollTo(0, 0); }
            run(false);
          });
          if (restore !== null) { window.scrollTo(0, restore); restore = null; }
        })
        .catch(function (e) { document.getElementById("search-status").textContent = tr("failed", { why: e.message }); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); page = 1; timer = setTimeout(function () { run(true); }, 120); });
    form.addEventListener("change", function (e) { if (e.target !== input) { page = 1; run(false); } });
    form.addEventListener("submit", function (e) { e.preventDefault(); page = 1; run(false); });
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
  window.verbatimSearch.compounds = compounds;
  window.verbatimSearch.stem = stem;
  window.verbatimSearch.decode = decode;
  window.verbatimSearch.search = search;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
