// Trend chart of the compliance dashboard; the numbers are also in a table on the page.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("trend-chart");
  if (!canvas || typeof window.Chart === "undefined") return;
  const series = (name) =>
    (canvas.dataset[name] || "").split(",").map((v) => (v === "" ? null : Number(v)));
  const labels = (canvas.dataset.labels || "").split(",").filter((v) => v !== "");
  const line = (name, color) => ({
    label: canvas.dataset["label" + name.charAt(0).toUpperCase() + name.slice(1)],
    data: series(name),
    borderColor: color,
    backgroundColor: color,
    spanGaps: true,
    tension: 0.2,
  });
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: [
        line("held", "#a4161a"),
        line("attendance", "#1e6b3a"),
        line("speaking", "#8a6d1d"),
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + " %" } } },
    },
  });
});
