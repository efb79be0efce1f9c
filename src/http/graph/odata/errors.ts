/**
 * A client's OData query is malformed or asks for something this resource does not offer. The message is
 * written for the person who wrote the query: it names the option, the offending text and what would work.
 * The Graph error mapper answers it with 400 `BadRequest`.
 */
export class ODataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataError';
  }
}
