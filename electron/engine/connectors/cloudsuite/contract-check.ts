import { industrialContract, type IdoName } from '../../contracts/cloudsuite';
import { FerryError } from '../../../../shared/errors';
import type { IdoClient } from './ido-client';

// The connection test's look at Ferry's CloudSuite contract on this tenant: every IDO and property Ferry
// reads or writes (contracts/cloudsuite-industrial.json) and the customer's user fields it was told to use,
// asked of the tenant itself (GET /info/{ido}). Several property lists in the contract are reasoned from
// public sources rather than published (those IDOs carry `inferred`); this is where a wrong guess shows,
// before the first sync, naming exactly what is missing. Methods cannot be listed this way: the first call
// of each says so if it is missing.

export interface ContractCheck {
  idos: number;
  properties: number;
  /** IDOs whose property names are reasoned, not published, and which this tenant confirmed. */
  confirmedInferred: IdoName[];
}

export async function checkIndustrialContract(ido: IdoClient, userFields: Partial<Record<IdoName, string[]>>): Promise<ContractCheck> {
  const problems: string[] = [];
  const confirmedInferred: IdoName[] = [];
  let properties = 0;
  const names = Object.keys(industrialContract.idos) as IdoName[];
  for (const name of names) {
    const c = industrialContract.idos[name];
    const info = await ido.info(name);
    if (!info) {
      problems.push(`there is no IDO ${name}`);
      continue;
    }
    // Mongoose matches property names without regard to case.
    const have = new Set(info.properties.map((p) => p.toLowerCase()));
    const wanted = [...Object.keys(c.properties), ...(userFields[name] ?? [])];
    properties += wanted.length;
    const missing = wanted.filter((p) => !have.has(p.toLowerCase()));
    if (missing.length > 0) problems.push(`${name} has no ${missing.join(', ')}`);
    else if (c.inferred) confirmedInferred.push(name);
  }
  if (problems.length > 0) {
    throw new FerryError('contract_mismatch', `This CloudSuite does not have everything Ferry uses: ${problems.join('; ')}.`);
  }
  return { idos: names.length, properties, confirmedInferred };
}
