// SwiftResponse console and portal. Plain JavaScript, no build step. Everything it shows and
// changes goes through the JSON API with the session cookie; it decides nothing itself.
'use strict';
(function () {
  const T = JSON.parse(document.getElementById('strings').textContent);
  const body = document.body;
  const page = body.dataset.page;
  const role = body.dataset.role || null;
  const locale = body.dataset.language === 'zh' ? 'zh-CN' : 'en';
  const $ = (sel, root) => (root || document).querySelector(sel);
  const t = (key, fallback) => T[key] || fallback || key;

  // ---- small helpers -------------------------------------------------------------------
  /** Builds an element; strings become text nodes (never HTML), so data cannot inject markup. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  function fill(el, ...children) { el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)); }

  async function api(method, path, data) {
    const headers = { Accept: 'application/json', 'X-Requested-With': 'swift-response' };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, credentials: 'same-origin', body: data === undefined ? undefined : JSON.stringify(data) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (res.status === 401 && role) { location.href = '/console/login?next=' + encodeURIComponent(location.pathname); throw new Error(t('login_title')); }
    if (!res.ok) {
      let msg = (json && (json.detail || json.title)) || res.statusText;
      if (json && json.errors) msg += ': ' + json.errors.map((e) => e.field + ' ' + e.message).join('; ');
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  let toastTimer = null;
  function toast(message, info) {
    const el = $('#toast');
    if (!el) return;
    el.textContent = message;
    el.className = 'toast' + (info ? ' info' : '');
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, info ? 3000 : 8000);
  }
  const fail = (e) => toast(t('error') + ': ' + e.message);

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }
  const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }) : '—');
  const pct = (x) => (x === null || x === undefined ? t('insufficient') : (x * 100).toFixed(1) + '%');

  /** "3 h 20 min left" or "overdue 2 h": the countdown shown next to a deadline. */
  function countdown(iso) {
    if (!iso) return { text: '—', overdue: false };
    const ms = new Date(iso).getTime() - Date.now();
    const abs = Math.abs(ms), d = Math.floor(abs / 86400000), hr = Math.floor((abs % 86400000) / 3600000), mn = Math.floor((abs % 3600000) / 60000);
    const span = d > 0 ? `${d}d ${hr}h` : hr > 0 ? `${hr}h ${mn}min` : `${mn}min`;
    return ms < 0 ? { text: `${t('overdue')} ${span}`, overdue: true } : { text: `${span} ${t('left')}`, overdue: false };
  }
  function statusBadge(s) {
    const cls = ['closed', 'answered', 'evaluated'].includes(s) ? 'good' : ['returned', 'arbitration', 'reopened'].includes(s) ? 'warn' : '';
    return h('span', { class: 'badge ' + cls }, t('status_' + s, s));
  }
  /** The deadline that matters now: accept, then first contact, then resolution. */
  function nextDeadline(tk) {
    const d = tk.deadlines || {};
    if (tk.status === 'dispatched' && d.accept) return d.accept;
    if (['dispatched', 'accepted', 'reopened'].includes(tk.status) && d.firstContact) return d.firstContact;
    return d.resolution || null;
  }
  function ticketLink(n) { return h('a', { href: '/console/tickets/' + encodeURIComponent(n) }, n); }
  /** Links to some tickets, separated by spaces. */
  function ticketLinks(numbers) { return numbers.flatMap((n, i) => (i ? [' ', ticketLink(n)] : [ticketLink(n)])); }

  function table(columns, rows, emptyText) {
    if (!rows.length) return h('p', { class: 'hint' }, emptyText || t('none'));
    return h('table', { class: 'responsive' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((r) => {
        const tr = h('tr', { class: r._class || null });
        for (const c of columns) tr.append(h('td', { 'data-label': c.label, class: c.num ? 'num' : null }, c.cell(r)));
        return tr;
      })));
  }

  // ---- live updates (server-sent events) ------------------------------------------------
  function live(refresh) {
    if (!role || !window.EventSource) return;
    const status = $('#live');
    const source = new EventSource('/api/v1/stream');
    const again = debounce(refresh, 300);
    source.addEventListener('open', () => { if (status) status.textContent = '● ' + t('live_on'); });
    source.addEventListener('error', () => { if (status) status.textContent = '○ ' + t('live_off'); });
    source.addEventListener('ticket', (e) => {
      again(JSON.parse(e.data));
    });
    // Many changes at once: reload whatever the page shows.
    source.addEventListener('reload', () => again(null));
  }

  // ---- places: selects, search, offline map --------------------------------------------
  async function placePicker(onChange) {
    const district = $('#district'), street = $('#street'), search = $('#place-search'), results = $('#place-results');
    const lat = $('#latitude'), lon = $('#longitude'), address = $('#address');
    const places = await api('GET', '/api/v1/places').catch(() => []);
    const districts = places.filter((p) => p.kind === 'district');
    for (const d of districts) district.append(h('option', { value: d.code }, d.name));
    function streets() {
      const keep = street.value;
      fill(street, h('option', { value: '' }, t('pick')));
      for (const s of places.filter((p) => p.kind === 'street' && (!district.value || p.districtCode === district.value))) {
        street.append(h('option', { value: s.code }, s.name + (district.value ? '' : ' · ' + (s.districtName || ''))));
      }
      if ([...street.options].some((o) => o.value === keep)) street.value = keep;
    }
    streets();
    district.addEventListener('change', () => { streets(); onChange(); });
    street.addEventListener('change', () => {
      const s = places.find((p) => p.code === street.value);
      if (s && s.districtCode) district.value = s.districtCode;
      onChange();
    });
    let map = null, marker = null;
    function setPoint(latitude, longitude) {
      lat.value = latitude.toFixed(6); lon.value = longitude.toFixed(6);
      if (map) {
        if (marker) marker.setLatLng([latitude, longitude]);
        else marker = window.L.circleMarker([latitude, longitude], { radius: 8, color: '#a8071a', weight: 3 }).addTo(map);
      }
      onChange();
    }
    function choose(p) {
      if (p.kind === 'district') { district.value = p.code; streets(); street.value = ''; } else { district.value = p.districtCode || ''; streets(); street.value = p.code; }
      if (!address.value) address.value = (p.districtName && p.kind === 'street' ? p.districtName : '') + p.name;
      fill(results);
      if (p.latitude !== null && p.latitude !== undefined) setPoint(p.latitude, p.longitude); else onChange();
      street.focus();
    }
    search.addEventListener('input', debounce(async () => {
      const q = search.value.trim();
      if (!q) { fill(results); return; }
      const found = await api('GET', '/api/v1/places?q=' + encodeURIComponent(q)).catch(() => []);
      fill(results, found.slice(0, 8).map((p) => h('li', {}, h('button', { type: 'button', onclick: () => choose(p) },
        p.name + (p.kind === 'street' && p.districtName ? ' · ' + p.districtName : '')))));
    }, 250));
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); const first = $('button', results); if (first) first.click(); }
    });
    const el = $('#map');
    if (el && window.L) {
      try {
        const [districtLayer, streetLayer] = await Promise.all([
          api('GET', '/api/v1/geo/district'), api('GET', '/api/v1/geo/street').catch(() => null)]);
        map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25 });
        const outline = window.L.geoJSON(districtLayer, { style: { color: '#0b4f8a', weight: 2, fillOpacity: 0.05 } }).addTo(map);
        if (streetLayer) window.L.geoJSON(streetLayer, { style: { color: '#5b7fa3', weight: 1, dashArray: '3', fill: false } }).addTo(map);
        // District names on the map itself, so a place can be found without hovering.
        outline.eachLayer((layer) => layer.bindTooltip(layer.feature.properties.name || layer.feature.properties.key, { permanent: true, direction: 'center', className: 'area-label' }));
        map.fitBounds(outline.getBounds());
        map.on('click', (e) => setPoint(e.latlng.lat, e.latlng.lng));
      } catch (e) {
        fill(el, h('p', { class: 'hint' }, t('no_map')));
        el.style.height = 'auto';
      }
    }
    return {
      location() {
        const loc = {};
        if (lat.value) { loc.latitude = Number(lat.value); loc.longitude = Number(lon.value); }
        if (address.value.trim()) loc.address = address.value.trim();
        if (district.value) loc.districtCode = district.value;
        if (street.value) loc.streetCode = street.value;
        return Object.keys(loc).length ? loc : null;
      },
      reset() {
        district.value = ''; streets(); street.value = ''; address.value = ''; lat.value = ''; lon.value = ''; search.value = '';
        if (marker) { marker.remove(); marker = null; }
      },
    };
  }

  // ---- call-taker ------------------------------------------------------------------------
  async function intake() {
    const form = $('#intake'), panel = $('#suggestions'), result = $('#result'), category = $('#categoryCode');
    let mergeInto = null, lastSuggestion = null;
    const picker = await placePicker(() => suggest());
    function draft() {
      const d = { kind: $('#kind').value, title: $('#title').value, description: $('#description').value };
      if (category.value) d.categoryCode = category.value;
      const loc = picker.location();
      if (loc) d.location = loc;
      return d;
    }
    function pickCategory(c) {
      category.value = c.code;
      $('#category-chosen').textContent = `${t('category')}: ${c.name || c.code} (${t('selected')})`;
      suggest();
    }
    async function answerWith(article) {
      $('#kind').value = 'consultation';
      await submit(article);
    }
    function render(s) {
      lastSuggestion = s;
      const blocks = [];
      blocks.push(h('div', { class: 'suggest-block' }, h('h3', {}, t('suggest_category')),
        s.categories.length ? h('ol', {}, s.categories.map((c, i) => h('li', {},
          h('button', { type: 'button', 'aria-keyshortcuts': 'Alt+' + (i + 1), 'aria-pressed': String(category.value === c.code), onclick: () => pickCategory(c) },
            `${c.name || c.code} · ${t('confidence')} ${(c.confidence * 100).toFixed(0)}%`)))) : h('p', { class: 'hint' }, '—')));
      blocks.push(h('div', { class: 'suggest-block' }, h('h3', {}, t('suggest_unit')),
        s.unit ? h('p', {}, h('strong', {}, s.unit.name || s.unit.code), ' · ', s.automatic ? t('automatic') : t('manual'),
          s.coUnits.length ? ' + ' + s.coUnits.map((u) => u.name || u.code).join(', ') : '') : h('p', { class: 'hint' }, t('manual')),
        s.district || s.street ? h('p', { class: 'hint' }, [s.district && s.district.name, s.street && s.street.name].filter(Boolean).join(' / ')) : null));
      blocks.push(h('div', { class: 'suggest-block' }, h('h3', {}, t('similar')),
        s.similar.length ? h('ul', { class: 'choices' }, s.similar.map((o) => h('li', {},
          ticketLink(o.number), ' ', statusBadge(o.status), ' ', o.title, ' ',
          h('button', { type: 'button', 'aria-pressed': String(mergeInto === o.number), onclick: () => { mergeInto = mergeInto === o.number ? null : o.number; render(lastSuggestion); } },
            mergeInto === o.number ? '✓ ' + t('merge_into') : t('merge_into'))))) : h('p', { class: 'hint' }, t('none'))));
      blocks.push(h('div', { class: 'suggest-block' }, h('h3', {}, t('articles')),
        s.articles.length ? s.articles.map((a) => h('div', { class: 'article' }, h('strong', {}, a.title), h('p', {}, a.body),
          h('button', { type: 'button', onclick: () => answerWith(a) }, t('answer_with')))) : h('p', { class: 'hint' }, t('none'))));
      fill(panel, blocks);
    }
    const suggest = debounce(async () => {
      const d = draft();
      if (!d.title.trim() && !d.description.trim()) return;
      try { render(await api('POST', '/api/v1/suggest', d)); } catch (e) { fail(e); }
    }, 400);
    for (const id of ['title', 'description', 'kind', 'address']) $('#' + id).addEventListener('input', suggest);
    async function submit(article) {
      const d = draft();
      d.channel = 'phone';
      d.urgency = $('#urgent').checked ? 'urgent' : 'normal';
      const c = { name: $('#cname').value.trim() || null, phone: $('#cphone').value.trim() || null, email: $('#cemail').value.trim() || null, anonymous: $('#anonymous').checked };
      if (c.name || c.phone || c.email || c.anonymous) d.complainant = c;
      const button = $('#file');
      button.disabled = true;
      try {
        let ticket = await api('POST', '/api/v1/tickets', d);
        const notes = [];
        if (article) {
          ticket = await api('POST', `/api/v1/tickets/${ticket.number}/answer`, { text: article.body, article: article.id });
          notes.push(t('answered_done'));
        } else if (mergeInto) {
          ticket = await api('POST', `/api/v1/tickets/${ticket.number}/merge`, { into: mergeInto });
          notes.push(t('merged_into') + ' ' + mergeInto);
        }
        fill(result, h('p', { class: 'ok' }, t('filed') + ' ', ticketLink(ticket.number), ' · ', statusBadge(ticket.status),
          ticket.leadUnit ? ' → ' + ticket.leadUnit : '', notes.length ? ' · ' + notes.join(' · ') : ''));
        form.reset(); picker.reset(); category.value = ''; $('#category-chosen').textContent = ''; mergeInto = null;
        fill(panel, h('p', { class: 'hint' }, '—'));
        $('#title').focus();
      } catch (e) {
        fill(result, h('p', { class: 'error' }, e.message));
      } finally {
        button.disabled = false;
      }
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(null); });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(null); }
      if (e.altKey && ['1', '2', '3'].includes(e.key) && lastSuggestion) {
        const c = lastSuggestion.categories[Number(e.key) - 1];
        if (c) { e.preventDefault(); pickCategory(c); }
      }
    });
    $('#title').focus();
  }

  // ---- dispatcher --------------------------------------------------------------------------
  let unitsCache = null;
  async function units() {
    if (!unitsCache) unitsCache = (await api('GET', '/api/v1/units')).filter((u) => u.active !== false);
    return unitsCache;
  }
  const unitName = (code) => { const u = (unitsCache || []).find((x) => x.code === code); return u ? u.name : code; };

  function unitPicker(id, onPick, label) {
    const select = h('select', { id }, h('option', { value: '' }, t('pick')),
      (unitsCache || []).filter((u) => u.kind !== 'district').map((u) => h('option', { value: u.code }, `${u.name} (${u.code})`)));
    return h('div', { class: 'row' }, h('div', {}, h('label', { for: id }, t('other_unit')), select),
      h('div', {}, h('button', { type: 'button', onclick: () => { if (select.value) onPick(select.value); } }, label)));
  }

  async function dispatchPage() {
    await units();
    const act = async (number, action, payload) => {
      try { await api('POST', `/api/v1/tickets/${number}/${action}`, payload); toast(t('done'), true); await load(); } catch (e) { fail(e); }
    };
    function row(tk, mode) {
      const box = h('div', { class: 'card' });
      const sugg = h('div', { 'aria-live': 'polite' });
      const verb = mode === 'arbitration' ? 'arbitrate' : 'dispatch';
      const label = mode === 'arbitration' ? t('arbitrate_to') : tk.status === 'returned' ? t('uphold_to') : t('dispatch_to');
      fill(box, h('p', {}, ticketLink(tk.number), ' ', statusBadge(tk.status), ' ', h('strong', {}, tk.title)),
        h('p', { class: 'hint' }, fmtTime(tk.createdAt), tk.leadUnit ? ' · ' + unitName(tk.leadUnit) : ''),
        sugg,
        h('div', { class: 'actions' },
          unitPicker('pick-' + tk.number, (code) => act(tk.number, verb, { leadUnit: code }), label),
          tk.status === 'returned' && tk.yourActions.includes('reject-return') ? h('button', { type: 'button', class: 'danger', onclick: () => act(tk.number, 'reject-return', {}) }, t('reject_return')) : null));
      if (tk.status === 'returned' || tk.status === 'arbitration') {
        // Why the unit sent it back: the reason and note of its last return.
        api('GET', `/api/v1/tickets/${tk.number}`).then((full) => {
          const last = (full.timeline || []).filter((e) => e.type === 'returned').pop();
          if (!last) return;
          sugg.before(h('p', {}, h('strong', {}, t('return_reason') + ': '), t('reason_' + last.payload.reason, last.payload.reason || ''),
            last.payload.note ? ' · ' + last.payload.note : '', last.actor && last.actor.unitCode ? ' · ' + unitName(last.actor.unitCode) : ''));
        }).catch(() => {});
      }
      if (tk.yourActions.includes(verb)) {
        api('GET', `/api/v1/tickets/${tk.number}/suggestions`).then((s) => {
          const options = s.units.slice(0, 3);
          fill(sugg, h('p', {}, h('span', { class: 'hint' }, t('suggestions') + ': '),
            options.length ? options.map((u) => h('button', { type: 'button', onclick: () => act(tk.number, verb, { leadUnit: u.code }) },
              `${label}: ${unitName(u.code)} · ${(u.confidence * 100).toFixed(0)}%`)) : '—'));
        }).catch(() => {});
      }
      return box;
    }
    // Rows are kept across live refreshes (keyed by number and version), so a refresh never
    // takes a half-made choice away from the dispatcher.
    const rows = new Map();
    function show(container, items, mode) {
      const keep = items.map((x) => {
        const key = `${mode}:${x.number}:${x.version}`;
        if (!rows.has(key)) rows.set(key, row(x, mode));
        return rows.get(key);
      });
      if (!keep.length) { fill(container, h('p', { class: 'hint' }, t('none'))); return; }
      if (keep.length === container.children.length && keep.every((el, i) => container.children[i] === el)) return;
      fill(container, keep);
    }
    async function load() {
      try {
        const waiting = await api('GET', '/api/v1/tickets?status=received,returned&sort=created&limit=200');
        // Consultations are the call-takers' to answer; returned ones always need a ruling.
        show($('#queue'), waiting.items.filter((x) => x.kind !== 'consultation' || x.status === 'returned'), 'queue');
        const disputed = await api('GET', '/api/v1/tickets?status=arbitration&sort=created&limit=50');
        show($('#arbitration'), disputed.items, 'arbitration');
      } catch (e) { fail(e); }
    }
    await load();
    live(load);
  }

  // ---- unit handler's inbox -----------------------------------------------------------------
  async function inbox() {
    async function load() {
      try {
        const list = await api('GET', '/api/v1/tickets?status=dispatched,accepted,contacted,reopened&sort=due&limit=200');
        const rows = list.items.map((tk) => Object.assign(tk, { _class: tk.overdue ? 'overdue' : null }));
        fill($('#inbox'), table([
          { label: t('number'), cell: (r) => ticketLink(r.number) },
          { label: t('title'), cell: (r) => r.title },
          { label: t('status'), cell: (r) => statusBadge(r.status) },
          { label: t('deadline'), cell: (r) => { const c = countdown(nextDeadline(r)); return h('span', { class: c.overdue ? 'badge bad' : '' }, c.text); } },
          { label: t('created'), cell: (r) => fmtTime(r.createdAt) },
        ], rows));
      } catch (e) { fail(e); }
    }
    await load();
    setInterval(load, 60000);  // countdowns move on
    live(load);
  }

  // ---- one ticket ---------------------------------------------------------------------------
  const actionForms = {
    accept: () => [],
    contact: () => [field('note', t('note'), 'textarea', true)],
    return: () => [selectField('reason', t('return_reason'), ['wrong_location', 'not_our_mandate', 'unclear_ownership', 'overlapping_mandate'].map((r) => [r, t('reason_' + r)]), true), field('note', t('note'), 'textarea')],
    reply: () => [field('text', t('reply'), 'textarea', true), checkField('resolved', t('resolved_q'), true)],
    'request-extension': () => [field('until', t('until'), 'datetime-local', true), field('reason', t('note'), 'textarea', true)],
    summon: () => [multiUnitField('units', t('units_to_summon')), field('note', t('note'), 'textarea')],
    comment: () => [field('text', t('note'), 'textarea', true)],
    'acknowledge-summons': () => [],
    'report-summons': () => [field('text', t('note'), 'textarea', true)],
    urge: () => [field('note', t('note'), 'textarea')],
    close: () => [field('note', t('note'), 'textarea')],
    extend: () => [field('until', t('until'), 'datetime-local', true), field('reason', t('note'), 'textarea', true)],
    'decide-extension': () => [selectField('approve', t('action_decide-extension'), [['true', t('approve')], ['false', t('refuse')]], true), field('note', t('note'), 'textarea')],
    reopen: () => [field('reason', t('note'), 'textarea', true)],
    answer: () => [field('text', t('reply'), 'textarea', true)],
    'erase-contacts': () => [field('reason', t('erase_reason'), 'textarea', true)],
  };
  let fieldSeq = 0;
  function field(name, label, type, required) {
    const id = 'f' + (++fieldSeq);
    const input = type === 'textarea' ? h('textarea', { id, name, rows: 3, required }) : h('input', { id, name, type: type || 'text', required });
    return h('div', {}, h('label', { for: id }, label), input);
  }
  function checkField(name, label, checked) {
    const id = 'f' + (++fieldSeq);
    return h('div', { class: 'check' }, h('input', { id, name, type: 'checkbox', checked }), h('label', { for: id }, label));
  }
  /** A labelled list; with `ask`, it starts on an empty choice the user must make (required). */
  function selectField(name, label, options, ask) {
    const id = 'f' + (++fieldSeq);
    return h('div', {}, h('label', { for: id }, label), h('select', { id, name, required: !!ask },
      ask ? h('option', { value: '' }, t('pick')) : null, options.map(([v, l]) => h('option', { value: v }, l))));
  }
  function multiUnitField(name, label) {
    const id = 'f' + (++fieldSeq);
    return h('div', {}, h('label', { for: id }, label), h('select', { id, name, multiple: true, size: 6 },
      (unitsCache || []).filter((u) => u.kind === 'department' || u.kind === 'company').map((u) => h('option', { value: u.code }, u.name))));
  }
  function formValues(form) {
    const out = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === 'checkbox') out[el.name] = el.checked;
      else if (el.multiple) out[el.name] = [...el.selectedOptions].map((o) => o.value);
      else if (el.type === 'datetime-local') { if (el.value) out[el.name] = new Date(el.value).toISOString(); }
      else if (el.name === 'approve') out[el.name] = el.value === 'true';
      else if (el.value.trim()) out[el.name] = el.value.trim();
    }
    return out;
  }

  let categoriesCache = [];
  /** "城乡建设 › 市政管理 › 噪音扰民": a category with its parents. */
  function categoryName(code) {
    const byCode = Object.fromEntries(categoriesCache.map((c) => [c.code, c]));
    const names = [];
    for (let c = byCode[code]; c && names.length < 5; c = byCode[c.parentCode]) names.unshift(c.name);
    return names.length ? `${names.join(' › ')} (${code})` : code;
  }

  async function ticketPage() {
    const box = $('#ticket'), number = box.dataset.number;
    let ratingLink = null;
    await units().catch(() => []);
    categoriesCache = await api('GET', '/api/v1/categories').catch(() => []);
    async function load() {
      let tk;
      try { tk = await api('GET', '/api/v1/tickets/' + encodeURIComponent(number)); } catch (e) { fill(box, h('p', { class: 'error' }, e.message)); return; }
      const c = tk.complainant || {};
      const dl = tk.deadlines || {};
      const details = h('section', { class: 'card', 'aria-labelledby': 'tk-h' },
        h('h1', { id: 'tk-h' }, tk.number + ' ', statusBadge(tk.status), tk.overdue ? h('span', { class: 'badge bad' }, t('overdue')) : null),
        h('h2', {}, tk.title),
        h('p', { class: 'article' }, tk.description || '—'),
        h('dl', {},
          h('dt', {}, t('kind')), h('dd', {}, t('kind_' + tk.kind, tk.kind)),
          h('dt', {}, t('category')), h('dd', {}, tk.categoryCode ? categoryName(tk.categoryCode) : '—'),
          h('dt', {}, t('unit')), h('dd', {}, tk.leadUnit ? unitName(tk.leadUnit) : '—', (tk.coUnits || []).length ? ' + ' + tk.coUnits.map(unitName).join(', ') : ''),
          h('dt', {}, t('location')), h('dd', {}, [tk.location && tk.location.address, tk.location && tk.location.districtCode && unitName(tk.location.districtCode), tk.location && tk.location.streetCode && unitName(tk.location.streetCode)].filter(Boolean).join(' · ') || '—'),
          h('dt', {}, t('complainant')), h('dd', {}, c.anonymous ? t('anonymous') : [c.name, c.phone, c.email].filter(Boolean).join(' · ') || '—'),
          h('dt', {}, t('deadline')), h('dd', {}, dl.resolution ? fmtTime(dl.resolution) + ' · ' + countdown(nextDeadline(tk)).text : '—'),
          tk.reply ? [h('dt', {}, t('reply')), h('dd', {}, tk.reply)] : null));
      const actions = h('section', { class: 'card actions', 'aria-label': t('more_actions') });
      // The next step of the work is open; the others are one click (or Enter) away.
      const primary = ['accept', 'contact', 'reply', 'decide-extension', 'acknowledge-summons'].find((n) => (tk.yourActions || []).includes(n));
      for (const name of tk.yourActions || []) {
        const make = actionForms[name];
        if (!make) continue;
        const form = h('form', {}, make(), h('button', { type: 'submit', class: 'primary' }, t('action_' + name, name)));
        actions.append(h('details', { open: name === primary }, h('summary', {}, t('action_' + name, name)), form));
        form.dataset.action = name;
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          // No `version`: the sweeper's reminders move it every few minutes, and the state
          // machine refuses what is no longer legal anyway.
          const payload = formValues(form);
          try { await api('POST', `/api/v1/tickets/${tk.number}/${name}`, payload); toast(t('done'), true); await load(); } catch (err) { fail(err); }
        });
      }
      if (role === 'agent' || role === 'supervisor' || role === 'admin') {
        const out = h('p', { 'aria-live': 'polite' });
        // The link survives the page re-reading the ticket after a live update.
        const show = () => { if (ratingLink) fill(out, t('link_made') + ': ', h('a', { href: ratingLink, id: 'follow-link' }, ratingLink)); };
        actions.append(h('div', {}, h('button', { type: 'button', id: 'make-link', onclick: async () => {
          try { ratingLink = (await api('POST', `/api/v1/tickets/${tk.number}/follow-up-link`, {})).url; show(); } catch (e) { fail(e); }
        } }, t('follow_link')), out));
        show();
      }
      const timeline = h('section', { class: 'card', 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h' }, t('timeline')),
        h('ol', { class: 'timeline' }, (tk.timeline || []).map((e) => h('li', {}, h('strong', {}, t('event_' + e.type, e.type)), ' · ', fmtTime(e.at), ' · ',
          e.actor ? `${e.actor.name}${e.actor.unitCode ? ' (' + unitName(e.actor.unitCode) + ')' : ''}` : '',
          Object.keys(e.payload || {}).length ? h('div', { class: 'hint' }, Object.entries(e.payload).map(([k, v]) => `${k}: ${v}`).join(' · ')) : null))));
      fill(box, h('div', { class: 'columns' }, h('div', {}, details, timeline), actions));
    }
    // A change from elsewhere never wipes what the user is typing: the page offers a refresh.
    const busy = () => [...box.querySelectorAll('form')].some((f) => f.contains(document.activeElement)
      || [...f.elements].some((e) => (e.tagName === 'TEXTAREA' || e.type === 'text') && e.value));
    await load();
    live((change) => {
      if (change && change.number !== number) return;
      if (!change) change = { status: '' };
      if (!busy()) { load(); return; }
      toast(`${number}: ${change.status ? t('status_' + change.status, change.status) + ' · ' : ''}${t('refresh')}`, true);
    });
  }

  // ---- follow-up agent ------------------------------------------------------------------------
  async function followUp() {
    async function load() {
      try {
        const q = await api('GET', '/api/v1/follow-ups?limit=50');
        fill($('#script'), h('p', {}, q.script.greeting), h('ol', {}, q.script.questions.map((x) => h('li', {}, x))), h('p', {}, q.script.closing));
        fill($('#queue'), q.items.length ? q.items.map((tk) => {
          const c = tk.complainant || {};
          const form = h('form', { class: 'card' },
            h('h3', {}, ticketLink(tk.number), ' ', statusBadge(tk.status), ' ', tk.title),
            h('p', {}, c.anonymous ? t('anonymous') : [c.name, c.phone].filter(Boolean).join(' · ')),
            tk.reply ? h('p', { class: 'article' }, tk.reply) : null,
            // No answer is pre-filled: the agent records what the complainant said.
            selectField('contacted', t('q_contacted'), [['true', t('yes')], ['false', t('no')]], true),
            selectField('resolved', t('q_resolved'), [['true', t('yes')], ['false', t('no')]], true),
            selectField('satisfaction', t('q_satisfied'), ['satisfied', 'basically_satisfied', 'dissatisfied'].map((s) => [s, t('sat_' + s)]), true),
            h('button', { type: 'submit', class: 'primary' }, t('record_rating')),
            h('button', { type: 'button', onclick: async () => {
              try { await api('POST', `/api/v1/tickets/${tk.number}/follow-up`, { outcome: 'no_answer' }); toast(t('done'), true); await load(); } catch (e) { fail(e); }
            } }, t('no_answer')));
          form.addEventListener('submit', async (e) => {
            e.preventDefault();
            const v = {};
            for (const el of form.elements) if (el.name) v[el.name] = el.value;
            try {
              await api('POST', `/api/v1/tickets/${tk.number}/follow-up`, { outcome: 'rated', contacted: v.contacted === 'true', resolved: v.resolved === 'true', satisfaction: v.satisfaction });
              toast(t('done'), true); await load();
            } catch (err) { fail(err); }
          });
          return form;
        }) : h('p', { class: 'hint' }, t('none')));
      } catch (e) { fail(e); }
    }
    await load();
    live(load);
  }

  // ---- supervisor / analyst --------------------------------------------------------------------
  async function oversight() {
    await units().catch(() => []);
    const list = (items) => table([
      { label: t('number'), cell: (r) => ticketLink(r.number) },
      { label: t('title'), cell: (r) => r.title },
      { label: t('unit'), cell: (r) => (r.leadUnit ? unitName(r.leadUnit) : '—') },
      { label: t('deadline'), cell: (r) => countdown(nextDeadline(r)).text },
    ], items);
    const period = $('#rank-period'), level = $('#rank-level');
    async function ranking() {
      const q = new URLSearchParams({ level: level.value });
      if (period.value) q.set('period', period.value);
      const report = await api('GET', '/api/v1/assessment?' + q);
      if (!period.value && report.period && report.period.month) period.value = report.period.month;
      const rows = report.units.slice().sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9));
      fill($('#ranking'), table([
        { label: t('rank'), num: true, cell: (r) => (r.rank ? `${r.rank}/${r.rankedOf}` : '—') },
        { label: t('unit'), cell: (r) => `${r.name} (${r.unit})` },
        { label: t('assigned'), num: true, cell: (r) => String(r.counts.assigned || 0) },
        { label: t('response_rate'), num: true, cell: (r) => pct(r.responseRate) },
        { label: t('resolution_rate'), num: true, cell: (r) => pct(r.resolutionRate) },
        { label: t('satisfaction_rate'), num: true, cell: (r) => pct(r.satisfactionRate) },
        { label: t('rated'), num: true, cell: (r) => String(r.counts.rated || 0) },
        { label: t('composite'), num: true, cell: (r) => (r.composite === null || r.composite === undefined ? t('insufficient') : r.composite.toFixed(1)) },
      ], rows.map((r) => Object.assign(r, { _class: null }))));
      $('#ranking').querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.unit = rows[i].unit; });
    }
    let mapLayer = null, map = null, chart = null;
    async function choropleth() {
      const load = await api('GET', '/api/v1/stats/load');
      const byCode = Object.fromEntries(load.filter((x) => x.districtCode).map((x) => [x.districtCode, x]));
      fill($('#load-table'), table([
        { label: t('district'), cell: (r) => r.name || r.districtCode || '—' },
        { label: t('open_count'), num: true, cell: (r) => String(r.open) },
        { label: t('overdue'), num: true, cell: (r) => String(r.overdue) },
      ], load));
      if (!window.L) return;
      let geo;
      try { geo = await api('GET', '/api/v1/geo/district'); } catch (e) { fill($('#choropleth'), h('p', { class: 'hint' }, t('no_map'))); return; }
      // The scale spans the districts on the map (tickets not yet located are only in the table).
      const max = Math.max(1, ...load.filter((x) => x.districtCode).map((x) => x.open));
      const shade = (n) => { const k = n / max; return k > 0.8 ? '#08306b' : k > 0.6 ? '#2171b5' : k > 0.4 ? '#4292c6' : k > 0.2 ? '#9ecae1' : k > 0 ? '#deebf7' : '#f7fbff'; };
      if (!map) {
        map = window.L.map($('#choropleth'), { attributionControl: false, zoomSnap: 0.25 });
        const legend = window.L.control({ position: 'bottomright' });
        legend.onAdd = () => h('div', { class: 'legend' }, [0, 0.2, 0.4, 0.6, 0.8].map((k) => h('div', {}, h('i', { style: 'background:' + shade(k * max + 0.01) }), `> ${Math.round(k * max)}`)));
        legend.addTo(map);
      }
      if (mapLayer) mapLayer.remove();
      mapLayer = window.L.geoJSON(geo, { style: (f) => ({ color: '#333', weight: 1, fillOpacity: 0.8, fillColor: shade((byCode[f.properties.key] || { open: 0 }).open) }) }).addTo(map);
      mapLayer.eachLayer((layer) => {
        const p = layer.feature.properties, d = byCode[p.key] || { open: 0, overdue: 0 };
        layer.bindTooltip(`${p.name || p.key}: ${d.open}`, { permanent: true, direction: 'center', className: 'area-label' });
      });
      map.fitBounds(mapLayer.getBounds());
    }
    async function trend() {
      const v = await api('GET', '/api/v1/stats/volume?days=30');
      if (!window.Chart) return;
      const palette = ['#0b4f8a', '#a8071a', '#135200', '#7a4a00', '#531dab', '#006d75', '#c41d7f', '#595959'];
      const top = v.series.slice(0, 7);
      const datasets = top.map((s, i) => ({ label: s.name, data: s.counts, borderColor: palette[i], backgroundColor: palette[i], tension: 0.2, pointRadius: 0 }));
      if (chart) { chart.data.labels = v.days.map((d) => d.slice(5)); chart.data.datasets = datasets; chart.update(); return; }
      chart = new window.Chart($('#trend'), { type: 'line', data: { labels: v.days.map((d) => d.slice(5)), datasets }, options: { animation: false, responsive: true, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } } });
    }
    async function load() {
      try {
        const [overdue, escalated, extensions] = await Promise.all([
          api('GET', '/api/v1/tickets?overdue=true&sort=due&limit=15'),
          api('GET', '/api/v1/tickets?queue=escalated&limit=15'),
          api('GET', '/api/v1/tickets?queue=extension&limit=50')]);
        fill($('#overdue'), list(overdue.items));
        fill($('#escalated'), list(escalated.items));
        fill($('#extensions'), extensions.items.length ? extensions.items.map((tk) => {
          const req = (tk.oversight && tk.oversight.extensionRequest) || {};
          const decide = async (approve) => {
            try { await api('POST', `/api/v1/tickets/${tk.number}/decide-extension`, { approve }); toast(t('done'), true); await load(); } catch (e) { fail(e); }
          };
          return h('div', { class: 'card' }, h('p', {}, ticketLink(tk.number), ' ', tk.title, ' · ', unitName(tk.leadUnit || '')),
            h('p', { class: 'hint' }, `${t('until')} ${fmtTime(req.until)} · ${req.reason || ''}`),
            role !== 'dispatcher' ? [h('button', { type: 'button', class: 'primary', onclick: () => decide(true) }, t('approve')),
              h('button', { type: 'button', class: 'danger', onclick: () => decide(false) }, t('refuse'))] : null);
        }) : h('p', { class: 'hint' }, t('none')));
        await ranking();
        await choropleth();
        await trend();
      } catch (e) { fail(e); }
    }
    level.addEventListener('change', () => ranking().catch(fail));
    period.addEventListener('change', () => ranking().catch(fail));
    await load();
    live(load);
  }

  // ---- demand insight ---------------------------------------------------------------------------
  async function insight() {
    await units().catch(() => []);
    categoriesCache = await api('GET', '/api/v1/categories').catch(() => categoriesCache);
    const change = (x) => (x === null || x === undefined ? t('new_label') : (x >= 0 ? '+' : '') + (x * 100).toFixed(0) + '%');
    const place = (code, name) => (code ? (name || unitName(code)) : t('whole_city'));
    const canManage = role === 'supervisor' || role === 'admin';
    const days = $('#fq-days'), level = $('#fq-level');
    // The last N city days, today included (the server knows the city's calendar).
    const range = () => ({ days: days.value });
    async function alerts() {
      const list = await api('GET', '/api/v1/insight/alerts?' + new URLSearchParams(range()));
      fill($('#alerts'), table([
        { label: t('detected'), cell: (a) => fmtTime(a.detectedAt) },
        { label: t('category'), cell: (a) => a.categoryName || a.category },
        { label: t('district'), cell: (a) => place(a.district, a.districtName) },
        { label: t('observed'), num: true, cell: (a) => `${a.observed} / ${a.windowMinutes} min` },
        { label: t('expected'), num: true, cell: (a) => a.expected.toFixed(1) },
        { label: t('status'), cell: (a) => (a.status === 'open' && role !== 'integration'
          ? h('button', { type: 'button', class: 'primary', onclick: async () => {
            try { await api('POST', `/api/v1/insight/alerts/${encodeURIComponent(a.id)}/acknowledge`); toast(t('done'), true); await alerts(); } catch (e) { fail(e); }
          } }, t('acknowledge'))
          : `${t('acknowledged_by')} ${a.acknowledgedBy || '—'}`) },
      ], list.items.map((a) => Object.assign(a, { _class: a.status === 'open' ? 'overdue' : null }))));
    }
    async function clusters(category, name) {
      const r = await api('GET', '/api/v1/insight/clusters?' + new URLSearchParams(Object.assign(range(), { category })));
      fill($('#clusters'), h('p', { class: 'hint' }, `${name}: ${r.sampled} / ${r.tickets} ${t('sampled')}`), table([
        { label: t('title'), cell: (c) => c.label },
        { label: t('keywords'), cell: (c) => c.keywords.join(' · ') },
        { label: t('observed'), num: true, cell: (c) => String(c.tickets) },
        { label: t('share'), num: true, cell: (c) => (c.share * 100).toFixed(1) + '%' },
        { label: t('examples'), cell: (c) => ticketLinks(c.numbers.slice(0, 3)) },
      ], r.clusters));
    }
    async function frequent() {
      const r = await api('GET', '/api/v1/insight/frequent?' + new URLSearchParams(Object.assign(range(), { level: level.value, limit: 15 })));
      fill($('#frequent'), table([
        { label: t('category'), cell: (p) => (p.category ? h('button', { type: 'button', class: 'link', onclick: () => clusters(p.category, p.categoryName || p.category).catch(fail) }, p.categoryName || p.category) : '—') },
        { label: t('observed'), num: true, cell: (p) => String(p.tickets) },
        { label: t('share'), num: true, cell: (p) => (p.share * 100).toFixed(1) + '%' },
        { label: t('change_prev'), num: true, cell: (p) => `${change(p.change)} (${p.previous})` },
        { label: t('change_year'), num: true, cell: (p) => `${change(p.yearChange)} (${p.yearEarlier})` },
      ], r.problems));
    }
    let map = null, layer = null;
    async function hotspots() {
      const r = await api('GET', '/api/v1/insight/hotspots?' + new URLSearchParams(Object.assign(range(), { level: level.value, limit: 15, tickets: 5 })));
      fill($('#hotspots'), table([
        { label: t('category'), cell: (s) => s.categoryName || s.category },
        { label: t('observed'), num: true, cell: (s) => String(s.tickets) },
        { label: t('growth'), num: true, cell: (s) => `${change(s.growth)} (${s.previous})` },
        { label: t('unit'), cell: (s) => (s.unit ? (s.unitName || s.unit) : '—') },
        { label: t('radius_m'), num: true, cell: (s) => `${Math.round(s.radius)} m` },
        { label: t('examples'), cell: (s) => ticketLinks(s.numbers.slice(0, 3)) },
      ], r.hotspots), h('p', { class: 'hint', id: 'hotspots-time' }, `${t('computed_at')} ${fmtTime(r.generatedAt)}`));
      if (!window.L || !r.hotspots.length) return;
      // A circle needs a view to project its radius: set one before adding them.
      if (!map) map = window.L.map($('#hotspot-map'), { attributionControl: false, zoomSnap: 0.25 }).setView([r.hotspots[0].latitude, r.hotspots[0].longitude], 12);
      if (layer) layer.remove();
      layer = window.L.featureGroup(r.hotspots.map((s) => window.L.circle([s.latitude, s.longitude], { radius: s.radius, color: '#a8071a', weight: 1, fillOpacity: 0.35 })
        .bindTooltip(`${s.categoryName || s.category}: ${s.tickets}`))).addTo(map);
      try { window.L.geoJSON(await api('GET', '/api/v1/geo/district'), { style: () => ({ color: '#555', weight: 1, fill: false }) }).addTo(map); } catch (e) { /* no boundaries: circles only */ }
      map.fitBounds(window.L.latLngBounds(r.hotspots.map((x) => [x.latitude, x.longitude])).pad(0.5), { maxZoom: 15 });
    }
    async function repeats() {
      // A rolling window (the period chosen above), never the calendar month: on the 2nd a
      // caller who rang four times last week is still listed.
      const ask = (kind) => api('GET', '/api/v1/insight/repeats?' + new URLSearchParams({ kind, limit: 10, ...range() }));
      const [callers, places] = await Promise.all([ask('caller'), ask('address')]);
      const cols = [
        { label: t('observed'), num: true, cell: (r) => String(r.tickets) },
        { label: t('last_ticket'), cell: (r) => ticketLink(r.lastNumber) },
      ];
      fill($('#repeat-callers'), table([{ label: t('callers'), cell: (r) => r.label }].concat(cols), callers.items));
      fill($('#repeat-places'), table([{ label: t('places'), cell: (r) => r.label }].concat(cols), places.items));
    }
    const districts = () => (unitsCache || []).filter((u) => u.kind === 'district');
    function problemFields(i, p) {
      const cat = selectField(`p${i}_category`, `${t('problem_n')} ${i + 1} · ${t('category')}`, categoriesCache.map((c) => [c.code, categoryName(c.code)]), true);
      const dis = selectField(`p${i}_district`, t('district'), districts().map((u) => [u.code, u.name]), true);
      const title = field(`p${i}_title`, `${t('problem_n')} ${i + 1} · ${t('title')}`, 'text', i === 0);
      const words = field(`p${i}_words`, t('words'));
      if (p) {
        title.querySelector('input').value = p.title;
        if (p.categories[0]) cat.querySelector('select').value = p.categories[0];
        if (p.districts[0]) dis.querySelector('select').value = p.districts[0];
        words.querySelector('input').value = p.words.join(' ');
      }
      cat.querySelector('select').required = false;
      dis.querySelector('select').required = false;
      return h('fieldset', {}, h('legend', {}, `${t('problem_n')} ${i + 1}`), h('div', { class: 'row' }, title, cat, dis, words));
    }
    function topicBody(v) {
      const problems = [0, 1, 2].map((i) => ({
        title: v[`p${i}_title`], categories: v[`p${i}_category`] ? [v[`p${i}_category`]] : [],
        districts: v[`p${i}_district`] ? [v[`p${i}_district`]] : [], words: (v[`p${i}_words`] || '').split(/\s+/).filter(Boolean),
      })).filter((p) => p.title);
      return { month: v.month, title: v.title, leadUnit: v.leadUnit, problems };
    }
    async function topicDetail(id) {
      const d = await api('GET', `/api/v1/topics/${encodeURIComponent(id)}`);
      const tp = d.topic, vol = d.volume;
      const box = $('#topic-detail');
      const volume = h('table', { class: 'responsive' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('problem_n')), vol.months.map((m) => h('th', { scope: 'col', class: 'num' }, m === vol.topicMonth ? `[${m}]` : m)),
          h('th', { scope: 'col', class: 'num' }, t('before_avg')), h('th', { scope: 'col', class: 'num' }, t('after_avg')))),
        h('tbody', {}, vol.problems.map((p) => h('tr', {}, h('td', { 'data-label': t('problem_n') }, p.title),
          p.counts.map((n, i) => h('td', { 'data-label': vol.months[i], class: 'num' }, String(n))),
          h('td', { 'data-label': t('before_avg'), class: 'num' }, p.before.toFixed(1)),
          h('td', { 'data-label': t('after_avg'), class: 'num' }, p.after === null || p.after === undefined ? '—' : `${p.after.toFixed(1)} (${change(p.change)})`)))));
      const tasks = h('ul', {}, tp.tasks.map((task, i) => h('li', {}, canManage ? h('input', { type: 'checkbox', id: `task-${i}`, checked: task.done, onchange: (e) => save({ tasks: tp.tasks.map((x, k) => (k === i ? Object.assign({}, x, { done: e.target.checked }) : x)) }) }) : (task.done ? '✓ ' : '○ '),
        h('label', { for: `task-${i}` }, ` ${task.title}${task.unit ? ' · ' + unitName(task.unit) : ''}`))));
      async function save(changes) {
        try {
          await api('POST', `/api/v1/topics/${encodeURIComponent(tp.id)}`, Object.assign({ month: tp.month, title: tp.title, leadUnit: tp.leadUnit, status: tp.status,
            problems: tp.problems, tasks: tp.tasks, outcome: tp.outcome, version: tp.version }, changes));
          toast(t('done'), true);
          await topics();
          await topicDetail(tp.id);
        } catch (e) { fail(e); }
      }
      const manage = canManage ? h('form', { id: 'topic-edit', onsubmit: (e) => {
        e.preventDefault();
        const v = formValues(e.target);
        const tasksNow = v.task ? tp.tasks.concat([{ title: v.task, unit: v.task_unit || null, done: false }]) : tp.tasks;
        save({ status: v.status, outcome: v.outcome || null, tasks: tasksNow });
      } }, h('div', { class: 'row' },
        selectField('status', t('topic_status'), ['planned', 'active', 'done'].map((s) => [s, t('status_' + s)])),
        field('task', t('task_add')), selectField('task_unit', t('unit'), (unitsCache || []).map((u) => [u.code, u.name]), true)),
      field('outcome', t('outcome'), 'textarea'), h('button', { type: 'submit', class: 'primary' }, t('save'))) : null;
      fill(box, h('h3', {}, `${tp.title} · ${tp.month} · ${unitName(tp.leadUnit)} · ${t('status_' + tp.status)}`), volume,
        h('h4', {}, t('tasks')), tasks, tp.outcome ? h('p', {}, `${t('outcome')}: ${tp.outcome}`) : null, manage);
      if (manage) {
        manage.querySelector('select[name=status]').value = tp.status;
        manage.querySelector('select[name=task_unit]').required = false;
        if (tp.outcome) manage.querySelector('textarea[name=outcome]').value = tp.outcome;
      }
    }
    async function topics() {
      const list = await api('GET', '/api/v1/topics');
      fill($('#topics'), table([
        { label: t('month'), cell: (tp) => tp.month },
        { label: t('topic_theme'), cell: (tp) => h('button', { type: 'button', class: 'link', onclick: () => topicDetail(tp.id).catch(fail) }, tp.title) },
        { label: t('lead_unit'), cell: (tp) => unitName(tp.leadUnit) },
        { label: t('topic_status'), cell: (tp) => t('status_' + tp.status) },
        { label: t('tasks'), num: true, cell: (tp) => `${tp.tasks.filter((x) => x.done).length}/${tp.tasks.length}` },
      ], list.items));
    }
    if (canManage) {
      const form = $('#topic-new');
      fill(form, h('div', { class: 'row' }, field('title', t('topic_theme'), 'text', true),
        h('div', {}, h('label', { for: 'topic-month' }, t('month')), h('input', { id: 'topic-month', name: 'month', type: 'month', required: true, value: new Date().toISOString().slice(0, 7) })),
        selectField('leadUnit', t('lead_unit'), (unitsCache || []).map((u) => [u.code, `${u.name} (${u.code})`]), true)),
      [0, 1, 2].map((i) => problemFields(i)), h('button', { type: 'submit', class: 'primary' }, t('topic_new')));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          const created = await api('POST', '/api/v1/topics', topicBody(formValues(form)));
          toast(t('done'), true);
          form.reset();
          $('#topic-new-box').open = false;
          await topics();
          await topicDetail(created.id);
        } catch (err) { fail(err); }
      });
    } else {
      $('#topic-new-box').hidden = true;
    }
    async function load() {
      try {
        await alerts();
        await frequent();
        await hotspots();
        await repeats();
      } catch (e) { fail(e); }
    }
    days.addEventListener('change', () => load());
    level.addEventListener('change', () => load());
    await load();
    await topics().catch(fail);
    live(load);
    // Alerts come from the detector, not from ticket changes: look again every half minute too.
    setInterval(() => alerts().catch(() => {}), 30000);
  }

  // ---- knowledge base --------------------------------------------------------------------------
  async function knowledge() {
    const q = $('#kb-q'), expired = $('#kb-expired'), list = $('#kb-list'), editor = $('#kb-editor');
    const admin = role === 'admin';
    if (editor && admin) editor.hidden = false;
    async function load() {
      const params = new URLSearchParams({ limit: '100' });
      if (q.value.trim()) params.set('q', q.value.trim());
      if (expired.checked) params.set('expired', 'true');
      try {
        const items = await api('GET', '/api/v1/knowledge?' + params);
        fill(list, items.length ? items.map((a) => h('article', { class: 'article' },
          h('h2', {}, a.title, a.valid ? '' : h('span', { class: 'badge warn' }, t('kb_expired'))),
          h('p', {}, a.body),
          h('p', { class: 'hint' }, `${t('kb_uses')}: ${a.uses}`, a.categories.length ? ` · ${t('category')}: ${a.categories.join(', ')}` : '',
            a.validUntil ? ` · ${t('kb_valid_until')} ${fmtTime(a.validUntil)}` : '', a.score !== undefined && a.score !== null ? ` · score ${a.score}` : ''),
          admin ? [h('button', { type: 'button', onclick: () => edit(a) }, t('kb_edit')),
            h('button', { type: 'button', class: 'danger', onclick: async () => { try { await api('DELETE', '/api/v1/knowledge/' + a.id); await load(); } catch (e) { fail(e); } } }, t('kb_delete'))] : null))
          : h('p', { class: 'hint' }, t('none')));
      } catch (e) { fail(e); }
    }
    function edit(a) {
      $('#kb-id').value = a ? a.id : '';
      $('#kb-title').value = a ? a.title : '';
      $('#kb-body').value = a ? a.body : '';
      $('#kb-categories').value = a ? a.categories.join(',') : '';
      $('#kb-valid').value = a && a.validUntil ? a.validUntil.slice(0, 10) : '';
      $('#kb-editor-h').textContent = a ? t('kb_edit') : t('kb_new');
      $('#kb-title').focus();
    }
    if (editor && admin) {
      editor.addEventListener('submit', async (e) => {
        e.preventDefault();
        const id = $('#kb-id').value;
        const payload = { title: $('#kb-title').value, body: $('#kb-body').value,
          categories: $('#kb-categories').value.split(',').map((s) => s.trim()).filter(Boolean) };
        if ($('#kb-valid').value) payload.validUntil = new Date($('#kb-valid').value + 'T23:59:59').toISOString();
        try { await api(id ? 'PUT' : 'POST', '/api/v1/knowledge' + (id ? '/' + id : ''), payload); toast(t('saved'), true); edit(null); await load(); } catch (err) { fail(err); }
      });
      $('#kb-reset').addEventListener('click', () => edit(null));
    }
    q.addEventListener('input', debounce(load, 250));
    expired.addEventListener('change', load);
    await load();
  }

  // ---- public portal -----------------------------------------------------------------------------
  async function portal() {
    const form = $('#portal-form'), result = $('#result');
    const picker = await placePicker(() => {});
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const payload = { kind: $('#kind').value, title: $('#title').value, description: $('#description').value,
        name: $('#cname').value || null, phone: $('#cphone').value || null, anonymous: $('#anonymous').checked };
      const loc = picker.location();
      if (loc) payload.location = loc;
      try {
        const receipt = await api('POST', '/api/v1/public/requests', payload);
        fill(result, h('p', { class: 'ok' }, t('portal_filed') + ' ', h('a', { href: receipt.track, id: 'tracking-number' }, receipt.number),
          ' · ' + t('tracking_code') + ' ', h('strong', { id: 'tracking-code' }, receipt.trackingCode)), h('p', {}, t('portal_keep')));
        form.reset(); picker.reset();
        result.focus();
      } catch (err) {
        fill(result, h('p', { class: 'error' }, err.message));
      }
    });
  }

  async function track() {
    const box = $('#track'), number = box.dataset.number, code = box.dataset.code || '';
    if (!number) return;
    try {
      const r = await api('GET', '/api/v1/public/requests/' + encodeURIComponent(number) + '?' + new URLSearchParams({ code }));
      fill(box, h('section', { class: 'card' },
        h('h2', {}, r.number, ' ', statusBadge(r.status)),
        h('p', {}, h('strong', {}, r.title)),
        h('dl', {}, h('dt', {}, t('kind')), h('dd', {}, t('kind_' + r.kind, r.kind)),
          h('dt', {}, t('category')), h('dd', {}, r.category || '—'),
          h('dt', {}, t('district')), h('dd', {}, r.district || '—'),
          h('dt', {}, t('unit')), h('dd', {}, r.unit || '—'),
          h('dt', {}, t('deadline')), h('dd', {}, r.resolutionDue ? fmtTime(r.resolutionDue) : '—'),
          r.reply ? [h('dt', {}, t('reply')), h('dd', {}, r.reply)] : null),
        h('h3', {}, t('timeline')),
        h('ol', { class: 'timeline' }, r.timeline.map((s) => h('li', {}, h('strong', {}, t('event_' + s.type, s.type)), ' · ', fmtTime(s.at))))));
    } catch (e) {
      fill(box, h('p', { class: 'error' }, e.status === 404 ? t('portal_not_found') : e.message));
    }
  }

  async function dashboard() {
    try {
      const d = await api('GET', '/api/v1/public/dashboard');
      const tile = (label, value, id) => h('div', { class: 'tile', id }, h('div', { class: 'big' }, value), h('div', {}, label));
      fill($('#rates'), tile(t('response_rate'), pct(d.responseRate), 'rate-response'), tile(t('resolution_rate'), pct(d.resolutionRate), 'rate-resolution'),
        tile(t('satisfaction_rate'), pct(d.satisfactionRate), 'rate-satisfaction'), tile(t('open_now'), String(d.open), 'open-now'),
        h('p', { class: 'hint' }, `${t('this_month')} ${d.period} · ${t('assigned')} ${d.assigned} · ${t('rated')} ${d.rated}`));
      const series = d.volume.series.slice(0, 6);
      fill($('#volume-table'), table([{ label: t('category'), cell: (s) => s.name }, { label: t('volume30'), num: true, cell: (s) => String(s.total) }], d.volume.series));
      if (window.Chart) {
        new window.Chart($('#volume'), { type: 'bar', data: { labels: d.volume.days.map((x) => x.slice(5)),
          datasets: series.map((s, i) => ({ label: s.name, data: s.counts, backgroundColor: ['#0b4f8a', '#a8071a', '#135200', '#7a4a00', '#531dab', '#006d75'][i] })) },
          options: { animation: false, responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } } });
      }
    } catch (e) { fail(e); }
  }

  const pages = { intake, dispatch: dispatchPage, inbox, ticket: ticketPage, followup: followUp, oversight, insight, knowledge, portal, track, dashboard };
  if (pages[page]) {
    pages[page]().then(() => { body.dataset.ready = '1'; }).catch((e) => { fail(e); body.dataset.ready = 'error'; });
  } else {
    body.dataset.ready = '1';
  }
})();
