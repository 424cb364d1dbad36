// The platform's memory: issued authorization codes, live refresh tokens, pending denials and counters.
// Everything is taken synchronously (no await between look-up and delete): Node runs one handler at a time, so
// two requests racing for the same code or refresh token cannot both get it.

export class GrantStore {
  #codes = new Map(); // code -> {clientId, redirectUri, scope, issuedAt}
  #refreshTokens = new Map(); // refresh token -> {clientId, scope}
  #revoked = new Set(); // tokens revoked at /revoke (refresh or access)
  #pendingDenials = 0;
  #counts = { grants: {}, refusals: {}, authorizations: { approved: 0, denied: 0, refused: 0 }, rotated: 0 };

  addCode(code, grant) {
    this.#codes.set(code, { ...grant, issuedAt: Date.now() });
    this.#counts.authorizations.approved += 1;
  }

  peekCode(code) {
    return this.#codes.get(code);
  }

  // A code works once: whoever presents it first uses it up, even when the exchange then fails.
  takeCode(code) {
    const grant = this.#codes.get(code);
    this.#codes.delete(code);
    return grant;
  }

  addRefreshToken(token, grant) {
    this.#refreshTokens.set(token, grant);
  }

  peekRefreshToken(token) {
    return this.#refreshTokens.get(token);
  }

  // Rotation: the presented refresh token dies the moment it is used.
  takeRefreshToken(token) {
    const grant = this.#refreshTokens.get(token);
    if (grant !== undefined) {
      this.#refreshTokens.delete(token);
      this.#counts.rotated += 1;
    }
    return grant;
  }

  // RFC 7009 §2.2: an unknown token is not an error, and a client cannot revoke another client's tokens.
  revoke(token, clientId) {
    const grant = this.#refreshTokens.get(token);
    if (grant !== undefined && grant.clientId !== clientId) return;
    this.#refreshTokens.delete(token);
    this.#revoked.add(token);
  }

  denyNext() {
    this.#pendingDenials += 1;
    return this.#pendingDenials;
  }

  takeDenial() {
    if (this.#pendingDenials === 0) return false;
    this.#pendingDenials -= 1;
    this.#counts.authorizations.denied += 1;
    return true;
  }

  countGrant(grantType) {
    this.#counts.grants[grantType] = (this.#counts.grants[grantType] ?? 0) + 1;
  }

  countRefusal(error) {
    this.#counts.refusals[error] = (this.#counts.refusals[error] ?? 0) + 1;
  }

  countRefusedAuthorization() {
    this.#counts.authorizations.refused += 1;
  }

  snapshot() {
    return {
      ...structuredClone(this.#counts),
      live_refresh_tokens: this.#refreshTokens.size,
      outstanding_codes: this.#codes.size,
      revoked_tokens: this.#revoked.size,
      pending_denials: this.#pendingDenials,
    };
  }
}
