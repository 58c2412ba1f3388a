# Sourced by bench/run.sh: the HTTP/2 cases, small GETs with h2load (`-c CONNS -m H2_STREAMS -t 1`).
#   h2c:   cleartext HTTP/2 with prior knowledge (h2load's default for http:// URLs)
#   h2tls: HTTP/2 over TLS, chosen by ALPN, on the HTTPS listener of lib/tls.sh (same certificate and ciphers)
# Both proxies speak HTTP/1.1 to the backend, as in every other case.
# nginx 1.22 has no `http2 on` (that came in 1.25.1): `listen PORT http2;` makes a plain port h2c-only (an HTTP/1.1
# request there fails), so nginx's h2c listener is a port of its own, its plain port + H2C_PORT_OFFSET;
# `listen PORT ssl http2;` offers h2 and http/1.1 by ALPN. Gatehouse takes h2c prior knowledge on its plain port
# (next to HTTP/1.1) and offers h2 by ALPN on its TLS port.
H2C_PORT_OFFSET=${H2C_PORT_OFFSET:-2000}
H2_STREAMS=${H2_STREAMS:-10}       # h2load -m: concurrent streams on each connection
is_int "$H2_STREAMS" && (( H2_STREAMS > 0 )) || die "H2_STREAMS must be a positive integer (got '$H2_STREAMS')"
is_h2_case() { [[ $1 == h2c || $1 == h2tls ]]; }
wants_case() { [[ " $CASES " == *" $1 "* ]]; }
if wants_case h2c || wants_case h2tls; then   # check_h2 asks curl for HTTP/2 before measuring
    curl -V 2>/dev/null | grep -qw HTTP2 || die "the HTTP/2 cases need a curl with HTTP/2 (Debian's curl has it)"
fi
h2c_port_of() {   # h2c_port_of TARGET: nginx has a listener of its own for h2c, Gatehouse takes it on its plain port
    case $1 in nginx*) echo $(( ${PORT_OF[$1]} + H2C_PORT_OFFSET )) ;; *) echo "${PORT_OF[$1]}" ;; esac
}
nginx_h2c_listen() {   # nginx_h2c_listen PORT: the server-block line of nginx's h2c listener (empty without the h2c case)
    wants_case h2c || return 0
    echo "        listen 127.0.0.1:$(( $1 + H2C_PORT_OFFSET )) http2 backlog=4096;"
}
h2c_ports() {   # nginx's and nginx full's h2c ports (checked free before the start, like every other port)
    wants_case h2c || return 0
    echo $(( NGINX_PORT + H2C_PORT_OFFSET )) $(( NGINX_FULL_PORT + H2C_PORT_OFFSET ))
}

check_h2() {   # check_h2 TARGET: GET /small over h2c and over h2 with TLS answers 200 over HTTP/2 (when those cases run)
    runs_case "$1" h2c || return 0
    local got url="http://127.0.0.1:$(h2c_port_of "$1")/small"; local -a hdr; mapfile -t hdr < <(key_args "$1")
    if wants_case h2c; then
        got=$(curl -s -o /dev/null -w '%{http_code} HTTP/%{http_version}' --http2-prior-knowledge "${hdr[@]}" "$url") || got="curl-failed"
        [[ $got == "200 HTTP/2" ]] || die "$1: GET $url with HTTP/2 prior knowledge gave '$got' (expected '200 HTTP/2': does this build speak h2c?)"
    fi
    if wants_case h2tls; then
        got=$(curl -s -o /dev/null -w '%{http_code} HTTP/%{http_version}' --http2 --cacert "$TLS_CERT" "${hdr[@]}" \
            "https://localhost:$(tls_port_of "$1")/small") || got="curl-failed"
        [[ $got == "200 HTTP/2" ]] || die "$1: GET https://localhost:$(tls_port_of "$1")/small with ALPN h2 gave '$got' (expected '200 HTTP/2': does its TLS listener offer h2?)"
    fi
}

h2load_args() {   # h2load_args TARGET SECONDS: one line each
    printf '%s\n' -c "$CONNS" -m "$H2_STREAMS" -t 1 -D "$2"
    key_args "$1"
}
# parse_h2load RAW PROXY_CPU_PCT -> "req/s p50_ms p99_ms non2xx socket_errors requests cpu_us_per_req", as parse_wrk.
# h2load prints no percentiles without a per-request log (which would cost the load generator's core): p50 and p99
# are "-"; its raw output has min / max / mean / sd of the request times. Errors: errored + timed-out requests.
parse_h2load() {
    awk -v cpu="$2" '
        /^finished in/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i == "req/s") rps = sprintf("%.0f", $(i - 1)) }
        /^requests:/ { gsub(",", ""); for (i = 2; i <= NF; i++) { if ($i == "done") reqs = $(i - 1); if ($i == "errored" || $i == "timeout") sock += $(i - 1) } }
        /^status codes:/ { gsub(",", ""); non2xx = $5 + $7 + $9 }
        END {
            us = (cpu != "" && rps > 0) ? sprintf("%.1f", cpu * 10000 / rps) : "-"
            print rps + 0, "-", "-", non2xx + 0, sock + 0, reqs + 0, us
        }' "$1"
}
h2_negotiated() {   # h2_negotiated TARGET -> "TLSv1.3 TLS_AES_128_GCM_SHA256, ALPN h2": what h2load got in round 1
    awk '/^TLS Protocol:/ {p = $3} /^Cipher:/ {c = $2} /^Application protocol:/ {a = $3}
        END { if (p != "") printf "%s %s, ALPN %s", p, c, a }' "$RUN_DIR/raw/r1-$1-h2tls.h2load.txt" 2>/dev/null
}
