// Buttons marked data-print open the browser's print dialog (no inline handlers under the CSP).
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-print]");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
