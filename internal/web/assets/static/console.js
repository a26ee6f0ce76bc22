// datapipe console: live log tailing. Everything else works without
// JavaScript (actions confirm on their own page).
"use strict";

function tailLog(pre) {
  const state = document.getElementById("log-state");
  const url = () => "/console/api/log?pipelineId=" + encodeURIComponent(pre.dataset.pipeline) +
    "&attemptId=" + encodeURIComponent(pre.dataset.attempt) + "&offset=" + pre.dataset.offset;
  const tick = async () => {
    try {
      const res = await fetch(url(), {credentials: "same-origin"});
      if (!res.ok) throw new Error(res.status + " " + res.statusText);
      const c = await res.json();
      if (c.text) {
        const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
        pre.append(c.text);
        if (atBottom) pre.scrollTop = pre.scrollHeight;
      }
      pre.dataset.offset = c.offset;
      const status = document.getElementById("object-status");
      if (status) status.textContent = c.status;
      if (c.done && !c.text) {
        if (state) state.textContent = "The attempt is " + c.status + ": the log is complete.";
        pre.dataset.done = "true";
        return;
      }
    } catch (e) {
      if (state) state.textContent = "Tailing paused: " + e.message;
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  const pre = document.getElementById("log");
  if (pre && pre.dataset.done !== "true") tailLog(pre);
});
