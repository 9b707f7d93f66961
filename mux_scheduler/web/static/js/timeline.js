// Channel-day timeline: positions, zoom, and drag and drop (the item forms do the same by keyboard).
// Positions come from data-left / data-width (percent of the day): the page's CSP forbids inline
// style attributes, but styles set from a script are allowed.
(function () {
  "use strict";

  var zoom = 1;

  function place(root) {
    root.querySelectorAll("[data-left]").forEach(function (el) {
      el.style.left = el.getAttribute("data-left") + "%";
      var width = el.getAttribute("data-width");
      if (width !== null) { el.style.width = width + "%"; }
    });
  }

  function clockLabel(minutes) {
    var sep = document.documentElement.lang === "id" ? "." : ":";
    var h = Math.floor(minutes / 60) % 24, m = minutes % 60;
    return (h < 10 ? "0" : "") + h + sep + (m < 10 ? "0" : "") + m;
  }

  function subTicks(track) {
    var body = track.closest("[data-day-frames]");
    var ticks = track.querySelector(".tl-ticks");
    if (!body || !ticks) { return; }
    ticks.querySelectorAll(".tl-tick--minor").forEach(function (el) { el.remove(); });
    var step = zoom >= 24 ? 5 : zoom >= 4 ? 15 : 0;
    if (!step) { return; }
    var start = parseInt(body.getAttribute("data-day-start-minutes"), 10);
    var fps = parseFloat(body.getAttribute("data-fps"));
    var dayMinutes = parseInt(body.getAttribute("data-day-frames"), 10) / fps / 60;
    for (var m = step; m < dayMinutes; m += step) {
      if (m % 60 === 0) { continue; }
      var tick = document.createElement("span");
      tick.className = "tl-tick tl-tick--minor";
      tick.textContent = clockLabel(start + m);
      tick.style.left = (100 * m / dayMinutes) + "%";
      ticks.appendChild(tick);
    }
  }

  function applyZoom(root) {
    root.querySelectorAll("[data-zoomable]").forEach(function (track) {
      track.style.width = (100 * zoom) + "%";
      track.classList.toggle("tl-track--minutes", zoom >= 24);
      subTicks(track);
    });
    root.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(parseInt(button.getAttribute("data-zoom"), 10) === zoom));
    });
  }

  // Labels only where they fit: a block narrower than a badge shows its colour alone.
  function markNarrow(root) {
    root.querySelectorAll(".tl-item").forEach(function (el) {
      el.classList.toggle("tl-item--narrow", el.getBoundingClientRect().width < 34);
    });
  }

  function init(root) {
    place(root);
    applyZoom(root);
    markNarrow(document);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zoom]");
    if (!button) { return; }
    var scroller = document.querySelector(".tl-scroll");
    var centre = scroller ? (scroller.scrollLeft + scroller.clientWidth / 2) / scroller.scrollWidth : 0;
    zoom = parseInt(button.getAttribute("data-zoom"), 10);
    applyZoom(document);
    markNarrow(document);
    if (scroller) { scroller.scrollLeft = centre * scroller.scrollWidth - scroller.clientWidth / 2; }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.requestSubmit(); }
  });

  // Drag and drop ---------------------------------------------------------------------------
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".tl-item[draggable=true]");
    var asset = event.target.closest && event.target.closest("[data-asset-id][draggable=true]");
    var payload = item ? "item:" + item.getAttribute("data-item-id")
      : asset ? "asset:" + asset.getAttribute("data-asset-id") : null;
    if (!payload) { return; }
    event.dataTransfer.setData("text/plain", payload);
    event.dataTransfer.effectAllowed = item ? "move" : "copy";
    document.body.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    document.body.classList.remove("is-dragging");
  });

  function dropLane(event) {
    return event.target.closest && event.target.closest(".tl-lane[data-drop-zone=true]");
  }

  document.addEventListener("dragover", function (event) {
    var lane = dropLane(event);
    if (lane) {
      event.preventDefault();
      lane.classList.add("tl-lane--over");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var lane = dropLane(event);
    if (lane) { lane.classList.remove("tl-lane--over"); }
  });

  function itemAt(lane, frame) {
    var found = null;
    lane.querySelectorAll("[data-item-id]").forEach(function (el) {
      var start = parseInt(el.getAttribute("data-start-frames"), 10);
      var length = parseInt(el.getAttribute("data-duration-frames"), 10);
      if (frame >= start && frame < start + length) { found = el; }
    });
    return found;
  }

  document.addEventListener("drop", function (event) {
    var lane = dropLane(event);
    if (!lane) { return; }
    event.preventDefault();
    lane.classList.remove("tl-lane--over");
    var body = lane.closest("[data-day-url]");
    var payload = (event.dataTransfer.getData("text/plain") || "").split(":");
    var rect = lane.getBoundingClientRect();
    var dayFrames = parseInt(body.getAttribute("data-day-frames"), 10);
    var fps = Math.round(parseFloat(body.getAttribute("data-fps")));
    var fraction = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 0.999999);
    var frame = Math.floor(fraction * dayFrames);
    var url = body.getAttribute("data-day-url") + "/items/";
    var options = { target: "#day-body", swap: "outerHTML" };
    if (payload[0] === "item") {
      options.values = { action: "move", start_frames: String(Math.round(frame / fps) * fps) };
      window.htmx.ajax("POST", url + payload[1], options);
    } else if (payload[0] === "asset") {
      var under = event.target.closest("[data-item-id]") || itemAt(lane, frame);
      if (!under) { return; }
      options.values = { action: "insert", asset_id: payload[1] };
      window.htmx.ajax("POST", url + under.getAttribute("data-item-id"), options);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
