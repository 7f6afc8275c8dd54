// DCC verifier-core (the verifier of the Learner Credential Wallet) on one credential, offline.
// usage: node dcc_verify.mjs --map https://HOST=http://127.0.0.1:PORT [--map PREFIX=file:///dir/] < credential.json
// Every fetch the library makes (DID documents, status lists, schemas) goes through
// globalThis.fetch, replaced here: a mapped prefix is rewritten, anything else is refused and
// makes the verdict invalid. Prints one JSON line: {valid, revoked, errors, log}.
import fs from 'node:fs';

const args = process.argv.slice(2);
const maps = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--map') {
    const [from, to] = args[++i].split(/=(.*)/s);
    maps.push({ from, to });
  }
}
maps.sort((a, b) => b.from.length - a.from.length); // the longest prefix wins

const refused = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : (input instanceof URL ? input.href : input.url);
  const mapped = maps.find(m => url.startsWith(m.from));
  if (!mapped) {
    refused.push(url);
    throw new TypeError(`no network in the tests: ${url}`);
  }
  const target = mapped.to + url.slice(mapped.from.length);
  if (target.startsWith('file://')) {
    const path = new URL(target).pathname;
    const found = fs.existsSync(path);
    return new Response(found ? fs.readFileSync(path) : 'not found',
      { status: found ? 200 : 404, headers: { 'content-type': 'application/json' } });
  }
  return realFetch(input instanceof Request ? new Request(target, input) : target, init);
};
// The libraries print to stdout: it is kept for the verdict.
console.log = console.info = console.warn = (...a) => process.stderr.write(a.map(String).join(' ') + '\n');

const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const credential = JSON.parse(fs.readFileSync(0, 'utf8'));
// No issuer registry: whether an issuer is "known" to DCC is not what is tested.
const result = await verifyCredential({ credential, knownDIDRegistries: [] });

const brief = e => (e && { name: e.name, message: e.message ?? String(e) });
const log = (result.log ?? []).map(({ error, ...step }) => ({ ...step, ...(error && { error: brief(error) }) }));
const step = id => log.find(s => s.id === id);
const errors = [
  ...(result.errors ?? []).map(brief),
  ...(result.error ? [brief(result.error)] : []),
  ...log.filter(s => s.error).map(s => ({ step: s.id, ...s.error })),
  ...log.filter(s => s.valid === false && s.id !== 'registered_issuer').map(s => ({ step: s.id, name: 'failed' })),
  ...[...new Set(refused)].map(url => ({ name: 'refused_fetch', message: url })),
];
// verifier-core reduces every failed proof to "invalid_signature": the plain check says why.
if (result.errors?.length) {
  const vc = await import('@digitalcredentials/vc');
  const { DataIntegrityProof } = await import('@digitalcredentials/data-integrity');
  const { cryptosuite } = await import('@digitalcredentials/eddsa-rdfc-2022-cryptosuite');
  const { securityLoader } = await import('@digitalcredentials/security-document-loader');
  const checked = await vc.verifyCredential({
    credential, suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: securityLoader({ fetchRemoteContexts: true }).build(),
    checkStatus: async () => ({ verified: true }),
  });
  const inner = checked.error?.errors ?? (checked.error ? [checked.error] : []);
  // JSON-LD safe mode says which term or value it refused in its event.
  const event = e => e.details?.event ? ` ${e.details.event.message} ${JSON.stringify(e.details.event.details)}` : '';
  errors.push(...inner.map(e => ({ name: 'reason', message: e.message + event(e) })));
}
const revocation = step('revocation_status');
const verdict = {
  valid: errors.length === 0 && step('valid_signature')?.valid === true,
  revoked: revocation && !revocation.error ? !revocation.valid : null,
  errors,
  log,
};
process.stdout.write(JSON.stringify(verdict) + '\n');
