# Sourced by bench/run.sh: the nginx (backend, proxy) and HAProxy configurations it writes.
affinity_bits() { local s="1" i; for ((i = 0; i < $1; i++)); do s="${s}0"; done; echo "$s"; }   # CPU n -> "10..0"

write_backend_conf() {
    local d=$RUN_DIR/nginx-backend
    cat > "$d/nginx.conf" <<EOF
# Backend for the bench: fixed responses, no access log. Started by bench/run.sh.
$RUN_AS_USER
daemon off;
worker_processes 1;
worker_cpu_affinity $(affinity_bits "$LOADGEN_CPU");
worker_rlimit_nofile 16384;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    upstream sink {
        server 127.0.0.1:$SINK_PORT;
        keepalive 16;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$BACKEND_PORT backlog=4096;
        root $RUN_DIR/www;
        location = /small { default_type application/json; return 200 '$SMALL_JSON'; }
        location = /16k   { default_type application/octet-stream; }
        # The body is read completely (in memory) before the request goes to the sink, which answers 200;
        # so the 200 never comes before the whole upload was received.
        location = /upload {
            limit_except POST { deny all; }
            client_max_body_size 1m;
            client_body_buffer_size 128k;
            proxy_pass http://sink/ok;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
        # The OTLP/HTTP receiver of gh-trace1 and gh-trace100: accepts every span batch, keeps nothing.
        location = /v1/traces { client_max_body_size 16m; return 200; }
        location / { return 404; }
    }
    server {
        listen 127.0.0.1:$SINK_PORT;
        location / { default_type application/json; return 200 '{"ok":true}\n'; }
    }
}
EOF
}

# The JSON access-log line of nginx-full: Gatehouse's fields (times in seconds, where Gatehouse writes ms).
NGINX_JSON_LOG='{"ts":"$time_iso8601","request_id":"$request_id","client_ip":"$remote_addr","method":"$request_method","path":"$uri","status":$status,"bytes_in":$request_length,"bytes_out":$body_bytes_sent,"duration_s":$request_time,"upstream_s":"$upstream_response_time"}'
write_proxy_conf() {   # write_proxy_conf DIR PORT LOGFILE FULL: FULL=1 adds nginx-full's API key, per-IP limit, request ID
    local d=$1 port=$2 logf=$3 full=$4 access="access_log off;" http_full="" loc_full=""
    if (( full )); then
        http_full="log_format gatehouse escape=json '$NGINX_JSON_LOG';
    # Per client address; rate and burst so high that the load generator is never refused (gatehouse-full.yml's
    # per-ip policy: 100,000,000 a second), yet every request pays for the lookup and the update of its entry.
    limit_req_zone \$binary_remote_addr zone=per_ip:10m rate=100000000r/s;
    limit_req_status 429;"
        loc_full="if (\$http_x_api_key != \"$BENCH_API_KEY\") { return 401; }
            limit_req zone=per_ip burst=100000000 nodelay;
            proxy_set_header X-Request-ID \$request_id;
            add_header X-Request-ID \$request_id always;"
    fi
    local format=combined; (( full )) && format=gatehouse
    (( PROXY_ACCESS_LOG )) && access="access_log $logf $format buffer=64k flush=1s;"
    cat > "$d/nginx.conf" <<EOF
# nginx as the reverse proxy under test. Started by bench/run.sh.
$RUN_AS_USER
daemon off;
worker_processes 1;
worker_cpu_affinity $(affinity_bits "$PROXY_CPU");
worker_rlimit_nofile 16384;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8192; }
http {
    $http_full
    $access
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    client_max_body_size 10m;
    client_body_buffer_size 128k;   # request bodies up to 128 KiB are buffered in memory, not in a temp file
    upstream backend {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$port backlog=4096;
$(nginx_tls_server $(( port + TLS_PORT_OFFSET )))
$(nginx_h2c_listen "$port")
        location / {
            $loc_full
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
}

write_haproxy_conf() {
    local logg="" opt=""
    if (( PROXY_ACCESS_LOG )); then
        logg="log stdout format raw local0 info"
        opt="option httplog"
    fi
    cat > "$RUN_DIR/haproxy/haproxy.cfg" <<EOF
# HAProxy as the reverse proxy under test. Started by bench/run.sh.
global
    nbthread 1
    maxconn 4000
    $logg
defaults
    mode http
    log global
    $opt
    option http-keep-alive
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    maxconn 4000
frontend fe
    bind 127.0.0.1:$HAPROXY_PORT
    default_backend be
backend be
    http-reuse always
    server backend 127.0.0.1:$BACKEND_PORT
EOF
}

