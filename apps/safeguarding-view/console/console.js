// The practitioner's console. It uses only the public query API with the practitioner's own bearer token,
// so it can show nothing the API would not. Plain DOM, no framework: every control is a native element,
// so keyboard use, focus and screen readers work as the browser gives them.
//
// Sign-in: the authorization code flow with PKCE at the practitioner's identity provider, through
// oauth4webapi. Tokens live in memory only; sessionStorage holds just the PKCE verifier and state of a
// sign-in under way, and which section to return to.
import * as oauth from '/console/oauth4webapi.js';

const PENDING_KEY = 'jigsaw.console.sign-in';
const SIGN_IN_CHANNEL = 'jigsaw.console.sign-in';
const REDIRECT_URI = `${location.origin}/console/`;
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
  token: undefined,
  idToken: undefined,
  issuer: undefined,
  claims: undefined,
  section: 'sign-in',
  config: { devSignIn: false, issuers: [], auditUrl: undefined, notificationsUrl: undefined },
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
  if (error instanceof ApiProblem && error.status === 401 && state.claims) signInAgain(alert);
}

/** The sign-in has expired: the page stays as it is, and signing in again in a window of its own resumes it. */
function signInAgain(alert) {
  alert.replaceChildren(el('h2', { text: 'Your sign-in has expired' }));
  if (!state.issuer) {
    alert.append(el('p', { text: 'Sign in again to go on.' }));
    return;
  }
  const again = el('button', { type: 'button', text: 'Sign in again' });
  again.addEventListener('click', () => void beginSignIn(state.issuer, true).catch(showProblem));
  alert.append(el('p', { text: 'Sign in again to go on where you were.' }), again);
}

function clearProblem() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
}

const insecure = (issuer) => ({ [oauth.allowInsecureRequests]: new URL(issuer).protocol === 'http:' });

async function authorizationServer(issuer) {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure(issuer) });
  return oauth.processDiscoveryResponse(url, response);
}

/** Sends the practitioner to their identity provider; in a window of its own when the page must stay. */
async function beginSignIn(entry, inWindow = false) {
  const as = await authorizationServer(entry.issuer);
  const verifier = oauth.generateRandomCodeVerifier();
  const expected = oauth.generateRandomState();
  sessionStorage.setItem(
    PENDING_KEY,
    JSON.stringify({ issuer: entry.issuer, verifier, state: expected, section: state.section, inWindow }),
  );
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: entry.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: entry.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: expected,
  }).toString();
  if (inWindow) window.open(url.href, 'jigsaw-sign-in', 'popup,width=520,height=680');
  else location.assign(url.href);
}

/** Exchanges the code the identity provider sent back for tokens, kept in memory only. */
async function completeSignIn(parameters, stay = false) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  sessionStorage.removeItem(PENDING_KEY);
  const entry = state.config.issuers.find((i) => i.issuer === pending?.issuer);
  if (!pending || !entry) throw new Error('no sign-in was under way: start again');
  const as = await authorizationServer(entry.issuer);
  const client = { client_id: entry.clientId };
  const callback = oauth.validateAuthResponse(as, client, parameters, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    callback,
    REDIRECT_URI,
    pending.verifier,
    insecure(entry.issuer),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  state.issuer = entry;
  state.idToken = result.id_token;
  await signIn(result.access_token, stay ? undefined : pending.section);
}

/**
 * Asks the service who the token names, as it maps the issuer's claims (the server checks it on every
 * call), then shows `section`, or, with none, leaves the page as it is.
 */
async function signIn(token, section) {
  const previous = state.token;
  state.token = token;
  try {
    state.claims = await api('/console/session');
  } catch (error) {
    state.token = previous;
    throw error;
  }
  if (state.claims.kind !== 'practitioner') {
    state.token = previous;
    state.claims = undefined;
    throw new Error('that is not a practitioner sign-in');
  }
  render();
  if (section) show(section === 'sign-in' ? 'find' : section);
  else clearProblem();
}

