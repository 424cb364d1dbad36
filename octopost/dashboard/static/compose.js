// The Compose page's live parts: thread segments, counters as each platform counts, image uploads, time zone.
// Written for Octopost; no libraries. Without it the form still submits (one post, no uploads).
"use strict";
(function () {
  const DEBOUNCE_MS = 300;
  const UNIT_NAMES = { graphemes: "characters", weighted: "weighted characters", utf16: "UTF-16 units",
    characters: "characters", bytes: "bytes" };

  let form, segmentList, announcer;
  let timer = null;
  let asked = 0; // only the newest check's answer is shown
  const overBefore = new Map(); // "platform:index" → true when last shown past its limit

  function segments() { return Array.from(segmentList.querySelectorAll("[data-segment]")); }

  // Labels, ids and button names follow each segment's place, so screen readers hear "Segment 2" where it is.
  function renumber() {
    segments().forEach(function (item, index) {
      const n = index + 1;
      const area = item.querySelector("textarea");
      area.id = "segment-" + index;
      const label = item.querySelector("[data-segment-label]");
      label.htmlFor = area.id;
      label.textContent = "Segment " + n;
      item.querySelector("[data-counters]").setAttribute("aria-label", "Live counts, segment " + n);
      item.querySelector('[data-segment-move="up"]').textContent = "Move segment " + n + " up";
      item.querySelector('[data-segment-move="down"]').textContent = "Move segment " + n + " down";
      item.querySelector("[data-segment-remove]").textContent = "Remove segment " + n;
    });
  }

  function addSegment() {
    const template = document.getElementById("segment-template");
    const item = template.content.firstElementChild.cloneNode(true);
    segmentList.appendChild(item);
    renumber();
    item.querySelector("textarea").focus();
    scheduleCheck();
  }

  function onSegmentButton(event) {
    const button = event.target.closest("button");
    if (!button) return;
    const item = button.closest("[data-segment]");
    if (button.hasAttribute("data-segment-remove")) {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      renumber();
      (next ? next.querySelector("textarea") : document.getElementById("add-segment")).focus();
    } else if (button.dataset.segmentMove === "up" && item.previousElementSibling) {
      segmentList.insertBefore(item, item.previousElementSibling);
      renumber();
      item.querySelector('[data-segment-move="up"]').focus();
    } else if (button.dataset.segmentMove === "down" && item.nextElementSibling) {
      segmentList.insertBefore(item.nextElementSibling, item);
      renumber();
      item.querySelector('[data-segment-move="down"]').focus();
    } else {
      return;
    }
    scheduleCheck();
  }

  // The form's fields as the server reads them (name → list of values), without the CSRF token.
  function fields() {
    const out = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || typeof value !== "string") return;
      (out[name] = out[name] || []).push(value);
    });
    return out;
  }

  function scheduleCheck() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, DEBOUNCE_MS);
  }

  async function check() {
    const mine = ++asked;
    let answer;
    try {
      answer = await window.octopost.fetchJSON("/app/api/validate", fields());
    } catch (error) {
      if (mine === asked) showUnavailable(error);
      return;
    }
    if (mine === asked) showCounts(answer);
  }

  // The counters under each text: index 0 is the main text, then each segment in order.
  function counterLists() {
    return [document.getElementById("counters-main")]
      .concat(segments().map(function (item) { return item.querySelector("[data-counters]"); }));
  }

  function labelOf(platform) {
    const box = form.querySelector('input[name="platform"][value="' + platform + '"]');
    return box ? box.parentElement.textContent.trim() : platform;
  }

  function fieldOf(index) { return index === 0 ? "content" : "segment-" + (index - 1); }

  function reasonFor(answer, platform, index) {
    const placed = answer.fields || {};
    const own = (placed[fieldOf(index)] || []).concat(placed["version-" + platform] || []);
    return own.find(function (problem) { return problem.indexOf(platform + ":") === 0; }) || "";
  }

  function showCounts(answer) {
    const lists = counterLists();
    lists.forEach(function (list) { list.replaceChildren(); });
    const changes = [];
    Object.entries(answer.platforms || {}).forEach(function (entry) {
      const platform = entry[0];
      const label = labelOf(platform);
      (entry[1].segments || []).forEach(function (count) {
        const list = lists[count.index];
        const over = count.remaining < 0;
        if (!list || (count.unit === "bytes" && !over)) return; // bytes matter only once they are too many
        const item = document.createElement("li");
        item.className = "counter" + (over ? " over" : "");
        item.dataset.platform = platform;
        const unit = UNIT_NAMES[count.unit] || count.unit;
        let text = label + ": " + count.count + " / " + count.limit + " " + unit;
        if (over) {
          const reason = reasonFor(answer, platform, count.index);
          text += " — over the limit by " + (-count.remaining) + (reason ? " (" + reason + ")" : "");
        }
        item.textContent = text;
        list.appendChild(item);
        const key = platform + ":" + count.index + ":" + count.unit;
        if ((overBefore.get(key) || false) !== over) {
          const where = count.index === 0 ? "main text" : "segment " + count.index;
          changes.push(label + ", " + where + (over ? ": over the limit by " + (-count.remaining) : ": within the limit"));
        }
        overBefore.set(key, over);
      });
    });
    if (changes.length) announcer.textContent = changes.join(". ");
  }

  function showUnavailable(error) {
    counterLists().forEach(function (list) { list.replaceChildren(); });
    const first = counterLists()[0];
    const item = document.createElement("li");
    item.className = "counter";
    item.textContent = "Counts unavailable: " + error.message;
    first.appendChild(item);
  }

  // Images: the file's bytes go to the dashboard's upload endpoint (the same service as POST /v1/media); the
  // answer's URL joins the form as an attachment whose alt text stays editable.
  async function upload() {
    const input = document.getElementById("image-file");
    const alt = document.getElementById("image-alt");
    const status = document.getElementById("upload-status");
    const file = input.files && input.files[0];
    if (!file) { status.textContent = "Choose an image file first."; input.focus(); return; }
    status.textContent = "Uploading " + file.name + "…";
    let answer;
    try {
      const response = await fetch("/app/api/media", {
        method: "POST",
        body: file,
        headers: { "Content-Type": file.type || "application/octet-stream", "Accept": "application/json",
          "X-CSRF-Token": window.octopost.csrfToken() },
        credentials: "same-origin",
      });
      answer = await response.json();
      if (!response.ok) throw new Error(answer.error || response.statusText);
    } catch (error) {
      status.textContent = "Upload failed: " + error.message;
      return;
    }
    addAttachment(answer.url, alt.value, await preview(file), file.name);
    status.textContent = "Attached " + file.name + ".";
    input.value = "";
    alt.value = "";
    scheduleCheck();
  }

  // A data: URL of the chosen file (the page's policy allows data: images, and the upload's own URL needs a key).
  function preview(file) {
    return new Promise(function (resolve) {
      const reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { resolve(""); };
      reader.readAsDataURL(file);
    });
  }

  function addAttachment(url, altText, source, name) {
    const list = document.getElementById("attachments");
    const item = document.createElement("li");
    item.className = "attachment";
    item.setAttribute("data-attachment", "");
    if (source) {
      const image = document.createElement("img");
      image.src = source;
      image.alt = "";
      image.className = "thumbnail";
      item.appendChild(image);
    }
    const caption = document.createElement("span");
    caption.className = "attachment-name";
    caption.textContent = name;
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "media_url";
    hidden.value = url;
    const label = document.createElement("label");
    label.setAttribute("data-alt-label", "");
    const alt = document.createElement("input");
    alt.type = "text";
    alt.name = "media_alt";
    alt.value = altText;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary";
    remove.setAttribute("data-attachment-remove", "");
    item.append(caption, hidden, label, alt, remove);
    list.appendChild(item);
    renumberAttachments();
  }

  function renumberAttachments() {
    document.querySelectorAll("#attachments [data-attachment]").forEach(function (item, index) {
      const n = index + 1;
      const alt = item.querySelector('input[name="media_alt"]');
      alt.id = "media-alt-" + n;
      const label = item.querySelector("[data-alt-label]");
      label.htmlFor = alt.id;
      label.textContent = "Alt text for image " + n;
      item.querySelector("[data-attachment-remove]").textContent = "Remove image " + n;
      const image = item.querySelector("img");
      if (image) image.alt = "Image " + n + (alt.value ? ": " + alt.value : "");
    });
  }

  function onAttachmentButton(event) {
    const button = event.target.closest("[data-attachment-remove]");
    if (!button) return;
    button.closest("[data-attachment]").remove();
    renumberAttachments();
    document.getElementById("image-file").focus();
    scheduleCheck();
  }

  // The browser's zone unless the form came back with one chosen.
  function defaultTimeZone() {
    const select = document.getElementById("timezone");
    if (select.hasAttribute("data-kept")) return;
    const zone = window.octopost.browserTimeZone();
    if (Array.from(select.options).some(function (option) { return option.value === zone; })) select.value = zone;
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("compose-form");
    if (!form) return;
    segmentList = document.getElementById("segments");
    announcer = document.getElementById("counter-announcer");
    document.querySelectorAll(".no-script").forEach(function (hint) { hint.hidden = true; });
    const add = document.getElementById("add-segment");
    add.hidden = false;
    add.addEventListener("click", addSegment);
    document.getElementById("upload").hidden = false;
    document.getElementById("upload-image").addEventListener("click", upload);
    segmentList.addEventListener("click", onSegmentButton);
    document.getElementById("attachments").addEventListener("click", onAttachmentButton);
    form.addEventListener("input", scheduleCheck);
    form.addEventListener("change", scheduleCheck);
    defaultTimeZone();
    scheduleCheck();
  });
})();
