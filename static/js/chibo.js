// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit filter forms marked data-autosubmit when a select changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });

  // Wide tables marked data-scroll-end open on their last columns (the latest
  // months of a heatmap); the reader scrolls back for earlier ones.
  // Their scroll hint (data-scroll-hint: its id) shows only when there is more.
  document.querySelectorAll("[data-scroll-end]").forEach((box) => {
    box.scrollLeft = box.scrollWidth;
    const hint = document.getElementById(box.dataset.scrollHint || "");
    if (hint && box.scrollWidth <= box.clientWidth) hint.hidden = true;
  });

  // Date pickers in the page's language that keep dd/mm/yyyy (vendor/flatpickr).
  // The fields stay text inputs: typing a date works with or without the picker.
  if (window.flatpickr) {
    const locale = document.documentElement.lang === "vi" ? "vn" : "default";
    const common = { allowInput: true, disableMobile: true, locale: locale };
    window.flatpickr(".js-date", { ...common, dateFormat: "d/m/Y" });
    window.flatpickr(".js-datetime", {
      ...common,
      dateFormat: "d/m/Y H:i",
      enableTime: true,
      time_24hr: true,
    });
    if (window.monthSelectPlugin) {
      window.flatpickr(".js-month", {
        ...common,
        plugins: [new window.monthSelectPlugin({ shorthand: true, dateFormat: "m/Y" })],
      });
    }
  }

  // File inputs speak the page's language: the browser's own control says
  // "Choose File / No file chosen" in the browser's language. The native input
  // stays in the page (keyboard, forms, validation); it is only hidden from view.
  const body = document.body;
  document.querySelectorAll('input[type="file"]').forEach((input) => {
    if (input.dataset.enhanced) return;
    input.dataset.enhanced = "1";
    if (!input.id) input.id = `file-${Math.random().toString(36).slice(2)}`;
    const wrap = document.createElement("div");
    wrap.className = "file-pick";
    const button = document.createElement("label");
    button.className = "btn btn-outline-secondary file-pick-button";
    button.htmlFor = input.id;
    button.textContent = body.dataset.fileChoose;
    const name = document.createElement("span");
    name.className = "file-pick-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = body.dataset.fileNone;
    input.classList.add("file-pick-input");
    input.parentNode.insertBefore(wrap, input);
    wrap.append(input, button, name);
    input.addEventListener("change", () => {
      const files = Array.from(input.files || []).map((file) => file.name);
      name.textContent = files.length ? files.join(", ") : body.dataset.fileNone;
    });
  });
});
