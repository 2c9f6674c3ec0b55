// Flashcards: "Show definition" flips the card in place instead of loading the page again.
// Without this file the link loads the same card with its back shown, so nothing depends on it.
"use strict";
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-flip-link] a");
  if (!link) {
    return;
  }
  const card = link.closest("[data-flashcard]");
  const back = card && card.querySelector("[data-back]");
  if (!back) {
    return;
  }
  event.preventDefault();
  back.hidden = false;
  link.closest("[data-flip-link]").hidden = true;
  const first = back.querySelector("button");
  if (first) {
    first.focus();
  }
});
