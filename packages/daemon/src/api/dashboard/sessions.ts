import type { Clock } from '../../runtime/clock.js';

/** The cookie that carries a dashboard session (never the API token itself: a session can end on its own). */
export const SESSION_COOKIE = 'nightshift_session';

/** A login code lives this long: long enough to open the link `nightshift dashboard` printed, no longer. */
export const LOGIN_CODE_TTL_MS = 60_000;

/** A session lasts a working day; a new login link (or the token) starts another. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

/**
 * Login codes and the sessions they open, in memory: a daemon restart ends every session (the page then shows
 * its login form), which is the safe side for a credential that lives in a browser. Time is the monotonic
 * clock, so setting the machine's time neither revives a code nor ends a session early.
 *
 * A code is single-use and dies after `LOGIN_CODE_TTL_MS`; a session id is 32 random bytes, unrelated to the
 * token, so a leaked cookie never reveals the token and ends on its own.
 */
export class DashboardSessions {
  readonly #clock: Clock;
  readonly #random: (bytes: number) => Buffer;
  /** code → monotonic expiry. */
  readonly #codes = new Map<string, number>();
  /** session id → monotonic expiry. */
  readonly #sessions = new Map<string, number>();

  constructor(deps: { clock: Clock; random: (bytes: number) => Buffer }) {
    this.#clock = deps.clock;
    this.#random = deps.random;
  }

  /** A new single-use code, and its expiry on the wall clock (for the CLI to print). */
  mintCode(): { code: string; expiresAt: string } {
    this.#sweep();
    const code = this.#random(18).toString('base64url');
    this.#codes.set(code, this.#clock.monotonic() + LOGIN_CODE_TTL_MS);
    return { code, expiresAt: new Date(this.#clock.now() + LOGIN_CODE_TTL_MS).toISOString() };
  }

  /** Spends a code: true once, for a code minted less than `LOGIN_CODE_TTL_MS` ago. */
  spendCode(code: string): boolean {
    const expires = this.#codes.get(code);
    // Deleted whether or not it was still valid: a code is tried once.
    this.#codes.delete(code);
    return expires !== undefined && this.#clock.monotonic() < expires;
  }

  /** Opens a session; the id goes into the cookie. */
  open(): { id: string; maxAgeSeconds: number } {
    this.#sweep();
    const id = this.#random(32).toString('base64url');
    this.#sessions.set(id, this.#clock.monotonic() + SESSION_TTL_MS);
    return { id, maxAgeSeconds: SESSION_TTL_MS / 1000 };
  }

  valid(id: string): boolean {
    const expires = this.#sessions.get(id);
    return expires !== undefined && this.#clock.monotonic() < expires;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  /** Forgets what expired, so codes minted and never used cannot pile up. */
  #sweep(): void {
    const now = this.#clock.monotonic();
    for (const map of [this.#codes, this.#sessions]) {
      for (const [key, expires] of map) if (expires <= now) map.delete(key);
    }
  }
}

/** The session id from a `Cookie` header, if it carries ours. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The `Set-Cookie` value for a session: never readable by script, never sent by another site's request. */
export function sessionCookie(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

/** The `Set-Cookie` value that removes it. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
