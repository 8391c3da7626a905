// J1P answers business errors as HTTP 200 with `returnCode` ≠ 0 and a `returnMessage`; clients must read the
// body, not only the status. The real numeric codes are not public: these are the sandbox's, one per kind of
// failure so tests can tell them apart.
export const RC = {
  OK: 0,
  /** The request is malformed or a field is missing/invalid (bad operationCode, missing companyName, bad flt). */
  INVALID_REQUEST: 1,
  /** The referenced object does not exist (UPDATE of an unknown bravoId, unknown supplier on an invoice). */
  NOT_FOUND: 2,
  /** The object already exists (CREATE with an extCode in use, the same supplier invoice number twice). */
  DUPLICATE: 3,
} as const;

// A type alias, not an interface: it has to be assignable to Record<string, unknown> bodies.
export type Envelope = {
  returnCode: number;
  returnMessage: string;
};

export const fail = (returnCode: number, returnMessage: string): Envelope => ({ returnCode, returnMessage });
