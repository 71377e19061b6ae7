/** A control-API or store misuse (unknown id, wrong type...); the HTTP layer maps `status` to the reply. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
