// Puente console: keyboard shortcuts for the review queue and "select all" for bulk decisions.
// Pages work without this file; it only saves keystrokes. No inline script anywhere (strict CSP).
(function () {
  "use strict";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] [data-match]"));
  }

  function current() {
    return document.querySelector("[data-queue] [data-match][aria-current='true']");
  }

  function select(card) {
    cards().forEach(function (c) { c.removeAttribute("aria-current"); });
    if (!card) { return; }
    card.setAttribute("aria-current", "true");
    var link = card.querySelector("[data-open]");
    if (link) { link.focus(); }
  }

  function move(step) {
    var all = cards();
    if (!all.length) { return; }
    var index = all.indexOf(current());
    select(all[Math.max(0, Math.min(all.length - 1, index < 0 ? 0 : index + step))]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (!document.querySelector("[data-queue]")) { return; }
    var card = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": if (card) { card.querySelector("[data-open]").click(); } break;
      case "a":
        if (card && card.querySelector("[data-approve]")) { card.querySelector("[data-approve]").click(); }
        break;
      case "d":
        if (card && card.querySelector("[data-decline-reason]")) { card.querySelector("[data-decline-reason]").focus(); }
        break;
      case "x":
        if (card && card.querySelector("[data-pick]")) { card.querySelector("[data-pick]").click(); }
        break;
      case "/":
        var search = document.querySelector("[data-search]");
        if (search) { search.focus(); }
        break;
      case "?":
        var help = document.querySelector("[data-shortcuts]");
        if (help) { help.open = !help.open; }
        break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("[data-pick-all]");
    if (!all) { return; }
    document.querySelectorAll("[data-pick]").forEach(function (box) { box.checked = all.checked; });
  });
})();
