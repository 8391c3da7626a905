import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { RC, fail, type Envelope } from './envelope';
import { compileFlt, FltError, type FieldDef } from './flt';
import type { JaggaerState, JaggaerSupplier } from './state';
import { companyInfo, newSupplier } from './suppliers';

// Supplier master data ("company profiles", the J1P `ja` module). Read: GET with 1-based `start` and `flt`,
// a fixed page size, advance by `returnedRecords`. Write: POST { company: { operationCode, companyInfo } }.
// Business errors are HTTP 200 with returnCode ≠ 0, as the real API answers them.
//
// Query parameters: start (1-based, default 1), flt (see flt.ts; fields LASTMODTIME, BRAVOID, EXTCODE,
// EXTUNIQUECODE, COMPANYNAME, TYPE), comp (components such as USER;SSO_CODE: accepted and ignored, the
// sandbox always returns the one user it keeps on the profile).
//
// The list answer wraps each profile as `{ returnCompanyInfo: {...} }`, the shape published J1P clients
// read (returnCompanyData[].returnCompanyInfo.bravoId …).

export const COMPANY_PROFILES_PATH = '/j1p/api/public/ja/v1/companyprofiles';

const fields: Record<string, FieldDef<JaggaerSupplier>> = {
  LASTMODTIME: { type: 'date', get: (s) => s.lastModTime },
  BRAVOID: { type: 'number', get: (s) => Number(s.bravoId) },
  EXTCODE: { type: 'string', get: (s) => s.extCode },
  EXTUNIQUECODE: { type: 'string', get: (s) => s.extUniqueCode },
  COMPANYNAME: { type: 'string', get: (s) => s.companyName },
  TYPE: { type: 'string', get: (s) => s.type },
};

const listQuery = z.object({
  start: z.string().regex(/^\d+$/, 'start must be a positive integer').optional(),
  flt: z.string().optional(),
  comp: z.string().optional(),
});

// Writable string fields of companyInfo; unknown keys are ignored like the real (Jackson-based) API does.
const WRITABLE = [
  'companyName', 'extCode', 'extUniqueCode', 'bizEmail', 'bizPhone', 'webSite', 'address', 'zip', 'city', 'province', 'isoCountry',
  'paymentTerms', 'userName', 'userSurName', 'userEmail', 'userPhone',
] as const;
type Writable = (typeof WRITABLE)[number];

const optText = z.string().max(255).nullable().optional();
const infoSchema = z.looseObject({
  bravoId: z.union([z.string(), z.number()]).optional(),
  ...(Object.fromEntries(WRITABLE.map((f) => [f, optText])) as Record<Writable, typeof optText>),
});
const postSchema = z.object({
  company: z.object({
    operationCode: z.string(),
    companyInfo: infoSchema,
  }),
});

const OPERATIONS = ['CREATE', 'UPDATE', 'CREATEUPDATE'] as const;

export function listCompanies(state: JaggaerState, query: unknown): Envelope & Record<string, unknown> {
  const q = listQuery.safeParse(query ?? {});
  if (!q.success) return fail(RC.INVALID_REQUEST, q.error.issues.map((i) => i.message).join('; '));
  const start = Number(q.data.start ?? '1');
  if (start < 1) return fail(RC.INVALID_REQUEST, 'start must be 1 or greater');
  let match: (s: JaggaerSupplier) => boolean;
  try {
    match = compileFlt(q.data.flt, fields);
  } catch (err) {
    if (err instanceof FltError) return fail(RC.INVALID_REQUEST, err.message);
    throw err;
  }
  const all = state.suppliers.filter(match).sort((a, b) => Number(a.bravoId) - Number(b.bravoId));
  const page = all.slice(start - 1, start - 1 + state.config.pageSize.companyProfiles);
  return {
    returnCode: RC.OK,
    returnMessage: 'OK',
    totRecords: all.length,
    returnedRecords: page.length,
    returnCompanyData: page.map((s) => ({ returnCompanyInfo: companyInfo(s) })),
  };
}

