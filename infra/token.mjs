// Mints a bearer token for local use: `npm run token -- --agency education
//   --organisation urn:jigsaw:org:education:school-100001 --role designated-safeguarding-lead
//   --purposes safeguarding,child-protection --sub dsl-1 [--ttl 8h]`, or `--role agency-system`.
// Signs HS256 with JWT_SECRET (the services' development default when unset). Prints only the token.
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const DEVELOPMENT_JWT_SECRET = 'jigsaw-development-only-jwt-secret-change-me';

const USAGE = `usage: npm run token -- --agency <agency> --organisation urn:jigsaw:org:<agency>:<code>
         --role <role> --purposes <purpose,...> --sub <id> [--ttl 8h]
       npm run token -- --agency <agency> --organisation <urn> --role agency-system [--ttl 8h]

Mints a development bearer token, signed HS256 with JWT_SECRET (the services' development default when
unset), and prints only the token. Example:
  npm run token -- --agency education --organisation urn:jigsaw:org:education:school-100001 \\
    --role designated-safeguarding-lead --purposes safeguarding,child-protection --sub dsl-1
`;

const fail = (message) => {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
};

let values;
try {
  ({ values } = parseArgs({
    options: {
      agency: { type: 'string' },
      organisation: { type: 'string' },
      role: { type: 'string' },
      purposes: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

for (const name of ['agency', 'organisation', 'role']) {
  if (!values[name]) fail(`--${name} is required`);
}
if (values.organisation.split(':')[3] !== values.agency) {
  fail(`--organisation must be urn:jigsaw:org:${values.agency}:<code>`);
}
const purposes = (values.purposes ?? []).flatMap((p) => p.split(',')).filter(Boolean);
const system = values.role === 'agency-system';
if (!system && purposes.length === 0) fail('--purposes is required for a practitioner (comma-separated)');

const secret = process.env.JWT_SECRET || DEVELOPMENT_JWT_SECRET;
const claims = {
  agency: values.agency,
  organisation: values.organisation,
  role: values.role,
  ...(system ? {} : { purposes }),
};
const token = await new SignJWT(claims)
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(values.sub ?? (system ? `system:${values.organisation}` : fail('--sub is required')))
  .setIssuer(process.env.JWT_ISSUER || 'jigsaw-dev')
  .setAudience(process.env.JWT_AUDIENCE || 'jigsaw')
  .setIssuedAt()
  .setExpirationTime(values.ttl)
  .sign(Buffer.from(secret));
process.stdout.write(`${token}\n`);
