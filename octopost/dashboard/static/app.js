// Octopost dashboard: the few live parts. Written for this app; no libraries.
"use strict";
(function () {
  const octopost = {};

  // The session's CSRF token, from the page's <meta name="csrf-token">.
  octopost.csrfToken = function () {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };

  // Calls a small JSON endpoint under /app/api/... with the CSRF header. GET without a body, POST with one.
  // Resolves to the parsed answer; rejects with an Error whose .status and .body come from the envelope.
  octopost.fetchJSON = async function (url, body, options) {
    const method = (options && options.method) || (body === undefined ? "GET" : "POST");
    const headers = { "Accept": "application/json", "X-CSRF-Token": octopost.csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await fetch(url, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const text = await answer.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!answer.ok) {
      const error = new Error((parsed && parsed.error) || answer.statusText);
      error.status = answer.status;
      error.body = parsed;
      throw error;
    }
    return parsed;
  };

  // The browser's time zone, for pages that show times (the calendar adds ?tz=… when none was chosen).
  octopost.browserTimeZone = function () {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { return "UTC"; }
  };

  // A page with an element marked data-default-tz reloads itself with the browser's zone when opened without ?tz=.
  function fillTimeZone() {
    document.querySelectorAll("[data-default-tz]").forEach(function (element) {
      const url = new URL(window.location.href);
      if (!url.searchParams.has("tz")) {
        url.searchParams.set("tz", octopost.browserTimeZone());
        window.location.replace(url.toString());
      }
    });
  }

  // Buttons with data-confirm ask before their form is sent.
  function confirmDangerous() {
    document.addEventListener("submit", function (event) {
      const button = event.submitter;
      const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
      if (message && !window.confirm(message)) event.preventDefault();
    });
  }

  window.octopost = octopost;
  document.addEventListener("DOMContentLoaded", function () {
    fillTimeZone();
    confirmDangerous();
  });
})();
