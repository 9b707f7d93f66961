// Resumable upload with tus-js-client (served from /static/vendor/tus/).
// Retries after a dropped connection, waits for the browser to come back online, and resumes an
// earlier upload of the same file (same fingerprint) after a reload. On success it opens the
// asset page, which polls the analysis and conversion progress.
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !window.tus) { return; }

  var RETRY_DELAYS = [0, 1000, 2000, 5000, 10000, 20000, 30000];
  var bar = document.getElementById("upload-bar");
  var box = document.getElementById("upload-progress");
  var statusLine = document.getElementById("upload-status");
  var bytesLine = document.getElementById("upload-bytes");
  var errorBox = document.getElementById("upload-error");
  var startButton = document.getElementById("upload-start");
  var pauseButton = document.getElementById("upload-pause");
  var resumeButton = document.getElementById("upload-resume");
  var upload = null;
  var assetId = null;
  var paused = false;

  function message(name) {
    return form.getAttribute("data-msg-" + name) || name;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function setStatus(text) { statusLine.textContent = text; }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function setRunning(running) {
    pauseButton.hidden = !running;
    resumeButton.hidden = running;
    startButton.hidden = true;
  }

  function field(name) {
    var input = form.elements.namedItem(name);
    if (!input) { return ""; }
    if (input.type === "checkbox") { return input.checked ? "true" : "false"; }
    return (input.value || "").trim();
  }

  function metadata(file) {
    var meta = { filename: file.name, filetype: file.type || "application/octet-stream" };
    ["title", "kind", "classification", "language", "tags", "valid_from", "valid_until",
      "urgent", "agency_id"].forEach(function (name) {
      var value = field(name);
      if (value) { meta[name] = value; }
    });
    return meta;
  }

  function problemText(error) {
    var response = error && error.originalResponse;
    if (response) {
      try {
        var body = JSON.parse(response.getBody());
        var detail = body.detail || body.title || "";
        if (body.errors && body.errors.length) {
          detail += " (" + body.errors.map(function (e) {
            return (e.loc || []).slice(-1).join("") + ": " + e.msg;
          }).join("; ") + ")";
        }
        if (detail) { return detail; }
      } catch (ignored) { /* not problem+json */ }
      return response.getStatus() + " " + (response.getBody() || "").slice(0, 200);
    }
    return error ? String(error.message || error) : "";
  }

  function isClientError(error) {
    var status = error && error.originalResponse ? error.originalResponse.getStatus() : 0;
    return status >= 400 && status < 500 && status !== 409 && status !== 423;
  }

  function onError(error) {
    if (!navigator.onLine && !isClientError(error)) {
      setStatus(message("offline"));
      window.addEventListener("online", function () { upload.start(); }, { once: true });
      return;
    }
    setRunning(false);
    setStatus("");
    showError(message("failed") + " " + problemText(error));
  }

  function start(file) {
    upload = new window.tus.Upload(file, {
      endpoint: form.getAttribute("data-endpoint"),
      chunkSize: parseInt(form.getAttribute("data-chunk-bytes"), 10) || Infinity,
      retryDelays: RETRY_DELAYS,
      metadata: metadata(file),
      headers: { "X-CSRF-Token": csrfToken() },
      removeFingerprintOnSuccess: true,
      onShouldRetry: function (error) {
        var retry = !isClientError(error) && navigator.onLine;
        if (retry) { setStatus(message("retrying")); }
        return retry;
      },
      onProgress: function (sent, total) {
        var percent = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = percent;
        bytesLine.textContent = megabytes(sent) + " " + message("of") + " " + megabytes(total) +
          " (" + percent + "%)";
        if (!paused) { setStatus(message("uploading")); }
      },
      onAfterResponse: function (request, response) {
        var id = response.getHeader("X-Asset-Id");
        if (id) { assetId = id; }
      },
      onError: onError,
      onSuccess: function () {
        bar.value = 100;
        setStatus(message("finishing"));
        pauseButton.hidden = true;
        if (assetId) { window.location.assign("/library/" + assetId + "?uploaded=1"); }
      }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        setStatus(message("resuming"));
      }
      upload.start();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    if (!form.reportValidity()) { return; }
    var file = form.elements.namedItem("file").files[0];
    box.hidden = false;
    setRunning(true);
    setStatus(message("uploading"));
    Array.prototype.forEach.call(form.querySelectorAll("fieldset"), function (set) {
      set.disabled = true;
    });
    start(file);
  });

  pauseButton.addEventListener("click", function () {
    paused = true;
    upload.abort();
    setRunning(false);
    setStatus(message("paused"));
    resumeButton.focus();
  });

  resumeButton.addEventListener("click", function () {
    paused = false;
    setRunning(true);
    setStatus(message("uploading"));
    upload.start();
    pauseButton.focus();
  });
})();
