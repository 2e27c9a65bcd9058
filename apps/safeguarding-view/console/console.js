// The practitioner's console. It uses only the public query API with the practitioner's own bearer token,
// so it can show nothing the API would not. Plain DOM, no framework: every control is a native element,
// so keyboard use, focus and screen readers work as the browser gives them.

const TOKEN_KEY = 'jigsaw.console.token';
const AGENCY_NAMES = { council: 'Council', police: 'Police', health: 'Health', education: 'Education' };
const PURPOSE_NAMES = {
  safeguarding: 'Safeguarding',
  'child-protection': 'Child protection',
  'early-help': 'Early help',
  'education-welfare': 'Education welfare',
  'health-care': 'Health care',
  audit: 'Audit',
};
const AUDIT_ROLES = ['auditor', 'data-protection-officer', 'review-panel'];

const $ = (id) => document.getElementById(id);

/** Builds an element; text is always set as text, never as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  claims: undefined,
  config: { devSignIn: false, personas: [], auditUrl: undefined },
  child: undefined,
  cursor: undefined,
};

class ApiProblem extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `the request failed (${status})`);
    this.problem = problem;
    this.status = status;
  }
}

async function api(path, { method = 'GET', body, base = '' } = {}) {
  const headers = { accept: 'application/json' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const payload = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiProblem(payload ?? {}, response.status);
  return payload;
}

function say(message) {
  $('status').textContent = message;
}

function showProblem(error) {
  const alert = $('alert');
  alert.replaceChildren();
  const problem = error instanceof ApiProblem ? error.problem : { detail: String(error.message ?? error) };
  alert.append(el('h2', { text: 'There is a problem' }), el('p', { text: problem.detail ?? problem.title }));
  if (Array.isArray(problem.errors) && problem.errors.length > 0) {
    alert.append(
      el(
        'ul',
        {},
        problem.errors.map((e) => el('li', { text: `${e.field}: ${e.reason}` })),
      ),
    );
  }
  alert.hidden = false;
  if (error instanceof ApiProblem && error.status === 401)
    signOut('Your sign-in has expired: sign in again.');
}

function clearProblem() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
}

/** The token's claims, for display and for choosing a purpose; the server checks them on every call. */
function claimsOf(token) {
  try {
    const part = token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/');
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')));
  } catch {
    return undefined;
  }
}

function signIn(token) {
  const claims = claimsOf(token);
  if (!claims || !claims.agency || !claims.role) {
    showProblem(new Error('that is not a practitioner token'));
    return;
  }
  state.token = token;
  state.claims = claims;
  sessionStorage.setItem(TOKEN_KEY, token);
  render();
  show('find');
}

function signOut(message) {
  state.token = undefined;
  state.claims = undefined;
  state.child = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
  render();
  show('sign-in');
  if (message) say(message);
}

const SECTIONS = ['sign-in', 'find', 'notifications', 'access-log'];

function show(section) {
  for (const id of SECTIONS) $(id).hidden = id !== section;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  clearProblem();
  if (section === 'notifications') void loadInbox();
  const heading = $(section).querySelector('h1');
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

function render() {
  const signedIn = Boolean(state.token && state.claims);
  $('who').hidden = !signedIn;
  $('sections').hidden = !signedIn;
  if (!signedIn) return;
  const { sub, role, organisation } = state.claims;
  $('who-text').textContent = `${sub}, ${role.replaceAll('-', ' ')}, ${organisation}`;
  $('nav-access-log').hidden = !AUDIT_ROLES.includes(role);
  const purposes = (state.claims.purposes ?? []).filter((p) => p !== 'audit');
  $('purpose').replaceChildren(
    ...purposes.map((p) => el('option', { value: p, text: PURPOSE_NAMES[p] ?? p })),
  );
}

// --- Finding a child and showing what the viewer may see ------------------------------------------------

async function findChild(event) {
  event.preventDefault();
  clearProblem();
  const form = new FormData(event.target);
  const kind = form.get('kind');
  const identifier = String(form.get('identifier') ?? '').trim();
  const purpose = String(form.get('purpose') ?? '');
  if (!identifier) {
    showProblem(
      new ApiProblem(
        { detail: 'enter an identifier', errors: [{ field: kind, reason: 'is required' }] },
        400,
      ),
    );
    $('identifier').focus();
    return;
  }
  try {
    say('Looking…');
    const { childId } = await api(`/v1/children?${new URLSearchParams({ [kind]: identifier, purpose })}`);
    state.child = { childId, purpose };
    state.cursor = undefined;
    await Promise.all([loadView(), loadChronology(false)]);
    $('child').hidden = false;
    say('');
    $('child-title').focus();
  } catch (error) {
    say('');
    $('child').hidden = true;
    showProblem(error);
  }
}

const label = (text) =>
  String(text)
    .replaceAll('-', ' ')
    .replace(/^./, (c) => c.toUpperCase());

function describe(value) {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(describe).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
      .map(([k, v]) => `${label(k)}: ${v}`)
      .join('; ');
  }
  return String(value);
}