type Info = z.infer<typeof infoSchema>;

function apply(s: JaggaerSupplier, info: Info, now: string): void {
  for (const f of WRITABLE) {
    if (!(f in info)) continue;
    const v = info[f];
    const value = v === null || v === undefined || v.trim() === '' ? null : v.trim();
    if (f === 'companyName') s.companyName = value ?? s.companyName;
    else s[f] = f === 'isoCountry' && value ? value.toUpperCase() : value;
  }
  s.lastModTime = now;
}

export function upsertCompany(ctx: SandboxContext, state: JaggaerState, body: unknown): Envelope & { bravoId?: string } {
  const parsed = postSchema.safeParse(body);
  if (!parsed.success) {
    return fail(RC.INVALID_REQUEST, `Invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  }
  const { operationCode, companyInfo: info } = parsed.data.company;
  const op = operationCode.toUpperCase();
  if (!(OPERATIONS as readonly string[]).includes(op)) {
    return fail(RC.INVALID_REQUEST, `Invalid operationCode '${operationCode}'; expected one of ${OPERATIONS.join(', ')}`);
  }
  const name = info.companyName?.trim();
  if (!name) return fail(RC.INVALID_REQUEST, 'companyInfo.companyName is mandatory');
  if (info.isoCountry && !/^[A-Za-z]{2}$/.test(info.isoCountry.trim())) {
    return fail(RC.INVALID_REQUEST, `companyInfo.isoCountry '${info.isoCountry}' is not an ISO 3166 alpha-2 code`);
  }
  const bravoId = info.bravoId === undefined || info.bravoId === '' ? null : String(info.bravoId);
  const extCode = info.extCode?.trim() || null;
  const byBravo = bravoId ? state.suppliers.find((s) => s.bravoId === bravoId) : undefined;
  const byExt = extCode ? state.suppliers.find((s) => s.extCode === extCode) : undefined;

  // CREATE ignores a bravoId (JAGGAER assigns it); UPDATE needs one; CREATEUPDATE finds by bravoId, then extCode.
  let target: JaggaerSupplier | undefined;
  if (op === 'CREATE') {
    if (byExt) return fail(RC.DUPLICATE, `A company with extCode '${extCode}' already exists (bravoId ${byExt.bravoId})`);
  } else if (op === 'UPDATE') {
    if (!bravoId) return fail(RC.INVALID_REQUEST, 'companyInfo.bravoId is mandatory for UPDATE');
    if (!byBravo) return fail(RC.NOT_FOUND, `Company with bravoId ${bravoId} not found`);
    target = byBravo;
  } else {
    if (bravoId && !byBravo) return fail(RC.NOT_FOUND, `Company with bravoId ${bravoId} not found`);
    target = byBravo ?? byExt;
  }
  if (target && byExt && byExt !== target) {
    return fail(RC.DUPLICATE, `extCode '${extCode}' already belongs to bravoId ${byExt.bravoId}`);
  }

  // Every save moves lastModTime, even one that changes nothing, as the real profile does: a sync that
  // writes back what it read must cope with seeing its own write on the next poll.
  const now = ctx.clock.date('jaggaer').toISOString();
  const created = !target;
  if (!target) {
    target = newSupplier(state, { companyName: name, lastModTime: now });
    state.suppliers.push(target);
  }
  apply(target, info, now);
  ctx.changed();
  return { returnCode: RC.OK, returnMessage: created ? 'Company created' : 'Company updated', bravoId: target.bravoId };
}

export function registerCompanyProfiles(app: FastifyInstance, ctx: SandboxContext, state: JaggaerState, guard: preHandlerHookHandler): void {
  app.get(COMPANY_PROFILES_PATH, { preHandler: guard }, async (req) => listCompanies(state, req.query));
  app.post(COMPANY_PROFILES_PATH, { preHandler: guard }, async (req) => upsertCompany(ctx, state, req.body));
}
