// Google's discovery document of an API -> Swagger 2.0 (npm google-discovery-to-swagger), for Prism to validate
// requests against Google's own description of the API. Run by scripts/install-peers.sh:
//   node discovery-to-openapi.cjs CONVERTER_DIR DISCOVERY.json OUT.json
// Discovery APIs speak JSON, but the converter declares no media types, and Prism then refuses every JSON body
// ("no supported content types"): the document says application/json for requests and answers, as Google does.
// Discovery documents carry no status codes either (the converter gives every method a 200); Google answers a
// successful delete with 204 No Content, so each DELETE operation documents that answer too.
const { createRequire } = require('node:module');
const { join } = require('node:path');
const fs = require('node:fs');

const [converterDir, discoveryPath, outPath] = process.argv.slice(2);
if (!converterDir || !discoveryPath || !outPath) {
  console.error('usage: node discovery-to-openapi.cjs CONVERTER_DIR DISCOVERY.json OUT.json');
  process.exit(2);
}
const converter = createRequire(join(converterDir, 'package.json'))('google-discovery-to-swagger');
const swagger = converter.convert(JSON.parse(fs.readFileSync(discoveryPath, 'utf8')));
swagger.consumes = ['application/json'];
swagger.produces = ['application/json'];
for (const item of Object.values(swagger.paths)) {
  if (item.delete) item.delete.responses = { ...item.delete.responses, 204: { description: 'No Content' } };
}
fs.writeFileSync(outPath, JSON.stringify(swagger));
console.log(`${outPath}: ${Object.keys(swagger.paths).length} paths`);
