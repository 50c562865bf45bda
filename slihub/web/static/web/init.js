// Starts GOV.UK Frontend's components (service navigation, error summary, ...).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
