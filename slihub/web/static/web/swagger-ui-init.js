// Starts Swagger UI on the API documentation page (slihub/api/templates/api/swagger.html).
// django-ninja's swagger-ui-init.js, plus repairs for screen-reader users:
// - the page has its own <h1> and description, so Swagger UI's title block (a second <h1>) is left
//   out, and a plugin adds an <h2> before its <h3> section headings (WCAG 1.3.1; axe "heading-order");
// - it gives the controls for a route's parameters no label, so each one is named after
//   its parameter as Swagger UI draws it (WCAG 4.1.2; axe "select-name", "label"), and
//   its copy buttons no name;
// - its boxes of example code scroll but cannot take the keyboard focus (WCAG 2.1.1).
const page = document.getElementById("swagger-ui").dataset;
const config = JSON.parse(document.getElementById("swagger-settings").textContent);

const headingPlugin = () => ({
  wrapComponents: {
    InfoContainer: () => () => null,
    operations: (Original, system) => (props) =>
      system.React.createElement(
        system.React.Fragment,
        null,
        system.React.createElement("h2", { className: "app-swagger-heading" }, "Routes"),
        system.React.createElement(Original, props),
      ),
  },
});

config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
config.plugins = [headingPlugin];
if (page.apiCsrf && page.csrfToken) {
  config.requestInterceptor = (request) => {
    request.headers["X-CSRFToken"] = page.csrfToken;
    return request;
  };
}
window.ui = SwaggerUIBundle(config);

const labelParameters = () => {
  for (const row of document.querySelectorAll("#swagger-ui tr[data-param-name]")) {
    const name = `${row.dataset.paramName} (${row.dataset.paramIn || "parameter"})`;
    for (const control of row.querySelectorAll("input, select, textarea")) {
      if (!control.labels?.length && !control.hasAttribute("aria-label")) {
        control.setAttribute("aria-label", name);
      }
    }
  }
  for (const button of document.querySelectorAll("#swagger-ui .copy-to-clipboard button:not([aria-label])")) {
    button.setAttribute("aria-label", "Copy to clipboard");
  }
  for (const code of document.querySelectorAll("#swagger-ui pre:not([tabindex])")) {
    code.setAttribute("tabindex", "0");
  }
};
new MutationObserver(labelParameters).observe(document.getElementById("swagger-ui"), {
  childList: true,
  subtree: true,
});