async function signOut(message) {
  const { issuer, idToken } = state;
  state.token = undefined;
  state.idToken = undefined;
  state.claims = undefined;
  state.child = undefined;
  render();
  show('sign-in');
  if (message) say(message);
  if (!issuer || !idToken) return;
  // RP-initiated logout: the identity provider ends its session too, then sends the browser back here.
  const as = await authorizationServer(issuer.issuer);
  if (!as.end_session_endpoint) return;
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    id_token_hint: idToken,
    post_logout_redirect_uri: REDIRECT_URI,
    client_id: issuer.clientId,
  }).toString();
  location.assign(url.href);
}

const SECTIONS = ['sign-in', 'find', 'notifications', 'access-log'];

function show(section) {
  state.section = section;
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
  // The hub records a person as `<issuer>#<subject>`: the person knows themself by the subject.
  const scope = state.issuer ? `${state.issuer.issuer}#` : undefined;
  const who = scope && sub.startsWith(scope) ? sub.slice(scope.length) : sub;
  $('who-text').textContent = `${who}, ${role.replaceAll('-', ' ')}, ${organisation}`;
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
  if (cpis?.state === 'not-visible') {
    container.append(
      el(
        'div',
        { class: 'flag', role: 'note', 'aria-label': 'CP-IS flag' },
        el('strong', { text: 'CP-IS: a plan or care is recorded that you may not see for this purpose.' }),
      ),
    );
  }
  if (cpis?.state === 'flagged') {
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
    const page = await api(`/v1/notifications?${new URLSearchParams({ purpose: currentPurpose() })}`, {
      base: state.config.notificationsUrl ?? '',
    });
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
      { method: 'POST', body: {}, base: state.config.notificationsUrl ?? '' },
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
    // Without it there is no one to sign in with; the page says so below.
  }
  $('token-sign-in').hidden = !state.config.devSignIn;
  const issuers = state.config.issuers ?? [];
  $('oidc-sign-in').hidden = issuers.length === 0;
  $('issuer').replaceChildren(...issuers.map((i, n) => el('option', { value: String(n), text: i.label })));
}

/** The identity provider's answer arrives in this page, or in the window opened to sign in again. */
async function resume() {
  const parameters = new URLSearchParams(location.search);
  if (!parameters.has('state')) return;
  history.replaceState(null, '', REDIRECT_URI);
  // A window opened to sign in again starts with a copy of its opener's sessionStorage. The opener is
  // told on a same-origin channel: the cross-origin opener policy cuts window.opener on the way.
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  if (pending?.inWindow) {
    sessionStorage.removeItem(PENDING_KEY);
    new BroadcastChannel(SIGN_IN_CHANNEL).postMessage({ signIn: parameters.toString() });
    say('Signed in: you can close this window.');
    window.close();
    return;
  }
  await completeSignIn(parameters);
}

async function start() {
  $('token-sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem();
    signIn($('token').value.trim(), 'find').catch(showProblem);
  });
  $('oidc-sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem();
    const entry = state.config.issuers[Number($('issuer').value)];
    if (entry) beginSignIn(entry).catch(showProblem);
  });
  new BroadcastChannel(SIGN_IN_CHANNEL).addEventListener('message', (event) => {
    if (typeof event.data?.signIn !== 'string') return;
    const parameters = new URLSearchParams(event.data.signIn);
    // Only the page that asked: other pages of the console hear the channel too.
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
    if (!pending?.inWindow || pending.state !== parameters.get('state')) return;
    completeSignIn(parameters, true)
      .then(() => say('Signed in again.'))
      .catch(showProblem);
  });
  $('sign-out').addEventListener('click', () => void signOut('You have signed out.').catch(showProblem));
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
  await loadConfig();
  render();
  await resume().catch(showProblem);
}

void start();
