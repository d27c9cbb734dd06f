// Click an image to zoom it to full width; click again to shrink. Keyboard: Enter/Space.
document.addEventListener("click", function (e) {
  var img = e.target.closest("img.zoomable");
  if (img) { img.classList.toggle("zoomed"); img.setAttribute("aria-expanded", img.classList.contains("zoomed")); }
});
document.addEventListener("keydown", function (e) {
  var img = e.target.closest && e.target.closest("img.zoomable");
  if (img && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); img.click(); }
});
