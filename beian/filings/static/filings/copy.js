/* A copy button beside each read-only snippet (the footer code): copies the
   snippet and says so. The button stays hidden without this script; the text
   can still be selected and copied by hand. No dependencies. */
(function () {
  "use strict";

  function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain HTTP on a non-loopback host: the older way, from the selection.
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(field).then(function () {
          if (status) status.textContent = status.getAttribute("data-copied");
          button.setAttribute("data-done", "1");
        }, function () {
          field.focus();
          field.select();
          if (status) status.textContent = status.getAttribute("data-failed");
        });
      });
    });
  });
})();
