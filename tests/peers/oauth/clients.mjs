// Client authentication and the small HTTP pieces the token and revoke endpoints share.

// RFC 6749 §2.3.1: a confidential client (a secret is configured) sends HTTP Basic client_id:client_secret, each
// form-encoded first; a public client sends only client_id in the body. X refuses a secret in the body, and so
// do we. Returns the authenticated client id, or null.
// A platform that wants the secret in the form instead (client_secret_post: Meta, LinkedIn, TikTok) refuses Basic;
// TikTok also names the client id "client_key" (config.client_id_param).
export function authenticateClient(config, req, body) {
  const header = req.headers.authorization ?? '';
  const idParam = config.client_id_param;
  if (!config.client_secret) {
    return header === '' && body[idParam] === config.client_id ? config.client_id : null;
  }
  if (config.client_auth === 'client_secret_post') {
    const posted = header === '' && body[idParam] === config.client_id && body.client_secret === config.client_secret;
    return posted ? config.client_id : null;
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic === null || 'client_secret' in body) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (body.client_id !== undefined && body.client_id !== id) return null;
  return id === config.client_id && secret === config.client_secret ? id : null;
}

function formDecode(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

// RFC 6749 §3.2 / RFC 7009 §2.1: the parameters come form-encoded; the package would also take JSON.
export function isFormEncoded(req) {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

// RFC 6749 §5.2's error object.
export function oauthError(error, description) {
  return { error, error_description: description };
}

export function sendJson(res, status, body) {
  const content = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(content));
  res.setHeader('Cache-Control', 'no-store');
  res.end(content);
}