function agencyTag(agency) {
  return el('span', {
    class: 'agency-tag',
    'data-agency': agency,
    text: AGENCY_NAMES[agency] ?? agency ?? 'Hub',
  });
}

function renderView(view) {
  const container = $('view');
  container.replaceChildren();
  if (!view) return;
  for (const flag of view.flags ?? []) {
    container.append(
      el(
        'div',
        { class: 'flag', role: 'note' },
        el('strong', { text: flag.title ?? label(flag.kind) }),
        el('p', { text: describe(flag.detail ?? flag) }),
      ),
    );
  }
  const statuses = view.statuses ?? {};
  const statusItems = Object.entries(statuses).filter(([, v]) => v);
  container.append(
    el('h3', { text: 'Current status' }),
    statusItems.length === 0
      ? el('p', { text: 'Nothing you may see shows a current status.' })
      : el(
          'dl',
          {},
          statusItems.flatMap(([name, value]) => [
            el('dt', { text: label(name) }),
            el('dd', { text: value === true ? 'Yes' : describe(value) }),
          ]),
        ),
  );
  const agencies = view.agencies ?? [];
  container.append(
    el('h3', { text: 'Agencies involved' }),
    agencies.length === 0
      ? el('p', { text: 'None that you may see.' })
      : el(
          'ul',
          {},
          agencies.map((a) =>
            el(
              'li',
              { 'data-agency': a.agency },
              agencyTag(a.agency),
              ' ',
              describe({ organisation: a.organisation, ...(a.leadPractitioner ?? {}) }),
            ),
          ),
        ),
  );
  const counts = view.counts ?? view.last12Months;
  if (counts) {
    container.append(
      el('h3', { text: 'In the last 12 months' }),
      el(
        'dl',
        {},
        Object.entries(counts).flatMap(([name, n]) => [
          el('dt', { text: label(name) }),
          el('dd', { text: String(n) }),
        ]),
      ),
    );
  }
  const signals = view.signals ?? view.riskSignals ?? [];
  container.append(
    el('h3', { text: 'Risk signals' }),
    signals.length === 0
      ? el('p', { text: 'No risk signals in what you may see.' })
      : el(
          'ul',
          {},
          signals.map((s) =>
            el(
              'li',
              {},
              el('strong', { text: s.title ?? label(s.kind ?? s.signal ?? 'signal') }),
              ' ',
              s.explanation ?? '',
            ),
          ),
        ),
  );
}

async function loadView() {
  const { childId, purpose } = state.child;
  try {
    renderView(await api(`/v1/children/${childId}/view?${new URLSearchParams({ purpose })}`));
  } catch (error) {
    // A service without the shared view still has the chronology.
    if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
    renderView(undefined);
  }
}

function entryItem(entry) {
  const when = new Date(entry.occurredAt);
  const summary = entry.summary ?? describe(entry.data);
  return el(
    'li',
    { 'data-agency': entry.agency ?? 'hub' },
    el(
      'p',
      {},
      el('time', {
        class: 'when',
        datetime: entry.occurredAt,
        text: when.toLocaleString('en-GB', {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'Europe/London',
        }),
      }),
      ' · ',
      agencyTag(entry.agency),
    ),
    el('p', { text: label(entry.type.split('.').slice(1).join(' ') || entry.type) }),
    summary ? el('p', { text: summary }) : undefined,
    entry.standing && entry.standing !== 'in-force'
      ? el('p', { class: 'hint', text: `Sharing: ${label(entry.standing)}` })
      : undefined,
  );
}

async function loadChronology(more) {
  const { childId, purpose } = state.child;
  const query = new URLSearchParams({ purpose });
  if (more && state.cursor) query.set('cursor', state.cursor);
  const page = await api(`/v1/children/${childId}/chronology?${query}`);
  const entries = page.entries ?? [];
  const timeline = $('timeline');
  if (!more) timeline.replaceChildren();
  timeline.append(...entries.map(entryItem));
  state.cursor = page.nextCursor ?? page.next ?? undefined;
  $('more').hidden = !state.cursor;
  const agencies = [...new Set([...timeline.querySelectorAll('li')].map((li) => li.dataset.agency))];
  $('legend').replaceChildren(
    ...agencies.map((a) => el('span', { 'data-agency': a, text: AGENCY_NAMES[a] ?? 'Hub' })),
  );
  if (entries.length === 0 && !more)
    timeline.append(el('li', { text: 'Nothing you may see for this purpose.' }));
}

// --- Notifications ----------------------------------------------------------------------------------

async function loadInbox() {
  const inbox = $('inbox');
  try {
    say('Loading notifications…');
    const page = await api('/v1/notifications');
    const items = page.notifications ?? page.items ?? [];
    say('');
    if (items.length === 0) {
      inbox.replaceChildren(el('p', { text: 'No notifications for your organisation.' }));
      return;
    }
    inbox.replaceChildren(
      el(
        'table',
        {},
        el('caption', {
          class: 'hint',
          text: `${items.length} notification${items.length === 1 ? '' : 's'} for your organisation`,
        }),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['What', 'About', 'Due', 'Status', ''].map((h) => el('th', { scope: 'col', text: h })),
          ),
        ),
        el('tbody', {}, items.map(notificationRow)),
      ),
    );
  } catch (error) {
    say('');
    showProblem(error);
  }
}

