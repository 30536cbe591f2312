// Gate by Gate: the step controls of a live drawing (lstm_ui/live_svg.py StepControls), put in front of
// lstm_ui/components/live_svg.js by lstm_ui.layout.component_js; ``state`` is live_svg.js's per-mount state.

// Stepping controls (a page's step view as one component): Previous / Play / Next, the step and unit
// sliders, and the ←, → and P keys. Python stays the source of every number: a control only reports the
// new (step, unit) as the trigger "click" (the same as a click on a square) or a press of Play as
// "play"; the new drawing comes back from the page's rerun. Moves are counted from the step last asked
// for, so quick presses add up before the server answers.
function buildControls(state) {
  const bar = document.createElement("div");
  bar.className = "gbg-stepper";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Step controls");
  bar.innerHTML = '<div class="gbg-stepper-buttons">'
    + '<button type="button" data-act="prev" title="Previous step (←)">Previous<kbd>←</kbd></button>'
    + '<button type="button" data-act="play" title="Play or pause (P)"></button>'
    + '<button type="button" data-act="next" title="Next step (→)">Next<kbd>→</kbd></button></div>'
    + '<label data-range="step"><span></span><output></output><input type="range" min="1" step="1"></label>'
    + '<label data-range="unit"><span></span><output></output><input type="range" min="1" step="1"></label>'
    + '<div class="gbg-choice" role="radiogroup"><span></span><div class="gbg-choice-options"></div></div>';
  bar.addEventListener("click", (ev) => {
    const option = ev.target.closest("button[data-choice]");
    if (option) { choose(state, option.dataset.choice); return; }
    const button = ev.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    if (act === "play") play(state);
    else ask(state, state.want.step + (act === "next" ? 1 : -1), state.want.unit);
  });
  for (const name of ["step", "unit"]) {
    const input = bar.querySelector(`label[data-range="${name}"] input`);
    input.addEventListener("input", () => showRange(state, name, Number(input.value)));
    input.addEventListener("change", () => {
      const value = Number(input.value);
      ask(state, name === "step" ? value : state.want.step, name === "unit" ? value : state.want.unit);
    });
  }
  return bar;
}

// Ask the page for (step, unit): a clicked square or a move of the controls, reported as the trigger
// "click". With controls it is kept inside the sentence and the units, shown on the sliders at once,
// put in the address bar, and remembered as the step the next move starts from.
function ask(state, step, unit) {
  if (!state.setTriggerValue) return;
  const c = state.controls;
  if (!c) {
    state.setTriggerValue("click", { step, unit });
    return;
  }
  const want = { step: Math.min(Math.max(step, 1), c.steps), unit: Math.min(Math.max(unit, 1), c.units) };
  if (want.step === state.want.step && want.unit === state.want.unit) return;
  state.want = want;
  state.asked = { ...want, at: performance.now() };
  showRange(state, "step", want.step);
  showRange(state, "unit", want.unit);
  state.setTriggerValue("click", { ...want, inAddress: inAddress(state, want) });
}

// The page's answer to an earlier move can arrive after a newer move was asked for (← ← pressed quickly:
// the answer to → comes between them). Until the page shows the step last asked for, its controls keep
// that step, so the next move starts from it; an ask that no answer matches is let go after ASK_WAIT_MS.
const ASK_WAIT_MS = 2000;
function answered(state, c) {
  const asked = state.asked;
  if (asked && (c.step !== asked.step || c.unit !== asked.unit) && performance.now() - asked.at < ASK_WAIT_MS) {
    return false;
  }
  state.asked = null;
  return true;
}

// The view is in the URL (lstm_ui/state/view.py): a move of these controls goes into the address bar at
// once, with replaceState (no re-render of the page, no history entry), and the trigger says so, so that
// the page's callback does not write it again. ``controls.address`` maps each control ("step", "unit",
// "choice") to its URL parameter and the default value the URL leaves out (null: none).
function inAddress(state, moved) {
  const address = (state.controls && state.controls.address) || {};
  const url = new URL(window.location.href);
  let wrote = false;
  for (const [control, value] of Object.entries(moved)) {
    if (!address[control]) continue;
    const [param, fallback] = address[control];
    if (value === fallback) url.searchParams.delete(param);
    else url.searchParams.set(param, String(value));
    wrote = true;
  }
  if (wrote) window.history.replaceState(window.history.state, "", url);
  return wrote;
}

