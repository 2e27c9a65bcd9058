// An OpenID provider on loopback: panva's oidc-provider (OpenID Certified), as a trusted issuer for
// `npm start` (the development identity provider) and for the tests (twice, with different claim shapes).
// Discovery, a JWKS, the authorization code flow with PKCE through its development login form (which asks
// only for the account id), client credentials with private_key_jwt, RP-initiated logout, and JWT access
// tokens for the hub's audience carrying each account's claims, and each agency system's (as Entra puts the
// service principal's `oid` and `tid` in an app-only token).
//
// Run as a child process (`fork`), it is told its options in the first IPC message and then obeys
// `rotate` (publish other keys), `stop` (stop answering) and `resume`; each is answered with `{ done }`.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/**
 * @param {{ port: number; path?: string; audience: string; keys: object[];
 *   accounts: { id: string; claims: object }[] | ((id: string) => object | undefined);
 *   clients: object[]; accessTokenTtl?: number; scopeClaims?: Record<string, string[]> }} options  keys are
 *   private JWKs, the first one signs; accounts, or a function from an account id to its claims; a system
 *   client's `claims` go into its client credentials tokens;
 *   scopeClaims, the account claims a scope also puts in the ID token and userinfo (as CIS2's
 *   `nationalrbacaccess` does `nhsid_nrbac_roles`)
 */
export function oidcProvider({
  port,
  path = '',
  audience,
  keys,
  accounts,
  clients,
  accessTokenTtl = 600,
  scopeClaims = {},
}) {
  const claimsOf =
    typeof accounts === 'function' ? accounts : (id) => accounts.find((account) => account.id === id)?.claims;
  // Several providers may share a port under different paths: their cookies must not collide.
  const tag = path.replaceAll('/', '') || 'op';
  return new Provider(`http://127.0.0.1:${port}${path}`, {
    cookies: {
      names: { session: `_session_${tag}`, interaction: `_interaction_${tag}`, resume: `_resume_${tag}` },
    },
    clients: clients.map((client) =>
      client.kind === 'public'
        ? {
            client_id: client.clientId,
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code'],
            response_types: ['code'],
            redirect_uris: client.redirectUris,
            post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
          }
        : {
            client_id: client.clientId,
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'RS256',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            jwks: { keys: [client.publicJwk] },
          },
    ),
    jwks: { keys },
    findAccount: (_ctx, id) =>
      claimsOf(id) ? { accountId: id, claims: () => ({ ...claimsOf(id), sub: id }) } : undefined,
    scopes: ['openid', ...Object.keys(scopeClaims)],
    claims: { openid: ['sub'], ...scopeClaims },
    // The ID token carries the claims of the scopes granted, as CIS2's does, not only userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
    // First-party clients of the partnership: the grant is the organisation's, not each person's to give.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId) return undefined;
      const existing = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.session.accountId,
      });
      const asked = [...(oidc.requestParamScopes ?? [])].filter((scope) => Object.hasOwn(scopeClaims, scope));
      grant.addOIDCScope(['openid', ...asked].join(' '));
      grant.addResourceScope(audience, 'jigsaw');
      await grant.save();
      return grant;
    },
    extraTokenClaims: (_ctx, token) =>
      token.accountId
        ? claimsOf(token.accountId)
        : clients.find((client) => client.kind === 'system' && client.clientId === token.clientId)?.claims,
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'jigsaw',
          audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: accessTokenTtl,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
}

/**
 * Serves providers on 127.0.0.1, each under its `path` (none for one alone), without keep-alive, so a
 * restart leaves no client on a closed socket.
 */
export async function listen(...all) {
  const { port } = all[0];
  const routes = all.map((options) => [options.path ?? '', oidcProvider(options).callback()]);
  const server = createServer((request, response) => {
    response.setHeader('connection', 'close');
    const url = request.url ?? '/';
    const route = routes.find(
      ([path]) => !path || url === path || url.startsWith(`${path}/`) || url.startsWith(`${path}?`),
    );
    if (!route) {
      response.statusCode = 404;
      response.end();
      return;
    }
    const [path, callback] = route;
    if (path) {
      // oidc-provider reads its mount path from the difference, as under express's app.use(path, ...).
      request.originalUrl = url;
      request.url = url.slice(path.length) || '/';
    }
    callback(request, response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}

if (process.send && process.argv[2] === '--child') {
  // oidc-provider's notices about its development features go to the test output otherwise.
  console.info = () => undefined;
  console.warn = () => undefined;
  let options;
  let close;
  process.on('message', async (message) => {
    try {
      if (message.start) options = message.start;
      if (message.rotate) options = { ...options, keys: message.rotate };
      if (message.stop || message.rotate) {
        await close?.();
        close = undefined;
      }
      if (message.start || message.rotate || message.resume) close ??= await listen(options);
      process.send({ done: true });
    } catch (error) {
      process.send({ error: String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
