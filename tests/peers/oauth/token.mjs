// POST /token as a strict platform: the package mints the tokens (signed JWT access token, random refresh token)
// and checks the PKCE code_verifier; these hooks refuse what a real platform refuses and shape the answer.
import { randomUUID } from 'node:crypto';
import { authenticateClient, isFormEncoded, oauthError } from './clients.mjs';

const INVALID_TOKEN = 'Value passed for the token was invalid.'; // X's words for a dead refresh token

export function installTokenRules(service, Events, config, store) {
  service.on(Events.BeforeTokenSigning, (token, req) => {
    const grant = currentGrant(store, req.body);
    const payload = token.payload;
    payload.jti = randomUUID(); // two tokens signed in the same second must still differ
    payload.exp = payload.iat + config.expires_in;
    payload.client_id = config.client_id;
    if (grant !== undefined) payload.scope = grant.scope;
  });

  service.on(Events.BeforeResponse, (response, req) => {
    const body = req.body;
    const refuse = (status, error, description) => {
      store.countRefusal(error);
      response.statusCode = status;
      response.body = oauthError(error, description);
      console.log(`token ${body.grant_type}: ${status} ${error} (${description})`);
    };
    if (!isFormEncoded(req)) {
      return refuse(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    // The package has already spent the PKCE challenge of a presented code, so the code is used up here too.
    const code = body.grant_type === 'authorization_code' ? store.takeCode(body.code) : undefined;
    const clientId = authenticateClient(config, req, body);
    if (clientId === null) return refuse(401, 'invalid_client', 'Missing valid authorization header');
    let outcome;
    if (body.grant_type === 'authorization_code') outcome = redeemCode(config, code, body, clientId);
    else if (body.grant_type === 'refresh_token') outcome = rotateRefreshToken(config, store, body, clientId);
    else return refuse(400, 'unsupported_grant_type', `grant_type ${body.grant_type} is not supported`);
    if (outcome.error !== undefined) return refuse(400, outcome.error, outcome.description);

    const minted = response.body;
    response.body = {
      token_type: 'bearer',
      access_token: minted.access_token,
      expires_in: config.expires_in,
      scope: outcome.scope,
    };
    // What a platform's token answer carries beside RFC 6749's fields (TikTok: open_id, refresh_expires_in).
    Object.assign(response.body, config.answer_fields);
    // X gives a refresh token only to grants with offline.access; by default every grant gets one.
    const scopes = outcome.scope.split(config.scope_separator);
    const offline = config.refresh_tokens && (config.refresh_scope === null || scopes.includes(config.refresh_scope));
    if (offline) {
      response.body.refresh_token = minted.refresh_token;
      store.addRefreshToken(minted.refresh_token, { clientId, scope: outcome.scope });
    }
    store.countGrant(body.grant_type);
  });
}

// The grant a token request is for, while it is still live (for the scope of the JWT being signed).
function currentGrant(store, body) {
  if (body.grant_type === 'authorization_code') return store.peekCode(body.code);
  if (body.grant_type === 'refresh_token') return store.peekRefreshToken(body.refresh_token);
  return undefined;
}

function redeemCode(config, grant, body, clientId) {
  if (typeof body.code !== 'string' || body.code === '') return refusal('invalid_request', 'code is required');
  if (grant === undefined) return refusal('invalid_grant', 'authorization code is invalid or was already used');
  if (Date.now() - grant.issuedAt >= config.code_ttl * 1000) { // good for less than code_ttl s
    return refusal('invalid_grant', 'authorization code has expired');
  }
  if (grant.clientId !== clientId) return refusal('invalid_grant', 'authorization code was issued to another client');
  if (body.redirect_uri !== grant.redirectUri) {
    return refusal('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  // A present verifier was already checked against the S256 challenge by the package (a mismatch never gets
  // here: see withOAuthErrors); leaving it out must not skip PKCE.
  if (typeof body.code_verifier !== 'string') return refusal('invalid_grant', 'code_verifier is required');
  return { scope: grant.scope };
}

function rotateRefreshToken(config, store, body, clientId) {
  if (typeof body.refresh_token !== 'string' || body.refresh_token === '') {
    return refusal('invalid_request', 'refresh_token is required');
  }
  const grant = store.peekRefreshToken(body.refresh_token);
  if (grant === undefined || grant.clientId !== clientId) return refusal('invalid_grant', INVALID_TOKEN);
  const granted = grant.scope.split(config.scope_separator);
  const asked = typeof body.scope === 'string' ? body.scope.split(config.scope_separator) : granted;
  if (!asked.every((scope) => granted.includes(scope))) {
    return refusal('invalid_scope', 'scope exceeds the scope originally granted');
  }
  store.takeRefreshToken(body.refresh_token);
  return { scope: asked.join(config.scope_separator) };
}

function refusal(error, description) {
  return { error, description };
}

// The package refuses a malformed token request, a wrong code_verifier or a used-up PKCE code by throwing before
// any hook runs, and answers an RFC 9457 problem document; a platform answers RFC 6749 §5.2's error object
// (RFC 7636 §4.6: a verifier mismatch is invalid_grant). Rewrite those answers, and use the code up.
export function withOAuthErrors(handler, tokenPath, store) {
  return (req, res) => {
    if (req.method === 'POST' && new URL(req.url ?? '/', 'http://peer').pathname === tokenPath) {
      const end = res.end.bind(res);
      res.end = (content, ...rest) => {
        // RFC 6749 §5.2: a 401 names the authentication scheme the client must use.
        if (res.statusCode === 401) res.setHeader('WWW-Authenticate', 'Basic realm="token"');
        const type = String(res.getHeader('content-type') ?? '');
        if (res.statusCode !== 400 || !type.startsWith('application/problem+json')) return end(content, ...rest);
        const [error, description] = translateProblem(String(JSON.parse(String(content)).detail ?? ''));
        if (error === 'invalid_grant' && typeof req.body?.code === 'string') store.takeCode(req.body.code);
        store.countRefusal(error);
        console.log(`token: 400 ${error} (${description})`);
        const answer = JSON.stringify(oauthError(error, description));
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', Buffer.byteLength(answer));
        return end(answer);
      };
    }
    handler(req, res);
  };
}

// The package's problem details (oauth2-mock-server 9.3.0) as OAuth errors.
function translateProblem(detail) {
  // Its PKCE challenge is spent on first use, so a replayed (or never issued) code with a verifier lands here.
  if (detail === 'code_challenge required') {
    return ['invalid_grant', 'authorization code is invalid or was already used'];
  }
  if (/code_verifier/.test(detail)) return ['invalid_grant', detail];
  if (detail === 'Invalid grant type') return ['unsupported_grant_type', detail];
  return ['invalid_request', detail];
}
