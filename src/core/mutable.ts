/**
 * A writable view of a readonly contract type, for the one place that builds such an object field by field
 * (a literal first, then optional fields by assignment, so objects of one kind share a V8 hidden class).
 * @module
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
