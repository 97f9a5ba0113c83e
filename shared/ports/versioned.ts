/**
 * A participant record with the ETag it was read or written with: the next write of the
 * record is conditional on it, so two deliveries of one command cannot both move it.
 */
export interface Versioned<T> {
  readonly doc: T;
  readonly etag: string;
}
