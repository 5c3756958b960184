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
    // A typed date that is not a real one (31/02/1990) is left as typed, for the
    // server to refuse with a message: the picker must never turn it into another
    // date (03/03/1990) or clear it.
    const isRealDate = (text, format) => {
      const value = String(text).trim();
      if (format === "m/Y") {
        const m = /^(\d{1,2})\/(\d{4})$/.exec(value);
        return !!m && +m[1] >= 1 && +m[1] <= 12;
      }
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value);
      if (!m) return false;
      const day = new Date(+m[3], +m[2] - 1, +m[1]);
      const dateOk =
        day.getFullYear() === +m[3] && day.getMonth() === +m[2] - 1 && day.getDate() === +m[1];
      const timeOk = m[4] === undefined || (+m[4] <= 23 && +m[5] <= 59);
      return dateOk && timeOk;
    };
    const keepWhatWasTyped = (_dates, _text, picker) => {
      // Typing closes the calendar, so it never covers the form's buttons.
      picker._input.addEventListener("input", () => picker.close());
      const setDate = picker.setDate;
      picker.setDate = (date, triggerChange, format) => {
        if (typeof date === "string" && date.trim() && !isRealDate(date, format)) return;
        return setDate(date, triggerChange, format);
      };
    };
    // The picker reads a date only when it is a real one (it would roll 31/02 over
    // into March); a field preloaded with an impossible date is left as it is.
    const parseRealDate = (text, format) => {
      if (!isRealDate(text, format)) return undefined;
      const n = String(text).trim().split(/[\/\s:]+/).map(Number);
      if (format === "m/Y") return new Date(n[1], n[0] - 1, 1);
      return new Date(n[2], n[1] - 1, n[0], n[3] || 0, n[4] || 0);
    };
    const common = {
      allowInput: true,
      allowInvalidPreload: true,
      parseDate: parseRealDate,
      disableMobile: true,
      locale: locale,
      onReady: [keepWhatWasTyped],
    };
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
