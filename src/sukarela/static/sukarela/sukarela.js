// On a phone the menu starts folded so the page itself is on the first screen.
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector(".nav details");
  if (menu && window.matchMedia("(max-width: 899px)").matches) menu.removeAttribute("open");
});
