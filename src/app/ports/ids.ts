/** The only source of new ids for use cases; compose.ts passes UUID v7 (time-ordered, fits `uuid` columns). */
export interface IdGenerator {
  newId(): string;
}
