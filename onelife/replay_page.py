"""The replay page's HTML, CSS and script: one self-contained file, no network, no libraries.

``page(data_json)`` embeds the life (see ``onelife.replay.write_page`` for the data) and
shows one step at a time: the image, the action, vitals, inventory, achievements, the log
probability the model gave the step and the laws that fired. Buttons, a slider and the
keys (left/right arrows, Home/End, space to play) move through the life; ``#step=N`` at the
end of the page's address opens step N.
"""

from __future__ import annotations

_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>onelife replay</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 16px; background: #18181c; color: #e6e6e6; }
  h1 { font-size: 18px; font-weight: 600; margin: 0 0 4px 0; }
  .sub { color: #a0a0a8; font-size: 13px; margin-bottom: 12px; }
  .main { display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap; }
  #frame { width: 432px; height: 432px; image-rendering: pixelated; border: 1px solid #444; }
  .controls { margin: 10px 0; display: flex; gap: 6px; align-items: center; width: 434px; }
  .controls button { background: #2c2c34; color: #e6e6e6; border: 1px solid #555; border-radius: 4px;
                     padding: 4px 10px; font-size: 14px; cursor: pointer; }
  #slider { flex: 1; }
  .side { min-width: 300px; max-width: 560px; font-size: 14px; }
  .row { margin: 3px 0; }
  .label { color: #a0a0a8; display: inline-block; width: 110px; }
  .bar { display: inline-block; height: 10px; background: #6ec878; vertical-align: middle; }
  .bar.low { background: #eb5a46; }
  .back { display: inline-block; width: 135px; background: #46464e; margin-left: 6px; }
  ul { margin: 4px 0 8px 0; padding-left: 20px; }
  li { margin: 2px 0; }
  .weight { color: #a0a0a8; font-size: 12px; }
  .rival { color: #e0a060; }
  .unlocked { color: #f0d060; font-weight: 600; }
  details { color: #a0a0a8; font-size: 13px; }
  .help { color: #80808a; font-size: 12px; }
</style>
</head>
<body>
<h1 id="title"></h1>
<div class="sub" id="model"></div>
<div class="main">
  <div>
    <img id="frame" alt="the player's view at this step">
    <div class="controls">
      <button id="first" title="first step (Home)">|&lt;</button>
      <button id="prev" title="previous step (left arrow)">&lt;</button>
      <button id="play" title="play or pause (space)">play</button>
      <button id="next" title="next step (right arrow)">&gt;</button>
      <button id="last" title="last step (End)">&gt;|</button>
      <input id="slider" type="range" min="0" value="0" aria-label="step">
    </div>
    <div class="help">keys: left/right arrow, Home/End, space plays and pauses</div>
  </div>
  <div class="side">
    <div class="row"><span class="label">step</span><span id="step"></span></div>
    <div class="row"><span class="label">time</span><span id="time"></span></div>
    <div class="row"><span class="label">action</span><span id="action"></span></div>
    <div class="row"><span class="label">log p (model)</span><span id="logp"></span></div>
    <div id="vitals"></div>
    <div class="row"><span class="label">inventory</span><span id="items"></span></div>
    <div class="row" id="unlocked"></div>
    <div class="row"><b>laws that fired</b> <span class="weight">(weight in the model; rivals weighed
      below a tenth are marked)</span></div>
    <ul id="laws"></ul>
    <details><summary id="routine-summary"></summary><ul id="routine"></ul></details>
  </div>
</div>
<script type="application/json" id="life">__DATA__</script>
<script>
"use strict";
const life = JSON.parse(document.getElementById("life").textContent);
const everyStep = new Set(life.every_step);
const slider = document.getElementById("slider");
slider.max = life.steps.length - 1;
let current = 0, timer = null;
document.getElementById("title").textContent = life.title;
document.getElementById("model").textContent = "laws from " + life.model;

function lawItem(law) {
  const item = document.createElement("li");
  item.textContent = law.name + (law.on.length ? " on " + describe(law.on) : "");
  const weight = document.createElement("span");
  weight.className = "weight";
  weight.textContent = "  w " + law.weight.toPrecision(3);
  if (law.weight < 0.1) item.className = "rival";
  item.appendChild(weight);
  return item;
}

function describe(targets) {
  const shown = targets.slice(0, 4).join(", ");
  return targets.length > 4 ? shown + " and " + (targets.length - 4) + " more" : shown;
}

function vitalRow(name, amount) {
  const row = document.createElement("div");
  row.className = "row";
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = name + " " + amount;
  const back = document.createElement("span");
  back.className = "back";
  const bar = document.createElement("span");
  bar.className = amount <= 3 ? "bar low" : "bar";
  bar.style.width = (15 * Math.max(0, Math.min(amount, 9))) + "px";
  back.appendChild(bar);
  row.append(label, back);
  return row;
}

function show(index) {
  current = Math.max(0, Math.min(index, life.steps.length - 1));
  const s = life.steps[current];
  document.getElementById("frame").src = life.images[life.frame_of[current]];
  slider.value = current;
  document.getElementById("step").textContent = s.step + " of " + life.steps[life.steps.length - 1].step;
  document.getElementById("time").textContent = (s.daylight >= 0.5 ? "day" : "night") +
    " (daylight " + s.daylight.toFixed(2) + "), " + (s.sleeping ? "asleep" : "awake");
  document.getElementById("action").textContent = s.action === null ? "(the life ends here)" : s.action;
  document.getElementById("logp").textContent = s.log_prob === null ? "-" : s.log_prob.toFixed(2);
  const vitals = document.getElementById("vitals");
  vitals.replaceChildren(...Object.entries(s.vitals).map(([name, amount]) => vitalRow(name, amount)));
  document.getElementById("items").textContent = s.items.length ? s.items.join(", ") : "nothing";
  const unlocked = document.getElementById("unlocked");
  unlocked.className = "row unlocked";
  unlocked.textContent = s.unlocked.length ? "unlocked: " + s.unlocked.join(", ") : "";
  const special = s.fired.filter(law => !everyStep.has(law.name));
  const routine = s.fired.filter(law => everyStep.has(law.name));
  const laws = document.getElementById("laws");
  laws.replaceChildren(...special.map(lawItem));
  if (!special.length && s.action !== null) {
    const none = document.createElement("li");
    none.textContent = "only the laws that fire every step";
    laws.appendChild(none);
  }
  document.getElementById("routine-summary").textContent =
    routine.length + " laws that fire on every step of this life";
  document.getElementById("routine").replaceChildren(...routine.map(lawItem));
}

function play() {
  if (timer !== null) { clearInterval(timer); timer = null; }
  else {
    timer = setInterval(() => {
      if (current >= life.steps.length - 1) { play(); return; }
      show(current + 1);
    }, 120);
  }
  document.getElementById("play").textContent = timer === null ? "play" : "pause";
}

document.getElementById("first").onclick = () => show(0);
document.getElementById("prev").onclick = () => show(current - 1);
document.getElementById("next").onclick = () => show(current + 1);
document.getElementById("last").onclick = () => show(life.steps.length - 1);
document.getElementById("play").onclick = play;
slider.oninput = () => show(Number(slider.value));
document.addEventListener("keydown", event => {
  if (event.target === slider && (event.key === "ArrowLeft" || event.key === "ArrowRight")) return;
  const moves = {ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: life.steps.length - 1};
  if (event.key in moves) { show(moves[event.key]); event.preventDefault(); }
  else if (event.key === " ") { play(); event.preventDefault(); }
});
window.addEventListener("hashchange", showLinkedStep);
function showLinkedStep() {
  const linked = /^#step=(\d+)$/.exec(location.hash);
  show(linked ? Number(linked[1]) : current);
}
showLinkedStep();
</script>
</body>
</html>
"""


def page(data_json: str) -> str:
    """The replay page with ``data_json`` embedded (made safe inside a ``<script>`` element)."""
    return _TEMPLATE.replace("__DATA__", data_json.replace("</", "<\\/"))
