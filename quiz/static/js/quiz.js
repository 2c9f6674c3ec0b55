// Quiz attempts: save each answer the moment it is given, and count the time down.
// Without this file the page still works: moving between pages saves the answers.
"use strict";
(() => {
  const form = document.getElementById("attempt-form");
  if (!form) return;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const stateLabel = document.getElementById("save-state");
  const pending = new Map();
  let failures = 0;

  const show = (text, kind) => {
    stateLabel.textContent = text;
    stateLabel.dataset.kind = kind;
  };

  const save = async (card) => {
    const body = new URLSearchParams();
    card.querySelectorAll("input, select, textarea").forEach((field) => {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      if (field.name) body.append(field.name, field.value);
    });
    show("Saving…", "saving");
    try {
      const response = await fetch(card.dataset.autosave, {
        method: "POST",
        headers: {"X-CSRFToken": token, "Accept": "application/json"},
        body,
        credentials: "same-origin",
      });
      const data = await response.json();
      if (response.status === 409 && data.review) {
        window.location.assign(data.review);
        return;
      }
      if (!response.ok) {
        show(data.message || "Not saved: check this answer", "error");
        return;
      }
      failures = 0;
      show("All answers saved", "saved");
    } catch (error) {
      failures += 1;
      show("Not saved yet: no connection. Keep going; it will retry.", "error");
      setTimeout(() => save(card), Math.min(30000, 2000 * failures));
    }
  };

  const schedule = (card, delay) => {
    clearTimeout(pending.get(card));
    pending.set(card, setTimeout(() => save(card), delay));
  };

  form.querySelectorAll("[data-autosave]").forEach((card) => {
    card.addEventListener("change", () => schedule(card, 0));
    card.addEventListener("input", (event) => {
      if (event.target.matches("input[type=text], textarea")) schedule(card, 800);
    });
  });

  const timer = document.getElementById("time-left");
  if (timer) {
    const end = Date.now() + Number(timer.dataset.seconds) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      timer.textContent = `${Math.floor(left / 60)} min ${left % 60} s`;
      if (left === 60) show("One minute left", "warning");
      if (left === 0) {
        window.location.assign(timer.dataset.review);
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
