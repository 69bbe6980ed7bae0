/* oslo-incubator report: sorting and filtering of tables that the page already shows.
   Everything reads without this script; it only adds buttons to column headers, the
   fleet's filters and a text filter above long tables. Nothing is fetched. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var given = cell.getAttribute("data-sort-value");
    return given !== null ? given : cell.textContent.trim();
  }

  function compare(kind) {
    if (kind === "number" || kind === "status") {
      return function (a, b) {
        var x = parseFloat(a), y = parseFloat(b);
        if (isNaN(x)) { x = -Infinity; }
        if (isNaN(y)) { y = -Infinity; }
        return x - y;
      };
    }
    return function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); };
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var order = compare(kind);
        Array.prototype.forEach.call(table.tBodies, function (body) {
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var result = order(cellValue(a, index), cellValue(b, index));
            return ascending ? result : -result;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function addTextFilter(table) {
    var region = table.parentNode;
    var id = table.id + "-filter";
    var wrap = document.createElement("p");
    wrap.className = "table-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter rows ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("aria-controls", table.id);
    var count = document.createElement("span");
    count.className = "sr";
    count.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(count);
    region.parentNode.insertBefore(wrap, region);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0, rows = table.tBodies[0] ? table.tBodies[0].rows : [];
      Array.prototype.forEach.call(rows, function (row) {
        var match = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " rows shown";
    });
  }

  function fleetFilters(form) {
    var table = document.getElementById("matrix");
    if (!table) { return; }
    form.hidden = false;
    var count = document.getElementById("filter-count");
    var moduleInput = document.getElementById("filter-module");
    var projectSelect = document.getElementById("filter-project");
    var boxes = form.querySelectorAll('input[name="status"]');

    function apply() {
      var statuses = {}, all = true;
      Array.prototype.forEach.call(boxes, function (box) {
        statuses[box.value] = box.checked;
        if (!box.checked) { all = false; }
      });
      var query = moduleInput.value.trim().toLowerCase();
      var project = projectSelect.value;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        var p = th.getAttribute("data-project");
        th.hidden = p !== null && project !== "" && p !== project;
      });
      var shown = 0, total = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var name = (row.getAttribute("data-module") || "").toLowerCase();
        var visible = 0;
        Array.prototype.forEach.call(row.querySelectorAll("td.cell"), function (cell) {
          var p = cell.getAttribute("data-project");
          var status = cell.getAttribute("data-status");
          cell.hidden = project !== "" && p !== project;
          var copied = status !== "none";
          var match = copied ? statuses[status] === true : all;
          cell.classList.toggle("filtered", !match);
          if (copied && !cell.hidden) {
            total += 1;
            if (match) { visible += 1; }
          }
        });
        var keep = name.indexOf(query) !== -1 && visible > 0;
        row.hidden = !keep;
        if (keep) { shown += visible; }
      });
      count.textContent = shown + " of " + total + " module copies shown";
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.data"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll('table[data-filter="text"]'), addTextFilter);
    var form = document.getElementById("fleet-filters");
    if (form) { fleetFilters(form); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
