import { randomBytes, createHash } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { repoRoot } from '@jigsaw/config';
import { freePort } from './service-process.js';

/** A person the issuer can sign in, with the claims it puts in their access tokens. */
export interface IssuerAccount {
  id: string;
  claims: Record<string, unknown>;
}

/** A client of the issuer: the console (a public client using PKCE) or an agency system (private_key_jwt). */
export type IssuerClient =
  | { clientId: string; kind: 'public'; redirectUris: string[]; postLogoutRedirectUris?: string[] }
  | {
      clientId: string;
      kind: 'system';
      publicJwk: JWK;
      /** Claims its client credentials tokens carry besides the standard ones. */
      claims?: Record<string, unknown>;
    };

export interface IssuerOptions {
  audience: string;
  accounts: IssuerAccount[];
  clients: IssuerClient[];
  /** Access token lifetime in seconds. */
  accessTokenTtl?: number;
  /** The account claims each scope also puts in the ID token and userinfo (CIS2: `nationalrbacaccess`). */
  scopeClaims?: Record<string, string[]>;
  port?: number;
}

/** A signing key of the issuer's: its private half stays here, so tests can also forge with it. */
export interface IssuerKey {
  kid: string;
  privateKey: CryptoKey;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function newSigningKey(kid = randomBytes(6).toString('hex')): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, privateJwk, publicJwk };
}

/**
 * A trusted issuer for tests: panva's oidc-provider (OpenID Certified) on loopback, run by
 * infra/oidc-issuer.mjs in a process of its own. Keys rotate by restarting it on the same port with
 * another key set, as a provider's published keys change; `stop()` makes it unreachable until `resume()`.
 */
export class OidcIssuer {
  keys: IssuerKey[];
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly options: IssuerOptions,
    keys: IssuerKey[],
  ) {
    this.keys = keys;
  }

  static async start(options: IssuerOptions): Promise<OidcIssuer> {
    const issuer = new OidcIssuer(options.port ?? (await freePort()), options, [await newSigningKey()]);
    await issuer.tell({
      start: {
        port: issuer.port,
        audience: options.audience,
        accessTokenTtl: options.accessTokenTtl,
        scopeClaims: options.scopeClaims,
        accounts: options.accounts,
        clients: options.clients,
        keys: issuer.keys.map((key) => key.privateJwk),
      },
    });
    return issuer;
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Publishes these keys from now on; the first one signs. */
  async rotate(keys: IssuerKey[]): Promise<void> {
    this.keys = keys;
    await this.tell({ rotate: keys.map((key) => key.privateJwk) });
  }

  /** Stops answering, as an identity provider that is down; `resume()` brings it back. */
  async stop(): Promise<void> {
    await this.tell({ stop: true });
  }

  async resume(): Promise<void> {
    await this.tell({ resume: true });
  }

  /** Ends the provider's process. */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /**
   * The provider runs in a process of its own (infra/oidc-issuer.mjs, as `npm start` runs it): it
   * validates client metadata with realm checks that Jest's VM modules would fail.
   */
  private async tell(message: object): Promise<void> {
    this.child ??= fork(join(repoRoot(), 'infra/oidc-issuer.mjs'), ['--child'], {
      stdio: 'ignore',
      serialization: 'json',
    });
    const child = this.child;
    await new Promise<void>((resolve, reject) => {
      const onExit = () => reject(new Error('the OpenID provider exited'));
      child.once('exit', onExit);
      child.once('message', (reply: { done?: boolean; error?: string }) => {
        child.off('exit', onExit);
        if (reply.error) reject(new Error(reply.error));
        else resolve();
      });
      child.send(message);
    });
  }

  /** An agency system's access token: client credentials, authenticated with a private_key_jwt assertion. */
  async clientCredentialsToken(clientId: string, privateKey: CryptoKey): Promise<string> {
    const tokenEndpoint = `${this.issuer}/token`;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(this.issuer)
      .setJti(randomBytes(12).toString('hex'))
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        resource: this.options.audience,
        scope: 'jigsaw',
      }),
    });
    const body = (await response.json()) as { access_token?: string; error?: string };
    if (!body.access_token) throw new Error(`client credentials refused: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /**
   * A practitioner's access token through the authorization code flow with PKCE, driven over HTTP as a
   * browser would follow it: authorize, the login form, consent, the redirect with the code, the token.
   */
  async signIn(accountId: string, client: { clientId: string; redirectUri: string }): Promise<string> {
    return (await this.signInForTokens(accountId, client)).accessToken;
  }

  /** `signIn`, with the ID token too; `scope` adds scopes to `openid` (CIS2's `nationalrbacaccess`). */
  async signInForTokens(
    accountId: string,
    client: { clientId: string; redirectUri: string },
    scope = '',
  ): Promise<{ accessToken: string; idToken: string }> {
    const cookies = new Map<string, string>();
    const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
      const response = await fetch(new URL(url, this.issuer), {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = pair!.split('=');
        cookies.set(name!, value.join('='));
      }
      return response;
    };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const authorize = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      scope: `openid jigsaw ${scope}`.trim(),
      resource: this.options.audience,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
    });
    let location: string | null = `/auth?${authorize.toString()}`;
    for (let step = 0; step < 12 && location; step++) {
      if (location.startsWith(client.redirectUri)) break;
      const response = await send(location);
      if (response.status === 200) {
        const html = await response.text();
        const action = /action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
        if (!action || !prompt) throw new Error('the issuer showed an unexpected page');
        const form = new URLSearchParams({
          prompt,
          ...(prompt === 'login' ? { login: accountId, password: 'x' } : {}),
        });
        const submitted = await send(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        location = submitted.headers.get('location');
      } else {
        await response.body?.cancel();
        location = response.headers.get('location');
      }
    }
    const redirect = new URL(location ?? 'missing:', this.issuer);
    const code = redirect.searchParams.get('code');
    if (!code || redirect.searchParams.get('state') !== state) {
      throw new Error(
        `sign-in did not return a code: ${redirect.searchParams.get('error') ?? 'no redirect'}`,
      );
    }
    const token = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        client_id: client.clientId,
        code_verifier: verifier,
        resource: this.options.audience,
      }),
    });
    const body = (await token.json()) as { access_token?: string; id_token?: string; error?: string };
    if (!body.access_token || !body.id_token) {
      throw new Error(`token exchange refused: ${JSON.stringify(body)}`);
    }
    return { accessToken: body.access_token, idToken: body.id_token };
  }
}
