// Saves an observation draft as the supervisor types, through the JSON API, so nothing typed is lost
// if the tablet sleeps or the page is closed. The version travels with each save: a save from a
// stale tab is refused by the server, and this script then stops and says so instead of retrying.
(function () {
  var form = document.getElementById('observation-form');
  if (!form || !window.fetch) { return; }
  var status = document.getElementById('autosave-status');
  var version = document.getElementById('record-version');
  var timer = null;
  var stopped = false;
  function body() {
    var sections = {};
    var checklist = [];
    Array.prototype.forEach.call(form.querySelectorAll('textarea'), function (t) { sections[t.name] = t.value; });
    Array.prototype.forEach.call(form.querySelectorAll('input[name=checklist]:checked'), function (c) { checklist.push(c.value); });
    return JSON.stringify({ sections: sections, checklist: checklist, version: parseInt(version.value, 10) || 0 });
  }
  function save() {
    if (stopped) { return; }
    status.textContent = 'Saving…';
    fetch(form.getAttribute('data-autosave'), {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: body()
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, status: r.status, json: j }; });
    }).then(function (res) {
      if (res.ok) {
        version.value = res.json.version;
        status.textContent = 'Draft saved at ' + new Date().toLocaleTimeString().slice(0, 5) + '.';
      } else {
        stopped = true;
        status.textContent = 'Not saved: ' + ((res.json && res.json.error && res.json.error.message) || 'please press Save the draft') + ' Your text is still here.';
      }
    }).catch(function () { status.textContent = 'Not saved yet (no connection). Your text is still here; it will be saved when you type again.'; });
  }
  form.addEventListener('input', function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 3000);
  });
})();
