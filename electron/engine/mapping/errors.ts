/** A record that cannot be translated to the other system as things are mapped now; names the field. */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
