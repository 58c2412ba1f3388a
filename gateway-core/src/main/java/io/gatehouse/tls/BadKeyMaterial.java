package io.gatehouse.tls;

import java.nio.file.Path;

/**
 * A certificate entry's files cannot be used: {@link #file} and {@link #problem} say which one and why, in words an
 * operator can act on. Messages never carry key bytes.
 */
final class BadKeyMaterial extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which file of the entry is at fault (the configuration key that names it). */
    enum Part { CERT, KEY }

    private final Part part;
    private final transient Path file;
    private final String problem;

    BadKeyMaterial(Part part, Path file, String problem) {
        super(file + ": " + problem, null, false, false);
        this.part = part;
        this.file = file;
        this.problem = problem;
    }

    Path file() {
        return file;
    }

    String problem() {
        return problem;
    }

    /** The configuration key of the file at fault: {@code cert} or {@code key}. */
    String key() {
        return part == Part.CERT ? "cert" : "key";
    }
}
