// Shows the value of the map area under the pointer or keyboard focus above the map.
// Screen readers already hear it: each area's link has it as its accessible name.
const readout = document.getElementById("map-readout");
const map = readout && readout.parentElement.querySelector("svg");
if (map) {
  const show = (event) => {
    const link = event.target.closest("a.app-map__link");
    if (link) readout.textContent = link.getAttribute("aria-label");
  };
  map.addEventListener("focusin", show);
  map.addEventListener("mouseover", show);
}
