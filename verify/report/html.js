
(function () {
  'use strict';
  var panel = document.getElementById('panel');
  var hint = document.getElementById('hint');
  var current = null;
  var returning = false;
  function badges() {
    var all = Array.prototype.slice.call(document.querySelectorAll('button.badge'));
    return all.filter(function (b) {
      return b.offsetParent !== null && /s-(partial|unsupported|contradicted|unverifiable)/
        .test(b.className);
    });
  }
  function open(key, focus) {
    var ev = document.getElementById('ev-' + key);
    if (!ev) return;
    close();
    ev.hidden = false;
    hint.hidden = true;
    panel.classList.add('open');
    current = key;
    document.querySelectorAll('mark.claim[data-claim="' + key + '"]').forEach(function (m) {
      m.classList.add('active');
    });
    var b = document.getElementById('c-' + key);
    if (b) {
      b.setAttribute('aria-expanded', 'true');
      if (focus) { b.focus(); b.scrollIntoView({block: 'center'}); }
    }
  }
  function close() {
    if (current === null) return;
    var ev = document.getElementById('ev-' + current);
    if (ev) ev.hidden = true;
    document.querySelectorAll('mark.claim.active').forEach(function (m) {
      m.classList.remove('active');
    });
    var b = document.getElementById('c-' + current);
    if (b) b.setAttribute('aria-expanded', 'false');
    panel.classList.remove('open');
    hint.hidden = false;
    current = null;
  }
  function dismiss() {
    // closing gives the focus back to the claim's symbol, not to the top of the page
    var b = current === null ? null : document.getElementById('c-' + current);
    close();
    returning = true;  // focus events fire within focus(): this one must not reopen it
    if (b) b.focus();
    returning = false;
  }
  function step(by) {
    var list = badges();
    if (!list.length) return;
    var at = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].dataset.claim === current) at = i;
    }
    var next = at < 0 ? (by > 0 ? 0 : list.length - 1) : (at + by + list.length) % list.length;
    open(list[next].dataset.claim, true);
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.closest('.close')) { dismiss(); return; }
    var jump = t.closest('[data-open]');
    if (jump) { e.preventDefault(); open(jump.dataset.open, true); return; }
    if (t.closest('a')) return;
    var claim = t.closest('[data-claim]');
    // focus already opened a symbol's claim: a click must not close it again
    if (claim && claim.dataset.claim !== current) open(claim.dataset.claim, false);
  });
  document.addEventListener('focusin', function (e) {
    var b = e.target.closest && e.target.closest('button.badge');
    if (b && !returning && b.dataset.claim !== current) open(b.dataset.claim, false);
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea') return;
    if (e.key === 'n' || e.key === 'j') { step(1); e.preventDefault(); }
    else if (e.key === 'p' || e.key === 'k') { step(-1); e.preventDefault(); }
    else if (e.key === 'Escape') { dismiss(); }
  });
  document.getElementById('next').addEventListener('click', function () { step(1); });
  document.getElementById('prev').addEventListener('click', function () { step(-1); });
  var only = document.getElementById('only');
  only.addEventListener('change', function () {
    document.body.classList.toggle('only', only.checked);
  });
  if (location.hash.indexOf('#c-') === 0) open(location.hash.slice(3), true);
})();
