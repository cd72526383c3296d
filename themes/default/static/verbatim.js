/* verbatim: small progressive enhancements. The page reads fully without it. */
(function () {
  "use strict";
  var KEY = "verbatim.reading";
  var button = document.getElementById("reading-switch");
  function setReading(captioned) {
    document.body.classList.toggle("show-captioned", captioned);
    if (button) {
      button.setAttribute("aria-pressed", captioned ? "true" : "false");
      button.textContent = captioned ? "Show the corrected reading" : "Show the captioned reading";
    }
    try { localStorage.setItem(KEY, captioned ? "captioned" : "corrected"); } catch (e) { /* file:// may forbid storage */ }
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      setReading(button.getAttribute("aria-pressed") !== "true");
    });
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    setReading(saved === "captioned");
  }
  // Citations name the page's own address, wherever the site is published.
  var here = location.href.split("#")[0];
  Array.prototype.forEach.call(document.querySelectorAll(".cite-url[data-fragment]"), function (span) {
    if (!/^https?:/.test(span.textContent)) {
      span.textContent = here + "#" + span.getAttribute("data-fragment");
    }
  });
})();
