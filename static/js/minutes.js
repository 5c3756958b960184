// Minutes editor: autosave by htmx (see hx-trigger on #minutes-form). Conflict and
// validation answers (409, 422) are shown, not dropped; a failed request is retried
// so a dropped connection loses nothing that was typed.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:sendError", (event) => {
  const label = document.getElementById("autosave-status");
  if (label) {
    label.textContent = label.dataset.offline || "Không có kết nối — sẽ lưu lại khi có mạng.";
    label.className = "autosave-status text-warning";
  }
  const form = document.getElementById("minutes-form");
  if (form) {
    setTimeout(() => htmx.trigger(form, "change"), 10000);
  }
});
