// Every dropdown (the Actions menus of table rows above all) is positioned "fixed", relative
// to the window: a table's scrolling wrapper (.table-responsive) clips an absolutely
// positioned menu, which cut off, and made unclickable, the menu of a table with one row.
// Bootstrap reads these defaults when a dropdown is first opened, also in swapped-in tables.
if (window.bootstrap) {
  window.bootstrap.Dropdown.Default.popperConfig = { strategy: "fixed" };
}
