// Starts GOV.UK Frontend's components (service navigation, error summary, ...).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// Printed pages show the content of every details element (the progress profile's figures):
// open them for printing and close again the ones that were closed.
const closedForPrint = [];
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
    closedForPrint.push(details);
  }
});
window.addEventListener("afterprint", () => {
  while (closedForPrint.length) closedForPrint.pop().open = false;
});
