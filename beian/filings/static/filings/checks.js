/* Checks a field when it is left: POST /api/v1/checks/<kind> and show the
   message next to the field. The server checks again when the form is posted,
   so the page works without this script. No dependencies. */
(function () {
  "use strict";

  function kindOf(input) {
    var kind = input.getAttribute("data-check");
    if (kind !== "certificate") return kind;
    var type = input.form && input.form.querySelector("[name=certificate_type]");
    var value = type ? type.value : "resident_id";
    return value === "resident_id" ? "id-card" : value === "uscc" ? "uscc" : null;
  }

  function provinceOf(input) {
    var own = input.getAttribute("data-province");
    if (own) return own;
    var select = input.form && input.form.querySelector("[name=province]");
    if (select && select.value) return select.value;
    return (input.form && input.form.getAttribute("data-province")) || null;
  }

  function csrfToken(input) {
    var field = input.form && input.form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function show(input, messages, warnings) {
    var slot = document.getElementById(input.id + "_error");
    if (!slot) return;
    slot.textContent = messages.join(" ");
    // Django names the slots id_x_error and id_x_helptext; keep the hint's id.
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== slot.id;
    });
    if (messages.length) {
      input.setAttribute("aria-invalid", "true");
      described.push(slot.id);
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
    var hint = document.getElementById(input.id + "-warning");
    if (warnings && warnings.length) {
      if (!hint) {
        hint = document.createElement("p");
        hint.id = input.id + "-warning";
        hint.className = "hint";
        slot.parentNode.insertBefore(hint, slot.nextSibling);
      }
      hint.textContent = warnings.join(" ");
    } else if (hint) {
      hint.textContent = "";
    }
  }

  function checkOne(kind, value, input) {
    var body = { value: value, province: provinceOf(input), subject_type: input.getAttribute("data-subject-type") };
    return fetch("/api/v1/checks/" + encodeURIComponent(kind), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(input) },
      body: JSON.stringify(body)
    }).then(function (response) { return response.json(); });
  }

  function check(input) {
    var kind = kindOf(input);
    var raw = (input.value || "").trim();
    if (!kind || !raw) { show(input, [], []); return; }
    // A textarea holds one value per line (domains).
    var values = input.tagName === "TEXTAREA" ? raw.split(/\s+/).filter(Boolean) : [raw];
    var prefix = values.length > 1;
    Promise.all(values.map(function (v) { return checkOne(kind, v, input); })).then(function (answers) {
      var errors = [], warnings = [];
      answers.forEach(function (answer, i) {
        var label = prefix ? values[i] + ": " : "";
        (answer.errors || []).forEach(function (e) { errors.push(label + e.message); });
        if (!answer.errors && answer.message) errors.push(label + answer.message);
        (answer.warnings || []).forEach(function (w) { warnings.push(label + w.message); });
      });
      show(input, errors, warnings);
      input.setAttribute("data-checked", "1");
    }).catch(function () { /* offline: the server checks on save */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("[data-check]");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("blur", function () { check(input); });
    });
  });
})();
