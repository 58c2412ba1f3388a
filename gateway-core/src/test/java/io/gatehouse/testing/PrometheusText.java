package io.gatehouse.testing;

import java.util.Set;
import java.util.TreeSet;

/** Reads samples out of a Prometheus text exposition, for asserting metrics by name and labels. */
public final class PrometheusText {
    private PrometheusText() {}

    /**
     * @param labels {@code key="value"} pairs that must all appear in the sample's label set
     * @return the sample's value, or NaN when no sample matches
     */
    public static double value(String exposition, String name, String... labels) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int nameEnd = name.length();
            if (line.length() <= nameEnd || (line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ')) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** Every sample's name and label set (its line without the value), sorted: which series exist. */
    public static Set<String> series(String exposition) {
        Set<String> series = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                series.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return series;
    }

    /** Every value {@code label} has in some sample, sorted: e.g. the route ids that have series. */
    public static Set<String> labelValues(String exposition, String label) {
        String opening = label + "=\"";
        Set<String> values = new TreeSet<>();
        for (String sample : series(exposition)) {
            int at = sample.indexOf(opening);
            while (at > 0 && sample.charAt(at - 1) != '{' && sample.charAt(at - 1) != ',') {
                at = sample.indexOf(opening, at + 1); // "route" inside another label's name, like "x_route"
            }
            if (at >= 0) {
                int start = at + opening.length();
                values.add(sample.substring(start, sample.indexOf('"', start)));
            }
        }
        return values;
    }
}
