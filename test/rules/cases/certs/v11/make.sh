#!/bin/sh
# Certificates for the spec v1.1 rule cases (v11-*.sptls): CAs read from files, a
# re-keyed root, an unknown root, nested lifetimes. Fixed dates via `openssl ca`, so
# the cases can pin `# now:`. Run it again to regenerate (the keys change, the facts not).
set -e
cd "$(dirname "$0")"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cat > "$W/ca.cnf" <<CNF
[ ca ]
default_ca = d
[ d ]
database = $W/index.txt
new_certs_dir = $W
serial = $W/serial
policy = p
unique_subject = no
default_md = sha256
[ p ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \$ENV::SAN
CNF
: > "$W/index.txt"; echo 3000 > "$W/serial"; export SAN=DNS:unused
key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$W/$1.key" 2>/dev/null; }
# selfsigned NAME SUBJ START END
selfsigned() { key $1; openssl req -new -key "$W/$1.key" -subj "$2" -out "$W/$1.csr"
  openssl ca -batch -config "$W/ca.cnf" -selfsign -keyfile "$W/$1.key" -extensions v3_ca -startdate $3 -enddate $4 -in "$W/$1.csr" -out "$W/$1.crt" 2>/dev/null
  openssl x509 -in "$W/$1.crt" -out $1.pem; }
# signed NAME SUBJ ISSUER EXT START END [SAN]
signed() { key $1; openssl req -new -key "$W/$1.key" -subj "$2" -out "$W/$1.csr"; SAN=${7:-DNS:unused}
  openssl ca -batch -config "$W/ca.cnf" -cert "$W/$3.crt" -keyfile "$W/$3.key" -extensions $4 -startdate $5 -enddate $6 -in "$W/$1.csr" -out "$W/$1.crt" 2>/dev/null
  openssl x509 -in "$W/$1.crt" -out $1.pem; }
selfsigned lake-root "/O=Lake Corp/CN=Lake Root CA" 20250101000000Z 20450101000000Z
selfsigned lake-root-rekeyed "/O=Lake Corp/CN=Lake Root CA" 20250101000000Z 20450101000000Z
signed lake-issuing "/O=Lake Corp/CN=Lake Issuing CA" lake-root v3_ca 20250101000000Z 20350101000000Z
signed lake-issuing-rekeyed "/O=Lake Corp/CN=Lake Issuing CA 2" lake-root-rekeyed v3_ca 20250101000000Z 20350101000000Z
selfsigned hill-root "/O=Hill Corp/CN=Hill Root CA" 20250101000000Z 20450101000000Z
signed hill-issuing "/O=Hill Corp/CN=Hill Issuing CA" hill-root v3_ca 20250101000000Z 20350101000000Z
rm hill-root.pem   # never shipped: chains through Hill end at an unknown root
signed l1 "/O=Lake Corp/CN=l1.lake.example" lake-issuing v3_leaf 20250601000000Z 20270601000000Z DNS:l1.lake.example
signed l2 "/O=Lake Corp/CN=l2.lake.example" lake-issuing-rekeyed v3_leaf 20250601000000Z 20270601000000Z DNS:l2.lake.example
signed l-long "/O=Lake Corp/CN=long.lake.example" lake-issuing v3_leaf 20250601000000Z 20400101000000Z DNS:long.lake.example
signed h1 "/O=Hill Corp/CN=h1.hill.example" hill-issuing v3_leaf 20250601000000Z 20270601000000Z DNS:h1.hill.example
signed by-hill-root "/O=Hill Corp/CN=direct.hill.example" hill-root v3_leaf 20250601000000Z 20270601000000Z DNS:direct.hill.example
