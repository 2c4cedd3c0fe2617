//<![CDATA[
document.documentElement.className = 'js';
(function () {
  var table = document.getElementById('deployment-table');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.querySelectorAll('th[data-key]'));
  var text = document.getElementById('filter-text');
  var verdict = document.getElementById('filter-verdict');
  var count = document.getElementById('filter-count');
  function sortBy(th, up) {
    var key = 'data-' + th.getAttribute('data-key');
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    rows.sort(function (a, b) {
      var x = a.getAttribute(key), y = b.getAttribute(key);
      var c = isNaN(x) || isNaN(y) ? x.localeCompare(y) : x - y;
      return (up ? c : -c) || a.getAttribute('data-order') - b.getAttribute('data-order');
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function filter() {
    var q = text.value.toLowerCase(), v = verdict.value, n = 0;
    rows.forEach(function (r) {
      var shown = (!v || r.getAttribute('data-verdict') === v) ? r.getAttribute('data-name').indexOf(q) !== -1 : false;
      r.hidden = !shown;
      n += shown ? 1 : 0;
    });
    count.textContent = n + ' of ' + rows.length + ' shown';
  }
  // The view in the address, to share: #sort=out-desc&verdict=unsupported&q=east
  function remember() {
    var parts = [], th = table.querySelector('th[aria-sort]');
    if (th) { parts.push('sort=' + th.getAttribute('data-key') + (th.getAttribute('aria-sort') === 'descending' ? '-desc' : '')); }
    if (verdict.value) { parts.push('verdict=' + encodeURIComponent(verdict.value)); }
    if (text.value) { parts.push('q=' + encodeURIComponent(text.value)); }
    try { history.replaceState(null, '', '#' + parts.join('&')); } catch (e) { }
  }
  heads.forEach(function (th) {
    var button = document.createElement('button');
    button.type = 'button';
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener('click', function () {
      sortBy(th, th.getAttribute('aria-sort') !== 'ascending');
      remember();
    });
  });
  text.addEventListener('input', function () { filter(); remember(); });
  verdict.addEventListener('change', function () { filter(); remember(); });
  document.getElementById('filters').hidden = false;
  // Every part without a name and a value is ignored; the count is shown whatever the address.
  location.hash.slice(1).split('&').forEach(function (pair) {
    var at = pair.indexOf('='), name = pair.slice(0, at), value;
    if (at === -1) { return; }
    try { value = decodeURIComponent(pair.slice(at + 1)); } catch (e) { return; }
    if (name === 'sort') {
      var desc = value.slice(-5) === '-desc', key = desc ? value.slice(0, -5) : value;
      heads.forEach(function (th) { if (th.getAttribute('data-key') === key) { sortBy(th, !desc); } });
    } else if (name === 'verdict') {
      verdict.value = value;
      if (verdict.value !== value) { verdict.value = ''; }
    } else if (name === 'q') {
      text.value = value;
    }
  });
  filter();
})();
//]]>
