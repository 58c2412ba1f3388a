# Sourced by bench/run.sh: the A/B section of the report, GATEHOUSE_JAR against BASELINE_JAR, for each pair of
# targets that differ only in the jar (gh-routing / gh-baseline, gh-full / gh-full-baseline) and each case.

compare_row() {   # compare_row CONFIG JAR TARGET CASE
    local cpu rps
    local -a c r
    read -r -a c <<< "$(stat3 "$3" "$4" 16)"; read -r -a r <<< "$(stat3 "$3" "$4" 4)"
    cpu="—"; rps="—"
    (( ${#c[@]} == 3 )) && printf -v cpu '%.1f (%.1f – %.1f)' "${c[@]}"
    (( ${#r[@]} == 3 )) && printf -v rps '%.0f (%.0f – %.0f)' "${r[@]}"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$cpu" "$(med "$3" "$4" 18)" "$rps" "$(med "$3" "$4" 15)"
}

write_compare() {
    local pair new base config c cpu_ratio rps_ratio printed=0
    for pair in "gh-routing gh-baseline routing" "gh-full gh-full-baseline full"; do
        read -r new base config <<< "$pair"
        want "$new" && want "$base" || continue
        if (( ! printed )); then
            printed=1
            echo
            echo "## Compare: GATEHOUSE_JAR against BASELINE_JAR"
            echo
            echo "- new: $GATEHOUSE_JAR (built $(date -u -r "$GATEHOUSE_JAR" '+%Y-%m-%d %H:%M UTC'))"
            echo "- baseline: $BASELINE_JAR (built $(date -u -r "$BASELINE_JAR" '+%Y-%m-%d %H:%M UTC'))"
            echo "- $ROUNDS rounds x ${DURATION} s per (jar, config, case), interleaved; median (min – max) over the rounds. Ratio = new median / baseline median: below 1 for CPU µs/req and above 1 for req/s is better. other CPU: median % of a core that other processes used during the runs (above ${DISTURBED_CPU}, the ratios carry that noise)."
            echo
            echo "| config, case | jar | CPU µs/req | of which JIT | req/s | other CPU % |"
            echo "| --- | --- | ---: | ---: | ---: | ---: |"
        fi
        for c in $CASES; do
            compare_row "$config ($(basename "$( [[ $config == full ]] && echo "$GH_FULL_CONFIG" || echo "$GATEHOUSE_CONFIG")")), $c" new "$new" "$c"
            compare_row "" baseline "$base" "$c"
            cpu_ratio=$(awk -v a="$(med "$new" "$c" 16)" -v b="$(med "$base" "$c" 16)" \
                'BEGIN { if (a != "" && b > 0) printf "%.3f", a / b; else print "—" }')
            rps_ratio=$(awk -v a="$(med "$new" "$c" 4)" -v b="$(med "$base" "$c" 4)" \
                'BEGIN { if (a != "" && b > 0) printf "%.3f", a / b; else print "—" }')
            printf '| | **new / baseline** | **%s** | | **%s** | |\n' "$cpu_ratio" "$rps_ratio"
        done
    done
}