function play(state) {
  if (state.controls && state.controls.play === false) return;
  state.setTriggerValue("play", { at: Date.now() });
}

// Press an option of the choice: shown at once, reported as the trigger "choice".
function choose(state, value) {
  if (!state.setTriggerValue || value === state.wantChoice) return;
  state.wantChoice = value;
  showChoice(state);
  state.setTriggerValue("choice", { value, inAddress: inAddress(state, { choice: value }) });
}

function showChoice(state) {
  for (const button of state.bar.querySelectorAll("button[data-choice]")) {
    button.setAttribute("aria-checked", String(button.dataset.choice === state.wantChoice));
  }
}

function updateChoice(state, choice) {
  const group = state.bar.querySelector(".gbg-choice");
  group.style.display = choice ? "" : "none";
  if (!choice) return;
  group.setAttribute("aria-label", choice.label);
  group.querySelector("span").textContent = choice.label;
  const holder = group.querySelector(".gbg-choice-options");
  const keys = choice.options.map((o) => o.join("\u0000")).join("\u0001");
  if (holder.dataset.keys !== keys) {
    holder.dataset.keys = keys;
    holder.replaceChildren(...choice.options.map(([value, text]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "radio");
      button.dataset.choice = value;
      button.textContent = text;
      return button;
    }));
  }
  state.wantChoice = choice.value;
  showChoice(state);
}

function showRange(state, name, value) {
  const label = state.bar.querySelector(`label[data-range="${name}"]`);
  const c = state.controls;
  label.querySelector("input").value = String(value);
  const token = name === "step" && c.tokens ? ` “${c.tokens[value - 1] ?? ""}”` : "";
  label.querySelector("output").textContent = `${value}${token}`;
}

function updateControls(state, c) {
  state.controls = c;
  state.root.dataset.controls = c ? "1" : "0";
  if (!c) return;
  if (!state.bar) state.root.prepend((state.bar = buildControls(state)));
  if (answered(state, c)) state.want = { step: c.step, unit: c.unit };
  const bar = state.bar;
  bar.style.fontSize = `${c.fontPx || 16}px`;
  const playButton = bar.querySelector('[data-act="play"]');
  playButton.innerHTML = c.playing ? "Pause<kbd>P</kbd>" : "Play<kbd>P</kbd>";
  playButton.style.display = c.play === false ? "none" : "";
  bar.querySelector('label[data-range="unit"]').style.display = c.unitSlider === false ? "none" : "";
  updateChoice(state, c.choice || null);
  for (const [name, max, text] of [["step", c.steps, c.stepLabel], ["unit", c.units, c.unitLabel]]) {
    const label = bar.querySelector(`label[data-range="${name}"]`);
    label.querySelector("span").textContent = text;
    const input = label.querySelector("input");
    input.max = String(max);
    input.disabled = max <= 1;
    input.setAttribute("aria-label", text);
    showRange(state, name, state.want[name]);
  }
}

// Whether the reader last used the pointer or the Tab key: a radio option clicked with the pointer does
// not keep the arrow keys (below). Kept on the document, shared by every drawing of the page.
function noteInput(ev) {
  if (ev.type === "pointerdown") document.documentElement.dataset.gbgInput = "pointer";
  else if (ev.key === "Tab") document.documentElement.dataset.gbgInput = "key";
}

// ←, → and P anywhere on the page, unless the key goes to a text field, a slider or a menu. A radio
// option outside the drawings that was clicked with the pointer (the sidebar's notation switch) does not
// keep the arrows: they step the page, as they did before the click. Listened to in the capture phase,
// so this runs before the radio's own handler; a radio reached with Tab keeps its arrow keys.
function onKey(state, ev) {
  noteInput(ev);
  if (!state.controls || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const el = ev.target;
  const clickedRadio = el && el.matches && el.matches('input[type="radio"], [role="radio"]')
    && document.documentElement.dataset.gbgInput === "pointer" && !el.closest(".gbg-live-svg");
  if (!clickedRadio && el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)
      || (el.getAttribute && ["slider", "listbox", "combobox", "textbox", "radio", "tab", "grid", "gridcell",
        "spinbutton", "menuitem", "option"].includes(el.getAttribute("role"))))) return;
  if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
    ev.preventDefault();
    ev.stopPropagation();
    ask(state, state.want.step + (ev.key === "ArrowRight" ? 1 : -1), state.want.unit);
  } else if (ev.key === "p" || ev.key === "P") {
    ev.preventDefault();
    play(state);
  }
}
