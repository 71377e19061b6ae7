// Transactions that lose a race (two first logins of one user, a login during a sync) are retried a few
// times: unique-key conflicts (P2002 / 23505), serialization failures and deadlocks (P2034 / 40001 / 40P01).
const RETRYABLE = new Set(['P2002', 'P2034', '23505', '40001', '40P01']);

function codeOf(err: unknown): string | undefined {
  const e = err as {
    code?: string;
    meta?: { code?: string };
    cause?: { code?: string; originalCode?: string };
  };
  return e?.cause?.originalCode ?? e?.meta?.code ?? e?.cause?.code ?? e?.code;
}

export function isRetryableConflict(err: unknown): boolean {
  const code = codeOf(err);
  if (code && RETRYABLE.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /duplicate key value|could not serialize|deadlock detected/.test(message);
}

export async function withTransactionRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}
