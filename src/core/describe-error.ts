/** `Name: message` of a thrown Error or DOMException (IndexedDB's errors), or its string form; for error-event messages. */
export function describeError(error: unknown): string {
  if (error instanceof DOMException || error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
