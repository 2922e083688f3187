#!/usr/bin/env bash
# Makes a development PKI for the HTTPS listener and mTLS: a CA, a server certificate for
# localhost/127.0.0.1, and two client certificates — one whose identity is a SPIFFE URI SAN, one
# identified by its CN only (SPEC 4 precedence: URI SAN, then DNS SAN, then CN).
#   scripts/gen-certs.sh [--rsa] [dir]     (default: certs/, which .gitignore keeps out of the repository)
# Keys are ECDSA P-256 unless --rsa (RSA-2048): a new-connection handshake costs the server far
# less with P-256 (README "TLS for callers that open a connection per callback" has the figures).
# Also writes ticket.key, a session ticket key for tls.sessionTicketKeysPath.
# Development only: the CA key sits next to the certificates, unencrypted.
# Then in config.json: "tls": {"enabled": true, "certPath": "<dir>/server.crt",
#   "keyPath": "<dir>/server.key", "clientAuth": "required", "clientCaPath": "<dir>/ca.crt",
#   "sessionTicketKeysPath": "<dir>/ticket.key"}
set -euo pipefail

type=ec
if [ "${1:-}" = --rsa ]; then type=rsa; shift; fi
dir="${1:-certs}"
days=825   # the longest validity that Apple and browsers accept for a server certificate
mkdir -p "$dir"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "$type" = rsa ]; then
  key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
  usage=digitalSignature,keyEncipherment   # TLS 1.2's RSA key exchange encrypts with the key
else
  key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
  usage=digitalSignature                   # an EC key only signs
fi

# sign <name> <subject> <extensions>: a certificate for <name>.key signed by the CA.
sign() {
  local name="$1" subject="$2" extensions="$3"
  key "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$work/$name.csr"
  printf '%s\n' "$extensions" > "$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  echo "  $dir/$name.crt  ($subject)"
}

key "$dir/ca.key"
openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=callback-ingress dev CA" -days "$days" -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$dir/ca.crt"
echo "  $dir/ca.crt  (CA)"

sign server "/CN=localhost" "basicConstraints=critical,CA:FALSE
keyUsage=critical,$usage
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"

sign client-spiffe "/CN=worker" "basicConstraints=critical,CA:FALSE
keyUsage=critical,$usage
extendedKeyUsage=clientAuth
subjectAltName=URI:spiffe://callback-ingress.dev/worker"

sign client-cn "/CN=reporter" "basicConstraints=critical,CA:FALSE
keyUsage=critical,$usage
extendedKeyUsage=clientAuth"

openssl rand 48 > "$dir/ticket.key"
echo "  $dir/ticket.key  (session ticket key)"

chmod 644 "$dir"/*.crt
echo "identities: spiffe://callback-ingress.dev/worker (client-spiffe), reporter (client-cn)"
