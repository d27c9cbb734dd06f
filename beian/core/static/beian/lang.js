// The language switch submits itself when a language is chosen (no inline
// handler: the Content-Security-Policy allows scripts from files only).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("lang-select");
  if (select) select.addEventListener("change", () => select.form.submit());
});
