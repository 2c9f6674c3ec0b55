// Review queue shortcuts: j/k move between questions, a approves, e edits, r rejects.
// The page works fully without this file: every action is a plain button or link.
"use strict";
(() => {
  const items = Array.from(document.querySelectorAll(".review-item"));
  if (!items.length) {
    return;
  }
  let current = Math.max(0, items.findIndex((item) => "#" + item.id === window.location.hash));

  const select = (index, focus = true) => {
    items.forEach((item) => item.classList.remove("is-current"));
    current = Math.min(Math.max(index, 0), items.length - 1);
    const item = items[current];
    item.classList.add("is-current");
    if (focus) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  };

  const typing = (target) => target.closest("input, textarea, select, [contenteditable]") !== null;

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      select(current + (key === "j" ? 1 : -1));
      return;
    }
    const control = items[current].querySelector(`[data-key="${key}"]`);
    if (control) {
      event.preventDefault();
      control.click();
    }
  });

  items.forEach((item, index) => item.addEventListener("focusin", () => select(index, false)));
  select(current, window.location.hash !== "");
})();
