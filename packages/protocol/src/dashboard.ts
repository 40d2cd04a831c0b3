/** What `POST /dashboard/login-code` answers: a single-use code and the link that spends it. */
export interface LoginCodeResponse {
  readonly code: string;
  /** The code dies at this time (60 s after it was made), used or not. */
  readonly expiresAt: string;
  /** The dashboard's address on the daemon's TCP listener. */
  readonly url: string;
  /** `url` + `login#code=…`: the fragment never reaches a server log or a `Referer`. */
  readonly loginUrl: string;
}

/** What `POST /session` takes: a login code (from the link) or the API token (typed into the login page). */
export interface SessionRequest {
  readonly code?: string;
  readonly token?: string;
}

/** The answer of a login: the cookie is in `Set-Cookie`, never in the body. */
export interface SessionResponse {
  readonly expiresAt: string;
}
