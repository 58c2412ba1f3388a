# Sourced by bench/run.sh: installs the Debian packages the bench runs (wrk, nginx, HAProxy, h2load, ...).
install_missing() {
    local -a pkgs=()
    command -v wrk >/dev/null || pkgs+=(wrk)
    command -v nginx >/dev/null || pkgs+=(nginx)
    command -v haproxy >/dev/null || pkgs+=(haproxy)
    command -v h2load >/dev/null || pkgs+=(nghttp2-client)
    command -v taskset >/dev/null || pkgs+=(util-linux)
    command -v curl >/dev/null || pkgs+=(curl)
    command -v openssl >/dev/null || pkgs+=(openssl)
    (( ${#pkgs[@]} == 0 )) && return 0
    log "installing Debian packages: ${pkgs[*]}"
    local sudo=""
    if (( EUID != 0 )); then
        command -v sudo >/dev/null && sudo -n true 2>/dev/null || die "missing ${pkgs[*]} and not root (no passwordless sudo): apt-get install ${pkgs[*]}"
        sudo="sudo -n"
    fi
    $sudo apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null \
        || die "apt-get install ${pkgs[*]} failed"
}
