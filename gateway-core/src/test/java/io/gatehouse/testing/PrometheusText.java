package io.gatehouse.testing;

/** Reads one sample out of a Prometheus text exposition, for asserting metrics by name and labels. */
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
}
