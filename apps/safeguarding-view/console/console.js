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
  /** What the viewer last looked for: the self-claim form claims access to that child. */
  sought: undefined,
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
  state.sought = { kind, identifier, purpose };
  $('no-record').hidden = true;
  await showChild(kind, identifier, purpose);
}

async function showChild(kind, identifier, purpose) {
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
    // An unknown child and one the viewer's organisation does not work with answer alike.
    if (error instanceof ApiProblem && error.status === 404) {
      $('no-record').hidden = false;
      $('no-record-title').focus();
      return;
    }
    showProblem(error);
  }
}

/** Self-claimed access: recorded with its reason and reported to the DPOs of the child's organisations. */
async function claimAccess(event) {
  event.preventDefault();
  clearProblem();
  const reason = String(new FormData(event.target).get('reason') ?? '').trim();
  const { kind, identifier, purpose } = state.sought ?? {};
  if (!identifier) return;
  try {
    say('Claiming access…');
    await api(`/v1/children/access-claims?${new URLSearchParams({ purpose })}`, {
      method: 'POST',
      body: { [kind]: identifier, purpose, reason },
    });
    $('no-record').hidden = true;
    event.target.reset();
    await showChild(kind, identifier, purpose);
  } catch (error) {
    say('');
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

const STATUS_NAMES = {
  childProtectionPlan: 'Child protection plan',
  lookedAfter: 'Looked after',
  childInNeed: 'Child in need',
  familyHelp: 'Family help',
  schoolOnRoll: 'On a school roll',
  electiveHomeEducation: 'Electively home educated',
  missing: 'Missing',
};
const COUNT_NAMES = {
  emergencyAttendances: 'Emergency attendances',
  domesticAbuseIncidents: 'Domestic abuse incidents',
  missingEpisodes: 'Missing episodes',
  exclusions: 'Suspensions and exclusions',
};
const londonDate = (iso) =>
  new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: 'Europe/London' });

function contactLine(contact) {
  if (!contact) return '';
  return [contact.name, contact.role, contact.team, contact.phone, contact.email].filter(Boolean).join(', ');
}

function statusText(status) {
  const parts = [status.current ? 'Yes' : 'Ended'];
  if (status.since) parts.push(`since ${londonDate(status.since)}`);
  if (status.ended) parts.push(`ended ${londonDate(status.ended)}`);
  const details = describe(status.details);
  if (details) parts.push(details);
  return parts.join(', ');
}

function renderView(view) {
  const container = $('view');
  container.replaceChildren();
  if (!view) return;
  const cpis = view.cpis;
  if (cpis?.flagged) {
    const on = [
      cpis.childProtectionPlan?.current && 'on a child protection plan',
      cpis.lookedAfter?.current && 'looked after',
    ]
      .filter(Boolean)
      .join(' and ');
    container.append(
      el(
        'div',
        { class: 'flag', role: 'note', 'aria-label': 'CP-IS flag' },
        el('strong', {
          text: `CP-IS: this child is ${on || 'known to children’s services (within the last 12 months)'}`,
        }),
        el('p', {
          text: `Call ${cpis.council?.organisation ?? 'the council'}: ${contactLine(cpis.council?.contact) || 'no contact given'}`,
        }),
      ),
    );
  }
  const statuses = Object.entries(view.statuses ?? {}).filter(([, s]) => s && (s.current || s.ended));
  container.append(
    el('h3', { text: 'Status' }),
    statuses.length === 0
      ? el('p', { text: 'Nothing you may see shows a status.' })
      : el(
          'dl',
          {},
          statuses.flatMap(([name, s]) => [
            el('dt', { text: STATUS_NAMES[name] ?? label(name) }),
            el('dd', { text: statusText(s) }),
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
              ` ${a.organisation} (${a.records} record${a.records === 1 ? '' : 's'})`,
              a.leadPractitioner ? el('br') : undefined,
              a.leadPractitioner ? `Contact: ${contactLine(a.leadPractitioner)}` : undefined,
            ),
          ),
        ),
  );
  const counts = view.counts;
  if (counts) {
    container.append(
      el('h3', { text: `In the last 12 months (since ${londonDate(counts.since)})` }),
      el(
        'dl',
        {},
        Object.entries(COUNT_NAMES).flatMap(([key, name]) => [
          el('dt', { text: name }),
          el('dd', { text: String(counts[key] ?? 0) }),
        ]),
      ),
    );
  }
  const signals = view.signals ?? [];
  container.append(
    el('h3', { text: 'Risk signals' }),
    signals.length === 0
      ? el('p', { text: 'No risk signals in what you may see.' })
      : el(
          'ul',
          {},
          signals.map((s) => el('li', {}, el('strong', { text: label(s.code) }), `: ${s.explanation}`)),
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

const KIND_NAMES = {
  'operation-encompass': 'Operation Encompass: domestic abuse incident',
  'cp-is': 'CP-IS: unscheduled care attendance',
  escalation: 'Escalation: not acknowledged in time',
};

/** The purpose to read under: the one chosen on the find form, else the first the token grants. */
function currentPurpose() {
  return $('purpose').value || (state.claims?.purposes ?? [])[0] || 'safeguarding';
}

async function loadInbox() {
  const inbox = $('inbox');
  try {
    say('Loading notifications…');
    const page = await api(`/v1/notifications?${new URLSearchParams({ purpose: currentPurpose() })}`);
    const items = page.notifications ?? [];
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

const londonTime = (iso) =>
  new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  });

function notificationRow(n) {
  const acknowledged = Boolean(n.acknowledgement);
  const what = KIND_NAMES[n.kind] ?? label(n.kind ?? 'notification');
  const summary =
    n.event?.data?.summary ?? (n.event ? label(n.event.type.split('.').slice(1).join(' ')) : '');
  const known = n.child?.asKnownToYou;
  const about = known?.name
    ? `${known.name.given ?? ''} ${known.name.family ?? ''}`.trim()
    : (n.child?.hubChildId ?? n.childId);
  const button = acknowledged
    ? el('span', { text: `Acknowledged ${londonTime(n.acknowledgement.at)}` })
    : el(
        'button',
        { type: 'button', class: 'secondary', 'aria-label': `Acknowledge: ${what}` },
        'Acknowledge',
      );
  if (!acknowledged) button.addEventListener('click', () => void acknowledge(n.id));
  return el(
    'tr',
    { 'data-notification': n.id, 'data-agency': n.event?.agency },
    el('td', {}, el('strong', { text: what }), summary ? el('p', { text: summary }) : undefined),
    el('td', { text: about ?? '' }),
    el('td', { text: n.dueAt ? londonTime(n.dueAt) : 'No deadline' }),
    el('td', { text: label(n.status ?? 'open') }),
    el('td', {}, button),
  );
}

async function acknowledge(id) {
  try {
    await api(
      `/v1/notifications/${encodeURIComponent(id)}/acknowledgement?${new URLSearchParams({ purpose: currentPurpose() })}`,
      { method: 'POST', body: {} },
    );
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
  $('claim-form').addEventListener('submit', (event) => void claimAccess(event));
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
