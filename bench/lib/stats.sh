# Sourced by bench/run.sh: medians, ranges and sums over the rounds of $RESULTS, and number formatting.
# load_stats: one pass over $RESULTS into STATS["TARGET CASE COLUMN"] = "median min max sum" over the rounds, for
# every numeric column (empty values left out); the report then reads it without a fork per cell.
declare -A STATS
load_stats() {
    local t c col val
    STATS=()
    while read -r t c col val; do STATS["$t $c $col"]=$val; done < <(awk -F'\t' '
        NR > 1 { for (i = 4; i <= NF; i++) if ($i != "") { k = $2 " " $3 " " i; n[k]++; v[k, n[k]] = $i + 0; s[k] += $i } }
        END {
            for (k in n) {
                m = n[k]
                for (i = 2; i <= m; i++) { x = v[k, i]; for (j = i - 1; j >= 1 && v[k, j] > x; j--) v[k, j + 1] = v[k, j]; v[k, j + 1] = x }
                med = (m % 2) ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2
                printf "%s %.10g %.10g %.10g %.10g\n", k, med, v[k, 1], v[k, m], s[k]
            }
        }' "$RESULTS")
}
stat3() {   # stat3 TARGET CASE COLUMN -> "median min max" over rounds (empty if no values)
    local -a v=(${STATS["$1 $2 $3"]:-})
    (( ${#v[@]} )) && echo "${v[0]} ${v[1]} ${v[2]}"
    return 0
}
med() { local -a v=(${STATS["$1 $2 $3"]:-}); echo "${v[0]:-}"; }   # med TARGET CASE COLUMN -> median
colsum() { local -a v=(${STATS["$1 $2 $3"]:-}); echo "${v[3]:-0}"; }   # colsum TARGET CASE COLUMN -> sum
mib() { local -a v=(${STATS["$1 $2 $3"]:-}); [[ -n ${v[2]:-} ]] && echo $(( (${v[2]%.*} + 512) / 1024 )); return 0; }   # max KiB -> MiB
fmt_int() { awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); n = length(s); o = ""; for (i = 1; i <= n; i++) { o = o substr(s, i, 1); if ((n - i) % 3 == 0 && i < n) o = o "," } print o }'; }
