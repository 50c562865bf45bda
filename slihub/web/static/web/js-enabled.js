// Marks the page as having JavaScript, and GOV.UK Frontend's support for it, before the page is drawn and
// before GOV.UK Frontend starts its components (web/init.js, a module, runs after this classic script).
// A file rather than an inline script: the Content-Security-Policy allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
