import industrialJson from './cloudsuite-industrial.json' with { type: 'json' };
import m3Json from './cloudsuite-m3.json' with { type: 'json' };

// CloudSuite as Infor publishes it: the IDOs, properties and methods (Industrial) and the MI programs,
// transactions and fields (M3) Ferry may use, each with its public source, in the two JSON files beside
// this one. Connectors name only what is here (the types below make anything else a compile error, and
// test/integration/cloudsuite-contract.test.ts checks what goes over the wire); the sandbox builds its
// schemas from the same files and refuses everything else. Neither imports the other.

export type IdoType = 'string' | 'int' | 'decimal' | 'date' | 'guid' | 'byte';

export interface IdoPropertyContract {
  type: IdoType;
  source: string;
  readOnly?: boolean;
}

export interface IdoParameterContract {
  name: string;
  type: IdoType;
  direction: 'in' | 'inout';
}

export interface IdoMethodContract {
  what: string;
  source: string;
  parameters: IdoParameterContract[];
  /** Null: the method has no Infobar; its ReturnValue alone says whether it worked. */
  infobar?: null;
}

export interface IdoContract {
  what: string;
  keys: string[];
  properties: Record<string, IdoPropertyContract>;
  methods?: Record<string, IdoMethodContract>;
  /** Customers' own fields (Uf_…): allowed by pattern, their existence checked per tenant. */
  userFields?: { pattern: string; fact: string; source: string };
  /** Why the property names are reasoned rather than published, and how Ferry checks them. */
  inferred?: string;
}

type IndustrialIdos = (typeof industrialJson)['idos'];
export type IdoName = keyof IndustrialIdos;
type UserFieldIdo = { [I in IdoName]: IndustrialIdos[I] extends { userFields: object } ? I : never }[IdoName];
/** A property of an IDO as the contract has it, or a customer's user field where the IDO takes them. */
export type IdoProperty<I extends IdoName> = (keyof IndustrialIdos[I]['properties'] & string) | (I extends UserFieldIdo ? `Uf_${string}` : never);
export type IdoMethod<I extends IdoName> = IndustrialIdos[I] extends { methods: infer M } ? keyof M & string : never;

export const industrialContract = industrialJson as unknown as {
  product: string;
  note: string;
  sources: Record<string, { repo?: string; commit?: string; url?: string; what: string }>;
  rest: Record<string, { fact: string; source: string; parameters?: string[]; defaultRecordCap?: number }>;
  idos: Record<IdoName, IdoContract>;
};

/** Where the Infobar is among a method's parameters (by name, as [IDOMethod(…, "Infobar")] declares it), or -1. */
export function infobarIndex(ido: IdoName, method: string): number {
  const m = industrialContract.idos[ido].methods?.[method];
  return m ? m.parameters.findIndex((p) => p.name === 'Infobar') : -1;
}

export function idoMethodContract(ido: string, method: string): IdoMethodContract | undefined {
  const c = (industrialContract.idos as Record<string, IdoContract | undefined>)[ido];
  return c?.methods?.[method];
}

export function isUserField(ido: string, property: string): boolean {
  const c = (industrialContract.idos as Record<string, IdoContract | undefined>)[ido];
  return !!c?.userFields && new RegExp(c.userFields.pattern).test(property);
}

// ── M3 ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type MiFieldType = 'A' | 'N' | 'D';

export interface MiTransactionContract {
  description: string;
  source: string;
  inputs: Record<string, { required: boolean; type: MiFieldType; description: string }>;
  outputs: Record<string, { type: MiFieldType; length: number; description: string }>;
}

type M3Programs = (typeof m3Json)['programs'];
export type MiProgram = keyof M3Programs;
export type MiTransaction<P extends MiProgram> = keyof M3Programs[P]['transactions'] & string;
type TransactionOf<P extends MiProgram, T extends MiTransaction<P>> = M3Programs[P]['transactions'][T];
export type MiInput<P extends MiProgram, T extends MiTransaction<P>> = TransactionOf<P, T> extends { inputs: infer I } ? keyof I & string : never;
export type MiOutput<P extends MiProgram, T extends MiTransaction<P>> = TransactionOf<P, T> extends { outputs: infer O } ? keyof O & string : never;

export const m3Contract = m3Json as unknown as {
  product: string;
  note: string;
  sources: Record<string, { repo?: string; commit?: string; what: string }>;
  endpoint: Record<string, { fact: string; source: string; default?: number }>;
  programs: Record<MiProgram, { transactions: Record<string, MiTransactionContract> }>;
};

export function miTransactionContract(program: string, transaction: string): MiTransactionContract | undefined {
  const p = (m3Contract.programs as Record<string, { transactions: Record<string, MiTransactionContract> } | undefined>)[program];
  return p?.transactions[transaction];
}

/** The records a list returns when maxrecs is not asked for (the SDK's default; the server's is not published). */
export const MI_DEFAULT_MAXRECS = m3Contract.endpoint.maxrecs!.default!;
