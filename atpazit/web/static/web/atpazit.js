// Small progressive enhancements; every page and form also works without JavaScript.
// No select submits a form by itself: changing a choice never leaves the page (issue 11).
document.documentElement.classList.add("js");

// The header menu: below 900 px the navigation and the account tools fold behind a button.
// Without JavaScript the button stays hidden and the menu stays open.
function setUpMenu() {
  const button = document.querySelector("[data-menu-toggle]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !menu) return;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  };
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
}

// The error summary of a refused form: moved into view and focused, as GOV.UK does.
// A link of the summary takes the focus to its field (opening a folded group around it).
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    const folded = target.closest("details");
    if (folded) folded.open = true;
    if (!target.hasAttribute("tabindex") && !target.matches("input, select, textarea, button, a")) {
      target.setAttribute("tabindex", "-1");
    }
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
}

// The interview form keeps a draft at every change (htmx posts it; see the form's hx-post).
// Leaving the page before the latest change is kept asks first; each group's summary counts
// its ticks as they change.
function setUpInterviewDraft() {
  const form = document.querySelector("form[data-draft]");
  if (!form) return;
  const status = document.getElementById("draft-status");
  let edits = 0;
  let kept = 0;
  let submitting = false;

  const say = (text) => {
    if (!status || !text) return;
    const line = document.createElement("p");
    line.className = "draft-refused";
    line.textContent = text;
    status.replaceChildren(line);
  };
  const countTicks = (group) => {
    const counter = group.querySelector("[data-ticked-count]");
    if (counter) counter.textContent = group.querySelectorAll('input[name^="ind_"]:checked').length;
  };

  // Every edit fires "input" (tick boxes and lists too); a note's "change" on leaving it adds
  // nothing the "input" before it did not.
  form.addEventListener("input", () => { edits += 1; });
  form.addEventListener("change", (event) => {
    const group = event.target.closest("details[data-dimension]");
    if (group) countTicks(group);
  });
  form.addEventListener("submit", () => { submitting = true; });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt === form || form.contains(event.detail.elt)) {
      event.detail.xhr.draftEdits = edits;
    }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (!(event.detail.elt === form || form.contains(event.detail.elt))) return;
    if (xhr.status === 200) {
      kept = Math.max(kept, xhr.draftEdits || 0);
    } else if (xhr.status !== 409 && xhr.status !== 422) {
      say(status && status.dataset.failed);
    }
  });
  document.body.addEventListener("htmx:sendError", (event) => {
    if (event.detail.elt === form) say(status && status.dataset.offline);
  });
  // Back online: keep what was changed meanwhile.
  window.addEventListener("online", () => {
    if (edits > kept && window.htmx) window.htmx.trigger(form, "change");
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && edits > kept) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

setUpMenu();
focusErrorSummary();
setUpInterviewDraft();
