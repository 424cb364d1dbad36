// Octopost's OAuth 2.0 authorization-server peer: npm oauth2-mock-server (9.3.0) playing a strict platform's
// authorize, token and revoke endpoints (X's OAuth 2.0 is the model). tests/peers/oauth_server.py runs it:
//   node server.mjs PORT   with OAUTH_PEER_CONFIG='{"package_dir": ..., "client_id": ..., ...}'
// It listens on 127.0.0.1 only and prints "ready <issuer>" once it answers.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installAuthorizeRules } from './authorize.mjs';
import { installRoutes } from './routes.mjs';
import { GrantStore } from './store.mjs';
import { installTokenRules, withOAuthErrors } from './token.mjs';

const TOKEN_PATH = '/token';
const UNUSED_BUILTIN_REVOKE = '/_package/revoke';

const port = Number(process.argv[2] ?? process.env.OAUTH_PEER_PORT);
const config = {
  client_secret: null,
  redirect_uris: [],
  expires_in: 7200, // X's access tokens live two hours
  code_ttl: 30, // X's authorization codes live 30 seconds
  refresh_scope: null,
  refresh_tokens: true, // false: no grant gets a refresh token (Meta, most LinkedIn apps)
  client_id_param: 'client_id',
  client_auth: 'client_secret_basic',
  scopes: null, // the scopes the "platform" knows (null: any)
  scope_separator: ' ',
  answer_fields: {},
  ...JSON.parse(process.env.OAUTH_PEER_CONFIG ?? '{}'),
};
if (!Number.isInteger(port) || !config.package_dir || !config.client_id) {
  console.error('usage: OAUTH_PEER_CONFIG=\'{"package_dir":..., "client_id":...}\' node server.mjs PORT');
  process.exit(2);
}

// ESM resolves a bare import next to this file, not next to the cache: load the package from the cache itself.
const entry = createRequire(join(config.package_dir, 'package.json')).resolve('oauth2-mock-server');
const { Events, HttpServer, OAuth2Issuer, OAuth2Service } = await import(pathToFileURL(entry).href);

// OAuth2Server is exactly HttpServer(service.requestHandler); composed by hand here to put withOAuthErrors in
// front of the handler.
const issuer = new OAuth2Issuer();
await issuer.keys.generate('RS256');
issuer.url = `http://127.0.0.1:${port}`;
const service = new OAuth2Service(issuer, { token: TOKEN_PATH, revoke: UNUSED_BUILTIN_REVOKE });
const store = new GrantStore();
installAuthorizeRules(service, Events, config, store);
installTokenRules(service, Events, config, store);
installRoutes(service, Events, config, store);

const server = new HttpServer(withOAuthErrors(service.requestHandler, TOKEN_PATH, store));
await server.start(port, '127.0.0.1');
console.log(`ready ${issuer.url}`);

const shutdown = () => server.stop().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