function notificationRow(n) {
  const acknowledged = Boolean(n.acknowledgedAt ?? n.acknowledgement);
  const due = n.dueBy ?? n.deadline ?? n.dueAt;
  const what = n.title ?? label(n.kind ?? 'notification');
  const button = acknowledged
    ? el('span', { text: 'Acknowledged' })
    : el(
        'button',
        { type: 'button', class: 'secondary', 'data-id': n.id, 'aria-label': `Acknowledge: ${what}` },
        'Acknowledge',
      );
  if (!acknowledged) button.addEventListener('click', () => void acknowledge(n.id));
  return el(
    'tr',
    {},
    el('td', {}, el('strong', { text: what }), n.summary ? el('p', { text: n.summary }) : undefined),
    el('td', { text: n.childId ?? '' }),
    el('td', {
      text: due
        ? new Date(due).toLocaleString('en-GB', {
            dateStyle: 'medium',
            timeStyle: 'short',
            timeZone: 'Europe/London',
          })
        : '',
    }),
    el('td', { text: label(n.status ?? (acknowledged ? 'acknowledged' : 'new')) }),
    el('td', {}, button),
  );
}

async function acknowledge(id) {
  try {
    await api(`/v1/notifications/${encodeURIComponent(id)}/acknowledgement`, { method: 'POST', body: {} });
    say('Notification acknowledged.');
    await loadInbox();
    say('Notification acknowledged.');
    $('notifications-title').focus();
  } catch (error) {
    showProblem(error);
  }
}

// --- Access log (auditors) --------------------------------------------------------------------------

async function loadAccessLog(event) {
  event.preventDefault();
  clearProblem();
  const child = String(new FormData(event.target).get('child') ?? '').trim();
  const container = $('access-entries');
  try {
    const base = state.config.auditUrl ?? '';
    const log = await api(`/v1/children/${encodeURIComponent(child)}/access-log?purpose=audit`, { base });
    const entries = log.entries ?? log.accesses ?? [];
    container.replaceChildren(
      entries.length === 0
        ? el('p', { text: 'Nobody has looked at this child’s records.' })
        : el(
            'table',
            {},
            el('caption', { class: 'hint', text: 'Who looked, when and why' }),
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['When', 'Who', 'Organisation', 'What', 'Purpose'].map((h) =>
                  el('th', { scope: 'col', text: h }),
                ),
              ),
            ),
            el(
              'tbody',
              {},
              entries.map((a) =>
                el(
                  'tr',
                  {},
                  [
                    a.at ?? a.time,
                    a.who ?? a.viewer?.sub,
                    a.organisation ?? a.viewer?.organisation,
                    a.view,
                    a.purpose ?? a.viewer?.purpose,
                  ].map((v) => el('td', { text: v ?? '' })),
                ),
              ),
            ),
          ),
    );
  } catch (error) {
    showProblem(error);
  }
}

// --- Start ------------------------------------------------------------------------------------------

async function loadConfig() {
  try {
    const response = await fetch('/console/config', { headers: { accept: 'application/json' } });
    if (response.ok) state.config = await response.json();
  } catch {
    // The console still works with a pasted token.
  }
  const form = $('dev-sign-in');
  form.hidden = !state.config.devSignIn;
  const personas = state.config.personas ?? [];
  $('persona').replaceChildren(...personas.map((p, i) => el('option', { value: String(i), text: p.title })));
  const choose = () => {
    const persona = personas[Number($('persona').value)];
    if (persona) $('organisation').value = persona.organisation;
  };
  $('persona').addEventListener('change', choose);
  choose();
}

async function devSignIn(event) {
  event.preventDefault();
  clearProblem();
  try {
    const persona = state.config.personas[Number($('persona').value)];
    const { token } = await api('/console/dev-token', {
      method: 'POST',
      body: { persona: persona.id, organisation: $('organisation').value.trim() },
    });
    signIn(token);
  } catch (error) {
    showProblem(error);
  }
}

function start() {
  $('token-sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim());
  });
  $('dev-sign-in').addEventListener('submit', (event) => void devSignIn(event));
  $('sign-out').addEventListener('click', () => signOut('You have signed out.'));
  $('find-form').addEventListener('submit', (event) => void findChild(event));
  $('more').addEventListener('click', () => void loadChronology(true).catch(showProblem));
  $('access-form').addEventListener('submit', (event) => void loadAccessLog(event));
  for (const link of document.querySelectorAll('nav a')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      show(link.dataset.section);
    });
  }
  void loadConfig();
  if (state.token) state.claims = claimsOf(state.token);
  render();
  if (state.claims) show('find');
}

start();
