// Block windows on the channel-day timeline: drag a band's start or end handle, or focus a
// handle and use the arrow keys (5 minutes a step; Page Up/Down an hour), then Enter; a dialog
// asks to confirm because the rule changes for every day it covers. The form under the timeline
// posts the same change without this script. Times are minutes from the broadcast-day start
// (data-day-start-minutes), shown as the channel's local wall clock.
(function () {
  "use strict";

  var STEP = 5;
  var KEYS = { ArrowLeft: -STEP, ArrowDown: -STEP, ArrowRight: STEP, ArrowUp: STEP, PageDown: -60, PageUp: 60 };
  var drag = null;
  var pending = null;
  var refocus = null;

  function dayOf(el) {
    var body = el.closest("[data-day-frames]");
    var fps = parseFloat(body.getAttribute("data-fps"));
    return {
      body: body,
      minutes: parseInt(body.getAttribute("data-day-frames"), 10) / fps / 60,
      start: parseInt(body.getAttribute("data-day-start-minutes"), 10)
    };
  }

  function wall(day, minutes, sep) {
    var total = (day.start + minutes) % 1440;
    var h = Math.floor(total / 60), m = total % 60;
    return (h < 10 ? "0" : "") + h + sep + (m < 10 ? "0" : "") + m;
  }

  function label(day, minutes) {
    return wall(day, minutes, document.documentElement.lang === "id" ? "." : ":");
  }

  function get(band, name) { return parseInt(band.getAttribute("data-" + name), 10); }

  function changed(band) {
    return get(band, "start-minutes") !== get(band, "saved-start") ||
      get(band, "end-minutes") !== get(band, "saved-end");
  }

  function windowText(band) {
    var day = dayOf(band);
    return label(day, get(band, "start-minutes")) + "\u2013" + label(day, get(band, "end-minutes"));
  }

  // Redraw a band from its proposed minutes, and keep its form's inputs in step with it.
  function show(band) {
    var day = dayOf(band);
    var start = get(band, "start-minutes"), end = get(band, "end-minutes");
    var left = 100 * start / day.minutes, width = 100 * (end - start) / day.minutes;
    band.setAttribute("data-left", left.toFixed(5));
    band.setAttribute("data-width", width.toFixed(5));
    band.style.left = left + "%";
    band.style.width = width + "%";
    band.querySelector("[data-window]").textContent = windowText(band);
    band.querySelectorAll("[data-handle]").forEach(function (handle) {
      var minutes = get(band, handle.getAttribute("data-handle") + "-minutes");
      handle.setAttribute("aria-valuenow", String(minutes));
      handle.setAttribute("aria-valuetext", label(day, minutes) + " " + band.getAttribute("data-zone"));
    });
    band.classList.toggle("tl-block--changed", changed(band));
    var form = document.getElementById("block-form-" + band.getAttribute("data-rule-id"));
    if (form) {
      form.elements.start.value = wall(day, start, ":");
      form.elements.end.value = wall(day, end, ":");
    }
  }

  function propose(band, which, minutes) {
    var day = dayOf(band);
    var snapped = Math.round(minutes / STEP) * STEP;
    if (which === "start") {
      snapped = Math.max(0, Math.min(snapped, get(band, "end-minutes") - STEP));
    } else {
      snapped = Math.min(Math.round(day.minutes), Math.max(snapped, get(band, "start-minutes") + STEP));
    }
    band.setAttribute("data-" + which + "-minutes", String(snapped));
    show(band);
  }

  function reset(band) {
    band.setAttribute("data-start-minutes", band.getAttribute("data-saved-start"));
    band.setAttribute("data-end-minutes", band.getAttribute("data-saved-end"));
    show(band);
  }

  function ask(band) {
    var dialog = document.getElementById("block-resize-dialog");
    pending = band;
    dialog.querySelector("[data-slot=name]").textContent = band.getAttribute("data-name");
    dialog.querySelector("[data-slot=window]").textContent = windowText(band);
    dialog.querySelector("[data-slot=days]").textContent = band.getAttribute("data-coverage");
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else if (window.confirm(dialog.textContent.replace(/\s+/g, " ").trim())) {
      apply(band);
    } else {
      reset(band);
    }
  }

  function apply(band) {
    var day = dayOf(band);
    var rule = band.getAttribute("data-rule-id");
    var focused = document.activeElement;
    refocus = focused && focused.closest && focused.closest("[data-handle]") ?
      { rule: rule, which: focused.getAttribute("data-handle") } : null;
    window.htmx.ajax("POST", day.body.getAttribute("data-day-url") + "/blocks/" + rule, {
      target: "#day-body",
      swap: "outerHTML",
      values: {
        start: wall(day, get(band, "start-minutes"), ":"),
        end: wall(day, get(band, "end-minutes"), ":"),
        confirm: "yes"
      }
    });
  }

  function closeDialog(dialog, confirmed) {
    var band = pending;
    pending = null;
    if (dialog.open) { dialog.close(); }
    if (!band) { return; }
    if (confirmed) { apply(band); } else { reset(band); }
  }

  // Dragging ------------------------------------------------------------------------------
  document.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest && event.target.closest(".tl-block [data-handle]");
    if (!handle || event.button !== 0) { return; }
    event.preventDefault();
    handle.focus();
    handle.setPointerCapture(event.pointerId);
    var band = handle.closest(".tl-block");
    drag = { band: band, which: handle.getAttribute("data-handle"), lane: band.parentElement };
    band.classList.add("tl-block--dragging");
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var rect = drag.lane.getBoundingClientRect();
    var fraction = (event.clientX - rect.left) / rect.width;
    propose(drag.band, drag.which, fraction * dayOf(drag.band).minutes);
  });

  function endDrag(cancelled) {
    if (!drag) { return; }
    var band = drag.band;
    drag = null;
    band.classList.remove("tl-block--dragging");
    if (cancelled) { reset(band); } else if (changed(band)) { ask(band); }
  }

  document.addEventListener("pointerup", function () { endDrag(false); });
  document.addEventListener("pointercancel", function () { endDrag(true); });

  // Keyboard ------------------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    var handle = event.target.closest && event.target.closest(".tl-block [data-handle]");
    if (!handle) { return; }
    var band = handle.closest(".tl-block");
    var which = handle.getAttribute("data-handle");
    if (KEYS[event.key]) {
      event.preventDefault();
      propose(band, which, get(band, which + "-minutes") + KEYS[event.key]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (changed(band)) { ask(band); }
    } else if (event.key === "Escape") {
      reset(band);
    }
  });

  // The confirmation dialog ---------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-block-apply], [data-block-cancel]");
    if (!button) { return; }
    closeDialog(button.closest("dialog"), button.hasAttribute("data-block-apply"));
  });

  // Escape closes a modal dialog by itself: treat it as Cancel.
  document.addEventListener("cancel", function (event) {
    if (event.target.id === "block-resize-dialog") {
      event.preventDefault();
      closeDialog(event.target, false);
    }
  }, true);

  // After the day is re-rendered, give the handle that was used its focus back.
  document.addEventListener("htmx:load", function () {
    if (!refocus) { return; }
    var handle = document.querySelector(
      ".tl-block[data-rule-id='" + refocus.rule + "'] [data-handle=" + refocus.which + "]");
    refocus = null;
    if (handle) { handle.focus(); }
  });
})();
