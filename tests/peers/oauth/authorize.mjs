// GET /authorize as a strict platform (X's OAuth 2.0 is the model): the package always approves and redirects
// with a code; this hook checks the request first and records what the code is bound to.
import { AssertionError } from 'node:assert';

// X requires every one of these on its authorize URL.
const REQUIRED = ['redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

export function installAuthorizeRules(service, Events, config, store) {
  service.on(Events.BeforeAuthorizeRedirect, ({ url }, req) => {
    const query = req.query; // parsed by the package before it emits
    const idParam = config.client_id_param;
    // An unknown client or callback gets an error page, never a redirect: the redirect_uri is not trusted yet.
    // The package answers a thrown AssertionError with a 400 page.
    if (query[idParam] !== config.client_id) {
      store.countRefusedAuthorization();
      throw new AssertionError({ message: `unknown ${idParam} ${JSON.stringify(query[idParam])}` });
    }
    // Every scope the test's platform requires to post must be asked for (and no more than it allows).
    const asked = typeof query.scope === 'string' ? query.scope.split(config.scope_separator) : [];
    const unknownScopes = config.scopes === null ? [] : asked.filter((scope) => !config.scopes.includes(scope));
    if (unknownScopes.length > 0) {
      store.countRefusedAuthorization();
      throw new AssertionError({ message: `unknown scope ${unknownScopes.join(', ')}` });
    }
    if (config.redirect_uris.length > 0 && !config.redirect_uris.includes(query.redirect_uri)) {
      store.countRefusedAuthorization();
      throw new AssertionError({ message: `redirect_uri ${JSON.stringify(query.redirect_uri)} is not registered` });
    }
    const code = url.searchParams.get('code');
    if (code === null) return; // response_type was not "code": the package already says unsupported_response_type
    const missing = REQUIRED.filter((name) => typeof query[name] !== 'string' || query[name] === '');
    if (missing.length > 0) return refuse(url, store, 'invalid_request', `missing ${missing.join(', ')}`);
    // PKCE is mandatory and only S256 counts (the package would also take "plain").
    if (query.code_challenge_method !== 'S256') {
      return refuse(url, store, 'invalid_request', 'code_challenge_method must be S256');
    }
    if (store.takeDenial()) return refuse(url, store, 'access_denied', 'The user denied the authorization request');
    // The package keeps the code_challenge itself and checks the code_verifier at /token.
    store.addCode(code, { clientId: query[idParam], redirectUri: query.redirect_uri, scope: query.scope });
  });
}

// RFC 6749 §4.1.2.1: the error goes back to the client's callback with the state, and no code.
function refuse(url, store, error, description) {
  url.searchParams.delete('code');
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (error !== 'access_denied') store.countRefusedAuthorization();
}
