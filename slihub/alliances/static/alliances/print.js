// "Print this page": shown only when JavaScript runs (the button is hidden without it).
for (const button of document.querySelectorAll("[data-print-page]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
