import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../electron/engine/auth/token-cache';
import type { Http, SendRequest } from '../../electron/engine/http/client';
import { M3Client, M3Error } from '../../electron/engine/connectors/cloudsuite/m3-client';

// The M3 client on the contract's endpoint facts, without a network: what goes on the wire (options as
// matrix parameters on the transaction segment, maxrecs always, only the transaction's inputs in the query)
// and how answers are read (a refusal in results[0] or at the top level of an HTTP 400, records and then an
// error as incomplete), with a stand-in for the HTTP layer that records each request.

type Answer = { status?: number; data: unknown };

function client(answers: Answer[], cfg: { company?: number; division?: string } = {}) {
  const sent: SendRequest[] = [];
  const http = {
    send: async (req: SendRequest) => {
      sent.push(req);
      const a = answers.shift() ?? { data: { results: [{ records: [] }], wasTerminated: false, nrOfSuccessfullTransactions: 1, nrOfFailedTransactions: 0 } };
      if ((a.status ?? 200) === 400 && !req.acceptStatus?.(400)) throw new Error('HTTP 400 was not accepted');
      return { status: a.status ?? 200, headers: {}, data: a.data, capture: null, attempts: 1, waitedMs: 0 };
    },
  } as unknown as Http;
  const tokens = new TokenCache(async () => ({ accessToken: 't', expiresAt: Date.now() + 3_600_000, refreshToken: null }));
  return { m3: new M3Client(http, tokens, { m3Base: 'https://ion.example/T/M3/m3api-rest/v2/execute', company: cfg.company ?? 100, division: cfg.division }), sent };
}

const ok = (records: Record<string, string>[]): Answer => ({ data: { results: [{ transaction: 'x', records }], wasTerminated: false, nrOfSuccessfullTransactions: 1, nrOfFailedTransactions: 0 } });

describe('M3Client requests', () => {
  it('puts maxrecs (100 unless told), the company and division on the transaction segment, and only inputs in the query', async () => {
    const { m3, sent } = client([ok([]), ok([]), ok([])], { division: 'AAA' });
    await m3.read('PPS200MI', 'GetHead', { PUNO: 'PO1' });
    await m3.read('PPSSPPMI', 'LstSupHead', {}, { maxrecs: 0, returncols: ['PUNO', 'LMTS'] });
    await m3.write('GLS840MI', 'CtrlBatch', { KEY1: 'K' }, { what: 'x' });
    expect(sent.map((r) => r.url)).toEqual([
      'https://ion.example/T/M3/m3api-rest/v2/execute/PPS200MI/GetHead;maxrecs=100;cono=100;divi=AAA',
      'https://ion.example/T/M3/m3api-rest/v2/execute/PPSSPPMI/LstSupHead;maxrecs=0;cono=100;divi=AAA;returncols=PUNO,LMTS',
      'https://ion.example/T/M3/m3api-rest/v2/execute/GLS840MI/CtrlBatch;maxrecs=100;cono=100;divi=AAA',
    ]);
    // CONO and DIVI go in the query only where the transaction takes them (GetHead has CONO; GLS840MI requires it).
    expect(sent.map((r) => r.params)).toEqual([{ CONO: '100', PUNO: 'PO1' }, {}, { CONO: '100', DIVI: 'AAA', KEY1: 'K' }]);
    expect(sent.map((r) => [r.method, r.idempotent])).toEqual([['GET', true], ['GET', true], ['GET', false]]);
  });

  it('reads a list longer than a page whole, restarting at the last key and dropping the repeated row', async () => {
    const page = (from: number, n: number) => ok(Array.from({ length: n }, (_, i) => ({ SUNO: `S${String(from + i).padStart(4, '0')}` })));
    const { m3, sent } = client([page(0, 100), page(99, 100), page(198, 3)]);
    const all = await m3.listAll('CRS620MI', 'LstByNumber', {}, 'SUNO', { what: 'listing suppliers', start: '!' });
    expect(all.map((r) => r.SUNO)).toEqual(Array.from({ length: 201 }, (_, i) => `S${String(i).padStart(4, '0')}`));
    expect(sent.map((r) => r.params!.SUNO)).toEqual(['!', 'S0099', 'S0198']);
    expect(sent.every((r) => r.url.includes(';maxrecs=100;'))).toBe(true);
  });

  it('stops a list whose full page does not move the key, rather than read it forever', async () => {
    const same = ok(Array.from({ length: 100 }, () => ({ SUNO: 'S1' })));
    const { m3 } = client([same, same]);
    await expect(m3.listAll('CRS620MI', 'LstByNumber', {}, 'SUNO', { what: 'x', start: '!' })).rejects.toMatchObject({ code: 'm3_bad_response', retryable: false });
  });
});

describe('M3Client answers', () => {
  it('turns a refusal in results[0] into M3Error naming program, transaction and field', async () => {
    const { m3 } = client([{ data: { results: [{ transaction: 'GetHead', records: [], errorMessage: 'Purchase order number PO9 does not exist', errorField: 'PUNO', errorType: 'ServerReturnedNOK' }], wasTerminated: false, nrOfSuccessfullTransactions: 0, nrOfFailedTransactions: 1 } }]);
    const err = await m3.read('PPS200MI', 'GetHead', { PUNO: 'PO9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(M3Error);
    expect(err).toMatchObject({ program: 'PPS200MI', transaction: 'GetHead', field: 'PUNO', retryable: false, m3Type: 'ServerReturnedNOK' });
  });

  it('turns an HTTP 400 with the error at the top level (or a termination reason) into M3Error, not retried', async () => {
    const { m3 } = client([
      { status: 400, data: { results: [], wasTerminated: true, errorMessage: 'Transaction Nope does not exist', errorType: 'TransactionNotFound' } },
      { status: 400, data: { wasTerminated: true, terminationReason: 'Program stopped', terminationErrorType: 'Crash' } },
      { status: 400, data: '<html>Bad Request</html>' },
    ]);
    await expect(m3.read('PPS200MI', 'GetHead', { PUNO: 'x' })).rejects.toMatchObject({ serverMessage: 'Transaction Nope does not exist', m3Type: 'TransactionNotFound', retryable: false });
    await expect(m3.read('PPS200MI', 'GetHead', { PUNO: 'x' })).rejects.toMatchObject({ serverMessage: 'Program stopped', m3Type: 'Crash' });
    await expect(m3.read('PPS200MI', 'GetHead', { PUNO: 'x' })).rejects.toMatchObject({ code: 'm3_bad_response', retryable: false });
  });

  it('never returns records that came with an error: they are incomplete', async () => {
    const { m3 } = client([{ data: { results: [{ records: [{ SUNO: 'S1' }], errorMessage: 'Time limit', errorType: 'ServerReturnedNOK' }], wasTerminated: true, nrOfFailedTransactions: 1 } }]);
    await expect(m3.read('CRS620MI', 'LstByNumber', { SUNO: '!' })).rejects.toBeInstanceOf(M3Error);
  });

  it('says a write it cannot read the answer to is uncertain, and trims values as the SDK does', async () => {
    const { m3 } = client([{ data: 'garbage' }, ok([{ SUNO: 'S1   ', SUNM: 'Name  ' }])]);
    await expect(m3.write('CRS620MI', 'UpdSupplier', { SUNO: 'S1' }, { what: 'x' })).rejects.toMatchObject({ code: 'write_uncertain', retryable: true });
    expect(await m3.read('CRS620MI', 'GetBasicData', { SUNO: 'S1' })).toEqual([{ SUNO: 'S1', SUNM: 'Name' }]);
  });
});
