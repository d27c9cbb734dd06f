/* The county list follows the chosen city. The server renders every county of the
   province grouped by city (<optgroup label="苏州市">), so the page works without
   this script and the server refuses a county outside the city either way; here
   only the chosen city's counties are left in the list. No dependencies. */
(function () {
  "use strict";

  function follow(select) {
    var form = select.form;
    var leader = form && form.querySelector("[name=" + select.getAttribute("data-follows") + "]");
    if (!leader) return;
    var empty = select.querySelector("option[value='']");
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return { label: group.label, options: Array.prototype.slice.call(group.querySelectorAll("option")) };
    });

    function show() {
      var chosen = leader.options[leader.selectedIndex];
      var label = chosen && chosen.value ? chosen.text : null;
      var keep = select.value;
      while (select.firstChild) select.removeChild(select.firstChild);
      if (empty) select.appendChild(empty);
      var kept = false;
      groups.forEach(function (group) {
        if (group.label !== label) return;
        group.options.forEach(function (option) {
          select.appendChild(option);
          if (option.value === keep) kept = true;
        });
      });
      select.value = kept ? keep : "";
      select.disabled = select.options.length <= 1 && !!label;
    }

    leader.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-follows]"), follow);
  });
})();
