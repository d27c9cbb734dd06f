/* "Does it still resolve?": asks the server, which asks DNS, and lists each name. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("resolve-check");
    var out = document.getElementById("resolve-result");
    if (!button || !out) return;
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(button.getAttribute("data-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var list = document.createElement("ul");
          data.domains.forEach(function (d) {
            var li = document.createElement("li");
            var word = d.resolves === true ? out.dataset.yes : d.resolves === false ? out.dataset.no : out.dataset.unknown;
            li.textContent = d.name + ": " + word + (d.addresses.length ? " (" + d.addresses.join(", ") + ")" : "");
            li.className = d.resolves === true ? "field-error" : "";
            list.appendChild(li);
          });
          var summary = document.createElement("p");
          summary.id = "resolve-summary";
          summary.textContent = data.any_resolves ? out.dataset.some
            : data.any_unknown ? out.dataset.cannot : out.dataset.allClear;
          out.replaceChildren(summary, list);
        })
        .finally(function () { button.disabled = false; });
    });
  });
})();
