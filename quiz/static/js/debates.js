// Live debates, essay autosave and rubric totals. Every page works without this file:
// the debate pages have a Refresh link, essays a "Save draft" button.
"use strict";

(() => {
  const pad = (n) => String(n).padStart(2, "0");
  const clockText = (seconds) => `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;

  // ------------------------------------------------------------------ live debates
  const live = document.getElementById("live");
  if (live) {
    const url = live.dataset.stateUrl;
    const timer = live.querySelector('[data-live="timer"]');
    let offset = 0;       // server clock minus this device's clock, in ms
    let endsAt = null;    // when the round ends, in server time (ms)
    const names = {
      lobby: "Waiting to start: vote before the debate", running: "Debate under way",
      voting: "The debate is over: vote again", finished: "Finished",
    };

    const tick = () => {
      if (!timer) return;
      if (endsAt === null) { timer.textContent = "–:––"; return; }
      const left = Math.max(0, Math.ceil((endsAt - (Date.now() + offset)) / 1000));
      timer.textContent = clockText(left);
      timer.classList.toggle("time-up", left === 0);
    };

    const text = (name, value) => {
      const element = live.querySelector(`[data-live="${name}"]`);
      if (element) element.textContent = value;
    };

    const render = (state) => {
      offset = Date.parse(state.now) - Date.now();
      endsAt = state.round.ends_at ? Date.parse(state.round.ends_at) : null;
      text("status", names[state.status] || state.status);
      text("round", state.round.name ? `Round ${state.round.index + 1} of ${state.round.count}: ${state.round.name}` : "\u00a0");
      const queue = live.querySelector('[data-live="queue"]');
      if (queue) {
        queue.replaceChildren(...(state.queue.length ? state.queue.map((item) => {
          const li = document.createElement("li");
          li.className = item.status;
          li.textContent = `${item.name} (${item.side})${item.status === "speaking" ? " speaking" : ""}`;
          return li;
        }) : [Object.assign(document.createElement("li"), { className: "empty", textContent: "Nobody is waiting to speak." })]));
      }
      if (state.tallies) {
        for (const phase of ["before", "after"]) {
          for (const side of ["for", "against", "undecided"]) {
            text(`tally-${phase}-${side}`, String(state.tallies[phase][side]));
          }
        }
      }
      tick();
    };

    const poll = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (response.ok) {
          const state = await response.json();
          // A new phase changes which forms the page offers: load it afresh.
          if (state.status !== live.dataset.status) { window.location.reload(); return; }
          if (String(state.version) !== live.dataset.version) {
            live.dataset.version = String(state.version);
            render(state);
          }
        }
      } catch (error) {
        // Offline for a moment: try again on the next tick.
      }
      window.setTimeout(poll, 1000);
    };

    if (timer && timer.dataset.endsAt) {
      offset = Date.parse(timer.dataset.now) - Date.now();
      endsAt = Date.parse(timer.dataset.endsAt);
    }
    window.setInterval(tick, 250);
    window.setTimeout(poll, 1000);
  }

  // ------------------------------------------------------------------ essays
  const essay = document.querySelector("form[data-autosave]");
  if (essay) {
    const body = essay.querySelector("textarea");
    const count = essay.querySelector("[data-word-count]");
    const status = essay.querySelector("[data-save-status]");
    const words = (value) => (value.match(/[\p{L}\p{N}_’'-]+/gu) || []).length;
    let timer = null;
    let saved = body.value;

    const save = async () => {
      if (body.value === saved) return;
      const data = new FormData(essay);
      data.set("save", "1");
      status.textContent = "Saving…";
      try {
        const response = await fetch(essay.action || window.location.href, {
          method: "POST", body: data, headers: { Accept: "application/json" },
        });
        const result = await response.json();
        if (response.ok) {
          saved = data.get("body");
          status.textContent = `Draft saved ${new Date(result.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
        } else {
          status.textContent = result.error || "Not saved: use Save draft.";
        }
      } catch (error) {
        status.textContent = "Not saved (offline?): use Save draft.";
      }
    };

    body.addEventListener("input", () => {
      count.textContent = String(words(body.value));
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 3000);
    });
  }

  // ------------------------------------------------------------------ rubric totals
  const rubric = document.querySelector(".rubric-form");
  if (rubric) {
    const total = rubric.querySelector("[data-rubric-total]");
    const update = () => {
      let points = 0;
      let max = 0;
      for (const fieldset of rubric.querySelectorAll("fieldset.criterion")) {
        const values = [...fieldset.querySelectorAll(".level")].map((label) => Number(label.dataset.points));
        max += Math.max(...values);
        const chosen = fieldset.querySelector("input:checked");
        if (chosen) points += Number(chosen.closest(".level").dataset.points);
      }
      total.textContent = `Total: ${points} of ${max}`;
    };
    rubric.addEventListener("change", update);
    update();
  }
})();
