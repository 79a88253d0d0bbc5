// rp.mjs: a relying party on npm openid-client, as its README writes one
// (discovery, authorization code flow with PKCE and nonce, userinfo,
// refresh). tests/integration/test_oidc_rp.py drives it in two steps:
//
//   node rp.mjs start  ISSUER CLIENT_ID SECRET REDIRECT_URI ALG
//       prints {url, code_verifier, nonce, state}
//   node rp.mjs finish ISSUER CLIENT_ID SECRET REDIRECT_URI ALG
//       reads that object plus {callback} on stdin, prints what it got
//
// allowInsecureRequests: the test servers speak http on 127.0.0.1.
import * as client from 'openid-client'

const [cmd, issuer, clientId, clientSecret, redirectUri, alg] =
    process.argv.slice(2)
const config = await client.discovery(new URL(issuer), clientId, {
  client_secret: clientSecret,
  id_token_signed_response_alg: alg,
}, undefined, { execute: [client.allowInsecureRequests] })

const header = (jwt) =>
  JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString())

async function readStdin () {
  let s = ''
  for await (const chunk of process.stdin) s += chunk
  return JSON.parse(s)
}

if (cmd === 'start') {
  const codeVerifier = client.randomPKCECodeVerifier()
  const nonce = client.randomNonce()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  })
  console.log(JSON.stringify({ url: url.href, code_verifier: codeVerifier,
    nonce, state }))
} else if (cmd === 'finish') {
  const s = await readStdin()
  const tokens = await client.authorizationCodeGrant(config,
    new URL(s.callback), {
      pkceCodeVerifier: s.code_verifier,
      expectedNonce: s.nonce,
      expectedState: s.state,
      idTokenExpected: true,
    })
  const claims = tokens.claims()
  const userinfo = await client.fetchUserInfo(config, tokens.access_token,
    claims.sub)
  const refreshed = await client.refreshTokenGrant(config,
    tokens.refresh_token)
  console.log(JSON.stringify({
    header: header(tokens.id_token),
    claims,
    userinfo,
    access_token: refreshed.access_token,
    refreshed_claims: refreshed.claims(),
  }))
} else {
  console.error('usage: rp.mjs start|finish ISSUER CLIENT_ID SECRET ' +
      'REDIRECT_URI ALG')
  process.exit(2)
}
