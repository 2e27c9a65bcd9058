// The development identity provider that `npm start` runs on 127.0.0.1:3009: one OpenID issuer per agency
// (http://127.0.0.1:3009/<agency>), each signing in the development personas of its agency, and the
// OIDC_ISSUERS entries that make the services trust them. The console signs in through it by the same
// code path as through an agency's real identity provider.
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair } from 'jose';
import { listen } from './oidc-issuer.mjs';

export const AUDIENCE = 'urn:jigsaw:hub';
export const CONSOLE_CLIENT_ID = 'jigsaw-console';

/** Who a developer may sign in as, at the issuer of the persona's agency. */
export const PERSONAS = [
  {
    id: 'social-worker',
    title: 'Social worker, children’s services',
    agency: 'council',
    role: 'social-worker',
    organisation: 'urn:jigsaw:org:council:leeds',
    purposes: ['safeguarding', 'child-protection', 'early-help'],
  },
  {
    id: 'designated-safeguarding-lead',
    title: 'Designated safeguarding lead, school',
    agency: 'education',
    role: 'designated-safeguarding-lead',
    organisation: 'urn:jigsaw:org:education:school-100001',
    purposes: ['safeguarding', 'education-welfare'],
  },
  {
    id: 'clinician',
    title: 'Clinician, emergency department',
    agency: 'health',
    role: 'clinician',
    organisation: 'urn:jigsaw:org:health:leeds-teaching-hospitals',
    purposes: ['safeguarding', 'health-care'],
  },
  {
    id: 'police-officer',
    title: 'Police officer, public protection',
    agency: 'police',
    role: 'police-officer',
    organisation: 'urn:jigsaw:org:police:met',
    purposes: ['safeguarding', 'child-protection'],
  },
  {
    id: 'data-protection-officer',
    title: 'Data protection officer, council',
    agency: 'council',
    role: 'data-protection-officer',
    organisation: 'urn:jigsaw:org:council:leeds',
    purposes: ['audit'],
  },
];

const AGENCIES = ['council', 'police', 'health', 'education'];
const ROLES = [...new Set(PERSONAS.map((p) => p.role))];
const PURPOSES = [...new Set(PERSONAS.flatMap((p) => p.purposes))];

/** The OIDC_ISSUERS entries for the development issuers: claims in the hub's own words, mapped one to one. */
export function developmentIssuers(port) {
  return AGENCIES.map((agency) => ({
    issuer: `http://127.0.0.1:${port}/${agency}`,
    console: { clientId: CONSOLE_CLIENT_ID, label: `Development ${agency} sign-in` },
    audience: AUDIENCE,
    agency,
    organisations: [`urn:jigsaw:org:${agency}:*`],
    claims: {
      organisation: { claim: 'organisation' },
      role: { claim: 'jigsaw_role', values: Object.fromEntries(ROLES.map((r) => [r, r])) },
      purposes: { claim: 'purposes', values: Object.fromEntries(PURPOSES.map((p) => [p, [p]])) },
    },
  }));
}

/**
 * The claims of a development account: a persona's id, optionally with `@` and another organisation of the
 * same agency (`designated-safeguarding-lead@urn:jigsaw:org:education:school-100234`).
 */
function accountOf(agency, id) {
  const [personaId, organisation] = id.split('@');
  const persona = PERSONAS.find((p) => p.id === personaId && p.agency === agency);
  if (!persona) return undefined;
  const org = organisation ?? persona.organisation;
  if (!org.startsWith(`urn:jigsaw:org:${agency}:`)) return undefined;
  return { organisation: org, jigsaw_role: persona.role, purposes: persona.purposes };
}

/** Starts the development issuers; `redirectUris` are the console's. Resolves to a function that stops them. */
export async function startDevelopmentIdentityProvider({ port, redirectUris, postLogoutRedirectUris }) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const key = { ...(await exportJWK(privateKey)), kid: 'development', alg: 'RS256', use: 'sig' };
  return listen(
    ...AGENCIES.map((agency) => ({
      port,
      path: `/${agency}`,
      audience: AUDIENCE,
      keys: [key],
      accounts: (id) => accountOf(agency, id),
      clients: [{ clientId: CONSOLE_CLIENT_ID, kind: 'public', redirectUris, postLogoutRedirectUris }],
      accessTokenTtl: 8 * 3600,
    })),
  );
}

// `node infra/development-identity.mjs <port> <console URL>...`: runs it on its own, as the tests do, and
// prints the OIDC_ISSUERS that trust it as one line of JSON once it answers.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, ...consoleUrls] = process.argv.slice(2);
  console.info = () => undefined;
  console.warn = () => undefined;
  await startDevelopmentIdentityProvider({
    port: Number(port),
    redirectUris: consoleUrls,
    postLogoutRedirectUris: consoleUrls,
  });
  process.stdout.write(`${JSON.stringify(developmentIssuers(Number(port)))}\n`);
}
