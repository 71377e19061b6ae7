/* global document, window, fetch, setTimeout */
// The sync run page follows a queued or running run: it asks /api/admin/sync/<id> every two seconds, shows the
// pages read and records written, and reloads once the run has finished (then the page shows its result).
// Served as a file: the Content-Security-Policy allows no inline script.
(function () {
  'use strict';
  var el = document.getElementById('run-progress');
  if (!el || !window.fetch) return;
  var runId = el.getAttribute('data-run-id');
  var n = function (v) {
    return Number(v).toLocaleString('en-US');
  };
  function text(run) {
    var p = run.progress;
    if (!p) return run.status === 'queued' ? 'Waiting to start…' : 'Starting…';
    return (
      'Reading ' +
      p.collection +
      ': ' +
      n(p.pagesRead) +
      ' page' +
      (p.pagesRead === 1 ? '' : 's') +
      ' read, ' +
      n(p.recordsRead) +
      ' records read, ' +
      n(p.recordsWritten) +
      ' written.'
    );
  }
  function poll() {
    fetch('/api/admin/sync/' + encodeURIComponent(runId), {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (run) {
        if (!run) return setTimeout(poll, 5000);
        if (run.status !== 'queued' && run.status !== 'running') return window.location.reload();
        var next = text(run);
        if (el.textContent !== next) el.textContent = next;
        setTimeout(poll, 2000);
      })
      .catch(function () {
        setTimeout(poll, 5000);
      });
  }
  setTimeout(poll, 1000);
})();
