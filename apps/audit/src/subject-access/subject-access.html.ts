import type { SharingDecision } from '@jigsaw/envelope';
import type { ControlNote } from '@jigsaw/sharing';
import type { AccessLogEntry } from '../access-log/access-log.js';
import type { HeldRecord, SubjectAccessExport } from './subject-access-export.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attributes alike: everything shown goes through here. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `childPresent` -> `child present`: field names read as words. */
function label(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
}

/** Any JSON value as nested lists; strings, numbers and keys all escaped. */
export function renderValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '<span class="none">none</span>';
  if (depth > 12) return escapeHtml(JSON.stringify(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="none">none</span>';
    return `<ol>${value.map((item) => `<li>${renderValue(item, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '<span class="none">none</span>';
    return `<dl>${entries
      .map(([key, item]) => `<dt>${escapeHtml(label(key))}</dt><dd>${renderValue(item, depth + 1)}</dd>`)
      .join('')}</dl>`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeHtml(value);
}

function pairs(rows: readonly (readonly [string, string | undefined])[]): string {
  return `<dl>${rows
    .filter((row): row is readonly [string, string] => row[1] !== undefined)
    .map(([name, html]) => `<dt>${escapeHtml(name)}</dt><dd>${html}</dd>`)
    .join('')}</dl>`;
}

function audience(sharing: SharingDecision): string {
  return sharing.audience
    .map((entry) => escapeHtml(entry.roles ? `${entry.agency} (${entry.roles.join(', ')})` : entry.agency))
    .join('; ');
}

function sharingDecision(sharing: SharingDecision): string {
  const { basis, consent } = sharing;
  return pairs([
    ['Lawful basis', escapeHtml(basis.lawfulBasis)],
    ['Regime', escapeHtml(basis.regime)],
    [
      'Special category data',
      basis.specialCategory
        ? `yes${basis.condition ? `, condition ${escapeHtml(basis.condition)}` : ''}`
        : 'no',
    ],
    ['Consent', escapeHtml(consent.status)],
    ['Reason', consent.reason === undefined ? undefined : escapeHtml(consent.reason)],
    ['Purposes', escapeHtml(sharing.purposes.join(', '))],
    ['Shared with', audience(sharing)],
    ['Sensitivity', escapeHtml(sharing.sensitivity)],
    ['Protective markers', sharing.markers?.length ? escapeHtml(sharing.markers.join(', ')) : undefined],
    ['Sharing ends', sharing.until === undefined ? undefined : escapeHtml(sharing.until)],
    [
      'Decided by',
      escapeHtml(
        [sharing.decidedBy.name, sharing.decidedBy.role, sharing.decidedBy.organisation]
          .filter(Boolean)
          .join(', '),
      ),
    ],
  ]);
}

function note(what: string, control: ControlNote | undefined): readonly [string, string | undefined] {
  return [
    what,
    control &&
      `${escapeHtml(control.time)}: ${escapeHtml(control.reason)} <span class="ref">(${escapeHtml(control.eventId)})</span>`,
  ];
}

function standing(record: HeldRecord): string {
  const s = record.standing;
  if (!s) return record.about ? `<p>About record <code>${escapeHtml(record.about)}</code>.</p>` : '';
  const rows: (readonly [string, string | undefined])[] = [
    note('Consent withdrawn', s.withdrawn),
    note('Restricted', s.restricted),
    note('Retracted', s.retracted),
    ...s.corrected.map((c) => note('Corrected', c)),
    ['Sharing period over', s.expired ? 'yes' : undefined],
    ['Markers in force', s.markers.length ? escapeHtml(s.markers.join(', ')) : undefined],
  ];
  const shown = rows.filter(([, html]) => html !== undefined);
  return `<h4>Standing</h4>${shown.length ? pairs(shown) : '<p>In force as recorded.</p>'}`;
}

function seenBy(record: HeldRecord): string {
  if (record.seenBy.length === 0) return '<h4>Seen by</h4><p>No recorded reads showed this record.</p>';
  return `<h4>Seen by</h4><table><thead><tr><th>When</th><th>Who</th><th>Organisation</th><th>Purpose</th><th>Through</th><th>Shown</th></tr></thead><tbody>${record.seenBy
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.at)}</td><td>${escapeHtml(`${s.viewer.sub} (${s.viewer.role})`)}</td><td>${escapeHtml(s.viewer.organisation)}</td><td>${escapeHtml(s.purpose)}</td><td>${escapeHtml(`${s.service}: ${s.view}`)}</td><td>${escapeHtml(s.level)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function record(held: HeldRecord, index: number): string {
  return `<article id="record-${index + 1}">
<h3>${index + 1}. ${escapeHtml(held.type)}</h3>
${pairs([
  ['From', escapeHtml(held.source)],
  ['Happened', escapeHtml(held.time)],
  ['Recorded by the hub', escapeHtml(held.recordedAt)],
  ['Reference', `<code>${escapeHtml(held.event)}</code>`],
])}
<h4>What was shared with whom, and why</h4>
${sharingDecision(held.sharing)}
${standing(held)}
<h4>How the record names the child</h4>
${renderValue(held.subject)}
<h4>Content</h4>
${renderValue(held.data)}
${seenBy(held)}
</article>`;
}

function accessRow(entry: AccessLogEntry): string {
  const about = entry.asKnownAt
    ? ` as ${entry.asKnownAt.viewer.role} at ${entry.asKnownAt.viewer.organisation} knew it at ${entry.asKnownAt.at}`
    : '';
  return `<tr><td>${escapeHtml(entry.at)}</td><td>${escapeHtml(`${entry.viewer.sub} (${entry.viewer.role})`)}</td><td>${escapeHtml(entry.viewer.organisation)}</td><td>${escapeHtml(entry.purpose)}</td><td>${escapeHtml(`${entry.service}: ${entry.view}${about}`)}</td><td>${entry.shown.length === 0 ? 'nothing' : `<ul>${entry.shown.map((s) => `<li><code>${escapeHtml(s.event)}</code> ${escapeHtml(`${s.level}, ${s.lawfulBasis} (${s.regime})`)}</li>`).join('')}</ul>`}</td></tr>`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { line-height: 1.2; } h2 { border-bottom: 2px solid #1d70b8; padding-bottom: .25rem; margin-top: 2.5rem; }
article { border: 1px solid #b1b4b6; border-radius: 4px; padding: 0 1rem 1rem; margin: 1rem 0; break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; } dd { margin: 0; } dd dl { grid-template-columns: max-content 1fr; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: 14px; }
th, td { border: 1px solid #b1b4b6; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; } code, .ref { font-size: 12px; color: #505a5f; word-break: break-all; }
.none { color: #505a5f; font-style: italic; } ol, ul { margin: 0; padding-left: 1.2rem; }
@media print { body { margin: 0; max-width: none; } }`;

/** The export as one self-contained, readable HTML document: no scripts, no external resources. */
export function renderSubjectAccessHtml(sar: SubjectAccessExport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subject access export: child ${escapeHtml(sar.childId)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Subject access export</h1>
<p>Everything the Jigsaw safeguarding hub holds about the child with hub id <code>${escapeHtml(sar.childId)}</code>, what each organisation shared, with whom and why, and every recorded read of it.</p>
${pairs([
  ['Produced', escapeHtml(sar.generatedAt)],
  [
    'Produced for',
    escapeHtml(`${sar.generatedFor.sub} (${sar.generatedFor.role}), ${sar.generatedFor.organisation}`),
  ],
  ['Hub child ids', escapeHtml(sar.members.join(', '))],
  ['Records held', escapeHtml(sar.summary.records)],
  ['From', escapeHtml(sar.summary.sources.join(', ') || 'none')],
  ['Recorded reads', escapeHtml(sar.summary.reads)],
])}
</header>
<nav><ul><li><a href="#identifiers">How each organisation identifies the child</a></li><li><a href="#records">Records held</a></li><li><a href="#access-log">Who read the records</a></li></ul></nav>
<section id="identifiers">
<h2>How each organisation identifies the child</h2>
${
  sar.identifiers.length === 0
    ? '<p>No organisation has recorded anything.</p>'
    : `<table><thead><tr><th>Organisation</th><th>Identifiers and details</th></tr></thead><tbody>${sar.identifiers
        .map((i) => `<tr><td>${escapeHtml(i.source)}</td><td>${renderValue(i.subject)}</td></tr>`)
        .join('')}</tbody></table>`
}
</section>
<section id="records">
<h2>Records held (${escapeHtml(sar.records.length)})</h2>
${sar.records.length === 0 ? '<p>None.</p>' : sar.records.map(record).join('\n')}
</section>
<section id="access-log">
<h2>Who read the records (${escapeHtml(sar.accessLog.length)})</h2>
${
  sar.accessLog.length === 0
    ? '<p>No reads are recorded.</p>'
    : `<table><thead><tr><th>When</th><th>Who</th><th>Organisation</th><th>Purpose</th><th>Through</th><th>Records shown</th></tr></thead><tbody>${sar.accessLog
        .map(accessRow)
        .join('')}</tbody></table>`
}
</section>
</body>
</html>
`;
}
