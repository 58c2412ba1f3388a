# Sourced by bench/run.sh: the HTTPS cases. "https" is the small GET over TLS keep-alive connections; "handshake" is
# the small GET with Connection: close, so every request pays a full TLS handshake (wrk does not resume sessions);
# "h2tls" (lib/h2.sh) is HTTP/2 on the same listener. nginx and Gatehouse serve the same certificate (EC P-256, made
# per run) with the same protocols and ciphers, and both offer h2 and http/1.1 by ALPN (wrk sends no ALPN: HTTP/1.1).
TLS_PORT_OFFSET=${TLS_PORT_OFFSET:-1000}   # a target's HTTPS port is its plain port + this
TLS_CASES="https handshake h2tls"
is_tls_case() { [[ " $TLS_CASES " == *" $1 "* ]]; }
wants_tls() { local c; for c in $CASES; do is_tls_case "$c" && return 0; done; return 1; }
# Targets that have an HTTPS listener (and HTTP/2) in this harness; the others (and BASELINE_JAR builds, which may
# predate TLS and HTTP/2) skip the TLS and HTTP/2 cases.
tls_target() { [[ $1 == nginx || $1 == nginx-full || $1 == gh-routing || $1 == gh-full ]]; }
runs_case() { { ! is_tls_case "$2" && ! is_h2_case "$2"; } || tls_target "$1"; }   # runs_case TARGET CASE
tls_port_of() { echo $(( ${PORT_OF[$1]} + TLS_PORT_OFFSET )); }
# Mozilla's intermediate profile, the gateway's `ciphers: intermediate` (TLS 1.3 suites are always on in nginx).
TLS_NGINX_CIPHERS=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305

make_tls_cert() {   # make_tls_cert DIR: DIR/bench.pem and DIR/bench.key (PKCS#8) for 127.0.0.1 and localhost
    mkdir -p "$1"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$1/bench.key" -out "$1/bench.pem" 2>/dev/null \
        || die "openssl could not make the bench certificate"
    TLS_CERT=$1/bench.pem TLS_KEY=$1/bench.key
}

nginx_tls_server() {   # nginx_tls_server PORT: the server-block lines of an HTTPS listener (empty without TLS cases)
    wants_tls || return 0
    cat <<EOF
        listen 127.0.0.1:$1 ssl http2 backlog=4096;
        ssl_certificate $TLS_CERT;
        ssl_certificate_key $TLS_KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers $TLS_NGINX_CIPHERS;
        ssl_prefer_server_ciphers off;
        ssl_session_tickets on;
        ssl_session_timeout 1d;
EOF
}

gatehouse_tls_config() {   # gatehouse_tls_config CONFIG PORT -> path of CONFIG with server.tls added
    local out
    out=$RUN_DIR/$(basename "${1%.yml}")-tls-$2.yml
    awk -v port="$2" -v cert="$TLS_CERT" -v key="$TLS_KEY" '
        { print }
        /^server:/ { printf "  tls:\n    port: %s\n    certificates: [{cert: %s, key: %s}]\n    protocols: [TLSv1.3, TLSv1.2]\n    ciphers: intermediate\n", port, cert, key }' "$1" > "$out"
    echo "$out"
}

tls_negotiated() {   # tls_negotiated PORT -> "TLSv1.3 TLS_AES_256_GCM_SHA384", what a default OpenSSL client (wrk) gets
    openssl s_client -connect "127.0.0.1:$1" -servername localhost </dev/null 2>/dev/null \
        | awk '/^New, / {print $2, $NF; exit}'
}
