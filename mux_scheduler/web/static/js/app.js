// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry the CSRF header even from fragments swapped in later.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // An htmx request that fails shows the server's message instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var title = doc.querySelector("[data-testid=error-title]");
    window.alert(title ? title.textContent.trim() : xhr.status + " " + xhr.statusText);
  });
})();
