package io.gatehouse.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code kill -HUP} reloads the configuration. The JVM runs a signal's handler on a thread of its own; the action
 * given here must only queue work (the reload runs on the reloader's thread), so the handler returns at once.
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {}

    /** Replaces the JVM's default for SIGHUP (exit) with {@code action}; where there is no SIGHUP, does nothing. */
    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException e) {
            log.info("SIGHUP is not available here ({}); reload through the file or the admin API", e.getMessage());
        }
    }
}
