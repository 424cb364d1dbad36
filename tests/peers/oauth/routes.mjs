// Routes added with the package's addRoute(): a real RFC 7009 /revoke (the package's own one answers 200 without
// reading the request), the discovery document telling the truth about it, and a small control surface.
import { authenticateClient, isFormEncoded, oauthError, sendJson } from './clients.mjs';

export const REVOKE_PATH = '/revoke';
export const CONTROL_PATH = '/_control';

export function installRoutes(service, Events, config, store) {
  service.addRoute('POST', REVOKE_PATH, (req, res) => {
    const body = req.body ?? {};
    if (!isFormEncoded(req)) {
      return sendJson(res, 400, oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded'));
    }
    const clientId = authenticateClient(config, req, body);
    if (clientId === null) {
      res.setHeader('WWW-Authenticate', 'Basic realm="revoke"');
      return sendJson(res, 401, oauthError('invalid_client', 'Missing valid authorization header'));
    }
    if (typeof body.token !== 'string' || body.token === '') {
      return sendJson(res, 400, oauthError('invalid_request', 'token is required'));
    }
    store.revoke(body.token, clientId);
    sendJson(res, 200, { revoked: true }); // X's answer; RFC 7009 clients look only at the 200
  });

  // The package's built-in revoke endpoint is moved out of the way (see server.mjs) and answers 404 there.
  service.on(Events.BeforeRevoke, (response) => {
    response.statusCode = 404;
  });

  service.on(Events.BeforeWellKnownOpenIdConfiguration, (response) => {
    const issuer = response.body.issuer;
    Object.assign(response.body, {
      revocation_endpoint: `${issuer}${REVOKE_PATH}`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: config.client_secret ? [config.client_auth] : ['none'],
    });
  });

  // What tests may look at or arrange: counters, and "the user says no to the next authorization".
  service.addRoute('GET', `${CONTROL_PATH}/state`, (_req, res) => sendJson(res, 200, store.snapshot()));
  service.addRoute('POST', `${CONTROL_PATH}/deny-next`, (_req, res) => {
    sendJson(res, 200, { pending_denials: store.denyNext() });
  });
}
