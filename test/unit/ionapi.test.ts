import { describe, it, expect } from 'vitest';
import { MAX_IONAPI_BYTES, parseIonapi, summarizeIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { FerryError } from '../../shared/errors';

const CS = 'cS3cr3t-Very-Long-Client-Secret-Value-0123456789';
const SAAK = 'ACME_PRD#Hk7pQ2mZr9TvX4bN1cD8eF6gJ3kL5mN0pQ2rS4tU6vW8xY0zA';
const SASK = 'Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXcVbNm-serviceAccountSecretKey';

const backend = (): Record<string, unknown> => ({
  ti: 'ACME_PRD',
  cn: 'Ferry Backend',
  dt: '12',
  ci: 'ACME_PRD~abcDEF123ghiJKL456mnoPQR789stuVWX0',
  cs: CS,
  iu: 'https://mingle-ionapi.inforcloudsuite.com',
  pu: 'https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/',
  oa: 'authorization.oauth2',
  ot: 'token.oauth2',
  or: 'revoke_token.oauth2',
  ev: 'U147858101',
  v: '1.0',
  saak: SAAK,
  sask: SASK,
});

const json = (o: unknown): string => JSON.stringify(o, null, 2);

function without(o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

/** Calls parseIonapi and returns the FerryError it throws (fails the test if it does not throw one). */
function rejection(content: string | Buffer): FerryError {
  try {
    parseIonapi(content);
  } catch (err) {
    expect(err).toBeInstanceOf(FerryError);
    const e = err as FerryError;
    expect(e.code).toBe('ionapi_invalid');
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).toMatch(/\.$/);
    return e;
  }
  throw new Error('parseIonapi did not throw');
}

describe('parseIonapi: accepted files', () => {
  it('reads a Backend Service file', () => {
    const c = parseIonapi(json(backend()));
    expect(c.kind).toBe('backend-service');
    expect(c.grantType).toBe('password');
    expect(c.tenant).toBe('ACME_PRD');
    expect(c.appName).toBe('Ferry Backend');
    expect(c.clientId).toBe('ACME_PRD~abcDEF123ghiJKL456mnoPQR789stuVWX0');
    expect(c.clientSecret).toBe(CS);
    expect(c.serviceAccount).toEqual({ accessKey: SAAK, secretKey: SASK });
    expect(c.gatewayUrl).toBe('https://mingle-ionapi.inforcloudsuite.com');
    expect(c.tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
    expect(c.revokeUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/revoke_token.oauth2');
    expect(c.apiBase).toBe('https://mingle-ionapi.inforcloudsuite.com/ACME_PRD');
    expect(c.environment).toBe('U147858101');
  });

  it('keeps a regional (.eu1.) host', () => {
    const f = {
      ...backend(),
      iu: 'https://mingle-ionapi.eu1.inforcloudsuite.com',
      pu: 'https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_PRD/as/',
    };
    const c = parseIonapi(json(f));
    expect(c.apiBase).toBe('https://mingle-ionapi.eu1.inforcloudsuite.com/ACME_PRD');
    expect(c.tokenUrl).toBe('https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
  });

  it('accepts pu without :443', () => {
    const c = parseIonapi(json({ ...backend(), pu: 'https://mingle-sso.inforcloudsuite.com/ACME_PRD/as/' }));
    expect(c.tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com/ACME_PRD/as/token.oauth2');
    expect(c.revokeUrl).toBe('https://mingle-sso.inforcloudsuite.com/ACME_PRD/as/revoke_token.oauth2');
  });

  it('does not double the slash when iu ends with /', () => {
    const c = parseIonapi(json({ ...backend(), iu: 'https://mingle-ionapi.inforcloudsuite.com/' }));
    expect(c.apiBase).toBe('https://mingle-ionapi.inforcloudsuite.com/ACME_PRD');
    expect(c.gatewayUrl).toBe('https://mingle-ionapi.inforcloudsuite.com');
  });

  it('still builds a valid token URL when pu lacks its trailing slash', () => {
    const c = parseIonapi(json({ ...backend(), pu: 'https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as' }));
    expect(c.tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
    expect(new URL(c.tokenUrl).pathname).toBe('/ACME_PRD/as/token.oauth2');
  });

  it('ignores a UTF-8 BOM at the start (string and Buffer)', () => {
    const text = '\uFEFF' + json(backend());
    expect(parseIonapi(text).tenant).toBe('ACME_PRD');
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json(backend()), 'utf8')]);
    expect(parseIonapi(buf).tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
  });

  it('accepts CRLF line endings', () => {
    const text = json(backend()).replace(/\n/g, '\r\n');
    expect(text).toContain('\r\n');
    const c = parseIonapi(text);
    expect(c.clientSecret).toBe(CS);
    expect(c.apiBase).toBe('https://mingle-ionapi.inforcloudsuite.com/ACME_PRD');
  });

  it('ignores unknown extra keys', () => {
    const c = parseIonapi(json({ ...backend(), xyz: { nested: [1, 2] }, newKey: 42, flag: true }));
    expect(c.kind).toBe('backend-service');
    expect(c).not.toHaveProperty('xyz');
    expect(c).not.toHaveProperty('newKey');
  });

  it('accepts v and dt given as numbers', () => {
    const c = parseIonapi(json({ ...backend(), v: 1.0, dt: 12 }));
    expect(c.kind).toBe('backend-service');
    expect(c.tenant).toBe('ACME_PRD');
  });

  it('reads a client-credentials file and derives the tenant from ci', () => {
    const f = {
      cn: 'Ferry CC',
      ci: 'ACME_TST~zyxWVU987tsrQPO654nmlKJI321',
      cs: CS,
      iu: 'https://mingle-ionapi.inforcloudsuite.com',
      pu: 'https://mingle-sso.inforcloudsuite.com:443/ACME_TST/as/',
      ot: 'token.oauth2',
    };
    const c = parseIonapi(json(f));
    expect(c.kind).toBe('client-credentials');
    expect(c.grantType).toBe('client_credentials');
    expect(c.tenant).toBe('ACME_TST');
    expect(c.serviceAccount).toBeNull();
    expect(c.revokeUrl).toBeNull();
    expect(c.environment).toBeNull();
    expect(c.apiBase).toBe('https://mingle-ionapi.inforcloudsuite.com/ACME_TST');
    expect(c.tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_TST/as/token.oauth2');
  });

  it('rejects a client-credentials file whose ci carries no tenant and that has no ti', () => {
    const f = { cn: 'x', ci: 'noTildeHere', cs: CS, iu: 'https://mingle-ionapi.inforcloudsuite.com', pu: 'https://mingle-sso.inforcloudsuite.com/T/as/', ot: 'token.oauth2' };
    expect(rejection(json(f)).message).toContain('"ti"');
  });

  it('accepts a Buffer', () => {
    const c = parseIonapi(Buffer.from(json(backend()), 'utf8'));
    expect(c.kind).toBe('backend-service');
    expect(c.serviceAccount?.secretKey).toBe(SASK);
  });

  it('accepts a file of exactly MAX_IONAPI_BYTES', () => {
    const base = json(backend());
    const overhead = Buffer.byteLength(base.replace(/\}\s*$/, '') + ', "pad": "" }');
    const exact = base.replace(/\}\s*$/, '') + `, "pad": "${'x'.repeat(MAX_IONAPI_BYTES - overhead)}" }`;
    expect(Buffer.byteLength(exact)).toBe(MAX_IONAPI_BYTES);
    expect(parseIonapi(exact).tenant).toBe('ACME_PRD');
  });
});

describe('parseIonapi: rejected files', () => {
  it('rejects a web-app file with ru and no service account', () => {
    const f = { ...without(backend(), 'saak', 'sask', 'dt'), ru: 'https://ferry.example.com/callback' };
    const e = rejection(json(f));
    expect(e.message).toContain('web application');
    expect(e.message).toContain('Backend Service');
  });

  it('rejects a web-app file without ru but with oa and no dt', () => {
    const f = without(backend(), 'saak', 'sask', 'dt', 'v');
    expect(f).toHaveProperty('oa');
    const e = rejection(json(f));
    expect(e.message).toContain('web application');
    expect(e.message).toContain('Backend Service');
  });

  it('rejects a file missing iu', () => {
    const e = rejection(json(without(backend(), 'iu')));
    expect(e.message).toContain('missing "iu"');
    expect(e.message).toContain('gateway');
  });

  it('rejects a file missing cs', () => {
    const e = rejection(json(without(backend(), 'cs')));
    expect(e.message).toContain('missing "cs"');
    expect(e.message).toContain('client secret');
  });

  it('treats an empty cs as missing', () => {
    expect(rejection(json({ ...backend(), cs: '   ' })).message).toContain('missing "cs"');
  });

  it('rejects saak without sask', () => {
    const e = rejection(json(without(backend(), 'sask')));
    expect(e.message).toContain('missing "sask"');
    expect(e.message).toContain('secret key');
  });

  it('rejects sask without saak', () => {
    expect(rejection(json(without(backend(), 'saak'))).message).toContain('missing "saak"');
  });

  it('names the key when ti is a number', () => {
    const e = rejection(json({ ...backend(), ti: 12345 }));
    expect(e.message).toContain('"ti"');
    expect(e.message).toContain('wrong value');
  });

  it('names the key when cs is an object', () => {
    const e = rejection(json({ ...backend(), cs: { value: 'x' } }));
    expect(e.message).toContain('"cs"');
    expect(e.message).toContain('wrong value');
    expect(e.message).not.toContain(CS);
  });

  it('rejects content that is not JSON', () => {
    expect(rejection('ti=ACME_PRD\ncs=secret').message).toContain('not JSON');
    expect(rejection('').message).toContain('not JSON');
  });

  it('rejects a JSON array', () => {
    expect(rejection(json([backend()])).message).toContain('not an .ionapi file');
  });

  it('rejects null', () => {
    expect(rejection('null').message).toContain('not an .ionapi file');
  });

  it('rejects a file larger than MAX_IONAPI_BYTES', () => {
    const big = json({ ...backend(), pad: 'x'.repeat(MAX_IONAPI_BYTES) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_IONAPI_BYTES);
    expect(rejection(big).message).toContain('too large');
    expect(rejection(Buffer.from(big)).message).toContain('too large');
  });

  it('rejects an iu that is not a URL', () => {
    const e = rejection(json({ ...backend(), iu: 'mingle-ionapi inforcloudsuite com' }));
    expect(e.message).toContain('"iu"');
    expect(e.message).toContain('not a web address');
  });

  it('rejects an iu with the ftp: scheme', () => {
    const e = rejection(json({ ...backend(), iu: 'ftp://mingle-ionapi.inforcloudsuite.com' }));
    expect(e.message).toContain('"iu"');
    expect(e.message).toContain('not a web address');
  });

  it('rejects a pu that is not a URL', () => {
    expect(rejection(json({ ...backend(), pu: 'not a url' })).message).toContain('"pu"');
  });
});

describe('summarizeIonapi', () => {
  it('keeps no secret values but reports that they are present', () => {
    const s = summarizeIonapi(parseIonapi(json(backend())));
    const text = JSON.stringify(s);
    expect(text).not.toContain(CS);
    expect(text).not.toContain(SAAK);
    expect(text).not.toContain(SASK);
    expect(s.secretsPresent).toEqual({ clientSecret: true, serviceAccountAccessKey: true, serviceAccountSecretKey: true });
    expect(s.tenant).toBe('ACME_PRD');
    expect(s.tokenUrl).toBe('https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
  });

  it('reports no service-account keys for a client-credentials file', () => {
    const f = without(backend(), 'saak', 'sask', 'oa');
    const s = summarizeIonapi(parseIonapi(json(f)));
    expect(s.kind).toBe('client-credentials');
    expect(s.secretsPresent).toEqual({ clientSecret: true, serviceAccountAccessKey: false, serviceAccountSecretKey: false });
    expect(JSON.stringify(s)).not.toContain(CS);
  });
});
