import { describe, it, expect } from 'vitest';
import { makeRedactor, redactHeaders, REDACTED } from '../../electron/engine/http/redact';

describe('makeRedactor: by value', () => {
  it('removes every known secret wherever it appears', () => {
    const r = makeRedactor(['s3cr3t-client', 'ACME_PRD#serviceKey', null, undefined]);
    const out = r('id=abc s3cr3t-client and again s3cr3t-client; user ACME_PRD#serviceKey in the middle');
    expect(out).not.toContain('s3cr3t-client');
    expect(out).not.toContain('serviceKey');
    expect(out).toBe(`id=abc ${REDACTED} and again ${REDACTED}; user ${REDACTED} in the middle`);
  });

  it('removes a secret that contains another one whole (longest first)', () => {
    const r = makeRedactor(['abcd', 'xxabcdyy']);
    expect(r('value: xxabcdyy')).toBe(`value: ${REDACTED}`);
    expect(r('value: abcd')).toBe(`value: ${REDACTED}`);
    expect(makeRedactor(['xxabcdyy', 'abcd'])('value: xxabcdyy')).toBe(`value: ${REDACTED}`);
  });

  it('does not use secrets shorter than 4 characters as values', () => {
    const r = makeRedactor(['a', 'ab', 'abc']);
    const text = 'a cat sat on a mat with abc';
    expect(r(text)).toBe(text);
    expect(makeRedactor(['abcd'])('xabcdx')).toBe(`x${REDACTED}x`);
  });
});

describe('makeRedactor: by shape', () => {
  const r = makeRedactor([]);

  it('hides Bearer and Basic credentials', () => {
    expect(r('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_=')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r('basic QUNNRV9QUkR+Y2k6Y3M=')).toBe(`basic ${REDACTED}`);
  });

  it('hides token and secret fields in JSON', () => {
    const body = JSON.stringify({
      access_token: 'at-123456',
      refresh_token: 'rt-654321',
      client_secret: 'cs-abcdef',
      password: 'pw-hunter2',
      token_type: 'Bearer',
      expires_in: 7200,
    });
    const out = r(body);
    for (const s of ['at-123456', 'rt-654321', 'cs-abcdef', 'pw-hunter2']) expect(out).not.toContain(s);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed.access_token).toBe(REDACTED);
    expect(parsed.password).toBe(REDACTED);
    expect(parsed.expires_in).toBe(7200);
    expect(parsed.token_type).toBe('Bearer');
  });

  it('hides token and secret fields in a form body', () => {
    const body = 'grant_type=password&username=ACME_PRD%23key&password=hunter2hunter2&client_id=ACME_PRD~ci&client_secret=topsecret';
    const out = r(body);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('topsecret');
    expect(out).not.toContain('ACME_PRD%23key');
    expect(out).toContain('grant_type=password');
    expect(out).toContain('client_id=ACME_PRD~ci');
    expect(out).toContain(`password=${REDACTED}&`);
    expect(out.endsWith(`client_secret=${REDACTED}`)).toBe(true);
    expect(r('password=p1&client_secret=c1')).toBe(`password=${REDACTED}&client_secret=${REDACTED}`);
    expect(r('https://x.example/cb?code=1&access_token=abc')).toBe(`https://x.example/cb?code=1&access_token=${REDACTED}`);
  });

  it('hides SharedSecret and Identity in XML', () => {
    const xml = '<Authentication><Identity>ACME-ERP</Identity><SharedSecret>sh4red&amp;x</SharedSecret></Authentication><PONumber>PO1</PONumber>';
    const out = r(xml);
    expect(out).toBe(`<Authentication><Identity>${REDACTED}</Identity><SharedSecret>${REDACTED}</SharedSecret></Authentication><PONumber>PO1</PONumber>`);
  });

  it('leaves harmless text alone', () => {
    const text = '{"PoNum":"PO0001","Stat":"O"} grant_type=client_credentials';
    expect(r(text)).toBe(text);
  });

  it('hides the whole value of a JSON secret field that contains an escaped quote', () => {
    const secret = 'ab"cdefgh';
    const out = makeRedactor([secret])(JSON.stringify({ client_secret: secret }));
    expect(out).not.toContain('cdefgh');
  });
});

describe('redactHeaders', () => {
  it('redacts credential headers whole and keeps harmless ones', () => {
    const r = makeRedactor(['tenant-secret-value']);
    const out = redactHeaders(
      {
        Authorization: 'Bearer abc.def.ghi',
        cookie: 'session=xyz',
        'Set-Cookie': ['a=1', 'b=2'],
        'X-Hub-Signature-256': 'sha256=abcdef',
        'Content-Type': 'application/json',
        'X-Infor-MongooseConfig': 'CSI_DALS',
        'Content-Length': 123,
        'X-Note': 'contains tenant-secret-value here',
        'X-Missing': undefined,
        'X-Null': null,
      },
      r,
    );
    expect(out).toEqual({
      Authorization: REDACTED,
      cookie: REDACTED,
      'Set-Cookie': REDACTED,
      'X-Hub-Signature-256': REDACTED,
      'Content-Type': 'application/json',
      'X-Infor-MongooseConfig': 'CSI_DALS',
      'Content-Length': '123',
      'X-Note': `contains ${REDACTED} here`,
    });
  });
});
